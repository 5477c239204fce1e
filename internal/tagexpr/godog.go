package tagexpr

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// maxTerms bounds GodogFilter's output, because a disjunctive normal form
// can be exponentially larger than its expression: each further
// "and (@x or @y)" doubles it.
const maxTerms = 256

var errTooBig = fmt.Errorf("godog's filter syntax would need more than %d alternatives", maxTerms)

// GodogFilter renders e in the filter syntax of godog v0.16, for
// godog.Options.Tags. That syntax has no parentheses and no nesting: it is a
// ","-separated list of alternatives, each a "&&"-separated list of "@tag"
// or "~@tag". So the result is e's disjunctive normal form, for example
// "~@writes&&@auth,~@writes&&@projects" for
// "not @writes and (@auth or @projects)", leaving out repeated tags and
// repeated or contradictory alternatives. An e that nothing can match
// becomes "@t&&~@t", where @t is e's first tag.
// The nil *Expr gives "", which godog takes to mean everything.
//
// It fails if a tag contains whitespace, ",", "&", "~" or an "@" after its
// first character, none of which godog's filter can carry, or if the form
// would need more than 256 alternatives before simplification. Errors quote
// the expression as String renders it.
func (e *Expr) GodogFilter() (string, error) {
	if e == nil {
		return "", nil
	}
	terms, err := e.dnf(false)
	if err != nil {
		return "", fmt.Errorf("tag expression %q: %w", e.String(), err)
	}
	if len(terms) == 0 {
		// Godog has no way to write "false", so keep one contradiction.
		t := e
		for t.kind != tagKind {
			t = t.x
		}
		terms = []term{{{tag: t.tag}, {tag: t.tag, neg: true}}}
	}
	alternatives := make([]string, len(terms))
	for i, t := range terms {
		alternatives[i] = strings.Join(t.literals(), "&&")
	}
	return strings.Join(alternatives, ","), nil
}

// term is a conjunction of literals. A DNF is a []term; zero terms is false.
type term []literal

type literal struct {
	tag string
	neg bool
}

func (t term) literals() []string {
	s := make([]string, len(t))
	for i, l := range t {
		s[i] = l.tag
		if l.neg {
			s[i] = "~" + l.tag
		}
	}
	return s
}

// dnf returns e, or not e if neg is set, in disjunctive normal form.
func (e *Expr) dnf(neg bool) ([]term, error) {
	switch e.kind {
	case tagKind:
		for _, r := range e.tag[1:] {
			if unfitForGodog(r) {
				return nil, fmt.Errorf("tag %q contains %q, which godog's filter syntax cannot carry", e.tag, r)
			}
		}
		return []term{{{tag: e.tag, neg: neg}}}, nil
	case notKind:
		return e.x.dnf(!neg)
	}
	x, err := e.x.dnf(neg)
	if err != nil {
		return nil, err
	}
	y, err := e.y.dnf(neg)
	if err != nil {
		return nil, err
	}
	if (e.kind == andKind) != neg { // De Morgan swaps "and" and "or" under "not".
		return conjoin(x, y)
	}
	return simplify(slices.Concat(x, y))
}

// unfitForGodog reports characters that godog's filter parser would split
// on, strip or take for negation.
func unfitForGodog(r rune) bool {
	return r == ',' || r == '&' || r == '~' || r == '@' || unicode.IsSpace(r)
}

// conjoin distributes "and" over the alternatives of x and y.
func conjoin(x, y []term) ([]term, error) {
	if len(x)*len(y) > maxTerms {
		return nil, errTooBig
	}
	var terms []term
	for _, a := range x {
		for _, b := range y {
			terms = append(terms, slices.Concat(a, b))
		}
	}
	return simplify(terms)
}

// simplify drops repeated literals within a term, contradictory terms and
// repeated terms, keeping the first of each in order so that the output
// reads like the expression.
func simplify(terms []term) ([]term, error) {
	var out []term
	seen := map[string]bool{}
	for _, t := range terms {
		t, ok := t.tidy()
		if !ok {
			continue
		}
		key := t.literals()
		slices.Sort(key)
		if k := strings.Join(key, "&&"); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	if len(out) > maxTerms {
		return nil, errTooBig
	}
	return out, nil
}

// tidy drops repeated literals from t; ok is false if t needs a tag to be
// both present and absent.
func (t term) tidy() (tidied term, ok bool) {
	has := map[literal]bool{}
	for _, l := range t {
		if has[literal{tag: l.tag, neg: !l.neg}] {
			return nil, false
		}
		if !has[l] {
			has[l] = true
			tidied = append(tidied, l)
		}
	}
	return tidied, true
}
