package tagexpr

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"", "@auth", "not @writes", "@auth and @hub", "@auth or @hub",
		"not @writes and (@auth or @projects)",
		"not (@a or @b) and not @c",
		"(@a or @b) and (@c or @d)",
		"~@writes", "@auth,@hub", "@projects && ~@exclusive",
		`@a\(1\) or @a\ b and not @a\\b`, "not (@a", "@a and", "auth", `@a\`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		e, err := Parse(expr)
		if err != nil {
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "want a *SyntaxError, got %T: %v", err, err)
			require.True(t, 1 <= se.Pos && se.Pos <= utf8.RuneCountInString(expr)+1, "position %d out of range", se.Pos)
			return
		}
		if e == nil {
			require.Empty(t, strings.TrimSpace(expr))
			return
		}

		again, err := Parse(e.String())
		require.NoError(t, err, "String gave %q", e.String())
		require.Equal(t, e.String(), again.String())

		filter, filterErr := e.GodogFilter()
		tags := tagsOf(e)
		tags = tags[:min(len(tags), 5)]
		for _, set := range subsets(append(tags, "@other")) {
			require.Equal(t, e.Match(set), again.Match(set), "tags %q", set)
			if filterErr == nil {
				require.Equal(t, e.Match(set), godogMatch(filter, set), "filter %q on tags %q", filter, set)
			}
		}
	})
}
