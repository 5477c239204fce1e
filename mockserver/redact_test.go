package mockserver_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// A token a client misplaces (in a path, in a body) is neither echoed in the error nor printed in the
// access log.
func TestMisplacedTokensAreNotEchoedOrLogged(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	var logged lockedBuffer
	srv := httptest.NewServer(mockserver.New(store, mockserver.Options{AccessLog: &logged}))
	t.Cleanup(srv.Close)

	cases := []struct {
		name, method, path, body string
		wantStatus               int
		wantBody                 string
	}{
		{"a token as a project id", "GET", "/api/admin/projects/" + restrictedToken, "", 404,
			`{"error":"Not Found","error_description":"Entity with id <token> not found"}`},
		{"a token as a Hub user id", "GET", "/hub/api/rest/users/" + rootToken + "/permanenttokens", "", 404,
			`{"error":"Not Found","error_code":404,"error_description":"User <token> not found"}`},
		{"a token as an unknown path", "GET", "/api/" + bannedToken, "", 404,
			`{"error":"Not Found","error_description":"HTTP 404 Not Found"}`},
		{"a token as a scope key", "POST", "/hub/api/rest/users/me/permanenttokens", `{"name":"x","scope":[{"key":"` + revokedToken + `"}]}`, 400,
			`{"error":"Bad Request","error_code":400,"error_description":"Unknown service \"<token>\" in scope; GET /hub/api/rest/services lists them"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := request(t, srv.URL, tc.method, tc.path, tc.body, bearer(rootToken))
			require.Equal(t, tc.wantStatus, got.status, got.body)
			assert.JSONEq(t, tc.wantBody, got.body)
		})
	}
	// Lines reach the log within mockserver.AccessLogDelay.
	require.Eventually(t, func() bool { return strings.Count(logged.String(), "\n") >= len(cases) }, time.Second, time.Millisecond)
	out := logged.String()
	assert.Equal(t, len(cases), strings.Count(out, "\n"), "one access log line per request:\n%s", out)
	assert.Contains(t, out, "GET /api/admin/projects/<token> 404")
	for _, token := range []string{rootToken, restrictedToken, bannedToken, revokedToken} {
		assert.NotContains(t, out, token[len(token)-30:])
	}
}

// lockedBuffer is a bytes.Buffer that the access log's timer may write while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
