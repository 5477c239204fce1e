package mockserver_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// productionServer serves the default fixtures on a real loopback TCP port with the limits `ytconform
// mock` uses (DefaultServerLimits and the default Options), so that net/http's own defences are in play.
func productionServer(t testing.TB) *httptest.Server {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(mockserver.New(store, mockserver.Options{}))
	lim := mockserver.DefaultServerLimits()
	srv.Config.ReadHeaderTimeout = lim.ReadHeaderTimeout
	srv.Config.ReadTimeout = lim.ReadTimeout
	srv.Config.WriteTimeout = lim.WriteTimeout
	srv.Config.IdleTimeout = lim.IdleTimeout
	srv.Config.MaxHeaderBytes = lim.MaxHeaderBytes
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// answerKind is what a hostile request's answer must be, beside its status.
type answerKind int

const (
	youtrackError answerKind = iota // the mock's handlers: {"error","error_description"}, /api content type
	hubError                        // the Hub API: {"error","error_code","error_description"}
	legacyError                     // the legacy API: {"value"}
	plainText                       // net/http's own rejection of a malformed request, before any handler
	jsonAnswer                      // a normal JSON answer: the input was odd but harmless
	redirect                        // ServeMux's redirect to the cleaned path: net/http's own behaviour
	emptyBody                       // ServeMux's own 400 for the request target "*", with no body at all
	webApp                          // a path outside the APIs: the web app's HTML, as on a real server
)

func (k answerKind) String() string {
	return [...]string{"YouTrack error", "Hub error", "legacy error", "plain text", "JSON answer", "redirect", "empty body", "web app"}[k]
}

type hostileCase struct {
	name   string
	raw    string // the request exactly as written on the wire
	status int
	kind   answerKind
}

const rootAuth = "Authorization: Bearer " + rootToken

// get writes a GET request line and headers by hand: Host, the given header lines, Connection: close.
func get(target string, headers ...string) string { return rawRequest("GET", target, "", headers...) }

func rawRequest(method, target, body string, headers ...string) string {
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: mock\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	if body != "" || method == "POST" {
		b.WriteString("Content-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	b.WriteString("Connection: close\r\n\r\n")
	b.WriteString(body)
	return b.String()
}

func nested(depth int) string {
	return strings.Repeat("leader(", depth) + "login" + strings.Repeat(")", depth)
}

func hostileCases() []hostileCase {
	hub := "/hub/api/rest/users/me/permanenttokens"
	return []hostileCase{
		// fields
		{"fields nested 20,000 deep", get("/api/admin/projects?fields="+nested(20000), rootAuth), 400, youtrackError},
		{"fields nested 17 deep, short enough but too deep", get("/api/admin/projects?fields="+strings.Repeat("a(", 17)+strings.Repeat(")", 17), rootAuth), 400, youtrackError},
		{"fields nested 16 deep is still answered", get("/api/admin/projects?fields="+nested(16), rootAuth), 200, jsonAnswer},
		{"fields with 100,000 names", get("/api/admin/projects?fields="+strings.Repeat("a,", 100000), rootAuth), 400, youtrackError},
		{"fields with 100,000 longer names, past the header limit", get("/api/admin/projects?fields="+strings.Repeat("name,", 100000), rootAuth), 431, plainText},
		{"fields with an unclosed parenthesis", get("/api/admin/projects?fields=leader(login", rootAuth), 400, youtrackError},
		{"fields with a stray closing parenthesis", get("/api/admin/projects?fields=login)", rootAuth), 400, youtrackError},
		{"fields with parentheses and no name", get("/api/admin/projects?fields=((((", rootAuth), 400, youtrackError},
		{"fields with a NUL byte", get("/api/users/me?fields=login%00", rootAuth), 400, youtrackError},
		{"fields on the Hub API, nested too deep", get(hub+"?fields="+nested(20000), rootAuth), 400, hubError},

		// encoding
		{"bad percent-encoding in a query value", get("/api/admin/projects?fields=%zz", rootAuth), 400, youtrackError},
		{"a lone percent sign in a query key", get("/api/admin/projects?%=1&$top=%", rootAuth), 400, youtrackError},
		{"bad percent-encoding in the path", get("/api/admin/projects/%zz", rootAuth), 400, plainText},
		{"invalid UTF-8, percent-encoded, in an id", get("/api/admin/projects/%ff%fe%fd", rootAuth), 404, youtrackError},
		{"invalid UTF-8, raw, in the path", get("/api/admin/projects/\xff\xfe", rootAuth), 404, youtrackError},
		{"invalid UTF-8 in fields", get("/api/admin/projects?fields=%c3%28", rootAuth), 400, youtrackError},
		{"invalid UTF-8 in query", get("/api/admin/projects?query=%ff", rootAuth), 200, jsonAnswer},

		// Authorization
		{"a NUL byte in a token", get("/api/admin/projects", "Authorization: Bearer perm:abc\x00def"), 400, plainText},
		{"a control character in a token", get("/api/admin/projects", "Authorization: Bearer perm:abc\x01def"), 400, plainText},
		{"a tab inside a token", get("/api/admin/projects", "Authorization: Bearer perm:abc\tdef"), 401, youtrackError},
		{"a DEL character in a token", get("/api/admin/projects", "Authorization: Bearer perm:abc\x7fdef"), 400, plainText},
		{"a 64 KiB token", get("/api/admin/projects", "Authorization: Bearer perm:"+strings.Repeat("A", 64<<10)), 401, youtrackError},
		{"two Authorization headers, both valid", get("/api/admin/projects", rootAuth, rootAuth), 401, youtrackError},
		{"two Authorization headers on the legacy API", get("/rest/admin/project", rootAuth, "Authorization: Bearer x"), 401, legacyError},
		{"Bearer followed only by spaces", get("/api/admin/projects", "Authorization: Bearer        "), 401, youtrackError},
		{"a token with non-ASCII bytes", get("/api/admin/projects", "Authorization: Bearer perm:\xc3\xa9t\xc3\xa9"), 401, youtrackError},
		{"a token on a folded continuation line is unfolded by net/http", get("/api/admin/projects", "Authorization: Bearer", " "+rootToken), 200, jsonAnswer},
		{"a valid token with a NUL smuggled in percent-encoded form", get("/api/admin/projects", "Authorization: Bearer "+rootToken+"%00"), 401, youtrackError},

		// header block
		{"a header block over 1 MiB", get("/api/config", "X-Padding: "+strings.Repeat("a", 1<<20+1)), 431, plainText},
		{"20,000 small headers", get("/api/config", strings.TrimSuffix(strings.Repeat("X-A: b\r\n", 20000), "\r\n")), 200, jsonAnswer},
		{"a header name with a space", get("/api/config", "Bad Name: x"), 400, plainText},
		{"a header line without a colon", get("/api/config", "NoColonHere"), 400, plainText},

		// paths and ids
		{"path traversal with ..", get("/api/admin/projects/../../../etc/passwd", rootAuth), 307, redirect},
		{"path traversal with encoded dots", get("/api/admin/projects/%2e%2e/%2e%2e/etc/passwd", rootAuth), 404, youtrackError},
		{"path traversal with an encoded slash", get("/api/admin/projects/..%2f..%2fetc%2fpasswd", rootAuth), 404, youtrackError},
		{"a double slash", get("//api//admin/projects", rootAuth), 307, redirect},
		{"a double-encoded id", get("/api/admin/projects/%2530-0", rootAuth), 404, youtrackError},
		{"a double-encoded short name", get("/api/admin/projects/%2546%2550", rootAuth), 404, youtrackError},
		{"a 100,000-character id", get("/api/admin/projects/"+strings.Repeat("X", 100000), rootAuth), 404, youtrackError},
		{"a 100,000-character Hub user id", get("/hub/api/rest/users/"+strings.Repeat("1", 100000)+"/permanenttokens", rootAuth), 404, hubError},
		{"an absolute URI as request target", get("http://other.example/api/config"), 200, jsonAnswer},
		{"an asterisk as request target", get("*"), 400, emptyBody},

		// paging
		{"$top huge", get("/api/admin/projects?$top=99999999999999999999999", rootAuth), 200, jsonAnswer},
		{"$skip huge", get("/api/admin/projects?$skip=99999999999999999999999", rootAuth), 200, jsonAnswer},
		{"$top = -1 means all", get("/api/admin/projects?$top=-1", rootAuth), 200, jsonAnswer},
		{"$top = -2", get("/api/admin/projects?$top=-2", rootAuth), 400, youtrackError},
		{"$top hugely negative", get("/api/admin/projects?$top=-99999999999999999999999", rootAuth), 400, youtrackError},
		{"$skip = -1", get("/api/admin/projects?$skip=-1", rootAuth), 400, youtrackError},
		{"$top not a number", get("/api/admin/projects?$top=ten", rootAuth), 400, youtrackError},
		{"$skip empty", get("/api/admin/projects?$skip=", rootAuth), 400, youtrackError},
		{"$top in exponent notation", get("/api/admin/projects?$top=1e3", rootAuth), 400, youtrackError},
		{"$top on the Hub API, negative", get(hub+"?$top=-5", rootAuth), 400, hubError},

		// methods
		{"a wrong method", rawRequest("PUT", "/api/admin/projects", "{}", rootAuth), 405, youtrackError},
		{"a wrong method on the Hub API", rawRequest("PATCH", hub, "", rootAuth), 405, hubError},
		{"an unknown method", rawRequest("BREW", "/api/users/me", "", rootAuth), 405, youtrackError},
		{"a method with characters no method may have", rawRequest("GE(T", "/api/users/me", "", rootAuth), 400, plainText},
		{"TRACE", rawRequest("TRACE", "/api/config", ""), 405, youtrackError},

		// bodies
		{"a POST body with wrong JSON types", rawRequest("POST", "/api/admin/projects", `{"name":7,"shortName":["X"]}`, rootAuth), 400, youtrackError},
		{"a POST body that is an array", rawRequest("POST", "/api/admin/projects", `[]`, rootAuth), 400, youtrackError},
		{"a POST body of broken JSON", rawRequest("POST", "/api/admin/projects", `{"name":"x",`, rootAuth), 400, youtrackError},
		{"a POST body of two JSON values", rawRequest("POST", "/api/admin/projects", `{}{}`, rootAuth), 400, youtrackError},
		{"a POST body nested 100,000 deep", rawRequest("POST", "/api/admin/projects", strings.Repeat("[", 100000), rootAuth), 400, youtrackError},
		{"a declared length larger than the limit", "POST /api/admin/projects HTTP/1.1\r\nHost: mock\r\n" + rootAuth + "\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n{", 413, youtrackError},
		{"a chunked body larger than the limit", "POST " + hub + " HTTP/1.1\r\nHost: mock\r\n" + rootAuth + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
			fmt.Sprintf("%x\r\n", 1<<20+10) + `{"name":"` + strings.Repeat("a", 1<<20) + "\"}\r\n0\r\n\r\n", 413, hubError},
		{"an empty POST to the Hub API", rawRequest("POST", hub, "", rootAuth), 400, hubError},
		{"a Hub POST with wrong JSON types", rawRequest("POST", hub, `{"name":1,"scope":"YouTrack"}`, rootAuth), 400, hubError},
		{"a Hub POST with an unknown scope", rawRequest("POST", hub, `{"name":"x","scope":[{"key":"Everything"}]}`, rootAuth), 400, hubError},
		{"a negative Content-Length", "POST /api/admin/projects HTTP/1.1\r\nHost: mock\r\nContent-Length: -5\r\n\r\n", 400, plainText},
		{"two different Content-Lengths", "POST /api/admin/projects HTTP/1.1\r\nHost: mock\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, plainText},
		{"an unknown Transfer-Encoding", "POST /api/admin/projects HTTP/1.1\r\nHost: mock\r\nTransfer-Encoding: gzip\r\n\r\n", 501, plainText},

		// users, project updates, the Hub's users and services, the legacy routes, CORS, the web app
		{"a users query of 100,000 words", get("/api/users?query="+strings.Repeat("a+", 100000), rootAuth), 200, jsonAnswer},
		{"a users query of odd qualifiers", get("/api/users?query=login:%20:%20email::name:%00", rootAuth), 200, jsonAnswer},
		{"a users page not a number", get("/api/users?$skip=two", rootAuth), 400, youtrackError},
		{"a 100,000-character user id", get("/api/users/"+strings.Repeat("u", 100000), rootAuth), 404, youtrackError},
		{"a user id of invalid UTF-8", get("/api/users/%ff%fe", rootAuth), 404, youtrackError},
		{"a project update with wrong JSON types", rawRequest("POST", "/api/admin/projects/FP", `{"archived":"yes","leader":7}`, rootAuth), 400, youtrackError},
		{"a project update with an empty leader", rawRequest("POST", "/api/admin/projects/FP", `{"leader":{}}`, rootAuth), 400, youtrackError},
		{"a project update of a project that does not exist", rawRequest("POST", "/api/admin/projects/NOPE", `{"name":"x"}`, rootAuth), 404, youtrackError},
		{"a project update with a 100,000-character name", rawRequest("POST", "/api/admin/projects/FP", `{"name":"`+strings.Repeat("n", 100000)+`"}`, rootAuth), 400, youtrackError},
		{"a 100,000-character Hub user", get("/hub/api/rest/users/"+strings.Repeat("9", 100000), rootAuth), 404, hubError},
		{"a services query of garbage", get("/hub/api/rest/services?query=%22%7B%7D::and%20and", rootAuth), 200, jsonAnswer},
		{"a services page hugely negative", get("/hub/api/rest/services?$top=-99999999999999999999", rootAuth), 400, hubError},
		{"a scope entry of the wrong type", rawRequest("POST", hub, `{"name":"x","scope":[{"id":5}]}`, rootAuth), 400, hubError},
		{"a legacy project of 100,000 characters", get("/rest/admin/project/"+strings.Repeat("P", 100000), rootAuth), 404, legacyError},
		{"a legacy user with a NUL", get("/rest/user/root%00", rootAuth), 404, legacyError},
		{"a preflight without an Origin is an OPTIONS the mock does not serve", rawRequest("OPTIONS", "/api/users/me", "", rootAuth), 405, youtrackError},
		{"a preflight from an origin not allowed", get("/api/users/me", "Origin: https://evil.example"), 200, jsonAnswer},
		{"two Origin headers", get("/api/users/me?fields=login", "Origin: https://a.example", "Origin: https://b.example"), 200, jsonAnswer},
		{"a path outside the APIs", get("/issues/X-1?q=" + strings.Repeat("x", 1000)), 200, webApp},
		{"the web app with a token in the path", get("/" + rootToken), 200, webApp},

		// protocol
		{"HTTP/1.0 without Host", "GET /api/config?fields=version HTTP/1.0\r\n\r\n", 200, jsonAnswer},
		{"HTTP/1.1 without Host", "GET /api/config HTTP/1.1\r\n\r\n", 400, plainText},
		{"two Host headers", "GET /api/config HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, plainText},
		{"an unsupported HTTP version", "GET /api/config HTTP/3.0\r\nHost: mock\r\n\r\n", 505, plainText},
		{"a request line of garbage", "\x16\x03\x01garbage without spaces\r\n\r\n", 400, plainText},
		{"a TLS ClientHello sent to the plain-HTTP port", string(clientHello()), 400, plainText},
	}
}

// clientHello is the first flight of a TLS handshake, as any HTTPS client sends it.
func clientHello() []byte {
	hello := []byte{
		0x16, 0x03, 0x01, 0x00, 0x31, // record: handshake, TLS 1.0, length 49
		0x01, 0x00, 0x00, 0x2d, // ClientHello, length 45
		0x03, 0x03, // TLS 1.2
	}
	hello = append(hello, make([]byte, 32)...) // random
	hello = append(hello, 0x00,                // session id length
		0x00, 0x04, 0x13, 0x01, 0xc0, 0x2f, // cipher suites
		0x01, 0x00, // compression: null
		0x00, 0x00, // no extensions
	)
	hello = append(hello, "\r\n\r\n"...) // a real client waits here; the newlines only hurry net/http
	return hello
}

// rawExchange writes raw on a fresh connection and reads one answer. The write runs beside the read, so
// that a server answering before it has read everything (413, 431) is seen rather than deadlocked on.
func rawExchange(t *testing.T, addr, raw string) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	go func() { _, _ = io.WriteString(conn, raw) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "no HTTP answer")
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func TestHostileInput(t *testing.T) {
	srv := productionServer(t)
	addr := srv.Listener.Addr().String()
	cases := hostileCases()
	require.GreaterOrEqual(t, len(cases), 40)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := rawExchange(t, addr, tc.raw)
			require.Equal(t, tc.status, resp.StatusCode, "body: %.300s", body)
			checkAnswerKind(t, tc.kind, resp, body)

			after := request(t, srv.URL, "GET", "/api/admin/projects?fields=id,shortName", "", bearer(rootToken))
			require.Equal(t, 200, after.status, "the mock must still answer normally")
			assert.JSONEq(t, `[{"id":"0-0","shortName":"FP","$type":"Project"},{"id":"0-1","shortName":"SP","$type":"Project"}]`, after.body)
		})
	}
}

func checkAnswerKind(t *testing.T, kind answerKind, resp *http.Response, body []byte) {
	t.Helper()
	if kind != plainText { // net/http itself answers 501 (unknown transfer coding) and 505 (HTTP/3.0 over TCP)
		assert.Less(t, resp.StatusCode, 500, "no hostile input may make the mock answer a 5xx")
	}
	var obj map[string]any
	switch kind {
	case youtrackError, hubError, legacyError, jsonAnswer:
		require.True(t, json.Valid(body), "%s expected, got %q", kind, body)
		assert.Equal(t, "YouTrack", resp.Header.Get("Server"), "an answer of the mock's handlers carries its headers")
	}
	switch kind {
	case youtrackError:
		require.NoError(t, json.Unmarshal(body, &obj), "%s", body)
		assert.Equal(t, "application/json;charset=utf-8", resp.Header.Get("Content-Type"))
		assert.IsType(t, "", obj["error"], "%s", body)
		assert.IsType(t, "", obj["error_description"], "%s", body)
		switch {
		case obj["error"] == "invalid_properties": // YouTrack's answer to a body that does not validate
			assert.NotEmpty(t, obj["error_children"], "%s", body)
		case resp.StatusCode == http.StatusBadRequest:
			assert.Equal(t, "bad_request", obj["error"], "%s", body)
			assert.Len(t, obj, 2, "%s", body)
		default:
			assert.Equal(t, http.StatusText(resp.StatusCode), obj["error"])
			assert.Len(t, obj, 2, "%s", body)
		}
		assert.Less(t, len(body), 1024, "an error must not echo a huge input back")
	case hubError:
		require.NoError(t, json.Unmarshal(body, &obj), "%s", body)
		assert.IsType(t, "", obj["error"], "%s", body)
		assert.Equal(t, float64(resp.StatusCode), obj["error_code"], "%s", body)
		assert.IsType(t, "", obj["error_description"], "%s", body)
		assert.Less(t, len(body), 1024, "an error must not echo a huge input back")
	case legacyError:
		require.NoError(t, json.Unmarshal(body, &obj), "%s", body)
		assert.IsType(t, "", obj["value"], "%s", body)
	case plainText:
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.False(t, json.Valid(body), "net/http's own rejections are plain text: %q", body)
		assert.True(t, resp.Close, "net/http closes the connection after rejecting a request")
	case jsonAnswer:
		assert.Less(t, resp.StatusCode, 300)
	case emptyBody:
		assert.Empty(t, body)
	case webApp:
		assert.Equal(t, "text/html;charset=UTF-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, string(body), "<html", "a path outside the APIs gets the web app's page")
	case redirect:
		assert.NotEmpty(t, resp.Header.Get("Location"))
		assert.False(t, strings.Contains(resp.Header.Get("Location"), ".."), "the redirect goes to the cleaned path")
	}
}
