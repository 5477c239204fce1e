package mockserver_test

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// The default fixtures' tokens (public test data, printed by the mock at start-up).
const (
	rootToken       = "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"
	restrictedToken = "perm-amFuZS5yb2U=.NDEtMQ==.rER8oiShCtPGQJF8l4CS0epHvvUbSQ"
	bannedToken     = "perm-bWFsbG9yeQ==.NDEtMg==.ksjl8SmooJ9QSp6w1gOR9DXEht9Mu2"
	revokedToken    = "perm:cm9vdA==.b2xkIGxhcHRvcA==.oP7D0miCSQwILqrxp5fkTIXhNhsiiw"
	unknownToken    = "perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	// root's token with the login segment edited from "root" to "coot": a different, unknown token.
	editedLoginToken = "perm:Y29vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"
)

const unauthorizedBody = `{"error":"Unauthorized","error_description":""}`

// exchange is one request to the mock and what it answered.
type exchange struct {
	status int
	header http.Header
	body   string
}

// request sends method path with the given headers ("Name: value" lines) and an optional body.
func request(t *testing.T, baseURL, method, path, body string, headers ...string) exchange {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, baseURL+path, rd)
	require.NoError(t, err)
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ": ")
		require.True(t, ok, "header %q is not 'Name: value'", h)
		req.Header.Add(name, value)
	}
	resp, err := noCompression.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var rd2 io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		require.NoError(t, err)
		rd2 = zr
	}
	data, err := io.ReadAll(rd2)
	require.NoError(t, err)
	return exchange{status: resp.StatusCode, header: resp.Header, body: string(data)}
}

// noCompression lets the tests see Content-Encoding as the server sent it.
var noCompression = &http.Client{Transport: &http.Transport{DisableCompression: true}}

// startMock serves the default fixtures, changed by edit, behind the strict contract check.
func startMock(t *testing.T, edit func(*mockserver.Fixtures)) string {
	t.Helper()
	return startMockWith(t, edit, mockserver.Options{})
}

// startMockWith is startMock with options; the base URL it returns includes opts.BasePath.
func startMockWith(t *testing.T, edit func(*mockserver.Fixtures), opts mockserver.Options) string {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	if edit != nil {
		edit(f)
	}
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = strictContract(t, srv, opts.BasePath, mockserver.New(store, opts))
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + opts.BasePath
}

func bearer(token string) string { return "Authorization: Bearer " + token }

// ringIDOf is the Hub id the mock derives for a login or "project:<id>" when the fixtures give none.
func ringIDOf(seed string) string {
	sum := sha256.Sum256([]byte("ring:" + seed))
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func TestAuthentication(t *testing.T) {
	base := startMock(t, nil)
	cases := []struct {
		name       string
		path       string
		headers    []string
		wantStatus int
		wantBody   string // exact JSON; empty: not compared
		wantLogin  string // for /api/users/me answers
	}{
		{"the admin's token of the documented perm: shape acts as root", "/api/users/me?fields=login,guest", []string{bearer(rootToken)}, 200, `{"login":"root","guest":false,"$type":"Me"}`, ""},
		{"a token of the modern perm- shape acts as its owner", "/api/users/me?fields=login,guest", []string{bearer(restrictedToken)}, 200, `{"login":"jane.roe","guest":false,"$type":"Me"}`, ""},
		{"the scheme name is matched in lower case", "/api/users/me?fields=login", []string{"Authorization: bearer " + rootToken}, 200, `{"login":"root","$type":"Me"}`, ""},
		{"the scheme name is matched in upper case", "/api/users/me?fields=login", []string{"Authorization: BEARER " + rootToken}, 200, `{"login":"root","$type":"Me"}`, ""},
		{"no Authorization header runs as guest, named guest", "/api/users/me?fields=login,name,guest", nil, 200, `{"login":"guest","name":"guest","guest":true,"$type":"Me"}`, ""},
		{"guest lists only the projects guest may read", "/api/admin/projects?fields=shortName", nil, 200, `[{"shortName":"SP","$type":"Project"}]`, ""},
		{"an unknown token is 401", "/api/admin/projects", []string{bearer(unknownToken)}, 401, unauthorizedBody, ""},
		{"a revoked token is 401", "/api/admin/projects", []string{bearer(revokedToken)}, 401, unauthorizedBody, ""},
		{"a token with an edited login segment is 401", "/api/admin/projects", []string{bearer(editedLoginToken)}, 401, unauthorizedBody, ""},
		{"a truncated token is 401", "/api/admin/projects", []string{bearer(rootToken[:len(rootToken)-1])}, 401, unauthorizedBody, ""},
		{"a padded token is 401", "/api/admin/projects", []string{bearer(rootToken + "x")}, 401, unauthorizedBody, ""},
		{"a malformed token is 401", "/api/admin/projects", []string{bearer("perm:<script>")}, 401, unauthorizedBody, ""},
		{"an empty token is 401", "/api/admin/projects", []string{"Authorization: Bearer "}, 401, unauthorizedBody, ""},
		{"Bearer with nothing after it is 401", "/api/admin/projects", []string{"Authorization: Bearer"}, 401, unauthorizedBody, ""},
		{"an empty Authorization header is 401", "/api/admin/projects", []string{"Authorization: "}, 401, unauthorizedBody, ""},
		{"the Basic scheme is 401", "/api/admin/projects", []string{"Authorization: Basic cm9vdDpyb290"}, 401, unauthorizedBody, ""},
		{"the Token scheme is 401", "/api/admin/projects", []string{"Authorization: Token " + rootToken}, 401, unauthorizedBody, ""},
		{"two Authorization headers are 401", "/api/admin/projects", []string{bearer(rootToken), bearer(rootToken)}, 401, unauthorizedBody, ""},
		{"a banned user's token is 401", "/api/admin/projects", []string{bearer(bannedToken)}, 401, unauthorizedBody, ""},
		{"the legacy API without a token is 401 in its own words", "/rest/admin/project", []string{"Accept: application/json"}, 401, `{"value":"You are not logged in."}`, ""},
		{"the legacy API with an unknown token is 401 in its own words", "/rest/admin/project", []string{bearer(unknownToken)}, 401, `{"value":"You are not logged in."}`, ""},
		{"the config answers without a token", "/api/config?fields=version", nil, 200, `{"version":"2026.2","$type":"FrontendConfig"}`, ""},
		{"the config answers even with a bad token", "/api/config?fields=version", []string{bearer(unknownToken)}, 200, `{"version":"2026.2","$type":"FrontendConfig"}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := request(t, base, "GET", tc.path, "", tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, "body: %s", got.body)
			if tc.wantBody != "" {
				assert.JSONEq(t, tc.wantBody, got.body)
			}
			if tc.wantStatus == 401 && strings.HasPrefix(tc.path, "/api/") {
				assert.Equal(t, `Bearer realm="YouTrack"`, got.header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestUnknownAndRevokedTokensAreAnsweredAlike(t *testing.T) {
	base := startMock(t, nil)
	for _, path := range []string{"/api/admin/projects", "/rest/admin/project", "/hub/api/rest/users/me/permanenttokens"} {
		unknown := request(t, base, "GET", path, "", bearer(unknownToken))
		for name, token := range map[string]string{"revoked": revokedToken, "banned": bannedToken} {
			other := request(t, base, "GET", path, "", bearer(token))
			assert.Equal(t, unknown.status, other.status, "%s token on %s", name, path)
			assert.Equal(t, unknown.body, other.body, "%s token on %s", name, path)
			unknown.header.Del("Date")
			other.header.Del("Date")
			assert.Equal(t, unknown.header, other.header, "%s token on %s", name, path)
		}
	}
}

func TestGuestBanned(t *testing.T) {
	base := startMock(t, func(f *mockserver.Fixtures) { f.Guest.Access = mockserver.GuestBanned })
	got := request(t, base, "GET", "/api/users/me", "")
	require.Equal(t, 401, got.status)
	assert.JSONEq(t, unauthorizedBody, got.body)
	got = request(t, base, "GET", "/api/admin/projects?fields=login", "", bearer(rootToken))
	require.Equal(t, 200, got.status, "a token still works when guest is banned")
}

func TestProjectListing(t *testing.T) {
	base := startMock(t, nil)
	root := bearer(rootToken)
	cases := []struct {
		name       string
		path       string
		headers    []string
		wantStatus int
		wantBody   string
	}{
		{"without fields every project carries only id and $type", "/api/admin/projects", []string{root}, 200,
			`[{"id":"0-0","$type":"Project"},{"id":"0-1","$type":"Project"}]`},
		{"fields selects the properties, ordered by name", "/api/admin/projects?fields=id,name,shortName", []string{root}, 200,
			`[{"id":"0-0","name":"First Project","shortName":"FP","$type":"Project"},{"id":"0-1","name":"Second Project","shortName":"SP","$type":"Project"}]`},
		{"nested fields carry their own $type", "/api/admin/projects?fields=shortName,leader(login,fullName)", []string{root}, 200,
			`[{"shortName":"FP","leader":{"login":"root","fullName":"Root","$type":"User"},"$type":"Project"},{"shortName":"SP","leader":{"login":"jane.roe","fullName":"Jane Roe","$type":"User"},"$type":"Project"}]`},
		{"a nested entity without sub-fields carries only $type", "/api/admin/projects?fields=leader&$top=1", []string{root}, 200,
			`[{"leader":{"$type":"User"},"$type":"Project"}]`},
		{"id comes only where it is asked for", "/api/admin/projects?fields=shortName,leader(id,login)&$top=1", []string{root}, 200,
			`[{"shortName":"FP","leader":{"id":"1-1","login":"root","$type":"User"},"$type":"Project"}]`},
		{"unknown field names are dropped", "/api/admin/projects?fields=shortName,nonsense&$top=1", []string{root}, 200,
			`[{"shortName":"FP","$type":"Project"}]`},
		{"a known attribute without a value is null or empty", "/api/admin/projects?fields=fromEmail,customFields,issues,leader(email,tags)&$top=1", []string{root}, 200,
			`[{"fromEmail":null,"customFields":[],"issues":[],"leader":{"email":"root@example.com","tags":[],"$type":"User"},"$type":"Project"}]`},
		{"the Hub ids and the team", "/api/admin/projects?fields=ringId,team(name,usersCount),leader(ringId,name)&$top=2", []string{root}, 200,
			`[{"ringId":"` + ringIDOf("project:0-0") + `","team":{"name":"First Project Team","usersCount":1,"$type":"ProjectTeam"},"leader":{"ringId":"` + ringIDOf("root") + `","name":"Root","$type":"User"},"$type":"Project"},` +
				`{"ringId":"` + ringIDOf("project:0-1") + `","team":{"name":"Second Project Team","usersCount":2,"$type":"ProjectTeam"},"leader":{"ringId":"` + ringIDOf("jane.roe") + `","name":"Jane Roe","$type":"User"},"$type":"Project"}]`},
		{"percent-encoded fields mean the same", "/api/admin/projects?fields=shortName%2Cleader%28login%29&%24top=1", []string{root}, 200,
			`[{"shortName":"FP","leader":{"login":"root","$type":"User"},"$type":"Project"}]`},
		{"$type may be asked for", "/api/admin/projects?fields=$type,id&$top=1", []string{root}, 200,
			`[{"id":"0-0","$type":"Project"}]`},
		{"$top and $skip page the list", "/api/admin/projects?fields=shortName&$top=1&$skip=1", []string{root}, 200,
			`[{"shortName":"SP","$type":"Project"}]`},
		{"$top=-1 means all", "/api/admin/projects?fields=shortName&$top=-1", []string{root}, 200,
			`[{"shortName":"FP","$type":"Project"},{"shortName":"SP","$type":"Project"}]`},
		{"$skip past the end gives an empty list", "/api/admin/projects?$skip=5", []string{root}, 200, `[]`},
		{"$top=0 gives an empty list", "/api/admin/projects?$top=0", []string{root}, 200, `[]`},
		{"query filters by name", "/api/admin/projects?fields=shortName&query=second", []string{root}, 200,
			`[{"shortName":"SP","$type":"Project"}]`},
		{"query filters by short name", "/api/admin/projects?fields=shortName&query=fp", []string{root}, 200,
			`[{"shortName":"FP","$type":"Project"}]`},
		{"a restricted user lists only the projects it may read", "/api/admin/projects?fields=shortName", []string{bearer(restrictedToken)}, 200,
			`[{"shortName":"SP","$type":"Project"}]`},
		{"a non-integer $top is 400 bad_request", "/api/admin/projects?$top=abc", []string{root}, 400,
			`{"error":"bad_request","error_description":"$top must be an integer, not \"abc\""}`},
		{"a non-integer $skip is 400 bad_request", "/api/admin/projects?$skip=1.5", []string{root}, 400,
			`{"error":"bad_request","error_description":"$skip must be an integer, not \"1.5\""}`},
		{"a negative $top other than -1 is 400 bad_request", "/api/admin/projects?$top=-2", []string{root}, 400,
			`{"error":"bad_request","error_description":"$top must be at least -1, not -2"}`},
		{"unbalanced parentheses in fields are 400 bad_request", "/api/admin/projects?fields=leader(login", []string{root}, 400,
			`{"error":"bad_request","error_description":"fields has an unclosed '(' after \"leader\""}`},
		{"a project is found by database id", "/api/admin/projects/0-0?fields=shortName", []string{root}, 200,
			`{"shortName":"FP","$type":"Project"}`},
		{"a project is found by short name", "/api/admin/projects/SP?fields=id", []string{root}, 200,
			`{"id":"0-1","$type":"Project"}`},
		{"an unknown project is 404", "/api/admin/projects/NOPE", []string{root}, 404,
			`{"error":"Not Found","error_description":"Entity with id NOPE not found"}`},
		{"an invisible project is the same 404", "/api/admin/projects/FP", []string{bearer(restrictedToken)}, 404,
			`{"error":"Not Found","error_description":"Entity with id FP not found"}`},
		{"the current user is Me", "/api/users/me?fields=id,login,fullName,email,guest,banned", []string{root}, 200,
			`{"id":"1-1","login":"root","fullName":"Root","email":"root@example.com","guest":false,"banned":false,"$type":"Me"}`},
		{"an unknown path is a 404 YouTrack error", "/api/nothing/here", []string{root}, 404,
			`{"error":"Not Found","error_description":"HTTP 404 Not Found"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := request(t, base, "GET", tc.path, "", tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, "body: %s", got.body)
			assert.JSONEq(t, tc.wantBody, got.body)
		})
	}
}

func TestDefaultPageIs42(t *testing.T) {
	base := startMock(t, func(f *mockserver.Fixtures) {
		for i := range 50 {
			f.Projects = append(f.Projects, mockserver.Project{Name: "Bulk " + string(rune('A'+i/26)) + string(rune('A'+i%26)), ShortName: "B" + string(rune('A'+i/26)) + string(rune('A'+i%26))})
		}
	})
	got := request(t, base, "GET", "/api/admin/projects", "", bearer(rootToken))
	require.Equal(t, 200, got.status)
	assert.Equal(t, 42, strings.Count(got.body, `"$type":"Project"`))
	got = request(t, base, "GET", "/api/admin/projects?$top=-1", "", bearer(rootToken))
	assert.Equal(t, 52, strings.Count(got.body, `"$type":"Project"`))
}

func TestReferenceExchange(t *testing.T) {
	base := startMock(t, nil)
	got := request(t, base, "GET", "/rest/admin/project", "", bearer(rootToken), "Accept: application/json")
	require.Equal(t, 200, got.status)
	assert.JSONEq(t, `[{"id":"First Project","url":"`+base+`/rest/admin/project/FP"},{"id":"Second Project","url":"`+base+`/rest/admin/project/SP"}]`, got.body)
	want := map[string]string{
		"Cache-Control":          "no-cache, no-store, no-transform, must-revalidate",
		"Content-Type":           "application/json;charset=UTF-8",
		"Server":                 "YouTrack",
		"Vary":                   "Accept-Encoding, User-Agent",
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "SAMEORIGIN",
		"X-Xss-Protection":       "1; mode=block",
	}
	for name, value := range want {
		assert.Equal(t, value, got.header.Get(name), name)
	}
	assert.Empty(t, got.header.Get("Content-Encoding"), "no gzip unless asked for")

	zipped := request(t, base, "GET", "/rest/admin/project", "", bearer(rootToken), "Accept: application/json", "Accept-Encoding: gzip, deflate")
	assert.Equal(t, "gzip", zipped.header.Get("Content-Encoding"))
	assert.Equal(t, got.body, zipped.body, "the gzip body decodes to the same JSON")

	xml := request(t, base, "GET", "/rest/admin/project", "", bearer(rootToken))
	assert.Equal(t, "application/xml;charset=UTF-8", xml.header.Get("Content-Type"))
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><projectRefs><project id="FP" url="`+base+`/rest/admin/project/FP"/><project id="SP" url="`+base+`/rest/admin/project/SP"/></projectRefs>`, xml.body)
}

func TestWrongMethodIs405WithAllow(t *testing.T) {
	base := startMock(t, nil)
	got := request(t, base, "PUT", "/api/admin/projects", "", bearer(rootToken))
	require.Equal(t, 405, got.status)
	assert.Equal(t, "GET, HEAD, POST", got.header.Get("Allow"))
	assert.JSONEq(t, `{"error":"Method Not Allowed","error_description":"HTTP 405 Method Not Allowed"}`, got.body)
}

func TestProjectCreationAndDeletion(t *testing.T) {
	base := startMock(t, nil)
	root := bearer(rootToken)
	cases := []struct {
		name       string
		method     string
		path       string
		body       string
		headers    []string
		wantStatus int
		wantBody   string
	}{
		{"the admin creates a project", "POST", "/api/admin/projects?fields=id,name,shortName,leader(login)", `{"name":"Third","shortName":"TP"}`, []string{root, "Content-Type: application/json"}, 200,
			`{"id":"0-2","name":"Third","shortName":"TP","leader":{"login":"root","$type":"User"},"$type":"Project"}`},
		{"a duplicate short name is 400 invalid_properties", "POST", "/api/admin/projects", `{"name":"Again","shortName":"tp"}`, []string{root}, 400,
			`{"error":"invalid_properties","error_description":"Property Project.shortName is invalid","error_children":[{"error":"Project.shortName-is-invalid","error_description":"Property Project.shortName is invalid","error_developer_message":"a project with this short name already exists"}]}`},
		{"a body without name and short name is 400, one child per property", "POST", "/api/admin/projects", `{"description":"x"}`, []string{root}, 400,
			`{"error":"invalid_properties","error_description":"Property Project.name is invalid","error_children":[{"error":"Project.name-is-invalid","error_description":"Property Project.name is invalid","error_developer_message":"Value for name is required"},{"error":"Project.shortName-is-invalid","error_description":"Property Project.shortName is invalid","error_developer_message":"shortName is required: a letter, then letters, digits or _ (at most 50)"}]}`},
		{"a restricted user may not create projects", "POST", "/api/admin/projects", `{"name":"Mine","shortName":"MINE"}`, []string{bearer(restrictedToken)}, 403,
			`{"error":"Forbidden","error_description":"Only an administrator may create projects"}`},
		{"broken JSON is 400", "POST", "/api/admin/projects", `{"name":`, []string{root}, 400, ""},
		{"a wrong JSON type is 400", "POST", "/api/admin/projects", `{"name":7,"shortName":"X"}`, []string{root}, 400, ""},
		{"an empty body is 400", "POST", "/api/admin/projects", ``, []string{root}, 400,
			`{"error":"bad_request","error_description":"The request body is empty; a JSON object is required"}`},
		{"the new project is listed, by name", "GET", "/api/admin/projects?fields=shortName", "", []string{root}, 200,
			`[{"shortName":"FP","$type":"Project"},{"shortName":"SP","$type":"Project"},{"shortName":"TP","$type":"Project"}]`},
		{"a restricted user does not see it", "GET", "/api/admin/projects?fields=shortName", "", []string{bearer(restrictedToken)}, 200,
			`[{"shortName":"SP","$type":"Project"}]`},
		{"a restricted user may not delete a project it reads", "DELETE", "/api/admin/projects/SP", "", []string{bearer(restrictedToken)}, 403,
			`{"error":"Forbidden","error_description":"Only an administrator may delete projects"}`},
		{"the admin deletes it", "DELETE", "/api/admin/projects/TP", "", []string{root}, 200, ""},
		{"it is gone", "GET", "/api/admin/projects/TP", "", []string{root}, 404,
			`{"error":"Not Found","error_description":"Entity with id TP not found"}`},
	}
	for _, tc := range cases { // in order: each case builds on the ones before
		t.Run(tc.name, func(t *testing.T) {
			got := request(t, base, tc.method, tc.path, tc.body, tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, "body: %s", got.body)
			if tc.wantBody != "" {
				assert.JSONEq(t, tc.wantBody, got.body)
			}
		})
	}
}
