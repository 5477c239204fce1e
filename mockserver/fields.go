package mockserver

import (
	"fmt"
	"strconv"
	"sync"
)

// field is one name of a `fields` request parameter. sub is nil without parentheses, and empty but
// not nil for "name()".
type field struct {
	name string
	sub  []field
}

// fieldLimits bounds what a client may ask for, so that a hostile `fields` costs little to refuse.
type fieldLimits struct {
	maxLength int // bytes
	maxDepth  int // nesting of parentheses
}

// parseFields reads YouTrack's `fields` syntax: comma-separated names, nesting in parentheses
// (`leader(login,fullName)`). Names are letters, digits, _ and $; blanks around them are ignored, and
// so are empty items. Repeated names keep their first occurrence.
func parseFields(s string, lim fieldLimits) ([]field, error) {
	if len(s) > lim.maxLength {
		return nil, fmt.Errorf("fields is %d characters long; the limit is %d", len(s), lim.maxLength)
	}
	p := fieldParser{s: s, maxDepth: lim.maxDepth}
	list, err := p.list(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(s) { // only a stray ')' stops the top-level list early
		return nil, fmt.Errorf("fields has an unmatched ')' at position %d", p.pos+1)
	}
	return list, nil
}

type fieldParser struct {
	s        string
	pos      int
	maxDepth int
}

func (p *fieldParser) list(depth int) ([]field, error) {
	out := []field{}
	for {
		p.skipBlanks()
		start := p.pos
		for p.pos < len(p.s) && isFieldNameByte(p.s[p.pos]) {
			p.pos++
		}
		f := field{name: p.s[start:p.pos]}
		p.skipBlanks()
		if p.pos < len(p.s) && p.s[p.pos] == '(' {
			if f.name == "" {
				return nil, fmt.Errorf("fields has '(' without a name at position %d", p.pos+1)
			}
			if depth+1 > p.maxDepth {
				return nil, fmt.Errorf("fields is nested deeper than %d levels", p.maxDepth)
			}
			p.pos++
			sub, err := p.list(depth + 1)
			if err != nil {
				return nil, err
			}
			if p.pos >= len(p.s) || p.s[p.pos] != ')' {
				return nil, fmt.Errorf("fields has an unclosed '(' after %q", f.name)
			}
			p.pos++
			f.sub = sub
			p.skipBlanks()
		}
		if f.name != "" && !containsField(out, f.name) {
			out = append(out, f)
		}
		if p.pos >= len(p.s) || p.s[p.pos] == ')' {
			return out, nil
		}
		if p.s[p.pos] != ',' {
			return nil, fmt.Errorf("fields has an unexpected character %s at position %d", strconv.QuoteRune(rune(p.s[p.pos])), p.pos+1)
		}
		p.pos++
	}
}

func (p *fieldParser) skipBlanks() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func isFieldNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$'
}

func containsField(fs []field, name string) bool {
	for _, f := range fs {
		if f.name == name {
			return true
		}
	}
	return false
}

// fieldsCache remembers parsed `fields` values: clients send the same few over and over. It stops
// growing at a fixed size so that a client sending endless variants cannot fill memory.
type fieldsCache struct {
	mu      sync.RWMutex
	entries map[string][]field
}

const fieldsCacheSize = 512

func (c *fieldsCache) parse(s string, lim fieldLimits) ([]field, error) {
	c.mu.RLock()
	fs, ok := c.entries[s]
	c.mu.RUnlock()
	if ok {
		return fs, nil
	}
	fs, err := parseFields(s, lim)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string][]field{}
	}
	if len(c.entries) < fieldsCacheSize {
		c.entries[s] = fs
	}
	c.mu.Unlock()
	return fs, nil
}

// entityKind says how to write one kind of entity under a `fields` projection. typeName is its
// `$type`, written on every object of the kind; the Hub's entities have none.
type entityKind[T any] struct {
	typeName string
	props    map[string]func(b []byte, v T, sub []field) []byte
	defaults []field // what is written when the client asks for no fields
}

// appendObject writes v with the requested fields that the kind knows, in the order asked, and
// silently drops the names it does not know, as YouTrack does. An entity with an id always carries it,
// first, whatever was asked: the contract requires id on every entity, and $type on YouTrack's.
func (k *entityKind[T]) appendObject(b []byte, v T, fields []field) []byte {
	var buf [16]property[T]
	writeID, props := k.resolve(buf[:0], fields)
	return k.appendResolved(b, v, writeID, props)
}

// appendArray writes vs as appendObject writes each, with the fields looked up once for all of them:
// per object, a page of 42 projects made some 200 map lookups.
func (k *entityKind[T]) appendArray(b []byte, vs []T, fields []field) []byte {
	var buf [16]property[T]
	writeID, props := k.resolve(buf[:0], fields)
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = k.appendResolved(b, v, writeID, props)
	}
	return append(b, ']')
}

// property is a requested field the kind knows, with its writer.
type property[T any] struct {
	name  string
	write func([]byte, T, []field) []byte
	sub   []field
}

// resolve looks up the writers of fields (the defaults when there are none), appending them to dst:
// the id's writer, nil when the kind has no id, and the other known fields in the order asked.
func (k *entityKind[T]) resolve(dst []property[T], fields []field) (writeID func([]byte, T, []field) []byte, props []property[T]) {
	if len(fields) == 0 {
		fields = k.defaults
	}
	writeID = k.props["id"]
	for _, f := range fields {
		write, ok := k.props[f.name]
		if !ok || (writeID != nil && f.name == "id") {
			continue
		}
		dst = append(dst, property[T]{name: f.name, write: write, sub: f.sub})
	}
	return writeID, dst
}

func (k *entityKind[T]) appendResolved(b []byte, v T, writeID func([]byte, T, []field) []byte, props []property[T]) []byte {
	b = append(b, '{')
	first := true
	if writeID != nil {
		b = append(b, `"id":`...)
		b = writeID(b, v, nil)
		first = false
	}
	for _, p := range props {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(append(append(b, '"'), p.name...), '"', ':') // a known name: a key of props, nothing to escape
		b = p.write(b, v, p.sub)
	}
	if k.typeName != "" {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"$type":`...)
		b = appendJSONString(b, k.typeName)
	}
	return append(b, '}')
}
