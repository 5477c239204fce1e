// Package tagexpr parses Cucumber tag expressions, such as
// "not @writes and (@auth or @projects)", and matches them against a
// scenario's tags; it exists because the Go module proxy available to this
// project refuses cucumber's own tag-expressions module.
//
// The grammar, loosest binding first; "and" and "or" are left-associative:
//
//	expr    := and { ("or" | ",") and }
//	and     := operand { ("and" | "&&") operand }
//	operand := ("not" | "~") operand | "(" expr ")" | tag
//
// A tag is "@" followed by at least one character, running up to
// whitespace, a parenthesis, "," or "&&". Inside a tag a backslash escapes
// "(", ")", "\" or a whitespace character, as in Cucumber. The keywords are
// lowercase and must stand apart from tags. ",", "&&" and "~" are godog's
// legacy filter syntax, accepted so that old command lines keep working;
// the two styles may be mixed.
package tagexpr

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Expr is a parsed, non-empty tag expression; only Parse builds one. The nil
// *Expr stands for the empty expression and matches every scenario.
type Expr struct {
	kind kind
	tag  string // tagKind: the name with its "@" and without escapes
	x, y *Expr  // notKind: x; andKind and orKind: x and y
}

// kind classifies tokens; its first four values double as Expr kinds.
type kind int

const (
	tagKind kind = iota
	notKind
	andKind
	orKind
	openKind
	closeKind
	endKind
)

// SyntaxError says why a tag expression does not parse. Error renders it as
//
//	tag expression "not (@a": unclosed '(' opened at position 5
type SyntaxError struct {
	Expr string // the whole expression as given to Parse
	Pos  int    // 1-based position, in characters, that Msg is about
	Msg  string // what is wrong, naming Pos
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("tag expression %q: %s", e.Expr, e.Msg)
}

// Parse parses expr. An empty or all-blank expr gives (nil, nil): the nil
// *Expr matches everything, as an absent filter does. Any error is a
// *SyntaxError.
func Parse(expr string) (*Expr, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == endKind {
		return nil, nil
	}
	p := &parser{expr: expr, toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.toks[p.i]; t.kind != endKind {
		return nil, p.stray(t)
	}
	return e, nil
}

// Match reports whether a scenario with tags is selected. Tags are written
// as godog reports them, with their "@", and compared exactly.
func (e *Expr) Match(tags []string) bool {
	if e == nil {
		return true
	}
	switch e.kind {
	case tagKind:
		return slices.Contains(tags, e.tag)
	case notKind:
		return !e.x.Match(tags)
	case andKind:
		return e.x.Match(tags) && e.y.Match(tags)
	default:
		return e.x.Match(tags) || e.y.Match(tags)
	}
}

// String renders e so that nobody needs to know the precedence rules: every
// "and" and "or" is wrapped in parentheses, "not" is written before its
// operand, tags are escaped as in the input and only keywords are used. For
// example "not @writes and (@auth or @projects)" becomes
// "(not @writes and (@auth or @projects))". The result parses back to an
// equivalent Expr. The nil *Expr renders as "".
func (e *Expr) String() string {
	var b strings.Builder
	if e != nil {
		e.write(&b)
	}
	return b.String()
}

func (e *Expr) write(b *strings.Builder) {
	switch e.kind {
	case tagKind:
		for _, r := range e.tag {
			if escapable(r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	case notKind:
		b.WriteString("not ")
		e.x.write(b)
	default:
		op := " and "
		if e.kind == orKind {
			op = " or "
		}
		b.WriteByte('(')
		e.x.write(b)
		b.WriteString(op)
		e.y.write(b)
		b.WriteByte(')')
	}
}

type token struct {
	kind kind
	pos  int    // 1-based character position of the token's start
	text string // as written, for messages
	tag  string // tagKind: the name without escapes
}

// quoted names t in messages; parentheses get single quotes so that they
// read as punctuation rather than as a (malformed) tag.
func (t token) quoted() string {
	if t.kind == openKind || t.kind == closeKind {
		return "'" + t.text + "'"
	}
	return strconv.Quote(t.text)
}

func escapable(r rune) bool {
	return r == '(' || r == ')' || r == '\\' || unicode.IsSpace(r)
}

var punctuation = map[rune]kind{'(': openKind, ')': closeKind, ',': orKind, '~': notKind}

var keywords = map[string]kind{"not": notKind, "and": andKind, "or": orKind}

// lex splits expr into tokens ending with an endKind token. It works on
// runes so that positions count characters, not bytes.
func lex(expr string) ([]token, error) {
	rs := []rune(expr)
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		switch k, ok := punctuation[r]; {
		case unicode.IsSpace(r):
			i++
		case ok:
			toks = append(toks, token{kind: k, pos: i + 1, text: string(r)})
			i++
		case isAndAnd(rs, i):
			toks = append(toks, token{kind: andKind, pos: i + 1, text: "&&"})
			i += 2
		default:
			t, end, err := lexWord(expr, rs, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = end
		}
	}
	return append(toks, token{kind: endKind, pos: len(rs) + 1}), nil
}

func isAndAnd(rs []rune, i int) bool {
	return rs[i] == '&' && i+1 < len(rs) && rs[i+1] == '&'
}

// lexWord reads the keyword or tag starting at rs[start] and returns it with
// the index just past it. "~" only counts as an operator before a word, so
// it may appear inside a tag.
func lexWord(expr string, rs []rune, start int) (token, int, error) {
	var name []rune
	i := start
	for ; i < len(rs); i++ {
		r := rs[i]
		if unicode.IsSpace(r) || r == '(' || r == ')' || r == ',' || isAndAnd(rs, i) {
			break
		}
		if r == '\\' {
			if i+1 == len(rs) {
				return token{}, 0, syntaxError(expr, i+1, "backslash at position %d escapes nothing", i+1)
			}
			if r = rs[i+1]; !escapable(r) {
				return token{}, 0, syntaxError(expr, i+1,
					`backslash at position %d cannot escape %q (only '(', ')', '\' and whitespace)`, i+1, string(r))
			}
			i++
		}
		name = append(name, r)
	}
	t := token{kind: tagKind, pos: start + 1, text: string(rs[start:i]), tag: string(name)}
	if k, ok := keywords[t.text]; ok {
		t.kind = k
		return t, i, nil
	}
	if name[0] != '@' {
		return token{}, 0, syntaxError(expr, t.pos, "%s at position %d is not a tag (tags start with @)", t.quoted(), t.pos)
	}
	if len(name) == 1 {
		return token{}, 0, syntaxError(expr, t.pos, "%s at position %d is a tag without a name", t.quoted(), t.pos)
	}
	return t, i, nil
}

func syntaxError(expr string, pos int, format string, args ...any) error {
	return &SyntaxError{Expr: expr, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// parser is a recursive-descent parser over the whole token list; toks[i]
// is the next token and the final endKind token is never consumed.
type parser struct {
	expr string
	toks []token
	i    int
}

func (p *parser) or() (*Expr, error)  { return p.binary(orKind, p.and) }
func (p *parser) and() (*Expr, error) { return p.binary(andKind, p.operand) }

// binary parses operand {op operand} into a left-associative chain.
func (p *parser) binary(op kind, operand func() (*Expr, error)) (*Expr, error) {
	x, err := operand()
	if err != nil {
		return nil, err
	}
	for p.toks[p.i].kind == op {
		p.i++
		y, err := operand()
		if err != nil {
			return nil, err
		}
		x = &Expr{kind: op, x: x, y: y}
	}
	return x, nil
}

func (p *parser) operand() (*Expr, error) {
	t := p.toks[p.i]
	switch t.kind {
	case tagKind:
		p.i++
		return &Expr{kind: tagKind, tag: t.tag}, nil
	case notKind:
		p.i++
		x, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &Expr{kind: notKind, x: x}, nil
	case openKind:
		p.i++
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		switch end := p.toks[p.i]; end.kind {
		case closeKind:
			p.i++
			return x, nil
		case endKind:
			return nil, syntaxError(p.expr, t.pos, "unclosed '(' opened at position %d", t.pos)
		default:
			return nil, p.stray(end)
		}
	}
	return nil, p.missingOperand()
}

// missingOperand explains why the next token cannot start an operand. Only
// an operator, a '(' or the start of the expression can come before it.
func (p *parser) missingOperand() error {
	t := p.toks[p.i]
	if p.i > 0 {
		switch prev := p.toks[p.i-1]; prev.kind {
		case notKind, andKind, orKind:
			return syntaxError(p.expr, prev.pos, "%s at position %d needs an operand after it", prev.quoted(), prev.pos)
		case openKind:
			if t.kind == endKind {
				return syntaxError(p.expr, prev.pos, "unclosed '(' opened at position %d", prev.pos)
			}
		}
	}
	if t.kind == closeKind {
		return syntaxError(p.expr, t.pos, "unexpected ')' at position %d", t.pos)
	}
	return syntaxError(p.expr, t.pos, "%s at position %d needs an operand before it", t.quoted(), t.pos)
}

// stray explains a token that follows a complete operand where only an
// operator, a ')' or the end may come.
func (p *parser) stray(t token) error {
	if t.kind == closeKind {
		return syntaxError(p.expr, t.pos, "unexpected ')' at position %d", t.pos)
	}
	return syntaxError(p.expr, t.pos, "%s at position %d needs an operator before it", t.quoted(), t.pos)
}
