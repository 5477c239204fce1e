package mocktest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/mockserver/mocktest"
)

// The default fixtures' tokens (public test data, printed by the mock at start-up).
const (
	rootToken       = "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"
	restrictedToken = "perm-amFuZS5yb2U=.NDEtMQ==.rER8oiShCtPGQJF8l4CS0epHvvUbSQ"
	bannedToken     = "perm-bWFsbG9yeQ==.NDEtMg==.ksjl8SmooJ9QSp6w1gOR9DXEht9Mu2"
)

func bearer(token string) string { return "Authorization: Bearer " + token }

// status sends method path with the given headers ("Name: value") and returns the answer's status.
func status(t *testing.T, baseURL, method, path string, headers ...string) int {
	t.Helper()
	req, err := http.NewRequest(method, baseURL+path, nil)
	require.NoError(t, err)
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ": ")
		require.True(t, ok, "header %q is not 'Name: value'", h)
		req.Header.Add(name, value)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestNewTestServerGivesTheFixtureTokens(t *testing.T) {
	ts := mocktest.NewTestServer(t)
	assert.Equal(t, rootToken, ts.AdminToken)
	assert.Equal(t, restrictedToken, ts.RestrictedToken)
	assert.Equal(t, map[string]string{"root": rootToken, "jane.roe": restrictedToken, "mallory": bannedToken}, ts.Tokens)

	cases := []struct {
		name   string
		token  string
		status int
	}{
		{"the admin token reads FP", ts.AdminToken, 200},
		{"the restricted token does not", ts.RestrictedToken, 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.status, status(t, ts.URL, "GET", "/api/admin/projects/FP", bearer(tc.token)))
		})
	}
}

func TestNewTestServerClosesOnCleanup(t *testing.T) {
	var url string
	t.Run("a test using the server", func(t *testing.T) {
		ts := mocktest.NewTestServer(t)
		url = ts.URL
		assert.Equal(t, 200, status(t, url, "GET", "/__ytmock/health"))
	})
	client := &http.Client{Timeout: 2 * time.Second}
	_, err := client.Get(url + "/__ytmock/health")
	assert.Error(t, err, "the server is closed once its test has finished")
}

func TestNewTestServerOptions(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	f.Projects = append(f.Projects, mockserver.Project{Name: "Third Project", ShortName: "TP"})
	ts := mocktest.NewTestServer(t, mocktest.WithFixtures(f),
		mocktest.WithFaults(mockserver.Faults{AllowHeader: true}))
	assert.Equal(t, 200, status(t, ts.URL, "GET", "/api/admin/projects/TP", bearer(ts.AdminToken)))
	assert.Equal(t, 503, status(t, ts.URL, "GET", "/api/users/me", mockserver.FaultHeader+": 503"))

	entries, err := ts.Requests()
	require.NoError(t, err)
	require.Len(t, entries, 2)
	assert.Equal(t, 503, entries[1].Status)
	assert.Nil(t, entries[1].Login, "a faulted request never reached authentication")
}

func TestStartTestServerRefusesBadSettings(t *testing.T) {
	bad, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	bad.Users[0].Login = ""
	cases := []struct {
		name string
		opt  mocktest.Option
		want string
	}{
		{"invalid fixtures", mocktest.WithFixtures(bad), "users[0].login: is required"},
		{"invalid faults", mocktest.WithFaults(mockserver.Faults{Rate: 3}), "between 0 and 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mocktest.StartTestServer(tc.opt)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
