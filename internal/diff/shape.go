package diff

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// shape is what a body holds, path by path. Array indexes are [*], so that the items of an array share
// one node: the union of their keys, the set of their types.
//
//	[{"id":"0-0","leader":{"login":"root","$type":"User"},"$type":"Project"}]
//
// has the paths body (array), body[*] (object {id,leader,$type}, $type Project), body[*].id (string) and
// body[*].leader (object {login,$type}, $type User), body[*].leader.login (string). A body that is not
// JSON is one node, body, of type "text" or "empty".
type shape struct {
	paths []string // in the order first seen
	nodes map[string]*node
	// errorCode is the `error` member of an object body, when it is a string: "bad_request".
	errorCode string
	hasError  bool
}

// node is what a shape found at one path.
type node struct {
	types  set // "object", "array", "string", "number", "boolean", "null", "text", "empty"
	object bool
	keys   set // of the objects here, in the order first seen
	dtypes set // their `$type` values
	// values are, in order, the leaves' JSON ("First Project" quoted) and the arrays' lengths ("2 items").
	values []string
}

// set is a small ordered set of strings.
type set []string

func (s *set) add(v string) {
	if !slices.Contains(*s, v) {
		*s = append(*s, v)
	}
}

func (s set) same(o set) bool {
	if len(s) != len(o) {
		return false
	}
	for _, v := range s {
		if !slices.Contains(o, v) {
			return false
		}
	}
	return true
}

// parseBody is body's shape; the noise keys it meets are added to fired.
func parseBody(body string, fired *rules) *shape {
	s := &shape{nodes: map[string]*node{}}
	trimmed := strings.TrimSpace(body)
	switch {
	case trimmed == "":
		s.node("body").types.add("empty")
	case !gjson.Valid(trimmed):
		n := s.node("body")
		n.types.add("text")
		n.values = append(n.values, strconv.Quote(body))
	default:
		root := gjson.Parse(trimmed)
		s.walk("body", root, fired)
		if e := root.Get("error"); root.IsObject() && e.Type == gjson.String {
			s.errorCode, s.hasError = e.String(), true
		}
	}
	return s
}

func (s *shape) node(path string) *node {
	n := s.nodes[path]
	if n == nil {
		n = &node{}
		s.nodes[path] = n
		s.paths = append(s.paths, path)
	}
	return n
}

func (s *shape) walk(path string, v gjson.Result, fired *rules) {
	n := s.node(path)
	switch {
	case v.IsObject():
		n.types.add("object")
		n.object = true
		v.ForEach(func(k, child gjson.Result) bool {
			key := k.String()
			n.keys.add(key)
			if key == "$type" {
				// Compared as a kind of its own: its value names the entity, it is not data.
				n.dtypes.add(child.String())
			} else if r, ok := noiseKeys[key]; ok {
				fired.add(r)
			} else {
				s.walk(member(path, key), child, fired)
			}
			return true
		})
	case v.IsArray():
		n.types.add("array")
		items := v.Array()
		n.values = append(n.values, plural(len(items), "item"))
		for _, item := range items {
			s.walk(path+"[*]", item, fired)
		}
	default:
		n.types.add(typeName(v))
		n.values = append(n.values, leaf(v))
	}
}

// simpleKey is a key written after a dot; others are written ["like this"].
var simpleKey = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func member(path, key string) string {
	if simpleKey.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func typeName(v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		return "null"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.Number:
		return "number"
	default:
		return "string"
	}
}

// leaf renders a leaf value; strings quoted and unescaped the same way whatever escapes the server chose.
func leaf(v gjson.Result) string {
	if v.Type == gjson.String {
		return strconv.Quote(v.String())
	}
	return v.Raw
}

// differences are how y's shape differs from x's at the paths both have. A path only one side has is an
// item of an array empty on the other side (data, not structure: with values, the array's length says
// so), or under a key its object lacks (reported as that object's keys).
func (x *shape) differences(y *shape, values, errorBody bool) []finding {
	var out []finding
	for _, p := range x.paths {
		nx, ny := x.nodes[p], y.nodes[p]
		if ny == nil {
			continue
		}
		sameTypes := nx.types.same(ny.types)
		if !sameTypes {
			out = append(out, finding{KindType, p, strings.Join(nx.types, "|"), strings.Join(ny.types, "|")})
		}
		if nx.object && ny.object && !nx.keys.same(ny.keys) {
			out = append(out, finding{KindKeys, p, braced(nx.keys), braced(ny.keys)})
		}
		// Objects without $type on one side are a keys difference already.
		if len(nx.dtypes) > 0 && len(ny.dtypes) > 0 && !nx.dtypes.same(ny.dtypes) {
			out = append(out, finding{KindDollarType, p, strings.Join(nx.dtypes, "|"), strings.Join(ny.dtypes, "|")})
		}
		// A value of another type is a type difference already; an error code is compared as one.
		if values && sameTypes && !(errorBody && p == "body.error") && !slices.Equal(nx.values, ny.values) {
			out = append(out, finding{KindValue, p, listed(nx.values), listed(ny.values)})
		}
	}
	if errorBody && x.hasError && y.hasError && x.errorCode != y.errorCode {
		out = append(out, finding{KindErrorCode, "body.error", strconv.Quote(x.errorCode), strconv.Quote(y.errorCode)})
	}
	return out
}

func braced(keys set) string { return "{" + strings.Join(keys, ",") + "}" }

// listed renders the values at one path: the value when there is one, a list when the path is in an array.
func listed(values []string) string {
	if len(values) == 1 {
		return values[0]
	}
	return "[" + strings.Join(values, ", ") + "]"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
