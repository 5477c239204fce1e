package tagexpr

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGodogFilter(t *testing.T) {
	for _, tc := range []struct {
		name, expr, want string
	}{
		{"a single tag", "@auth", "@auth"},
		{"not", "not @writes", "~@writes"},
		{"and", "@auth and @hub", "@auth&&@hub"},
		{"or", "@auth or @hub", "@auth,@hub"},
		{"and distributes over or", "not @writes and (@auth or @projects)", "~@writes&&@auth,~@writes&&@projects"},
		{"not of an or becomes an and of nots", "not (@a or @b) and not @c", "~@a&&~@b&&~@c"},
		{"not of an and becomes an or of nots", "not (@a and @b)", "~@a,~@b"},
		{"two ors multiply out", "(@a or @b) and (@c or @d)", "@a&&@c,@a&&@d,@b&&@c,@b&&@d"},
		{"double negation cancels", "not not @a", "@a"},
		{"legacy syntax", "@projects && ~@exclusive", "@projects&&~@exclusive"},
		{"a repeated literal is dropped", "@a and @b and @a", "@a&&@b"},
		{"a repeated alternative is dropped", "@a and @b or @b and @a", "@a&&@b"},
		{"a contradictory alternative is dropped", "@a and not @a or @b", "@b"},
		{"a contradiction stays when it is all there is", "@a and not @a", "@a&&~@a"},
		{"several contradictions collapse to one", "(@a or @b) and not (@a or @b)", "@a&&~@a"},
		{"a tautology stays", "@a or not @a", "@a,~@a"},
		{"escaped parentheses pass through", `@a\(1\)`, "@a(1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			filter, err := e.GodogFilter()
			require.NoError(t, err)
			require.Equal(t, tc.want, filter)
		})
	}
}

func TestGodogFilterErrors(t *testing.T) {
	for _, tc := range []struct {
		name, expr, want string
	}{
		{"a tag with a tilde", "@auth or @a~b",
			`tag expression "(@auth or @a~b)": tag "@a~b" contains '~', which godog's filter syntax cannot carry`},
		{"a tag with an ampersand", "@a&b",
			`tag expression "@a&b": tag "@a&b" contains '&', which godog's filter syntax cannot carry`},
		{"a tag with a second @", "@a@b",
			`tag expression "@a@b": tag "@a@b" contains '@', which godog's filter syntax cannot carry`},
		{"a tag with an escaped space", `@a\ b`,
			`tag expression "@a\\ b": tag "@a b" contains ' ', which godog's filter syntax cannot carry`},
		{"a tag that only a contradiction would drop", "@a and not @a and @b~",
			`tag expression "((@a and not @a) and @b~)": tag "@b~" contains '~', which godog's filter syntax cannot carry`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			filter, err := e.GodogFilter()
			require.EqualError(t, err, tc.want)
			require.Empty(t, filter)
		})
	}
}

func TestGodogFilterCapsTheAlternatives(t *testing.T) {
	// Each "(@aN or @bN)" doubles the alternatives: 2^8 is the most allowed.
	groups := func(n int) string {
		var and []string
		for i := range n {
			and = append(and, fmt.Sprintf("(@a%d or @b%d)", i, i))
		}
		return strings.Join(and, " and ")
	}

	t.Run("256 alternatives are allowed", func(t *testing.T) {
		e, err := Parse(groups(8))
		require.NoError(t, err)
		filter, err := e.GodogFilter()
		require.NoError(t, err)
		require.Len(t, strings.Split(filter, ","), 256)
	})
	t.Run("512 alternatives are refused", func(t *testing.T) {
		e, err := Parse(groups(9))
		require.NoError(t, err)
		filter, err := e.GodogFilter()
		require.EqualError(t, err, "tag expression "+strconv.Quote(e.String())+
			": godog's filter syntax would need more than 256 alternatives")
		require.Empty(t, filter)
	})
}

// The most important property: handing GodogFilter's output to godog selects
// exactly the scenarios that Match selects.
func TestGodogFilterSelectsWhatMatchSelects(t *testing.T) {
	universe := []string{"@auth", "@hub", "@projects", "@writes", "@legacy", "@exclusive"}
	for _, expr := range []string{
		"not @writes",
		"@auth and @hub",
		"@auth or @hub",
		"not @writes and (@auth or @projects)",
		"not (@a or @b) and not @c",
		"(@a or @b) and (@c or @d)",
		"~@writes",
		"@auth,@hub",
		"@projects && ~@exclusive",
		"not (@auth and @hub) or @legacy",
		"not (not @auth or not (@hub or not @writes))",
		"(@auth or @hub) and not (@auth or @hub)",
		"@auth and not @auth or @legacy",
		"@auth or not @auth",
		"(@auth or @hub) and (@projects or @writes) and not (@legacy and @exclusive)",
		"@auth,@hub&&~@writes,@projects&&@legacy",
	} {
		t.Run(expr, func(t *testing.T) {
			e, err := Parse(expr)
			require.NoError(t, err)
			filter, err := e.GodogFilter()
			require.NoError(t, err)
			tags := slices.Compact(slices.Sorted(slices.Values(append(tagsOf(e), universe...))))
			for _, set := range subsets(tags) {
				require.Equal(t, e.Match(set), godogMatch(filter, set),
					"filter %q on tags %q", filter, set)
			}
		})
	}
}

// godogMatch is godog v0.16.0's tag filter, copied from ApplyTagFilter,
// match, matchAnd and contains in internal/tags/tag_filter.go of
// github.com/cucumber/godog, an internal package that cannot be imported.
// Only the pickle tags are simplified to their names.
func godogMatch(filters string, tags []string) (ok bool) {
	if filters == "" {
		return true
	}
	ok = false
	for _, filter := range strings.Split(filters, ",") {
		ok = godogMatchAnd(filter, tags) || ok
	}
	return
}

func godogMatchAnd(filter string, tags []string) bool {
	and := len(filter) > 0
	for _, tag := range strings.Split(filter, "&&") {
		tag = strings.TrimSpace(tag)
		tag = strings.Replace(tag, "@", "", -1)
		if tag[0] == '~' {
			tag = tag[1:]
			and = !godogContains(tags, tag) && and
		} else {
			and = godogContains(tags, tag) && and
		}
	}
	return and
}

func godogContains(tags []string, tag string) bool {
	for _, t := range tags {
		tagName := strings.Replace(t, "@", "", -1)

		if tagName == tag {
			return true
		}
	}
	return false
}

// tagsOf lists the distinct tags in e in order of first appearance.
func tagsOf(e *Expr) []string {
	var tags []string
	var walk func(*Expr)
	walk = func(e *Expr) {
		switch {
		case e == nil:
		case e.kind == tagKind:
			if !slices.Contains(tags, e.tag) {
				tags = append(tags, e.tag)
			}
		default:
			walk(e.x)
			walk(e.y)
		}
	}
	walk(e)
	return tags
}

// subsets lists every subset of tags, the empty one included.
func subsets(tags []string) [][]string {
	var all [][]string
	for bits := range 1 << len(tags) {
		var set []string
		for i, tag := range tags {
			if bits&(1<<i) != 0 {
				set = append(set, tag)
			}
		}
		all = append(all, set)
	}
	return all
}
