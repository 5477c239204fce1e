package specval

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
)

const baseURL = "http://127.0.0.1:8080"

// exchange is one request and the answer to it, as the suite sees them.
type exchange struct {
	method     string
	target     string // path and query, after the base URL
	reqHeader  http.Header
	reqBody    string
	status     int
	respHeader http.Header
	body       string
}

// check runs v.Check on e, building the request as an HTTP client sends it (absolute URL).
func (e exchange) check(t testing.TB, v *Validator, base string) error {
	t.Helper()
	req, err := http.NewRequest(e.method, base+e.target, strings.NewReader(e.reqBody))
	require.NoError(t, err)
	for name, values := range e.reqHeader {
		req.Header[name] = values
	}
	return v.Check(req, []byte(e.reqBody), e.status, e.respHeader, []byte(e.body))
}

// youTrackHeaders are the headers the mock sends on every answer, with the given Content-Type.
func youTrackHeaders(contentType string) http.Header {
	header := http.Header{
		"Cache-Control":          {"no-cache, no-store, no-transform, must-revalidate"},
		"Server":                 {"YouTrack"},
		"Vary":                   {"Accept-Encoding, User-Agent"},
		"X-Content-Type-Options": {"nosniff"},
		"X-Frame-Options":        {"SAMEORIGIN"},
		"X-Xss-Protection":       {"1; mode=block"},
	}
	if contentType != "" {
		header.Set("Content-Type", contentType)
	}
	return header
}

// withHeader returns header with name set to value, leaving header itself unchanged.
func withHeader(header http.Header, name, value string) http.Header {
	header = header.Clone()
	header.Set(name, value)
	return header
}

const (
	apiJSON    = "application/json;charset=utf-8"
	legacyJSON = "application/json;charset=UTF-8"
	legacyXML  = "application/xml;charset=UTF-8"
)

var jsonRequest = http.Header{"Content-Type": {"application/json"}}

func newValidator(t testing.TB) *Validator {
	t.Helper()
	v, err := New(baseURL, "")
	require.NoError(t, err)
	return v
}

func TestSpecIsAValidOpenAPIDocument(t *testing.T) {
	doc, err := Spec()
	require.NoError(t, err)
	require.Equal(t, "3.0.3", doc.OpenAPI)

	rendered, err := ytconform.OpenAPIJSON()
	require.NoError(t, err)
	reloaded, err := openapi3.NewLoader().LoadFromData(rendered)
	require.NoError(t, err, "the JSON rendering must load back")
	require.NoError(t, reloaded.Validate(t.Context()), "the JSON rendering must stay valid")
	require.Equal(t, doc.Paths.Len(), reloaded.Paths.Len())
}

func TestSpecCoversTheWireContract(t *testing.T) {
	doc, err := Spec()
	require.NoError(t, err)
	operations := []struct {
		method, path string
		statuses     []string
		authless     bool
	}{
		{"GET", "/api/admin/projects", []string{"200", "400", "401", "429", "503"}, false},
		{"POST", "/api/admin/projects", []string{"200", "400", "401", "403", "413", "429", "503"}, false},
		{"OPTIONS", "/api/admin/projects", []string{"200", "403"}, true},
		{"GET", "/api/admin/projects/{id}", []string{"200", "400", "401", "404", "429", "503"}, false},
		{"POST", "/api/admin/projects/{id}", []string{"200", "400", "401", "403", "404", "413", "429", "503"}, false},
		{"DELETE", "/api/admin/projects/{id}", []string{"200", "401", "403", "404", "429", "503"}, false},
		{"GET", "/api/users", []string{"200", "400", "401", "429", "503"}, false},
		{"GET", "/api/users/{id}", []string{"200", "400", "401", "404", "429", "503"}, false},
		{"GET", "/api/users/me", []string{"200", "400", "401", "429", "503"}, false},
		{"OPTIONS", "/api/users/me", []string{"200", "403"}, true},
		{"GET", "/api/config", []string{"200", "400", "429", "503"}, true},
		{"GET", "/api/openapi.json", []string{"200", "429", "503"}, true},
		{"GET", "/rest/admin/project", []string{"200", "400", "401", "429", "503"}, false},
		{"GET", "/rest/admin/project/{shortName}", []string{"200", "400", "401", "404", "429", "503"}, false},
		{"GET", "/rest/project/all", []string{"200", "400", "401", "429", "503"}, false},
		{"GET", "/rest/user/current", []string{"200", "400", "401", "429", "503"}, false},
		{"GET", "/rest/user/{login}", []string{"200", "400", "401", "404", "429", "503"}, false},
		{"GET", "/hub/api/rest/users/{userId}", []string{"200", "400", "401", "404", "429", "503"}, false},
		{"GET", "/hub/api/rest/services", []string{"200", "400", "401", "429", "503"}, false},
		{"GET", "/hub/api/rest/users/{userId}/permanenttokens", []string{"200", "400", "401", "403", "404", "500", "429", "503"}, false},
		{"POST", "/hub/api/rest/users/{userId}/permanenttokens", []string{"200", "400", "401", "403", "404", "413", "500", "429", "503"}, false},
		{"GET", "/hub/api/rest/users/{userId}/permanenttokens/{tokenId}", []string{"200", "400", "401", "403", "404", "500", "429", "503"}, false},
		{"DELETE", "/hub/api/rest/users/{userId}/permanenttokens/{tokenId}", []string{"200", "400", "401", "403", "404", "500", "429", "503"}, false},
		{"GET", "/__ytmock/health", []string{"200"}, true},
		{"GET", "/__ytmock/requests", []string{"200", "404"}, true},
		{"DELETE", "/__ytmock/requests", []string{"204"}, true},
		{"POST", "/__ytmock/reset", []string{"204"}, true},
	}
	declared := 0
	for _, item := range doc.Paths.Map() {
		declared += len(item.Operations())
	}
	require.Equal(t, len(operations), declared, "every operation of the contract is listed here")
	for _, want := range operations {
		t.Run(want.method+" "+want.path, func(t *testing.T) {
			item := doc.Paths.Find(want.path)
			require.NotNil(t, item, "path is declared")
			op := item.GetOperation(want.method)
			require.NotNil(t, op, "method is declared")
			var statuses []string
			for status := range op.Responses.Map() {
				statuses = append(statuses, status)
			}
			require.ElementsMatch(t, want.statuses, statuses)
			if want.authless {
				require.NotNil(t, op.Security, "needs no token")
				require.Empty(t, *op.Security, "needs no token")
			}
		})
	}
}

func TestCheckAcceptsConformingExchanges(t *testing.T) {
	v := newValidator(t)
	openAPIJSON, err := ytconform.OpenAPIJSON()
	require.NoError(t, err)
	token := `{"id":"7","name":"ci","scope":[{"key":"YouTrack","name":"YouTrack"}],` +
		`"user":{"id":"1-1","login":"root"},"author":{"id":"1-1","login":"root"},"creationTime":1700000000000,"lastAccessTime":null}`
	tests := []struct {
		name string
		exchange
	}{
		{"a listing without fields carries id and $type only", exchange{
			method: "GET", target: "/api/admin/projects", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `[{"id":"0-0","$type":"Project"},{"id":"0-1","$type":"Project"}]`}},
		{"a listing with every project field and a nested leader", exchange{
			method: "GET", target: "/api/admin/projects?fields=id,name,shortName,leader(login)&$skip=0&$top=-1", status: 200,
			respHeader: youTrackHeaders(apiJSON),
			body: `[{"id":"0-0","$type":"Project","name":"First Project","shortName":"FP","description":null,"archived":false,` +
				`"leader":{"id":"1-1","login":"root","$type":"User"},"createdBy":null,"startingNumber":1,"template":false,` +
				`"fromEmail":null,"replyToEmail":null,"iconUrl":"/static/icon.svg"}]`}},
		{"a GET that announces a JSON body it does not have", exchange{
			method: "GET", target: "/api/admin/projects", reqHeader: jsonRequest, status: 200, respHeader: youTrackHeaders(apiJSON), body: `[]`}},
		{"an empty page past the end", exchange{
			method: "GET", target: "/api/admin/projects?$skip=100", status: 200, respHeader: youTrackHeaders(apiJSON), body: `[]`}},
		{"a real server that omits the security headers", exchange{
			method: "GET", target: "/api/admin/projects", status: 200,
			respHeader: http.Header{"Content-Type": {"application/json"}}, body: `[]`}},
		{"a non-integer $top rejected with 400", exchange{
			method: "GET", target: "/api/admin/projects?$top=abc", status: 400, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Bad Request","error_description":"$top must be an integer"}`}},
		{"an unknown token answered 401 with WWW-Authenticate", exchange{
			method: "GET", target: "/api/admin/projects", status: 401,
			respHeader: withHeader(youTrackHeaders(apiJSON), "WWW-Authenticate", `Bearer realm="YouTrack"`),
			body:       `{"error":"Unauthorized","error_description":""}`}},
		{"a project by short name", exchange{
			method: "GET", target: "/api/admin/projects/FP?fields=id,name", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"0-0","name":"First Project","$type":"Project"}`}},
		{"an unknown project", exchange{
			method: "GET", target: "/api/admin/projects/NOPE", status: 404, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Not Found","error_description":"Entity with id NOPE not found"}`}},
		{"a project creation", exchange{
			method: "POST", target: "/api/admin/projects?fields=id,shortName", reqHeader: jsonRequest,
			reqBody: `{"name":"Third","shortName":"TP","leader":{"login":"root"}}`,
			status:  200, respHeader: youTrackHeaders(apiJSON), body: `{"id":"0-2","shortName":"TP","$type":"Project"}`}},
		{"a project creation without shortName rejected with 400", exchange{
			method: "POST", target: "/api/admin/projects", reqHeader: jsonRequest, reqBody: `{"name":"Third"}`,
			status: 400, respHeader: youTrackHeaders(apiJSON), body: `{"error":"Bad Request","error_description":"shortName is required"}`}},
		{"a project creation by a non-administrator", exchange{
			method: "POST", target: "/api/admin/projects", reqHeader: jsonRequest, reqBody: `{"name":"Third","shortName":"TP"}`,
			status: 403, respHeader: youTrackHeaders(apiJSON), body: `{"error":"Forbidden","error_description":"Not allowed"}`}},
		{"a project deletion with an empty body", exchange{
			method: "DELETE", target: "/api/admin/projects/0-2", status: 200, respHeader: youTrackHeaders("")}},
		{"the current user", exchange{
			method: "GET", target: "/api/users/me?fields=id,login,fullName,email,ringId,guest,online,banned,avatarUrl,tags(name,id)",
			status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"1-1","login":"root","fullName":"root","email":null,"ringId":null,"guest":false,"online":true,` +
				`"banned":false,"avatarUrl":"/hub/api/rest/avatar/1","tags":[],"$type":"Me"}`}},
		{"the guest user", exchange{
			method: "GET", target: "/api/users/me?fields=id,guest", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"1-3","guest":true,"$type":"Me"}`}},
		{"the configuration, without an id", exchange{
			method: "GET", target: "/api/config?fields=version,build", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"version":"2026.2","build":"12345","ring":{"url":"/hub","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`}},
		{"the contract served as JSON", exchange{
			method: "GET", target: "/api/openapi.json", status: 200, respHeader: youTrackHeaders(apiJSON), body: string(openAPIJSON)}},
		{"the legacy list in JSON", exchange{
			method: "GET", target: "/rest/admin/project", reqHeader: http.Header{"Accept": {"application/json"}}, status: 200,
			respHeader: youTrackHeaders(legacyJSON),
			body:       `[{"id":"First Project","url":"http://127.0.0.1:8080/rest/admin/project/FP"}]`}},
		{"the legacy list in XML", exchange{
			method: "GET", target: "/rest/admin/project", status: 200, respHeader: youTrackHeaders(legacyXML),
			body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><projectRefs>` +
				`<project id="FP" url="http://127.0.0.1:8080/rest/admin/project/FP"/></projectRefs>`}},
		{"the legacy API without a token", exchange{
			method: "GET", target: "/rest/admin/project", status: 401, respHeader: youTrackHeaders(legacyJSON),
			body: `{"value":"You are not logged in."}`}},
		{"a page of permanent tokens", exchange{
			method: "GET", target: "/hub/api/rest/users/me/permanenttokens?$top=10", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"skip":0,"top":10,"total":1,"permanenttokens":[` + token + `]}`}},
		{"a permanent token creation, secret included", exchange{
			method: "POST", target: "/hub/api/rest/users/1-1/permanenttokens", reqHeader: jsonRequest,
			reqBody: `{"name":"ci","scope":[{"key":"YouTrack"},{"key":"Hub"}]}`, status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"8","name":"ci","token":"perm-cm9vdA==.OC0w.abcdefghijklmnopqrstuvwxyz0123","creationTime":1700000000000}`}},
		{"one permanent token", exchange{
			method: "GET", target: "/hub/api/rest/users/root/permanenttokens/7", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: token}},
		{"a permanent token revocation", exchange{
			method: "DELETE", target: "/hub/api/rest/users/me/permanenttokens/7", status: 200, respHeader: youTrackHeaders("")}},
		{"a YouTrack-only token on the Hub API", exchange{
			method: "GET", target: "/hub/api/rest/users/me/permanenttokens", status: 401, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"invalid_token","error_code":401,"error_description":"Token is granted for [YouTrack] and can't be used for Hub"}`}},
		{"a wrong method on a known path answered 405 with Allow", exchange{
			method: "PUT", target: "/api/config", status: 405,
			respHeader: withHeader(youTrackHeaders(apiJSON), "Allow", "GET"),
			body:       `{"error":"Method Not Allowed","error_description":"PUT is not supported"}`}},
		{"an injected 503", exchange{
			method: "GET", target: "/api/admin/projects", status: 503, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Service Unavailable","error_description":"injected fault"}`}},
		{"an injected 429 with Retry-After on the Hub API", exchange{
			method: "GET", target: "/hub/api/rest/users/me/permanenttokens", status: 429,
			respHeader: withHeader(youTrackHeaders(apiJSON), "Retry-After", "1"),
			body:       `{"error":"Too Many Requests","error_description":"injected fault"}`}},
		{"the mock's health", exchange{
			method: "GET", target: "/__ytmock/health", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{"status":"ok"}`}},
		{"the mock's journal", exchange{
			method: "GET", target: "/__ytmock/requests", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"requests":[{"time":"2026-01-02T03:04:05.123Z","method":"GET","path":"/api/admin/projects",` +
				`"query":"fields=id","status":200,"login":"root","durationMs":1.5},` +
				`{"time":"2026-01-02T03:04:06Z","method":"GET","path":"/api/config","query":"","status":200,"login":null,"durationMs":0}]}`}},
		{"the mock's journal emptied", exchange{method: "DELETE", target: "/__ytmock/requests", status: 204}},
		{"the mock reset", exchange{method: "POST", target: "/__ytmock/reset", status: 204}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // one Validator serves every scenario of a run at once
			require.NoError(t, tt.check(t, v, baseURL))
		})
	}
}

func TestCheckReportsEachViolationOnOneLine(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name string
		exchange
		want string
	}{
		{"a missing $type", exchange{
			method: "GET", target: "/api/admin/projects", status: 200, respHeader: youTrackHeaders(apiJSON), body: `[{"id":"0-0"}]`},
			`GET /api/admin/projects -> 200: body[0].$type: property "$type" is missing`},
		{"a $type of another entity", exchange{
			method: "GET", target: "/api/users/me", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{"id":"1-1","$type":"User"}`},
			`GET /api/users/me -> 200: body.$type: string doesn't match the regular expression "^([A-Za-z0-9_]+\.)*Me$"`},
		{"an unknown property", exchange{
			method: "GET", target: "/api/admin/projects/FP", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"0-0","$type":"Project","teams":[]}`},
			`GET /api/admin/projects/FP -> 200: body: property "teams" is unsupported`},
		{"a wrong type in a nested entity", exchange{
			method: "GET", target: "/api/admin/projects", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `[{"id":"0-0","$type":"Project","leader":{"id":"1-1","login":5,"$type":"User"}}]`},
			`GET /api/admin/projects -> 200: body[0].leader.login: value must be a string`},
		{"a nested user without $type", exchange{
			method: "GET", target: "/api/admin/projects/FP?fields=leader(login)", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"leader":{"login":"root"},"$type":"Project"}`},
			`GET /api/admin/projects/FP -> 200: body.leader.$type: property "$type" is missing`},
		{"a null where the contract allows none", exchange{
			method: "GET", target: "/api/admin/projects/FP", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"0-0","$type":"Project","name":null}`},
			`GET /api/admin/projects/FP -> 200: body.name: Value is not nullable`},
		{"several violations in one body", exchange{
			method: "GET", target: "/api/config", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{"version":2026}`},
			`GET /api/config -> 200: body.version: value must be a string; body.$type: property "$type" is missing`},
		{"an undocumented status", exchange{
			method: "GET", target: "/api/admin/projects", status: 418, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"I'm a teapot","error_description":""}`},
			`GET /api/admin/projects -> 418: status: not declared for this operation`},
		{"an undocumented path", exchange{
			method: "GET", target: "/api/issues", status: 404, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Not Found","error_description":""}`},
			`GET /api/issues -> 404: route: the contract lists no such path`},
		{"an undocumented method answered 200", exchange{
			method: "PATCH", target: "/api/users/me", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{}`},
			`PATCH /api/users/me -> 200: route: the contract lists no PATCH for this path`},
		{"a 405 without Allow", exchange{
			method: "PUT", target: "/api/config", status: 405, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Method Not Allowed","error_description":""}`},
			`PUT /api/config -> 405: header Allow: missing`},
		{"an HTML error page from a proxy", exchange{
			method: "GET", target: "/api/admin/projects/FP", status: 404, respHeader: http.Header{"Content-Type": {"text/html"}},
			body: `<html><body>Not Found</body></html>`},
			`GET /api/admin/projects/FP -> 404: header Content-Type: "text/html" is not declared (declared: application/json)`},
		{"HTML labelled as JSON", exchange{
			method: "GET", target: "/api/admin/projects/FP", status: 404, respHeader: youTrackHeaders(apiJSON),
			body: `<html><body>Not Found</body></html>`},
			`GET /api/admin/projects/FP -> 404: body: cannot be decoded: invalid character '<' looking for beginning of value`},
		{"an error body without a string error", exchange{
			method: "GET", target: "/api/admin/projects/FP", status: 404, respHeader: youTrackHeaders(apiJSON),
			body: `{"message":"Not Found"}`},
			`GET /api/admin/projects/FP -> 404: body.error: property "error" is missing; ` +
				`body.error_description: property "error_description" is missing`},
		{"a legacy XML answer that is not a project list", exchange{
			method: "GET", target: "/rest/admin/project", status: 200, respHeader: youTrackHeaders(legacyXML), body: `<error/>`},
			`GET /rest/admin/project -> 200: body: string doesn't match the regular expression "<projectRefs[\s/>]"`},
		{"a Hub error without error_code", exchange{
			method: "GET", target: "/hub/api/rest/users/nobody/permanenttokens", status: 404, respHeader: youTrackHeaders(apiJSON),
			body: `{"error":"Not Found","error_description":"no such user"}`},
			`GET /hub/api/rest/users/nobody/permanenttokens -> 404: body.error_code: property "error_code" is missing`},
		{"a Hub token with a $type", exchange{
			method: "GET", target: "/hub/api/rest/users/me/permanenttokens/7", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"id":"7","$type":"PermanentToken"}`},
			`GET /hub/api/rest/users/me/permanenttokens/7 -> 200: body: property "$type" is unsupported`},
		{"an invalid $top the server accepted", exchange{
			method: "GET", target: "/api/admin/projects?$top=abc", status: 200, respHeader: youTrackHeaders(apiJSON), body: `[]`},
			`GET /api/admin/projects -> 200: query.$top: value abc: an invalid integer: invalid syntax`},
		{"a $top below -1 the server accepted", exchange{
			method: "GET", target: "/api/admin/projects?$top=-2", status: 200, respHeader: youTrackHeaders(apiJSON), body: `[]`},
			`GET /api/admin/projects -> 200: query.$top: number must be at least -1`},
		{"a creation body without shortName the server accepted", exchange{
			method: "POST", target: "/api/admin/projects", reqHeader: jsonRequest, reqBody: `{"name":"Third"}`,
			status: 200, respHeader: youTrackHeaders(apiJSON), body: `{"id":"0-2","$type":"Project"}`},
			`POST /api/admin/projects -> 200: request body.shortName: property "shortName" is missing`},
		{"a journal entry without a time", exchange{
			method: "GET", target: "/__ytmock/requests", status: 200, respHeader: youTrackHeaders(apiJSON),
			body: `{"requests":[{"method":"GET","path":"/","query":"","status":404,"login":null,"durationMs":1}]}`},
			`GET /__ytmock/requests -> 200: body.requests[0].time: property "time" is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(t, v, baseURL)
			require.EqualError(t, err, tt.want)
			require.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestCheckErrorsUnwrapToKinOpenAPI(t *testing.T) {
	v := newValidator(t)
	err := exchange{method: "GET", target: "/nowhere", status: 404, respHeader: youTrackHeaders(apiJSON), body: `{}`}.check(t, v, baseURL)
	require.ErrorIs(t, err, routers.ErrPathNotFound)

	err = exchange{method: "GET", target: "/api/config", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{}`}.check(t, v, baseURL)
	var schemaErr *openapi3.SchemaError
	require.ErrorAs(t, err, &schemaErr)
}

func TestNewRejectsBaseURLsItCannotRoute(t *testing.T) {
	for _, base := range []string{"", "127.0.0.1:8080", "ftp://example.com", "http://", "http://example.com/?x=1", "http://example.com/#top"} {
		t.Run(fmt.Sprintf("%q", base), func(t *testing.T) {
			_, err := New(base, "")
			require.Error(t, err)
		})
	}
}

func TestValidatorRoutesOnlyUnderItsBaseURL(t *testing.T) {
	const prefixed = "https://example.com/youtrack"
	v, err := New(prefixed+"/", "")
	require.NoError(t, err)
	config := exchange{method: "GET", target: "/api/config", status: 200, respHeader: youTrackHeaders(apiJSON), body: `{"$type":"FrontendConfig"}`}

	require.NoError(t, config.check(t, v, prefixed), "under the path prefix")
	require.ErrorIs(t, config.check(t, v, "https://example.com"), routers.ErrPathNotFound, "without the path prefix")
	require.ErrorIs(t, config.check(t, v, "https://other.example.com/youtrack"), routers.ErrPathNotFound, "on another host")
}

func TestCheckAcceptsARealRoundTrip(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", apiJSON)
		_, _ = io.WriteString(w, `{"id":"1-1","login":"root","guest":false,"$type":"Me"}`)
	}))
	defer server.Close()
	v, err := New(server.URL, "")
	require.NoError(t, err)

	req, err := http.NewRequest("GET", server.URL+"/api/users/me?fields=id,login,guest", nil)
	require.NoError(t, err)
	resp, err := server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	require.NoError(t, v.Check(req, nil, resp.StatusCode, resp.Header, body))
	require.NoError(t, v.Check(resp.Request, nil, resp.StatusCode, resp.Header, body), "the request as the response records it")
}

func TestCheckAcceptsAServerSideRequest(t *testing.T) {
	// A handler test sees the request as a server does: a relative URL and the Host header.
	req := httptest.NewRequest("GET", "/api/config", nil)
	v, err := New("http://"+req.Host, "")
	require.NoError(t, err)
	require.NoError(t, v.Check(req, nil, 200, youTrackHeaders(apiJSON), []byte(`{"$type":"FrontendConfig"}`)))
}

func TestCheckLeavesTheCallersRequestAlone(t *testing.T) {
	v := newValidator(t)
	req, err := http.NewRequest("POST", baseURL+"/api/admin/projects", strings.NewReader(`{"name":"A","shortName":"A"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")

	err = v.Check(req, []byte(`{"name":"A","shortName":"A"}`), 200, youTrackHeaders(apiJSON), []byte(`{"id":"0-2","$type":"Project"}`))
	require.NoError(t, err)
	unread, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	require.JSONEq(t, `{"name":"A","shortName":"A"}`, string(unread))
}

func TestJSONIsTheContract(t *testing.T) {
	rendered, err := ytconform.OpenAPIJSON()
	require.NoError(t, err)
	var doc struct {
		OpenAPI string                     `json:"openapi"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(rendered, &doc))
	require.Equal(t, "3.0.3", doc.OpenAPI)
	require.Contains(t, doc.Paths, "/api/admin/projects")
}

func ExampleValidator_Check() {
	v, err := New("http://127.0.0.1:8080", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:8080/api/admin/projects?fields=id,name", nil)
	header := http.Header{"Content-Type": {"application/json;charset=utf-8"}}

	fmt.Println(v.Check(req, nil, 200, header, []byte(`[{"id":"0-0","name":"First Project","$type":"Project"}]`)))
	fmt.Println(v.Check(req, nil, 200, header, []byte(`[{"id":"0-0","name":"First Project"}]`)))
	// Output:
	// <nil>
	// GET /api/admin/projects -> 200: body[0].$type: property "$type" is missing
}

func BenchmarkCheckListing(b *testing.B) {
	v := newValidator(b)
	req, err := http.NewRequest("GET", baseURL+"/api/admin/projects?fields=id,name,shortName,archived,leader(login)&$top=-1", nil)
	require.NoError(b, err)
	header := youTrackHeaders(apiJSON)
	var projects []string
	for i := range 42 {
		projects = append(projects, fmt.Sprintf(
			`{"id":"0-%d","name":"Project %d","shortName":"P%d","archived":false,"leader":{"id":"1-1","login":"root","$type":"User"},"$type":"Project"}`, i, i, i))
	}
	body := []byte("[" + strings.Join(projects, ",") + "]")
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Check(req, nil, 200, header, body); err != nil {
			b.Fatal(err)
		}
	}
}

func TestValidatorFindsAHubOutsideTheBaseURL(t *testing.T) {
	// The Cloud layout: YouTrack under /youtrack, its built-in Hub at the origin's /hub.
	v, err := New("https://example.com/youtrack", "https://example.com/hub")
	require.NoError(t, err)
	me := exchange{method: "GET", target: "/api/rest/users/me?fields=guest", status: 200, respHeader: youTrackHeaders(apiJSON),
		body: `{"guest":false,"type":"user"}`}
	require.NoError(t, me.check(t, v, "https://example.com/hub"), "the Hub at the origin")
	bad := me
	bad.body = `{"guest":"no"}`
	require.EqualError(t, bad.check(t, v, "https://example.com/hub"), `GET /hub/api/rest/users/me -> 200: body.guest: value must be a boolean`)
}

func TestCheckAcceptsTheQualifiedTypesOfOlderServers(t *testing.T) {
	v := newValidator(t)
	old := exchange{method: "GET", target: "/api/admin/projects?fields=shortName,leader(login)", status: 200, respHeader: youTrackHeaders(apiJSON),
		body: `[{"shortName":"FP","leader":{"login":"root","$type":"jetbrains.charisma.persistent.User"},"$type":"jetbrains.charisma.persistent.Project"}]`}
	require.NoError(t, old.check(t, v, baseURL), "2018-2019 servers wrote qualified $type names")
	wrong := old
	wrong.body = `[{"shortName":"FP","$type":"jetbrains.charisma.persistent.User"}]`
	require.Error(t, wrong.check(t, v, baseURL), "a qualified name of another entity")
}

// TestOperationNamesTheContractsRoute: reports and coverage name an exchange by the operation it matched.
func TestOperationNamesTheContractsRoute(t *testing.T) {
	cases := []struct {
		name, base, hub, method, url, want string
	}{
		{"a listing", "http://yt.test", "", http.MethodGet, "http://yt.test/api/admin/projects?fields=id", "GET /api/admin/projects"},
		{"a path parameter", "http://yt.test", "", http.MethodGet, "http://yt.test/api/admin/projects/0-1", "GET /api/admin/projects/{id}"},
		{"under a base path", "https://x.test/youtrack", "https://x.test/hub", http.MethodGet, "https://x.test/youtrack/api/users/me", "GET /api/users/me"},
		{"a Hub outside the base URL", "https://x.test/youtrack", "https://x.test/hub", http.MethodDelete,
			"https://x.test/hub/api/rest/users/me/permanenttokens/41-4", "DELETE /hub/api/rest/users/{userId}/permanenttokens/{tokenId}"},
		{"a path the contract does not list", "http://yt.test", "", http.MethodGet, "http://yt.test/api/issues", ""},
		{"a method the contract does not list", "http://yt.test", "", http.MethodPut, "http://yt.test/api/admin/projects", ""},
		{"another server", "http://yt.test", "", http.MethodGet, "http://other.test/api/admin/projects", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := New(c.base, c.hub)
			require.NoError(t, err)
			req := httptest.NewRequest(c.method, c.url, nil)
			require.Equal(t, c.want, v.Operation(req))
		})
	}
}
