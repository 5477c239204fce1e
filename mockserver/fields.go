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

// entityKind says how to write one kind of entity under a `fields` projection.
type entityKind[T any] struct {
	// typeKey and typeName tag every object of the kind: YouTrack writes "$type" (the entity's name), the
	// Hub writes "type" (its own lower-case names). "" for an untagged kind.
	typeKey, typeName string
	props             map[string]func(b []byte, v T, sub []field) []byte
	// defaults are written when the client asks for no field of the object: none for YouTrack's kinds
	// (a nested `leader` alone gives {"$type":"User"}), the documented defaults for the Hub's.
	defaults []field
}

// appendObject writes v with the requested fields that the kind knows, in the order asked, always
// present (null or [] when unset), and silently drops the names it does not know, as YouTrack does. The
// type tag comes last. `id` is written only when asked for: a real server does the same, so a client that
// forgets to ask for it fails against the mock as it would in production.
func (k *entityKind[T]) appendObject(b []byte, v T, fields []field) []byte {
	var buf [16]property[T]
	return k.appendResolved(b, v, k.resolve(buf[:0], fields))
}

// appendArray writes vs as appendObject writes each, with the fields looked up once for all of them:
// per object, a page of 42 projects made some 200 map lookups.
func (k *entityKind[T]) appendArray(b []byte, vs []T, fields []field) []byte {
	var buf [16]property[T]
	props := k.resolve(buf[:0], fields)
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = k.appendResolved(b, v, props)
	}
	return append(b, ']')
}

// property is a requested field the kind knows, with its writer.
type property[T any] struct {
	name  string
	write func([]byte, T, []field) []byte
	sub   []field
}

// resolve looks up the writers of fields (the defaults when there are none), appending them to dst in
// the order asked.
func (k *entityKind[T]) resolve(dst []property[T], fields []field) []property[T] {
	if len(fields) == 0 {
		fields = k.defaults
	}
	for _, f := range fields {
		if write, ok := k.props[f.name]; ok {
			dst = append(dst, property[T]{name: f.name, write: write, sub: f.sub})
		}
	}
	return dst
}

func (k *entityKind[T]) appendResolved(b []byte, v T, props []property[T]) []byte {
	b = append(b, '{')
	for i, p := range props {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(append(b, '"'), p.name...), '"', ':') // a known name: a key of props, nothing to escape
		b = p.write(b, v, p.sub)
	}
	if k.typeName != "" {
		if len(props) > 0 {
			b = append(b, ',')
		}
		b = append(append(append(b, '"'), k.typeKey...), '"', ':')
		b = appendJSONString(b, k.typeName)
	}
	return append(b, '}')
}
