package coverage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/internal/specval"
	"github.com/ytconform/ytconform/report"
)

// exchange is one Observe call.
type exchange struct {
	method, path string
	query        string // raw, as sent
	status       int
	body         string
}

func (e exchange) observe(t testing.TB, tracker *Tracker) {
	t.Helper()
	query, err := url.ParseQuery(e.query)
	require.NoError(t, err)
	tracker.Observe(e.method, e.path, query, e.status, []byte(e.body))
}

// seenLists is what a report counts as seen, as lists in the forms of Coverage.Never.
type seenLists struct {
	operations, statuses, parameters, properties []string
}

// seen recovers the seen lists of c: what a tracker that saw nothing never saw, less what c never saw.
func seen(t testing.TB, c *report.Coverage) seenLists {
	t.Helper()
	all := newTracker(t).Report()
	minus := func(declared, never []string) []string {
		out := []string{}
		for _, key := range declared {
			if !slices.Contains(never, key) {
				out = append(out, key)
			}
		}
		return out
	}
	return seenLists{
		operations: minus(all.Never.Operations, c.Never.Operations),
		statuses:   minus(all.Never.Statuses, c.Never.Statuses),
		parameters: minus(all.Never.Parameters, c.Never.Parameters),
		properties: minus(all.Never.Properties, c.Never.Properties),
	}
}

func contract(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := specval.Spec()
	require.NoError(t, err)
	return doc
}

func newTracker(t testing.TB) *Tracker {
	t.Helper()
	return New(contract(t))
}

// declaredCounts works out what the contract declares without this package's code: operations, statuses and
// query parameters from doc.Paths, and properties from the document as JSON, following "$ref" strings from
// the JSON response schemas to the components they name.
func declaredCounts(t *testing.T, doc *openapi3.T) (operations, statuses, parameters, properties int) {
	for path, item := range doc.Paths.Map() {
		if strings.HasPrefix(path, "/__ytmock/") {
			continue
		}
		for _, op := range item.Operations() {
			operations++
			statuses += op.Responses.Len()
			names := map[string]bool{}
			for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
				if p.Value.In == "query" {
					names[p.Value.Name] = true
				}
			}
			parameters += len(names)
		}
	}

	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	var tree map[string]any
	require.NoError(t, json.Unmarshal(raw, &tree))
	object := func(v any, keys ...string) map[string]any {
		for _, key := range keys {
			v = v.(map[string]any)[key]
		}
		m, _ := v.(map[string]any)
		return m
	}
	components := object(tree, "components", "schemas")
	responses := object(tree, "components", "responses")

	// refs collects the component names a schema refers to, and count the properties it declares itself.
	var refs func(v any, into map[string]bool)
	refs = func(v any, into map[string]bool) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				into[strings.TrimPrefix(ref, "#/components/schemas/")] = true
			}
			for key, member := range v {
				if key != "example" && key != "enum" && key != "default" {
					refs(member, into)
				}
			}
		case []any:
			for _, member := range v {
				refs(member, into)
			}
		}
	}
	var count func(schema map[string]any) int
	count = func(schema map[string]any) int {
		n := 0
		if props, ok := schema["properties"].(map[string]any); ok {
			n += len(props)
			for _, p := range props {
				n += count(p.(map[string]any))
			}
		}
		if items, ok := schema["items"].(map[string]any); ok {
			n += count(items)
		}
		for _, key := range []string{"allOf", "anyOf", "oneOf"} {
			subs, _ := schema[key].([]any)
			for _, sub := range subs {
				n += count(sub.(map[string]any))
			}
		}
		return n
	}

	reached := map[string]bool{}
	for path, item := range object(tree, "paths") {
		if strings.HasPrefix(path, "/__ytmock/") {
			continue
		}
		for _, op := range item.(map[string]any) {
			if o, isMap := op.(map[string]any); !isMap || o["responses"] == nil {
				continue // the path item's parameters, summary, ...
			}
			for _, response := range object(op, "responses") {
				r := response.(map[string]any)
				if ref, ok := r["$ref"].(string); ok {
					r = responses[strings.TrimPrefix(ref, "#/components/responses/")].(map[string]any)
				}
				if media := object(r, "content")["application/json"]; media != nil {
					refs(media, reached)
				}
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for name := range reached {
			more := map[string]bool{}
			refs(components[name], more)
			for m := range more {
				if !reached[m] {
					reached[m], grew = true, true
				}
			}
		}
	}
	for name := range reached {
		properties += count(object(components, name))
	}
	return operations, statuses, parameters, properties
}

func TestNothingObservedDeclaresTheWholeContract(t *testing.T) {
	doc := contract(t)
	c := New(doc).Report()
	operations, statuses, parameters, properties := declaredCounts(t, doc)
	t.Logf("declared: %d operations, %d statuses, %d parameters, %d properties", operations, statuses, parameters, properties)

	require.Equal(t, report.Tally{Seen: 0, Declared: operations}, c.Operations)
	require.Equal(t, report.Tally{Seen: 0, Declared: statuses}, c.Statuses)
	require.Equal(t, report.Tally{Seen: 0, Declared: parameters}, c.Parameters)
	require.Equal(t, report.Tally{Seen: 0, Declared: properties}, c.Properties)
	require.Len(t, c.Never.Operations, operations)
	require.Len(t, c.Never.Properties, properties)
	require.True(t, slices.IsSorted(c.Never.Operations) && slices.IsSorted(c.Never.Statuses) &&
		slices.IsSorted(c.Never.Parameters) && slices.IsSorted(c.Never.Properties), "the Never lists are sorted")

	perEntity := 0
	for name, entity := range c.PerEntity {
		require.Zero(t, entity.Seen, name)
		perEntity += entity.Declared
	}
	require.Equal(t, properties, perEntity, "PerEntity shares out every property")

	for _, list := range [][]string{c.Never.Operations, c.Never.Statuses, c.Never.Parameters} {
		for _, key := range list {
			require.NotContains(t, key, "/__ytmock", "the mock's control API is not YouTrack's")
		}
	}
	require.NotContains(t, c.PerEntity, "JournalEntry", "only the mock's control API answers journal entries")
	require.NotContains(t, c.PerEntity, "ProjectCreate", "no response holds a request body's schema")
	for _, want := range []string{
		"GET /api/admin/projects $top", "GET /api/admin/projects fields", "GET /api/users query",
	} {
		require.Contains(t, c.Never.Parameters, want)
	}
	for _, want := range []string{"Project.team", "User.profiles.$type", "YouTrackError.error", "HubError.error_code", "LegacyError.value"} {
		require.Contains(t, c.Never.Properties, want)
	}
	require.Contains(t, c.Never.Statuses, "GET /api/users/{id} 404")
}

func TestObserve(t *testing.T) {
	projectListing := exchange{
		method: "GET", path: "/api/admin/projects", query: "fields=shortName,leader(login)&$top=1", status: 200,
		body: `[{"shortName":"FP","leader":{"login":"root","$type":"User"},"$type":"Project"}]`,
	}
	tests := []struct {
		name      string
		exchanges []exchange
		want      seenLists
	}{
		{
			name: "nothing observed, nothing seen",
			want: seenLists{operations: []string{}, statuses: []string{}, parameters: []string{}, properties: []string{}},
		},
		{
			name:      "a project listing marks its operation, its status, its parameters and the properties in its body",
			exchanges: []exchange{projectListing},
			want: seenLists{
				operations: []string{"GET /api/admin/projects"},
				statuses:   []string{"GET /api/admin/projects 200"},
				parameters: []string{"GET /api/admin/projects $top", "GET /api/admin/projects fields"},
				properties: []string{"Project.$type", "Project.leader", "Project.shortName", "User.$type", "User.login"},
			},
		},
		{
			name:      "the same exchange twice counts once",
			exchanges: []exchange{projectListing, projectListing},
			want: seenLists{
				operations: []string{"GET /api/admin/projects"},
				statuses:   []string{"GET /api/admin/projects 200"},
				parameters: []string{"GET /api/admin/projects $top", "GET /api/admin/projects fields"},
				properties: []string{"Project.$type", "Project.leader", "Project.shortName", "User.$type", "User.login"},
			},
		},
		{
			name: "a 404 with a YouTrack error body marks the error's members",
			exchanges: []exchange{{method: "GET", path: "/api/users/{id}", status: 404,
				body: `{"error":"Not Found","error_description":"Entity with id NOPE not found"}`}},
			want: seenLists{
				operations: []string{"GET /api/users/{id}"},
				statuses:   []string{"GET /api/users/{id} 404"},
				parameters: []string{},
				properties: []string{"YouTrackError.error", "YouTrackError.error_description"},
			},
		},
		{
			name: "a rate-limited Hub answer is a Hub error, not a YouTrack one",
			exchanges: []exchange{{method: "GET", path: "/hub/api/rest/services", status: 429,
				body: `{"error":"too_many_requests","error_code":429,"error_description":"Slow down"}`}},
			want: seenLists{
				operations: []string{"GET /hub/api/rest/services"},
				statuses:   []string{"GET /hub/api/rest/services 429"},
				parameters: []string{},
				properties: []string{"HubError.error", "HubError.error_code", "HubError.error_description"},
			},
		},
		{
			name: "a permanent token's user and scope count as HubUser and Service properties",
			exchanges: []exchange{{method: "GET", path: "/hub/api/rest/users/{userId}/permanenttokens", status: 200,
				body: `{"skip":0,"top":1,"total":1,"permanenttokens":[{"id":"t1","user":{"login":"root"},"scope":[{"name":"YouTrack"}]}]}`}},
			want: seenLists{
				operations: []string{"GET /hub/api/rest/users/{userId}/permanenttokens"},
				statuses:   []string{"GET /hub/api/rest/users/{userId}/permanenttokens 200"},
				parameters: []string{},
				properties: []string{
					"HubUser.login", "PermanentToken.id", "PermanentToken.scope", "PermanentToken.user",
					"PermanentTokenList.permanenttokens", "PermanentTokenList.skip", "PermanentTokenList.top",
					"PermanentTokenList.total", "Service.name",
				},
			},
		},
		{
			name: "an inline object inside a component counts under that component",
			exchanges: []exchange{{method: "GET", path: "/api/users/me", status: 200,
				body: `{"profiles":{"$type":"UserProfiles"},"$type":"Me"}`}},
			want: seenLists{
				operations: []string{"GET /api/users/me"},
				statuses:   []string{"GET /api/users/me 200"},
				parameters: []string{},
				properties: []string{"Me.$type", "Me.profiles", "Me.profiles.$type"},
			},
		},
		{
			name: "a null held for a nullable property still counts as held",
			exchanges: []exchange{{method: "GET", path: "/api/admin/projects/{id}", query: "fields=leader", status: 200,
				body: `{"leader":null,"$type":"Project"}`}},
			want: seenLists{
				operations: []string{"GET /api/admin/projects/{id}"},
				statuses:   []string{"GET /api/admin/projects/{id} 200"},
				parameters: []string{"GET /api/admin/projects/{id} fields"},
				properties: []string{"Project.$type", "Project.leader"},
			},
		},
		{
			name:      "a percent-encoded parameter name counts as the name it encodes",
			exchanges: []exchange{{method: "GET", path: "/api/users", query: "%24skip=2&query=", status: 200, body: `[]`}},
			want: seenLists{
				operations: []string{"GET /api/users"},
				statuses:   []string{"GET /api/users 200"},
				parameters: []string{"GET /api/users $skip", "GET /api/users query"},
				properties: []string{},
			},
		},
		{
			name: "a body that is not JSON adds no properties",
			exchanges: []exchange{
				{method: "GET", path: "/rest/user/current", status: 200, body: `<user login="root" fullName="Root"/>`},
				{method: "GET", path: "/api/config", status: 200, body: `{"version":`},
			},
			want: seenLists{
				operations: []string{"GET /api/config", "GET /rest/user/current"},
				statuses:   []string{"GET /api/config 200", "GET /rest/user/current 200"},
				parameters: []string{},
				properties: []string{},
			},
		},
		{
			name: "a status the operation does not declare marks the operation only",
			exchanges: []exchange{{method: "GET", path: "/api/users", status: 418,
				body: `{"error":"teapot","error_description":""}`}},
			want: seenLists{
				operations: []string{"GET /api/users"},
				statuses:   []string{},
				parameters: []string{},
				properties: []string{},
			},
		},
		{
			name: "a status without a body schema marks the status but no properties",
			exchanges: []exchange{{method: "DELETE", path: "/api/admin/projects/{id}", status: 200,
				body: `{"$type":"Project"}`}},
			want: seenLists{
				operations: []string{"DELETE /api/admin/projects/{id}"},
				statuses:   []string{"DELETE /api/admin/projects/{id} 200"},
				parameters: []string{},
				properties: []string{},
			},
		},
		{
			name:      "the method's case does not matter",
			exchanges: []exchange{{method: "options", path: "/api/users/me", status: 200}},
			want: seenLists{
				operations: []string{"OPTIONS /api/users/me"},
				statuses:   []string{"OPTIONS /api/users/me 200"},
				parameters: []string{},
				properties: []string{},
			},
		},
		{
			name: "the mock's control API and paths outside the contract are ignored",
			exchanges: []exchange{
				{method: "GET", path: "/__ytmock/requests", status: 404, body: `{"error":"Not Found","error_description":""}`},
				{method: "GET", path: "/api/issues", status: 200, body: `[]`},
				{method: "PUT", path: "/api/users", status: 405, body: `{"error":"Method Not Allowed","error_description":""}`},
			},
			want: seenLists{operations: []string{}, statuses: []string{}, parameters: []string{}, properties: []string{}},
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			tracker := newTracker(t)
			for _, e := range test.exchanges {
				e.observe(t, tracker)
			}
			c := tracker.Report()
			require.Equal(t, test.want, seen(t, c))
			require.Equal(t, len(test.want.operations), c.Operations.Seen)
			require.Equal(t, len(test.want.statuses), c.Statuses.Seen)
			require.Equal(t, len(test.want.parameters), c.Parameters.Seen)
			require.Equal(t, len(test.want.properties), c.Properties.Seen)

			perEntity := map[string]int{}
			for _, property := range test.want.properties {
				perEntity[strings.SplitN(property, ".", 2)[0]]++
			}
			for name, entity := range c.PerEntity {
				require.Equal(t, perEntity[name], entity.Seen, name)
			}
		})
	}
}

func TestConcurrentObservationsAddUpToSequentialOnes(t *testing.T) {
	exchanges := []exchange{
		{method: "GET", path: "/api/admin/projects", query: "fields=shortName,leader(login)&$top=1", status: 200,
			body: `[{"shortName":"FP","leader":{"login":"root","$type":"User"},"$type":"Project"}]`},
		{method: "GET", path: "/api/users/{id}", status: 404, body: `{"error":"Not Found","error_description":""}`},
		{method: "GET", path: "/hub/api/rest/services", query: "$top=1", status: 429,
			body: `{"error":"too_many_requests","error_code":429,"error_description":"Slow down"}`},
		{method: "GET", path: "/api/config", query: "fields=version,ring(url)", status: 200,
			body: `{"version":"2026.2","ring":{"url":"/hub","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`},
		{method: "GET", path: "/rest/user/current", status: 200, body: `<user login="root"/>`},
	}
	sequential := newTracker(t)
	for _, e := range exchanges {
		e.observe(t, sequential)
	}

	concurrent := newTracker(t)
	var wg sync.WaitGroup
	for i := range 64 {
		e := exchanges[i%len(exchanges)]
		wg.Go(func() {
			e.observe(t, concurrent)
			_ = concurrent.Report() // reading while others write
		})
	}
	wg.Wait()
	require.Equal(t, sequential.Report(), concurrent.Report())
}

func TestLine(t *testing.T) {
	tests := []struct {
		name string
		c    *report.Coverage
		want string
	}{
		{
			name: "counts each kind as seen out of declared",
			c: &report.Coverage{
				Operations: report.Tally{Seen: 21, Declared: 24},
				Statuses:   report.Tally{Seen: 61, Declared: 118},
				Parameters: report.Tally{Seen: 9, Declared: 12},
				Properties: report.Tally{Seen: 83, Declared: 140},
			},
			want: "coverage: 21/24 operations, 61/118 statuses, 9/12 parameters, 83/140 properties",
		},
		{
			name: "a fresh tracker's report reads zero of everything",
			c:    &report.Coverage{Operations: report.Tally{Declared: 3}},
			want: "coverage: 0/3 operations, 0/0 statuses, 0/0 parameters, 0/0 properties",
		},
		{
			name: "no coverage says it was not measured",
			want: "coverage: not measured",
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			require.Equal(t, test.want, Line(test.c))
		})
	}
}

func TestWriteJSONIsIndentedAndReadsBack(t *testing.T) {
	tracker := newTracker(t)
	exchange{method: "GET", path: "/api/users/me", status: 200, body: `{"login":"root","$type":"Me"}`}.observe(t, tracker)
	c := tracker.Report()

	var out bytes.Buffer
	require.NoError(t, WriteJSON(&out, c))
	require.True(t, strings.HasPrefix(out.String(), "{\n  \"operations\": {\n    \"seen\": 1,"), out.String()[:60])
	require.True(t, strings.HasSuffix(out.String(), "}\n"))

	var back report.Coverage
	require.NoError(t, json.Unmarshal(out.Bytes(), &back))
	require.Equal(t, *c, back)
}

// FuzzObserve feeds arbitrary statuses and bodies to the operations whose bodies nest the most: whatever
// arrives, Observe must not panic and nothing may be seen that is not declared.
func FuzzObserve(f *testing.F) {
	f.Add(200, []byte(`[{"shortName":"FP","leader":{"login":"root","$type":"User"},"team":{"users":[]},"$type":"Project"}]`))
	f.Add(429, []byte(`{"error":"x","error_code":429,"error_description":"y","value":"z"}`))
	f.Add(200, []byte(`{"permanenttokens":[{"user":null,"scope":[1,"a",{}]}],"skip":"no"}`))
	f.Add(404, []byte(`null`))
	f.Add(500, []byte(`<html>`))
	tracker := newTracker(f)
	paths := []string{"/api/admin/projects", "/hub/api/rest/users/{userId}/permanenttokens", "/api/config", "/rest/project/all"}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		for _, path := range paths {
			tracker.Observe("GET", path, url.Values{"fields": {string(body)}}, status, body)
		}
		c := tracker.Report()
		for _, tally := range []report.Tally{c.Operations, c.Statuses, c.Parameters, c.Properties} {
			require.LessOrEqual(t, tally.Seen, tally.Declared, fmt.Sprint(tally))
		}
	})
}
