package steps_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// TestSuiteCatchesViolations proves the suite can fail: it breaks the mock in one way at a time, runs every
// feature against it, and requires the scenario named for that violation to fail. The unbroken mock
// passes every scenario, none skipped.
func TestSuiteCatchesViolations(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	known := target.FromFixtures(f, "http://unused")
	admin, restricted, banned := known.Admin.Token, known.Restricted.Token, known.Banned.Token

	t.Run("the unbroken mock passes every scenario", func(t *testing.T) {
		results := runFeatures(t, nil, nil)
		require.GreaterOrEqual(t, len(results), 40)
		for _, r := range results {
			require.Equal(t, steps.Passed, r.Outcome, "%s: %s: %s", r.Feature, r.Scenario, r.Reason)
		}
	})

	violations := []struct {
		name     string
		break_   func(http.Handler) http.Handler
		caughtBy string
		fixtures func(*mockserver.Fixtures) // changes the mock's data behind the target's back
	}{
		{"anonymous requests are treated as the admin", changeRequests(func(r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				r.Header.Set("Authorization", "Bearer "+admin)
			}
		}), "without a token a client is the guest, when guest access is allowed", nil},

		{"any token is accepted", changeRequests(func(r *http.Request) {
			if r.Header.Get("Authorization") != "" {
				r.Header.Set("Authorization", "Bearer "+admin)
			}
		}), "an unknown token gets 401 with a YouTrack error", nil},

		{"revocation is ignored", ignoreRevocation, "create a token, use it, see it listed without its secret, revoke it, and it is refused within the grace", nil},

		{"$type is dropped", changeAnswers(func(_ *http.Request, a *answer) {
			a.editJSON(dropType)
		}), "without fields, each project carries only its id and $type", nil},

		{"the content type is wrong", changeAnswers(func(r *http.Request, a *answer) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				a.header.Set("Content-Type", "text/plain;charset=utf-8")
			}
		}), "the answer to a project listing carries the documented headers", nil},

		{"a restricted user sees everything", changeRequests(func(r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer "+restricted && r.URL.Path == "/api/admin/projects" {
				r.Header.Set("Authorization", "Bearer "+admin)
			}
		}), "a restricted user sees exactly the projects they may read", nil},

		{"$top is ignored", changeQuery(func(q map[string][]string) { delete(q, "$top") }),
			"$top limits the number of projects", nil},

		{"fields is ignored", changeQuery(func(q map[string][]string) { delete(q, "fields") }),
			"the documented sample: fields=id,name,shortName", nil},

		{"401 is sent as 403", changeAnswers(func(_ *http.Request, a *answer) {
			if a.status == http.StatusUnauthorized {
				a.status = http.StatusForbidden
			}
		}), "an unknown token gets 401 with a YouTrack error", nil},

		{"errors come as HTML", changeAnswers(func(_ *http.Request, a *answer) {
			if a.status >= 400 {
				a.header.Set("Content-Type", "text/html;charset=utf-8")
				a.body = []byte("<html><body><h1>Error</h1></body></html>")
			}
		}), "a non-integer $top is a 400 YouTrack error", nil},

		{"nosniff is missing", changeAnswers(func(_ *http.Request, a *answer) {
			a.header.Del("X-Content-Type-Options")
		}), "the answer to a project listing carries the documented headers", nil},

		{"legacy project urls are wrong", changeAnswers(func(_ *http.Request, a *answer) {
			a.body = bytes.ReplaceAll(a.body, []byte("/rest/admin/project/"), []byte("/rest/admin/projects/"))
		}), "XML is the default", nil},

		{"a banned user's token is accepted", changeRequests(func(r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer "+banned {
				r.Header.Set("Authorization", "Bearer "+admin)
			}
		}), "the banned user's token gets 401 with a YouTrack error", nil},

		{"gzip is never used", changeRequests(func(r *http.Request) { r.Header.Del("Accept-Encoding") }),
			"a client that accepts gzip gets a gzip body with the same JSON", nil},

		{"the default page is not capped at 42", changeQuery(func(q map[string][]string) {
			if q["$top"] == nil {
				q["$top"] = []string{"-1"}
			}
		}), "at most 42 projects come back when $top is absent, all of them with $top=-1", nil},

		{"a revoked token is told apart from an unknown one", changeAnswers(func(r *http.Request, a *answer) {
			if a.status == http.StatusUnauthorized && r.Header.Get("Authorization") == "Bearer "+known.RevokedToken {
				a.editJSON(func(v any) any {
					v.(map[string]any)["error_description"] = "token revoked"
					return v
				})
			}
		}), "an unknown token and a revoked one get identical answers", nil},

		{"projects are not sorted by name", changeAnswers(func(r *http.Request, a *answer) {
			if r.URL.Path == "/api/admin/projects" {
				a.editJSON(func(v any) any {
					if list, ok := v.([]any); ok {
						slices.Reverse(list)
					}
					return v
				})
			}
		}), "projects are sorted by name", nil},

		{"a hidden project is told apart from a missing one", changeAnswers(func(r *http.Request, a *answer) {
			if a.status == http.StatusNotFound && strings.HasSuffix(r.URL.Path, "/FP") {
				a.status = http.StatusForbidden
				a.body = []byte(`{"error":"Forbidden","error_description":"You may not read FP"}`)
			}
		}), "a project the user may not read is answered like one that does not exist", nil},

		{"another user may revoke my tokens", changeRequests(func(r *http.Request) {
			if r.Method == http.MethodDelete && r.Header.Get("Authorization") == "Bearer "+restricted {
				r.Header.Set("Authorization", "Bearer "+admin)
			}
		}), "another user cannot revoke my token", nil},

		// The boundaries of what the suite accepts of real servers: each leniency stops where a broken
		// server begins.
		{"id is added where it was not asked for", changeAnswers(func(r *http.Request, a *answer) {
			if a.status == http.StatusOK && strings.HasPrefix(r.URL.Path, "/api/") {
				a.editJSON(addID)
			}
		}), "unknown field names are dropped", nil},

		{"a token that worked is told apart once revoked", tellUsedTokensApart,
			"a token that worked, once revoked, is answered exactly like a token that never existed", nil},

		{"a proxy adds a second Access-Control-Allow-Origin", changeAnswers(func(_ *http.Request, a *answer) {
			if a.header.Get("Access-Control-Allow-Origin") != "" {
				a.header.Add("Access-Control-Allow-Origin", "*")
			}
		}), "an answer to the allowed origin carries that origin, once", nil},

		{"a 400 without its error code", changeAnswers(func(_ *http.Request, a *answer) {
			if a.status == http.StatusBadRequest {
				a.editJSON(func(v any) any {
					delete(v.(map[string]any), "error")
					return v
				})
			}
		}), "a non-integer $top is a 400 YouTrack error", nil},

		{"a revoked token still works past the grace", nil,
			"create a token, use it, see it listed without its secret, revoke it, and it is refused within the grace",
			func(f *mockserver.Fixtures) { f.Server.RevocationDelay = 2 * time.Second }},

		{"the legacy API is served although the server switched it off", nil, "a server that switched the legacy API off says so on every /rest path",
			func(f *mockserver.Fixtures) { f.Server.LegacyAPI = mockserver.LegacyEnabled }},

		{"legacy links carry another address than the server's", changeAnswers(func(r *http.Request, a *answer) {
			if strings.HasPrefix(r.URL.Path, "/rest/") {
				a.body = bytes.ReplaceAll(a.body, []byte("http://127.0.0.1:"), []byte("http://localhost:"))
			}
		}), "the reference exchange of the help page \"Log in to YouTrack\" (YouTrack 2017.2)", nil},
	}
	require.GreaterOrEqual(t, len(violations), 24)
	for _, v := range violations {
		t.Run(v.name, func(t *testing.T) {
			var failed []string
			for _, r := range runFeatures(t, v.break_, v.fixtures) {
				if r.Outcome == steps.Failed {
					failed = append(failed, r.Scenario)
				}
			}
			require.Contains(t, failed, v.caughtBy, "the suite did not catch: %s", v.name)
			t.Logf("caught by %q (and %d other scenarios)", v.caughtBy, len(failed)-1)
		})
	}
}

// runFeatures runs every feature, each scenario against its own embedded mock broken by breakMock and
// breakFixtures.
func runFeatures(t *testing.T, breakMock func(http.Handler) http.Handler, breakFixtures func(*mockserver.Fixtures)) []steps.Result {
	t.Helper()
	suite, err := steps.NewSuiteWithBrokenMock(steps.Config{}, breakMock, breakFixtures)
	require.NoError(t, err)
	opts := godog.Options{Format: "progress", Output: io.Discard, NoColors: true, Concurrency: 8, Strict: true, FS: ytconform.Features}
	godog.TestSuite{Name: "violations", ScenarioInitializer: suite.InitializeScenario, Options: &opts}.Run()
	return suite.Results()
}

func changeRequests(change func(*http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			change(r)
			next.ServeHTTP(w, r)
		})
	}
}

func changeQuery(change func(map[string][]string)) func(http.Handler) http.Handler {
	return changeRequests(func(r *http.Request) {
		q := r.URL.Query()
		change(q)
		r.URL.RawQuery = encodeRaw(q)
	})
}

// encodeRaw re-encodes a query leaving `$`, `(`, `)` and `,` raw, as clients send them.
func encodeRaw(q map[string][]string) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, "&")
}

// ignoreRevocation answers a token's DELETE as if it succeeded, without revoking: it asks the mock for the
// token instead and drops the body, so that every header stays as the mock sets it.
func ignoreRevocation(next http.Handler) http.Handler {
	return changeAnswers(func(r *http.Request, a *answer) {
		if r.Header.Get("X-Was-Delete") != "" {
			a.body = nil
		}
	})(changeRequests(func(r *http.Request) {
		if r.Method == http.MethodDelete && strings.Contains(r.URL.Path, "/permanenttokens/") {
			r.Method = http.MethodGet
			r.Header.Set("X-Was-Delete", "yes")
		}
	})(next))
}

// answer is what the mock wrote, held back so that a violation can change it before it is sent.
type answer struct {
	status int
	header http.Header
	body   []byte // decoded: gzip is undone before the change and redone after it
}

func (a *answer) editJSON(edit func(any) any) {
	var v any
	if json.Unmarshal(a.body, &v) != nil {
		return
	}
	a.body, _ = json.Marshal(edit(v))
}

func dropType(v any) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, "$type")
		for k, child := range v {
			v[k] = dropType(child)
		}
	case []any:
		for i, child := range v {
			v[i] = dropType(child)
		}
	}
	return v
}

func changeAnswers(change func(*http.Request, *answer)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			a := &answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
			gzipped := a.header.Get("Content-Encoding") == "gzip"
			if gzipped {
				zr, err := gzip.NewReader(bytes.NewReader(a.body))
				if err != nil {
					panic(err)
				}
				a.body, _ = io.ReadAll(zr)
			}
			change(r, a)
			if gzipped {
				var buf bytes.Buffer
				zw := gzip.NewWriter(&buf)
				zw.Write(a.body)
				zw.Close()
				a.body = buf.Bytes()
			}
			a.header.Del("Content-Length")
			for k, vs := range a.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(a.status)
			w.Write(a.body)
		})
	}
}

// addID gives every entity that lacks one an id, as a server that ignores what fields asked for does.
func addID(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["$type"]; ok {
			if _, ok := v["id"]; !ok {
				v["id"] = "0-99"
			}
		}
		for k, child := range v {
			v[k] = addID(child)
		}
	case []any:
		for i, child := range v {
			v[i] = addID(child)
		}
	}
	return v
}

// tellUsedTokensApart remembers every token that was answered 200, and words the 401 of such a token
// otherwise than an unknown token's: a server that lets a client learn a token once existed.
func tellUsedTokensApart(next http.Handler) http.Handler {
	var mu sync.Mutex
	worked := map[string]bool{}
	return changeAnswers(func(r *http.Request, a *answer) {
		auth := r.Header.Get("Authorization")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case a.status == http.StatusOK:
			worked[auth] = true
		case a.status == http.StatusUnauthorized && worked[auth]:
			a.editJSON(func(v any) any {
				v.(map[string]any)["error_description"] = "The token was revoked"
				return v
			})
		}
	})(next)
}
