package mockserver_test

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
)

// The mock behaves as current real YouTrack servers were seen to behave. Each case below names, in source,
// the row of the project's behaviour specification (youtrack-behaviour.md, version 2) and the public evidence
// behind it: [DOC] JetBrains' documentation, [OAS] the spec YouTrack publishes, [REAL] an answer captured from
// a running server, [WILD] client code or issue threads, [DECISION] the project's choice.

// fidelityCase is one request and its exact expected answer.
type fidelityCase struct {
	name, source         string
	method, path, body   string
	headers              []string
	wantStatus           int
	wantBody             string            // exact JSON (or text when wantText); "" is not compared
	wantText             bool              // compare wantBody byte for byte
	wantHeaders          map[string]string // "" requires the header to be absent
	wantContentTypeStart string
}

func runFidelity(t *testing.T, base string, cases []fidelityCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = "GET"
			}
			headers := tc.headers
			if tc.body != "" {
				headers = append(headers, "Content-Type: application/json")
			}
			got := request(t, base, method, tc.path, tc.body, headers...)
			require.Equal(t, tc.wantStatus, got.status, "%s: body %s", tc.source, got.body)
			switch {
			case tc.wantBody == "":
			case tc.wantText:
				assert.Equal(t, tc.wantBody, got.body, tc.source)
			default:
				assert.JSONEq(t, tc.wantBody, got.body, tc.source)
			}
			for name, want := range tc.wantHeaders {
				assert.Equal(t, want, strings.Join(got.header.Values(name), ", "), "%s: header %s", tc.source, name)
			}
			if tc.wantContentTypeStart != "" {
				assert.True(t, strings.HasPrefix(got.header.Get("Content-Type"), tc.wantContentTypeStart), "%s: Content-Type %q", tc.source, got.header.Get("Content-Type"))
			}
		})
	}
}

var (
	root       = bearer(rootToken)
	jane       = bearer(restrictedToken)
	jsonAccept = "Accept: application/json"
)

// 1. `fields` as a real server answers it.
func TestFieldsAsARealServerAnswers(t *testing.T) {
	base := startMock(t, nil)
	runFidelity(t, base, []fidelityCase{
		{name: "without fields: id and $type", source: "§3 [DOC fields syntax]",
			path: "/api/users/me", headers: []string{root}, wantStatus: 200, wantBody: `{"id":"1-1","$type":"Me"}`},
		{name: "id only when asked at that level", source: "§3 [REAL: krpn/youtrack-issues-prometheus-exporter captures, IDEA-106716]",
			path: "/api/admin/projects/FP?fields=shortName,leader(id,login)", headers: []string{root}, wantStatus: 200,
			wantBody: `{"shortName":"FP","leader":{"id":"1-1","login":"root","$type":"User"},"$type":"Project"}`},
		{name: "an attribute asked for is there, null when unset", source: "§3 [DOC: \"aliases\": null in samples]",
			path: "/api/admin/projects/SP?fields=fromEmail,replyToEmail,iconUrl,issues,customFields", headers: []string{root}, wantStatus: 200,
			wantBody: `{"fromEmail":null,"replyToEmail":null,"iconUrl":null,"issues":[],"customFields":[],"$type":"Project"}`},
		{name: "unknown names are dropped with 200", source: "§3 [WILD]",
			path: "/api/users/me?fields=login,noSuchThing", headers: []string{root}, wantStatus: 200, wantBody: `{"login":"root","$type":"Me"}`},
		{name: "every attribute of User in the published spec is known, and name", source: "§3 User attributes [OAS; DOC 2018.4 samples for name]",
			path: "/api/users/me?fields=login,name,fullName,email,guest,online,banned,tags,savedQueries,profiles(id)", headers: []string{root}, wantStatus: 200,
			wantBody: `{"login":"root","name":"Root","fullName":"Root","email":"root@example.com","guest":false,"online":true,"banned":false,"tags":[],"savedQueries":[],"profiles":{"id":"1-1","$type":"UserProfiles"},"$type":"Me"}`},
		{name: "a project's Hub id is its ringId", source: "§3 Project attributes [DOC api-usecase-add-user-to-team]",
			path: "/api/admin/projects/FP?fields=ringId", headers: []string{root}, wantStatus: 200,
			wantBody: `{"ringId":"` + ringIDOf("project:0-0") + `","$type":"Project"}`},
		{name: "the guest is named guest", source: "§3 [REAL: Cloud 2026.2 capture; WILD: JetBrains IDE plugin reads name == guest]",
			path: "/api/users/me?fields=login,name,guest", wantStatus: 200, wantBody: `{"login":"guest","name":"guest","guest":true,"$type":"Me"}`},
	})

	t.Run("a fixture may set the Hub ids", func(t *testing.T) {
		base := startMock(t, func(f *mockserver.Fixtures) {
			f.Users[0].RingID = "11111111-2222-3333-4444-555555555555"
			f.Projects[0].RingID = "66666666-7777-8888-9999-000000000000"
		})
		got := request(t, base, "GET", "/api/admin/projects/FP?fields=ringId,leader(ringId)", "", root)
		assert.JSONEq(t, `{"ringId":"66666666-7777-8888-9999-000000000000","leader":{"ringId":"11111111-2222-3333-4444-555555555555","$type":"User"},"$type":"Project"}`, got.body)
	})
}

// 2. /api/config: FrontendConfig, and where the Hub is.
func TestConfigSaysWhereTheHubIs(t *testing.T) {
	const want = `{"version":"2026.2","ring":{"url":"/hub","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`
	runFidelity(t, startMock(t, nil), []fidelityCase{
		{name: "FrontendConfig with ring(url), no token needed", source: "§3 /api/config [REAL: live 2026.3, EpicMorg/enodia testdata]",
			path: "/api/config?fields=version,ring(url)", wantStatus: 200, wantBody: want},
		{name: "YouTrackSharp's request, percent-encoded", source: "§8 YouTrackSharp BearerTokenConnection",
			path: "/api/config?fields=ring%28url%29", wantStatus: 200, wantBody: `{"ring":{"url":"/hub","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`},
		{name: "build and uuid are strings", source: "§3 [REAL: IDE plugin fixture config_with_uuid.json]",
			path: "/api/config?fields=build,uuid", wantStatus: 200},
	})
	t.Run("in the Cloud layout the Hub is still the origin's /hub", func(t *testing.T) {
		base := startMockWith(t, nil, mockserver.Options{BasePath: "/youtrack"})
		runFidelity(t, base, []fidelityCase{{name: "relative /hub", source: "§3 ring(url) [REAL: Cloud 2026.2 capture]",
			path: "/api/config?fields=version,ring(url)", wantStatus: 200, wantBody: want}})
	})
}

// 3. Authentication before routing, and YouTrack's own error codes.
func TestAuthenticationComesBeforeRouting(t *testing.T) {
	banned := startMock(t, func(f *mockserver.Fixtures) { f.Guest.Access = mockserver.GuestBanned })
	runFidelity(t, banned, []fidelityCase{
		{name: "no token on an unknown /api path, guest banned: 401", source: "§2 [REAL: AmirBurhanov/Test_YouTrack_API saved results]",
			method: "POST", path: "/api/issues", wantStatus: 401, wantBody: unauthorizedBody},
		{name: "a bad token on an unknown /api path: 401", source: "§2 [REAL: AmirBurhanov/Test_YouTrack_API]",
			path: "/api/issues", headers: []string{bearer(unknownToken)}, wantStatus: 401, wantBody: unauthorizedBody},
		{name: "a bad token on a known path with a wrong method: 401, not 405", source: "§2 authentication before routing",
			method: "PUT", path: "/api/admin/projects", headers: []string{bearer(unknownToken)}, wantStatus: 401, wantBody: unauthorizedBody},
		{name: "a bad token on an unknown /rest path: the legacy 401", source: "§2 legacy column",
			path: "/rest/issue/X-1", headers: []string{bearer(unknownToken)}, wantStatus: 401, wantBody: `{"value":"You are not logged in."}`},
		{name: "a bad token on an unknown Hub path: the Hub's 401", source: "§2, §7",
			path: "/hub/api/rest/groups", headers: []string{bearer(unknownToken)}, wantStatus: 401,
			wantBody: `{"error":"Unauthorized","error_code":401,"error_description":""}`},
		{name: "a valid token on an unknown /api path: 404 HTTP 404 Not Found", source: "§2 [DOC troubleshooting; YouTrackSharp#129]",
			path: "/api/issues", headers: []string{root}, wantStatus: 404, wantBody: `{"error":"Not Found","error_description":"HTTP 404 Not Found"}`},
		{name: "a valid token with a wrong method: 405", source: "§2 [WILD: ryancheley/yt-cli#150]",
			method: "PATCH", path: "/api/admin/projects/FP", headers: []string{root}, wantStatus: 405,
			wantBody: `{"error":"Method Not Allowed","error_description":"HTTP 405 Method Not Allowed"}`, wantHeaders: map[string]string{"Allow": "DELETE, GET, HEAD, POST"}},
		{name: "a bad parameter: bad_request", source: "§2 [DOC api-troubleshoot-ring-id; WILD: ryancheley/yt-cli#229]",
			path: "/api/users?$top=x", headers: []string{root}, wantStatus: 400,
			wantBody: `{"error":"bad_request","error_description":"$top must be an integer, not \"x\""}`},
		{name: "a create that fails validation: invalid_properties with error_children", source: "§2 [DOC api-troubleshoot-create-user-endpoint]",
			method: "POST", path: "/api/admin/projects", body: `{"name":"","shortName":"9"}`, headers: []string{root}, wantStatus: 400,
			wantBody: `{"error":"invalid_properties","error_description":"Property Project.name is invalid","error_children":[` +
				`{"error":"Project.name-is-invalid","error_description":"Property Project.name is invalid","error_developer_message":"Value for name is required"},` +
				`{"error":"Project.shortName-is-invalid","error_description":"Property Project.shortName is invalid","error_developer_message":"shortName is required: a letter, then letters, digits or _ (at most 50)"}]}`},
	})
}

// 4. Users.
func TestUsers(t *testing.T) {
	base := startMock(t, nil)
	runFidelity(t, base, []fidelityCase{
		{name: "the list, by login, guest included", source: "§3 Users [DOC resource-api-users]",
			path: "/api/users?fields=login,name", headers: []string{root}, wantStatus: 200,
			wantBody: `[{"login":"guest","name":"guest","$type":"User"},{"login":"jane.roe","name":"Jane Roe","$type":"User"},` +
				`{"login":"mallory","name":"Mallory Banned","$type":"User"},{"login":"root","name":"Root","$type":"User"}]`},
		{name: "paged", source: "§3 Users [DOC]",
			path: "/api/users?fields=login&$skip=1&$top=2", headers: []string{jane}, wantStatus: 200,
			wantBody: `[{"login":"jane.roe","$type":"User"},{"login":"mallory","$type":"User"}]`},
		{name: "query login:X finds one login exactly", source: "§8 Go clients (mkozhukh/youtrack)",
			path: "/api/users?query=login:jane.roe&fields=id,login", headers: []string{root}, wantStatus: 200,
			wantBody: `[{"id":"1-2","login":"jane.roe","$type":"User"}]`},
		{name: "a plain query matches part of the name or email", source: "§3 Users; legacy q: \"part of user login, name or email\" [DOC 2017.4]",
			path: "/api/users?query=BANNED&fields=login", headers: []string{root}, wantStatus: 200, wantBody: `[{"login":"mallory","$type":"User"}]`},
		{name: "one user by login", source: "§8 Go clients (steampipe: /api/users/{login})",
			path: "/api/users/jane.roe?fields=id,login,ringId", headers: []string{root}, wantStatus: 200,
			wantBody: `{"id":"1-2","login":"jane.roe","ringId":"` + ringIDOf("jane.roe") + `","$type":"User"}`},
		{name: "one user by database id", source: "§3 Users [DOC]",
			path: "/api/users/1-3?fields=login,banned", headers: []string{jane}, wantStatus: 200, wantBody: `{"login":"mallory","banned":true,"$type":"User"}`},
		{name: "an unknown user is 404", source: "§3",
			path: "/api/users/nobody", headers: []string{root}, wantStatus: 404, wantBody: `{"error":"Not Found","error_description":"Entity with id nobody not found"}`},
		{name: "guest reads only itself", source: "[DECISION: the docs are silent on guest]",
			path: "/api/users?fields=login", wantStatus: 200, wantBody: `[{"login":"guest","$type":"User"}]`},
		{name: "guest does not read another user", source: "[DECISION]",
			path: "/api/users/root", wantStatus: 404, wantBody: `{"error":"Not Found","error_description":"Entity with id root not found"}`},
	})
}

// 5. Project update.
func TestProjectUpdate(t *testing.T) {
	base := startMock(t, nil)
	runFidelity(t, base, []fidelityCase{
		{name: "the admin renames and archives a project; the rest stays", source: "§3 POST /api/admin/projects/{id} [DOC operations-api-admin-projects]",
			method: "POST", path: "/api/admin/projects/0-1?fields=name,shortName,description,archived,leader(login)",
			body: `{"name":"Renamed","archived":true}`, headers: []string{root}, wantStatus: 200,
			wantBody: `{"name":"Renamed","shortName":"SP","description":"The second project of the reference exchange","archived":true,"leader":{"login":"jane.roe","$type":"User"},"$type":"Project"}`},
		{name: "the listing shows it at once, in name order", source: "§3 order by name",
			path: "/api/admin/projects?fields=name", headers: []string{jane}, wantStatus: 200, wantBody: `[{"name":"Renamed","$type":"Project"}]`},
		{name: "a new leader by login, a new short name", source: "§8 Go clients (ELCAIT: leader{id})",
			method: "POST", path: "/api/admin/projects/SP?fields=shortName,leader(login)", body: `{"shortName":"SP2","leader":{"login":"root"}}`,
			headers: []string{root}, wantStatus: 200, wantBody: `{"shortName":"SP2","leader":{"login":"root","$type":"User"},"$type":"Project"}`},
		{name: "the new short name finds it", source: "§3 lookup by short name",
			path: "/api/admin/projects/SP2?fields=id", headers: []string{root}, wantStatus: 200, wantBody: `{"id":"0-1","$type":"Project"}`},
		{name: "a short name that is taken is invalid_properties", source: "§2 [DOC]",
			method: "POST", path: "/api/admin/projects/SP2", body: `{"shortName":"FP"}`, headers: []string{root}, wantStatus: 400,
			wantBody: `{"error":"invalid_properties","error_description":"Property Project.shortName is invalid","error_children":[{"error":"Project.shortName-is-invalid","error_description":"Property Project.shortName is invalid","error_developer_message":"a project with this short name already exists"}]}`},
		{name: "an unknown leader is invalid_properties", source: "§2 [DOC]",
			method: "POST", path: "/api/admin/projects/SP2", body: `{"leader":{"id":"1-99"}}`, headers: []string{root}, wantStatus: 400},
		{name: "a non-admin may not", source: "§3 (admin)",
			method: "POST", path: "/api/admin/projects/SP2", body: `{"name":"Mine"}`, headers: []string{jane}, wantStatus: 403},
		{name: "a DELETE answers 200 with no body and no Content-Type", source: "§8 npm youtrack-client parses JSON-typed answers",
			method: "DELETE", path: "/api/admin/projects/SP2", headers: []string{root}, wantStatus: 200, wantBody: "", wantHeaders: map[string]string{"Content-Type": ""}},
	})
}

// 6. The Hub, as scripts and clients use it.
func TestHubAsScriptsUseIt(t *testing.T) {
	base := startMock(t, nil)
	youtrackService := `{"id":"` + ringIDOf("service:YouTrack") + `","key":"` + ringIDOf("service:YouTrack") + `","name":"YouTrack","applicationName":"YouTrack","type":"service"}`
	hubService := `{"id":"0-0-0-0-0","key":"jetbrains-hub-service","name":"YouTrack Administration","applicationName":"Hub","type":"service"}`
	runFidelity(t, base, []fidelityCase{
		{name: "users/me?fields=guest checks a token", source: "§7, §8 YouTrackSharp",
			path: hub + "/users/me?fields=guest", headers: []string{root}, wantStatus: 200, wantBody: `{"guest":false,"type":"user"}`},
		{name: "a user by ringId; its id is the ringId", source: "§7 [DOC api-entity-User]",
			path: hub + "/users/" + ringIDOf("jane.roe") + "?fields=id,login,name", headers: []string{root}, wantStatus: 200,
			wantBody: `{"id":"` + ringIDOf("jane.roe") + `","login":"jane.roe","name":"Jane Roe","type":"user"}`},
		{name: "a user by login", source: "§7",
			path: hub + "/users/jane.roe?fields=login", headers: []string{root}, wantStatus: 200, wantBody: `{"login":"jane.roe","type":"user"}`},
		{name: "the services", source: "§7 [DOC; REAL: Cloud 2026.2 capture]",
			path: hub + "/services", headers: []string{root}, wantStatus: 200,
			wantBody: `{"type":"ServicesPage","skip":0,"top":2,"total":2,"services":[` + hubService + `,` + youtrackService + `]}`},
		{name: "the services by application name", source: "§7 query=applicationName:YouTrack [DOC]",
			path: hub + "/services?query=applicationName:%20YouTrack", headers: []string{root}, wantStatus: 200,
			wantBody: `{"type":"ServicesPage","skip":0,"top":1,"total":1,"services":[` + youtrackService + `]}`},
		{name: "a token scoped by service ids, as provisioning scripts mint it", source: "§7 [REAL: RafPe steampipe-plugin-youtrack provision.sh]",
			method: "POST", path: hub + "/users/" + ringIDOf("root") + "/permanenttokens?fields=name,scope(id,key,name),aliases",
			body: `{"name":"ci","scope":[{"id":"0-0-0-0-0"},{"id":"` + ringIDOf("service:YouTrack") + `","label":"ignored"}]}`, headers: []string{root}, wantStatus: 200,
			wantBody: `{"name":"ci","scope":[{"id":"0-0-0-0-0","key":"jetbrains-hub-service","name":"YouTrack Administration"},` +
				`{"id":"` + ringIDOf("service:YouTrack") + `","key":"` + ringIDOf("service:YouTrack") + `","name":"YouTrack"}],"aliases":null}`},
		{name: "a scope entry by name", source: "[DECISION: key and name accepted too]",
			method: "POST", path: hub + "/users/me/permanenttokens?fields=scope(name)", body: `{"name":"n","scope":[{"name":"YouTrack"}]}`,
			headers: []string{root}, wantStatus: 200, wantBody: `{"scope":[{"name":"YouTrack"}]}`},
		{name: "a token lacking the Hub service: invalid_token naming the service id", source: "§2 [WILD: YouTrackSharp#116]",
			path: hub + "/users/me", headers: []string{bearer(scopedToken(t, base, "YouTrack"))}, wantStatus: 401,
			wantBody: `{"error":"invalid_token","error_code":401,"error_description":"Token is granted for [YouTrack] and can't be used for 0-0-0-0-0","error_developer_message":"Token is granted for [YouTrack] and can't be used for 0-0-0-0-0"}`},
	})
	t.Run("fixtures that say Hub mean the Hub service", func(t *testing.T) {
		base := startMock(t, func(f *mockserver.Fixtures) { f.Tokens[1].Scope = []string{mockserver.ScopeHub} })
		got := request(t, base, "GET", hub+"/users/me/permanenttokens?fields=name,scope(id)", "", jane)
		require.Equal(t, 200, got.status, got.body)
		assert.JSONEq(t, `{"skip":0,"top":1,"total":1,"permanenttokens":[{"name":"ci","scope":[{"id":"0-0-0-0-0"}]}]}`, got.body)
	})
}

// 7. The legacy API: switched off, and the routes its listing points to.
func TestLegacyAPI(t *testing.T) {
	base := startMock(t, nil)
	runFidelity(t, base, []fidelityCase{
		{name: "a project by the short name its url names, XML by default", source: "§5 [DOC 2017.1 GET-Project]",
			path: "/rest/admin/project/SP", headers: []string{root}, wantStatus: 200, wantText: true, wantContentTypeStart: "application/xml",
			wantBody: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><project name="Second Project" id="SP" lead="jane.roe" ` +
				`description="The second project of the reference exchange" startingNumber="1" assigneesUrl="` + base + `/rest/admin/project/SP/assignee/" ` +
				`subsystemsUrl="` + base + `/rest/admin/project/SP/subsystem/" buildsUrl="` + base + `/rest/admin/project/SP/build/" versionsUrl="` + base + `/rest/admin/project/SP/version/"/>`},
		{name: "a project the user may not read is 404", source: "§5",
			path: "/rest/admin/project/FP", headers: []string{jane, jsonAccept}, wantStatus: 404, wantBody: `{"value":"Project FP not found"}`},
		{name: "every project with its name, JSON on request", source: "§5 [DOC 2017.1 Get-Accessible-Projects]",
			path: "/rest/project/all", headers: []string{jane, jsonAccept}, wantStatus: 200,
			wantBody: `[{"name":"Second Project","shortName":"SP","description":"The second project of the reference exchange","isImporting":"false"}]`},
		{name: "the current user", source: "§5 [DOC 2017.1 Get-current-user]",
			path: "/rest/user/current", headers: []string{root, jsonAccept}, wantStatus: 200, wantBody: `{"login":"root","fullName":"Root","email":"root@example.com"}`},
		{name: "a user by login, XML", source: "§5 [DOC 2017.1 Get-User-by-Login-Name]",
			path: "/rest/user/jane.roe", headers: []string{root}, wantStatus: 200, wantText: true,
			wantBody: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><user login="jane.roe" fullName="Jane Roe" email="jane.roe@example.com"/>`},
	})
	t.Run("switched off, every /rest path answers 400 before authentication", func(t *testing.T) {
		base := startMock(t, func(f *mockserver.Fixtures) { f.Server.LegacyAPI = mockserver.LegacyDisabled })
		const disabled = `{"error":"Deprecated REST API is disabled","error_description":"https://blog.jetbrains.com/youtrack/2021/02/discontinuing-the-legacy-rest-api-action-required"}`
		runFidelity(t, base, []fidelityCase{
			{name: "the listing", source: "§5 [WILD: GothenburgBitFactory/bugwarrior#836, mogic-le/youtrack-to-jira#4]",
				path: "/rest/admin/project", headers: []string{root}, wantStatus: 400, wantBody: disabled, wantContentTypeStart: "application/json"},
			{name: "without a token", source: "§5",
				path: "/rest/user/current", wantStatus: 400, wantBody: disabled},
			{name: "the current API is untouched", source: "§5",
				path: "/api/users/me?fields=login", headers: []string{root}, wantStatus: 200, wantBody: `{"login":"root","$type":"Me"}`},
		})
	})
}

// 8. The Cloud layout, and the web app's answer to a wrong path.
func TestCloudLayout(t *testing.T) {
	base := startMockWith(t, nil, mockserver.Options{BasePath: "/youtrack"})
	origin := strings.TrimSuffix(base, "/youtrack")
	runFidelity(t, origin, []fidelityCase{
		{name: "the APIs under /youtrack", source: "§4 Cloud layout",
			path: "/youtrack/api/users/me?fields=login", headers: []string{root}, wantStatus: 200, wantBody: `{"login":"root","$type":"Me"}`},
		{name: "the Hub at the origin's /hub", source: "§4 [REAL: Cloud 2026.2: ring.url /hub]",
			path: "/hub/api/rest/users/me?fields=login", headers: []string{root}, wantStatus: 200, wantBody: `{"login":"root","type":"user"}`},
		{name: "a missing prefix answers the web app, 200 text/html", source: "§4 [WILD: shanehofstetter/youtrack-rest-client#16, codestream#467]",
			path: "/api/admin/projects", headers: []string{root}, wantStatus: 200, wantContentTypeStart: "text/html"},
		{name: "the Hub under the prefix is the web app too", source: "§4",
			path: "/youtrack/hub/api/rest/users/me", headers: []string{root}, wantStatus: 200, wantContentTypeStart: "text/html"},
		{name: "legacy links carry the prefix", source: "§4, §5",
			path: "/youtrack/rest/admin/project", headers: []string{root, jsonAccept}, wantStatus: 200,
			wantBody: `[{"id":"First Project","url":"` + base + `/rest/admin/project/FP"},{"id":"Second Project","url":"` + base + `/rest/admin/project/SP"}]`},
	})
	runFidelity(t, startMock(t, nil), []fidelityCase{{name: "at the origin too, a path outside the APIs is the web app", source: "§4",
		path: "/issues", wantStatus: 200, wantContentTypeStart: "text/html"}})
}

// 9. CORS.
func TestCORS(t *testing.T) {
	base := startMock(t, func(f *mockserver.Fixtures) { f.Server.CORSOrigins = []string{"https://app.example.com"} })
	allowed, other := "Origin: https://app.example.com", "Origin: https://evil.example.com"
	runFidelity(t, base, []fidelityCase{
		{name: "a preflight from an allowed origin", source: "§4 CORS: YouTrack answers for its Allowed origins",
			method: "OPTIONS", path: "/api/users/me", headers: []string{allowed, "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: authorization"},
			wantStatus: 200, wantBody: "", wantHeaders: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com",
				"Access-Control-Allow-Headers": "authorization", "Access-Control-Allow-Credentials": "true"}},
		{name: "a GET from it carries the origin exactly once", source: "§4 [WILD: TWENTY-20/youtrack-diagramms#6]",
			path: "/api/users/me?fields=login", headers: []string{root, allowed}, wantStatus: 200,
			wantHeaders: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		{name: "an error from it too", source: "§4",
			path: "/api/users/me", headers: []string{bearer(unknownToken), allowed}, wantStatus: 401,
			wantHeaders: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com"}},
		{name: "another origin gets none", source: "§4",
			path: "/api/users/me", headers: []string{root, other}, wantStatus: 200, wantHeaders: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "another origin's preflight is refused", source: "§4",
			method: "OPTIONS", path: "/api/users/me", headers: []string{other, "Access-Control-Request-Method: GET"}, wantStatus: 403,
			wantHeaders: map[string]string{"Access-Control-Allow-Origin": ""}},
	})
}

// 10. The revocation delay of a token cache.
func TestRevocationDelay(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	f.Server.RevocationDelay = 3 * time.Second
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewServer(mockserver.New(store, mockserver.Options{Now: clock}))
	t.Cleanup(srv.Close)

	id, secret := createToken(t, srv.URL, "me", `{"name":"cached","scope":[{"id":"0-0-0-0-0"},{"name":"YouTrack"}]}`)
	require.Equal(t, 200, request(t, srv.URL, "DELETE", hub+"/users/me/permanenttokens/"+id, "", root).status, "the Hub's DELETE answers at once")
	list := request(t, srv.URL, "GET", hub+"/users/me/permanenttokens?fields=id", "", root)
	assert.NotContains(t, list.body, `"`+id+`"`, "and stops listing the token at once")
	assert.Equal(t, 200, request(t, srv.URL, "GET", "/api/users/me", "", bearer(secret)).status, "§1 [WILD]: a revoked token still works within the delay")
	advance(2999 * time.Millisecond)
	assert.Equal(t, 200, request(t, srv.URL, "GET", "/api/users/me", "", bearer(secret)).status, "still within the delay")
	advance(time.Millisecond)
	assert.Equal(t, 401, request(t, srv.URL, "GET", "/api/users/me", "", bearer(secret)).status, "refused once the delay is over")
	assert.Equal(t, gjson.Get(unauthorizedBody, "error").String(), gjson.Get(request(t, srv.URL, "GET", "/api/users/me", "", bearer(secret)).body, "error").String())
}
