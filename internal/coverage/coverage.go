// Package coverage measures how much of the contract, openapi.yaml, a run of the suite exercised.
//
// A Tracker is built from the contract and told about every exchange the suite's validator matched to one of
// the contract's operations. Its Report counts four things, each as seen out of declared:
//
//	operations  "GET /api/users/{id}"          seen when asked at least once
//	statuses    "GET /api/users/{id} 404"      seen when answered with that status ("default" counts as one)
//	parameters  "GET /api/users query"         seen when the query carried that key
//	properties  "Project.shortName"            seen when a JSON response body held it
//
// Properties belong to the named schema components (components.schemas) that response bodies can hold, each
// attributed to the component whose schema declares it: a project's leader is "Project.leader", and the login
// inside it "User.login". An inline object nested in a component adds a dotted path: "User.profiles.$type".
//
// The mock's own control API (paths under /__ytmock) is not YouTrack's and is left out of everything
// declared, as are the components only it uses, and the components only request bodies use: a response can
// never show their properties, so counting them would only make the coverage look worse than it is.
package coverage

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/ytconform/ytconform/report"
)

// mockControlPrefix is where the mock's control API lives; none of it is YouTrack's.
const mockControlPrefix = "/__ytmock"

// jsonMediaType is the only media type whose bodies are walked for properties.
const jsonMediaType = "application/json"

// Tracker counts what a run exercised of the contract it was built from. It is safe for concurrent use.
type Tracker struct {
	// operations is every operation of the contract by its name, "GET /api/users/{id}". Read-only after New.
	operations map[string]*operation
	// components names the schemas of components.schemas by their address: kin-openapi resolves a $ref to the
	// very *Schema that components.schemas holds, so meeting that pointer means entering the component.
	components map[*openapi3.Schema]string
	// declared holds, in sorted order, everything the Report counts. Read-only after New.
	declared struct {
		operations, statuses, parameters, properties []string
		// owners gives the component of each declared property: "User.profiles.$type" -> "User".
		owners map[string]string
	}

	mu   sync.Mutex
	seen hits
}

// operation is one method of one path, with what Observe needs to look up quickly.
type operation struct {
	name      string // "GET /api/users/{id}"
	responses *openapi3.Responses
	query     []string // the names of its query parameters, the path item's included
}

// hits is what exchanges showed, in the forms of the package comment.
type hits struct {
	operations, statuses, parameters, properties set
}

type set map[string]struct{}

func (s set) add(key string) { s[key] = struct{}{} }

func (s set) has(key string) bool {
	_, ok := s[key]
	return ok
}

func newHits() hits {
	return hits{operations: set{}, statuses: set{}, parameters: set{}, properties: set{}}
}

// New returns a Tracker that has seen nothing of doc, which it reads but never changes. doc must be loaded
// with its references resolved, as specval.Spec returns it.
func New(doc *openapi3.T) *Tracker {
	t := &Tracker{
		operations: map[string]*operation{},
		components: map[*openapi3.Schema]string{},
		seen:       newHits(),
	}
	for name, ref := range doc.Components.Schemas {
		// A component that is itself only a $ref to another is an alias, not where any property is declared.
		if ref != nil && ref.Ref == "" && ref.Value != nil {
			t.components[ref.Value] = name
		}
	}

	d := declarer{tracker: t, reached: set{}, properties: map[string]string{}}
	for path, item := range doc.Paths.Map() {
		if path == mockControlPrefix || strings.HasPrefix(path, mockControlPrefix+"/") {
			continue
		}
		for method, op := range item.Operations() {
			o := &operation{name: method + " " + path, responses: op.Responses}
			t.operations[o.name] = o
			t.declared.operations = append(t.declared.operations, o.name)
			for status, response := range op.Responses.Map() {
				t.declared.statuses = append(t.declared.statuses, o.name+" "+status)
				d.schema(jsonSchema(response), "", "")
			}
			o.query = queryParameters(item.Parameters, op.Parameters)
			for _, name := range o.query {
				t.declared.parameters = append(t.declared.parameters, o.name+" "+name)
			}
		}
	}
	for property := range d.properties {
		t.declared.properties = append(t.declared.properties, property)
	}
	t.declared.owners = d.properties
	slices.Sort(t.declared.operations)
	slices.Sort(t.declared.statuses)
	slices.Sort(t.declared.parameters)
	slices.Sort(t.declared.properties)
	return t
}

// queryParameters returns the sorted names of the query parameters an operation takes: its own and its path
// item's. Path parameters are left out, since every matched request uses them.
func queryParameters(lists ...openapi3.Parameters) []string {
	var names []string
	for _, list := range lists {
		for _, p := range list {
			if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInQuery && !slices.Contains(names, p.Value.Name) {
				names = append(names, p.Value.Name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// jsonSchema is the schema of a response's application/json body, or nil when it has none.
func jsonSchema(response *openapi3.ResponseRef) *openapi3.Schema {
	if response == nil || response.Value == nil {
		return nil
	}
	media := response.Value.Content[jsonMediaType]
	if media == nil {
		return nil
	}
	return schemaOf(media.Schema)
}

func schemaOf(ref *openapi3.SchemaRef) *openapi3.Schema {
	if ref == nil {
		return nil
	}
	return ref.Value
}

// declarer lists the properties of the components that response bodies can hold, starting from the response
// schemas and entering each component the first time a $ref reaches it.
type declarer struct {
	tracker    *Tracker
	reached    set               // components already listed
	properties map[string]string // "Project.leader" -> "Project"
}

// schema lists what s declares on behalf of owner (the component it is inside, "" for none) under prefix
// ("" at the component's top, "profiles." inside its profiles).
func (d *declarer) schema(s *openapi3.Schema, owner, prefix string) {
	if s == nil {
		return
	}
	if name, ok := d.tracker.components[s]; ok {
		if !d.reached.has(name) {
			d.reached.add(name)
			d.members(s, name, "")
		}
		return
	}
	d.members(s, owner, prefix)
}

// members lists the properties of s itself and of the schemas it is composed of.
func (d *declarer) members(s *openapi3.Schema, owner, prefix string) {
	for _, subs := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range subs {
			d.schema(schemaOf(sub), owner, prefix)
		}
	}
	for name, property := range s.Properties {
		if owner != "" {
			d.properties[owner+"."+prefix+name] = owner
		}
		d.schema(schemaOf(property), owner, prefix+name+".")
	}
	d.schema(schemaOf(s.Items), owner, prefix)
}

// Observe records one exchange: the operation, already matched to the contract's path template (method
// "GET", pathTemplate "/api/admin/projects/{id}"), the query as sent (url.Values holds its keys decoded:
// "%24top" is "$top"), and the answer's status and body. An exchange with no operation of the contract is
// ignored, as is a body that is not JSON. It is safe to call from many goroutines.
func (t *Tracker) Observe(method, pathTemplate string, query url.Values, status int, body []byte) {
	op := t.operations[strings.ToUpper(method)+" "+pathTemplate]
	if op == nil {
		return
	}

	// Everything is worked out before taking the lock: walking a large body must not hold up other exchanges.
	found := newHits()
	found.operations.add(op.name)
	for _, name := range op.query {
		if query.Has(name) {
			found.parameters.add(op.name + " " + name)
		}
	}
	if key, response := responseFor(op.responses, status); response != nil {
		found.statuses.add(op.name + " " + key)
		if s := jsonSchema(response); s != nil {
			var value any
			if json.Unmarshal(body, &value) == nil {
				w := walker{tracker: t, held: found.properties}
				w.schema(s, value, "", "")
			}
		}
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	for _, pair := range [][2]set{
		{t.seen.operations, found.operations},
		{t.seen.statuses, found.statuses},
		{t.seen.parameters, found.parameters},
		{t.seen.properties, found.properties},
	} {
		for key := range pair[1] {
			pair[0].add(key)
		}
	}
}

// responseFor finds the response that answers status the way OpenAPI picks it: the exact code ("404"), else
// its range ("4XX"), else "default". It returns the key it found it under, or nil for an undeclared status.
func responseFor(responses *openapi3.Responses, status int) (string, *openapi3.ResponseRef) {
	for _, key := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", "default"} {
		if response := responses.Value(key); response != nil {
			return key, response
		}
	}
	return "", nil
}

// walker walks a decoded JSON body alongside its schema, recording the properties it holds in held.
type walker struct {
	tracker *Tracker
	held    set
}

// schema walks value against s on behalf of owner under prefix, as declarer.schema lists them: the two must
// name a property alike, or it would be seen without being declared.
func (w walker) schema(s *openapi3.Schema, value any, owner, prefix string) {
	if s == nil {
		return
	}
	if name, ok := w.tracker.components[s]; ok {
		owner, prefix = name, ""
	}
	// allOf merges: the value holds every part at once, and each part claims the members it declares.
	for _, part := range s.AllOf {
		w.schema(schemaOf(part), value, owner, prefix)
	}
	// anyOf and oneOf: the value is one of the alternatives, and crediting them all would mark another
	// component's properties (an error body that is YouTrack's is not also the Hub's).
	w.schema(alternative(s.AnyOf, value), value, owner, prefix)
	w.schema(alternative(s.OneOf, value), value, owner, prefix)

	switch value := value.(type) {
	case map[string]any:
		for name, member := range value {
			property := schemaOf(s.Properties[name])
			if property == nil {
				continue
			}
			if owner != "" {
				w.held.add(owner + "." + prefix + name)
			}
			w.schema(property, member, owner, prefix+name+".")
		}
	case []any:
		for _, item := range value {
			w.schema(schemaOf(s.Items), item, owner, prefix)
		}
	}
}

// alternative picks the one of alternatives that value is: among those it validates against (all of them if
// it matches none), the one declaring the most of its members; the first on a tie. Open schemas make the
// second rule needed: a Hub error body also validates as a YouTrack error, but HubError declares more of it.
func alternative(alternatives openapi3.SchemaRefs, value any) *openapi3.Schema {
	var candidates []*openapi3.Schema
	for _, a := range alternatives {
		if s := schemaOf(a); s != nil && s.VisitJSON(value) == nil {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) == 0 {
		for _, a := range alternatives {
			if s := schemaOf(a); s != nil {
				candidates = append(candidates, s)
			}
		}
	}
	var best *openapi3.Schema
	bestCount := -1
	for _, s := range candidates {
		if count := declaredMembers(s, value); count > bestCount {
			best, bestCount = s, count
		}
	}
	return best
}

// declaredMembers counts the members of value (when it is an object) that s declares, through allOf too.
func declaredMembers(s *openapi3.Schema, value any) int {
	object, _ := value.(map[string]any)
	count := 0
	for name := range object {
		if declares(s, name) {
			count++
		}
	}
	return count
}

func declares(s *openapi3.Schema, name string) bool {
	if s == nil {
		return false
	}
	if _, ok := s.Properties[name]; ok {
		return true
	}
	return slices.ContainsFunc(s.AllOf, func(part *openapi3.SchemaRef) bool { return declares(schemaOf(part), name) })
}

// Report returns the tally so far. Its lists are sorted and never nil; PerEntity has every component that
// declares a property, by name.
func (t *Tracker) Report() *report.Coverage {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := &report.Coverage{PerEntity: map[string]report.Tally{}}
	c.Operations, c.Never.Operations = tally(t.declared.operations, t.seen.operations)
	c.Statuses, c.Never.Statuses = tally(t.declared.statuses, t.seen.statuses)
	c.Parameters, c.Never.Parameters = tally(t.declared.parameters, t.seen.parameters)
	c.Properties, c.Never.Properties = tally(t.declared.properties, t.seen.properties)
	for _, property := range t.declared.properties {
		owner := t.declared.owners[property]
		entity := c.PerEntity[owner]
		entity.Declared++
		if t.seen.properties.has(property) {
			entity.Seen++
		}
		c.PerEntity[owner] = entity
	}
	return c
}

// tally counts the declared that were seen, and lists the others in declared's (sorted) order.
func tally(declared []string, seen set) (report.Tally, []string) {
	never := []string{}
	for _, key := range declared {
		if !seen.has(key) {
			never = append(never, key)
		}
	}
	return report.Tally{Seen: len(declared) - len(never), Declared: len(declared)}, never
}

// Line is the one-line summary the CLI prints:
//
//	coverage: 21/24 operations, 61/118 statuses, 9/12 parameters, 83/140 properties
//
// and "coverage: not measured" for a nil Coverage.
func Line(c *report.Coverage) string {
	if c == nil {
		return "coverage: not measured"
	}
	return fmt.Sprintf("coverage: %d/%d operations, %d/%d statuses, %d/%d parameters, %d/%d properties",
		c.Operations.Seen, c.Operations.Declared,
		c.Statuses.Seen, c.Statuses.Declared,
		c.Parameters.Seen, c.Parameters.Declared,
		c.Properties.Seen, c.Properties.Declared)
}

// WriteJSON writes c as indented JSON (two spaces, a final newline), the shape of report.Coverage's tags.
func WriteJSON(w io.Writer, c *report.Coverage) error {
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(c)
}
