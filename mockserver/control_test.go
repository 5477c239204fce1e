package mockserver_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/mockserver/mocktest"
)

func TestHealth(t *testing.T) {
	base := startWith(t, mockserver.Options{})
	got := request(t, base, "GET", "/__ytmock/health", "")
	assert.Equal(t, 200, got.status)
	assert.JSONEq(t, `{"status":"ok"}`, got.body)
}

func TestJournalShowsTheLastRequestWithoutItsToken(t *testing.T) {
	base := startWith(t, mockserver.Options{JournalSize: mockserver.DefaultJournalSize})
	request(t, base, "GET", "/api/admin/projects?fields=id&marker=journal", "", bearer(rootToken))

	got := request(t, base, "GET", "/__ytmock/requests", "")
	require.Equal(t, 200, got.status)
	last := gjson.Get(got.body, "requests.@reverse.0")
	assert.Equal(t, "GET", last.Get("method").String())
	assert.Equal(t, "/api/admin/projects", last.Get("path").String())
	assert.Equal(t, "fields=id&marker=journal", last.Get("query").String())
	assert.Equal(t, int64(200), last.Get("status").Int())
	assert.Equal(t, "root", last.Get("login").String())
	assert.True(t, last.Get("time").Exists() && last.Get("durationMs").Exists())
	assert.NotContains(t, got.body, "rNZ38ije7uiWwnUTRDdyFDdUkoPUPi")
}

func TestJournalRedactsSecretsInTheQueryAndPath(t *testing.T) {
	cases := []struct {
		name, target, wantPath, wantQuery, secret string
	}{
		{"a token-shaped value", "/api/users/me?fields=id&t=" + rootToken, "/api/users/me", "fields=id&t=REDACTED", "rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"},
		{"a parameter named like a secret", "/api/users/me?access_token=hunter2hunter2&x=1", "/api/users/me", "access_token=REDACTED&x=1", "hunter2"},
		{"a known token of another shape", "/api/users/me?q=plainsecret123", "/api/users/me", "q=REDACTED", "plainsecret123"},
		{"a bare token as the query", "/api/users/me?" + restrictedToken, "/api/users/me", "REDACTED", "rER8oiShCtPGQJF8l4CS0epHvvUbSQ"},
		{"a token in the path", "/api/" + revokedToken + "/x", "/api/REDACTED/x", "", "oP7D0miCSQwILqrxp5fkTIXhNhsiiw"},
		{"a percent-encoded token", "/api/users/me?v=perm%3Acm9vdA%3D%3D.x.y", "/api/users/me", "v=REDACTED", "cm9vdA"},
		{"an ordinary query is kept as sent", "/api/admin/projects?fields=id,name&$top=1&query=a%20b", "/api/admin/projects", "fields=id,name&$top=1&query=a%20b", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := mockserver.DefaultFixtures()
			require.NoError(t, err)
			f.Tokens = append(f.Tokens, mockserver.Token{Token: "plainsecret123", User: "jane.roe", Name: "plain"})
			ts := mocktest.NewTestServer(t, mocktest.WithFixtures(f))
			request(t, ts.URL, "GET", tc.target, "", bearer(rootToken))

			got := request(t, ts.URL, "GET", "/__ytmock/requests", "")
			last := gjson.Get(got.body, "requests.@reverse.0")
			assert.Equal(t, tc.wantPath, last.Get("path").String())
			assert.Equal(t, tc.wantQuery, last.Get("query").String())
			if tc.secret != "" {
				assert.NotContains(t, got.body, tc.secret)
			}
		})
	}
}

func TestJournalIsABoundedRing(t *testing.T) {
	base := startWith(t, mockserver.Options{JournalSize: 3})
	for i := range 5 {
		request(t, base, "GET", fmt.Sprintf("/api/config?n=%d", i), "")
	}
	got := request(t, base, "GET", "/__ytmock/requests", "")
	var queries []string
	for _, q := range gjson.Get(got.body, "requests.#.query").Array() {
		queries = append(queries, q.String())
	}
	assert.Equal(t, []string{"n=2", "n=3", "n=4"}, queries, "the last three, oldest first")
}

func TestJournalControl(t *testing.T) {
	base := startWith(t, mockserver.Options{JournalSize: 10})
	request(t, base, "GET", "/api/users/me", "")
	request(t, base, "GET", "/__ytmock/health", "")

	got := request(t, base, "GET", "/__ytmock/requests", "")
	assert.Equal(t, int64(1), gjson.Get(got.body, "requests.#").Int(), "control requests stay out: %s", got.body)
	assert.Equal(t, "guest", gjson.Get(got.body, "requests.0.login").String())

	assert.Equal(t, 204, request(t, base, "DELETE", "/__ytmock/requests", "").status)
	got = request(t, base, "GET", "/__ytmock/requests", "")
	assert.JSONEq(t, `{"requests":[]}`, got.body)

	request(t, base, "GET", "/api/admin/projects", "", "Authorization: Bearer "+unknownToken)
	got = request(t, base, "GET", "/__ytmock/requests", "")
	assert.Equal(t, int64(401), gjson.Get(got.body, "requests.0.status").Int())
	assert.Equal(t, gjson.Null, gjson.Get(got.body, "requests.0.login").Type, "no user was identified")
}

func TestJournalOff(t *testing.T) {
	base := startWith(t, mockserver.Options{})
	got := request(t, base, "GET", "/__ytmock/requests", "")
	assert.Equal(t, 404, got.status)
	assert.Contains(t, gjson.Get(got.body, "error_description").String(), "--journal")
}

func TestResetReturnsToTheFixtures(t *testing.T) {
	base := startWith(t, mockserver.Options{})
	created := request(t, base, "POST", "/api/admin/projects?fields=id,shortName", `{"name":"New","shortName":"NEW"}`, bearer(rootToken), "Content-Type: application/json")
	require.Equal(t, 200, created.status, created.body)
	require.Equal(t, 200, request(t, base, "DELETE", "/api/admin/projects/FP", "", bearer(rootToken)).status)

	assert.Equal(t, 204, request(t, base, "POST", "/__ytmock/reset", "").status)

	got := request(t, base, "GET", "/api/admin/projects?fields=id,shortName", "", bearer(rootToken))
	var shortNames []string
	for _, s := range gjson.Get(got.body, "#.shortName").Array() {
		shortNames = append(shortNames, s.String())
	}
	assert.Equal(t, "FP,SP", strings.Join(shortNames, ","))
}

func TestReplace(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)

	bad, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	bad.Projects[0].Leader = "nobody"
	assert.ErrorContains(t, store.Replace(bad), `unknown user "nobody"`)

	ts := mocktest.NewTestServer(t, mocktest.WithFixtures(f))
	good, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	good.Projects = append(good.Projects, mockserver.Project{Name: "Third", ShortName: "TP"})
	require.NoError(t, ts.Store.Replace(good))
	got := request(t, ts.URL, "GET", "/api/admin/projects/TP?fields=id,name", "", bearer(ts.AdminToken))
	assert.Equal(t, 200, got.status)

	ts.Reset()
	got = request(t, ts.URL, "GET", "/api/admin/projects/TP?fields=id,name", "", bearer(ts.AdminToken))
	assert.Equal(t, 200, got.status, "Reset returns to the replaced fixtures, not the first ones")
}
