package mockserver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

func TestNewTestServerGivesTheFixtureTokens(t *testing.T) {
	ts := mockserver.NewTestServer(t)
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
			assert.Equal(t, tc.status, request(t, ts.URL, "GET", "/api/admin/projects/FP", "", bearer(tc.token)).status)
		})
	}
}

func TestNewTestServerClosesOnCleanup(t *testing.T) {
	var url string
	t.Run("a test using the server", func(t *testing.T) {
		ts := mockserver.NewTestServer(t)
		url = ts.URL
		assert.Equal(t, 200, request(t, url, "GET", "/__ytmock/health", "").status)
	})
	client := &http.Client{Timeout: 2 * time.Second}
	_, err := client.Get(url + "/__ytmock/health")
	assert.Error(t, err, "the server is closed once its test has finished")
}

func TestNewTestServerOptions(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	f.Projects = append(f.Projects, mockserver.Project{Name: "Third Project", ShortName: "TP"})
	ts := mockserver.NewTestServer(t, mockserver.WithFixtures(f),
		mockserver.WithFaults(mockserver.Faults{AllowHeader: true}))
	assert.Equal(t, 200, request(t, ts.URL, "GET", "/api/admin/projects/TP", "", bearer(ts.AdminToken)).status)
	assert.Equal(t, 503, request(t, ts.URL, "GET", "/api/users/me", "", mockserver.FaultHeader+": 503").status)

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
		opt  mockserver.TestOption
		want string
	}{
		{"invalid fixtures", mockserver.WithFixtures(bad), "users[0].login: is required"},
		{"invalid faults", mockserver.WithFaults(mockserver.Faults{Rate: 3}), "between 0 and 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mockserver.StartTestServer(tc.opt)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
