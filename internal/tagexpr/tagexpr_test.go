package tagexpr

import (
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, expr, want string
	}{
		{"a single tag", "@auth", "@auth"},
		{"not", "not @writes", "not @writes"},
		{"and", "@auth and @hub", "(@auth and @hub)"},
		{"or", "@auth or @hub", "(@auth or @hub)"},
		{"not binds tighter than and", "not @a and @b", "(not @a and @b)"},
		{"not binds tighter than or", "not @a or @b", "(not @a or @b)"},
		{"and binds tighter than a later or", "@a and @b or @c", "((@a and @b) or @c)"},
		{"and binds tighter than an earlier or", "@a or @b and @c", "(@a or (@b and @c))"},
		{"and is left-associative", "@a and @b and @c", "((@a and @b) and @c)"},
		{"or is left-associative", "@a or @b or @c", "((@a or @b) or @c)"},
		{"parentheses override precedence", "@a and (@b or @c)", "(@a and (@b or @c))"},
		{"not applies to a parenthesised group", "not (@a or @b)", "not (@a or @b)"},
		{"not can repeat", "not not @a", "not not @a"},
		{"redundant parentheses disappear", "((@a))", "@a"},
		{"deep nesting", "(@a and (@b or (not (@c))))", "(@a and (@b or not @c))"},
		{"parentheses need no spaces around them", "not(@a)and(@b)", "(not @a and @b)"},
		{"any whitespace separates tokens", " \t@a\nand  @b ", "(@a and @b)"},
		{"a mixed expression", "not @writes and (@auth or @projects)", "(not @writes and (@auth or @projects))"},
		{"tags may be spelled like keywords", "@and or @not", "(@and or @not)"},
		{"a tilde inside a tag is part of it", "@a~b", "@a~b"},
		{"a single ampersand inside a tag is part of it", "@a&b", "@a&b"},
		{"legacy not", "~@writes", "not @writes"},
		{"legacy not before a group", "~(@a,@b)", "not (@a or @b)"},
		{"legacy or", "@auth,@hub", "(@auth or @hub)"},
		{"legacy and", "@projects && ~@exclusive", "(@projects and not @exclusive)"},
		{"legacy and without spaces", "@a&&@b", "(@a and @b)"},
		{"legacy and binds tighter than legacy or", "@a,@b&&@c", "(@a or (@b and @c))"},
		{"legacy or is loosest", "@a&&@b,@c", "((@a and @b) or @c)"},
		{"legacy and keyword syntax mixed", "~@a and @b,@c && not @d", "((not @a and @b) or (@c and not @d))"},
		{"escaped parentheses", `@a\(1\)`, `@a\(1\)`},
		{"escaped space", `@a\ b`, `@a\ b`},
		{"escaped backslash", `@a\\b`, `@a\\b`},
		{"an escaped parenthesis next to a real one", `(@a\))`, `@a\)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			require.Equal(t, tc.want, e.String())

			again, err := Parse(e.String())
			require.NoError(t, err)
			require.Equal(t, e, again, "String must parse back to the same tree")
		})
	}
}

func TestParseUnescapesTags(t *testing.T) {
	for _, tc := range []struct {
		name, expr, tag string
	}{
		{"parentheses", `@a\(1\)`, "@a(1)"},
		{"space", `@a\ b`, "@a b"},
		{"tab", "@a\\\tb", "@a\tb"},
		{"backslash", `@a\\b`, `@a\b`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			require.True(t, e.Match([]string{tc.tag}))
			require.False(t, e.Match([]string{tc.expr}))
		})
	}
}

func TestParseEmptyMatchesEverything(t *testing.T) {
	for _, tc := range []struct{ name, expr string }{
		{"empty", ""},
		{"spaces", "   "},
		{"tabs and newlines", "\t\n "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			require.Nil(t, e)
			require.True(t, e.Match(nil))
			require.True(t, e.Match([]string{"@auth"}))
			require.Equal(t, "", e.String())
			filter, err := e.GodogFilter()
			require.NoError(t, err)
			require.Equal(t, "", filter)
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, expr string
		pos        int
		msg        string
	}{
		{"unclosed parenthesis", "not (@a", 5, `unclosed '(' opened at position 5`},
		{"unclosed outer parenthesis", "(@a and (@b)", 1, `unclosed '(' opened at position 1`},
		{"unclosed inner parenthesis", "(@a or (@b", 8, `unclosed '(' opened at position 8`},
		{"nothing after an opening parenthesis", "@a and (", 8, `unclosed '(' opened at position 8`},
		{"and without a right operand", "@a and", 4, `"and" at position 4 needs an operand after it`},
		{"or without a right operand", "@a or ", 4, `"or" at position 4 needs an operand after it`},
		{"not without an operand", "not", 1, `"not" at position 1 needs an operand after it`},
		{"legacy not without an operand", "@a && ~", 7, `"~" at position 7 needs an operand after it`},
		{"legacy and without a right operand", "@a&&", 3, `"&&" at position 3 needs an operand after it`},
		{"two operators in a row", "@a and or @b", 4, `"and" at position 4 needs an operand after it`},
		{"operator before a closing parenthesis", "(@a and)", 5, `"and" at position 5 needs an operand after it`},
		{"and at the start", "and @a", 1, `"and" at position 1 needs an operand before it`},
		{"legacy or at the start", ",@a", 1, `"," at position 1 needs an operand before it`},
		{"or right after an opening parenthesis", "(or @a)", 2, `"or" at position 2 needs an operand before it`},
		{"a stray closing parenthesis", "@a)", 3, `unexpected ')' at position 3`},
		{"a closing parenthesis alone", ")", 1, `unexpected ')' at position 1`},
		{"empty parentheses", "()", 2, `unexpected ')' at position 2`},
		{"two tags without an operator", "@a @b", 4, `"@b" at position 4 needs an operator before it`},
		{"a group without an operator", "@a (@b)", 4, `'(' at position 4 needs an operator before it`},
		{"not used as a binary operator", "@a not @b", 4, `"not" at position 4 needs an operator before it`},
		{"a missing operator inside parentheses", "(@a @b)", 5, `"@b" at position 5 needs an operator before it`},
		{"a word without @", "auth", 1, `"auth" at position 1 is not a tag (tags start with @)`},
		{"an uppercase keyword", "@a AND @b", 4, `"AND" at position 4 is not a tag (tags start with @)`},
		{"a single ampersand", "@a & @b", 4, `"&" at position 4 is not a tag (tags start with @)`},
		{"an @ without a name", "@a and @", 8, `"@" at position 8 is a tag without a name`},
		{"an escape godog and cucumber reject", `@a\b`, 3, `backslash at position 3 cannot escape "b" (only '(', ')', '\' and whitespace)`},
		{"a backslash at the end", `@a\`, 3, `backslash at position 3 escapes nothing`},
		{"positions count characters, not bytes", "@é and", 4, `"and" at position 4 needs an operand after it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.Nil(t, e)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "want a *SyntaxError, got %T: %v", err, err)
			require.Equal(t, tc.expr, se.Expr)
			require.Equal(t, tc.pos, se.Pos)
			require.Equal(t, tc.msg, se.Msg)
			require.Equal(t, "tag expression "+strconv.Quote(tc.expr)+": "+tc.msg, err.Error())
		})
	}
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		name, expr string
		tags       []string
		want       bool
	}{
		{"a tag that is present", "@auth", []string{"@hub", "@auth"}, true},
		{"a tag that is absent", "@auth", []string{"@hub"}, false},
		{"no tags at all", "@auth", nil, false},
		{"tag names compare exactly, not by prefix", "@auth", []string{"@authz"}, false},
		{"tag names compare case-sensitively", "@auth", []string{"@Auth"}, false},
		{"tags need their @", "@auth", []string{"auth"}, false},
		{"not of an absent tag", "not @writes", []string{"@auth"}, true},
		{"not of a present tag", "not @writes", []string{"@writes"}, false},
		{"and with both present", "@auth and @hub", []string{"@auth", "@hub"}, true},
		{"and with one present", "@auth and @hub", []string{"@auth"}, false},
		{"or with one present", "@auth or @hub", []string{"@hub"}, true},
		{"or with neither present", "@auth or @hub", []string{"@writes"}, false},
		{"precedence: not @a and @b with @b only", "not @a and @b", []string{"@b"}, true},
		{"precedence: not @a and @b with neither", "not @a and @b", nil, false},
		{"precedence: @a or @b and @c with @a only", "@a or @b and @c", []string{"@a"}, true},
		{"a read-only auth scenario", "not @writes and (@auth or @projects)", []string{"@auth"}, true},
		{"a writing auth scenario", "not @writes and (@auth or @projects)", []string{"@auth", "@writes"}, false},
		{"an untagged scenario", "not @writes and (@auth or @projects)", nil, false},
		{"legacy syntax", "@projects && ~@exclusive", []string{"@projects"}, true},
		{"an escaped tag", `@a\ b`, []string{"@a b"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Parse(tc.expr)
			require.NoError(t, err)
			require.Equal(t, tc.want, e.Match(tc.tags))
		})
	}
}
