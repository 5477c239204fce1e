package mockserver_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
)

// The exact call sequences of real clients that cannot run here, replayed against the mock: what they send
// (youtrack-behaviour.md §8, read from each client's source) and what they need of the answers.

// TestYouTrackSharpConnects replays JetBrains' .NET client, BearerTokenConnection.GetAuthenticatedApiClient:
// users/me must say guest false; /api/config must give ring.url, which the client resolves against the
// server URL (a relative "/hub" lands at the origin); the Hub's users/me must say guest false too.
func TestYouTrackSharpConnects(t *testing.T) {
	for _, layout := range []struct{ name, basePath string }{{"at the origin", ""}, {"in the Cloud layout", "/youtrack"}} {
		t.Run(layout.name, func(t *testing.T) {
			server := startMockWith(t, nil, mockserver.Options{BasePath: layout.basePath}) + "/" // the client adds the slash
			headers := []string{root, "Accept: application/json", "Accept-Encoding: gzip, deflate"}
			api := strings.TrimSuffix(server, "/") + "/api/"

			me := request(t, api, "GET", "users/me?fields=id%2Cguest", "", headers...)
			require.Equal(t, 200, me.status, me.body)
			require.Equal(t, gjson.False, gjson.Get(me.body, "guest").Type, "a missing guest fails the connection as guest:true does: %s", me.body)
			require.NotEmpty(t, gjson.Get(me.body, "id").String())

			config := request(t, api, "GET", "config?fields=ring%28url%29", "", headers...)
			require.Equal(t, 200, config.status, config.body)
			ringURL := gjson.Get(config.body, "ring.url").String()
			require.NotEmpty(t, ringURL, "Failed to find Hub url in YouTrack config: %s", config.body)

			hubURL := resolve(t, server, strings.TrimSuffix(ringURL, "/")+"/api/rest/users/me?fields=guest")
			hubMe := request(t, hubURL, "GET", "", "", headers...)
			require.Equal(t, 200, hubMe.status, hubMe.body)
			assert.Equal(t, gjson.False, gjson.Get(hubMe.body, "guest").Type, hubMe.body)
		})
	}
}

// TestProvisioningScriptMintsAToken replays RafPe steampipe-plugin-youtrack's tests/e2e/provision.sh, which
// ran in CI against 2026.1: the admin's Hub id, the services' ids, a token scoped by id, and its first use.
func TestProvisioningScriptMintsAToken(t *testing.T) {
	base := startMock(t, nil)
	hubAPI := base + "/hub/api/rest"

	me := request(t, hubAPI, "GET", "/users/me?fields=id", "", root)
	require.Equal(t, 200, me.status, me.body)
	adminID := gjson.Get(me.body, "id").String()
	require.NotEmpty(t, adminID)

	services := request(t, hubAPI, "GET", "/services?fields=id,name,applicationName", "", root)
	require.Equal(t, 200, services.status, services.body)
	admin := gjson.Get(services.body, `services.#(name=="YouTrack Administration")#.id`).Array()
	youtrack := gjson.Get(services.body, `services.#(applicationName=="YouTrack")#.id`).Array()
	require.Len(t, admin, 1, "exactly one YouTrack Administration service: %s", services.body)
	require.Len(t, youtrack, 1, "exactly one YouTrack service: %s", services.body)

	body := `{"name":"steampipe-e2e-provision","scope":[{"id":"` + admin[0].String() + `"},{"id":"` + youtrack[0].String() + `"}]}`
	minted := request(t, hubAPI, "POST", "/users/"+adminID+"/permanenttokens?fields=token", body, root, "Content-Type: application/json")
	require.Equal(t, 200, minted.status, minted.body)
	token := gjson.Get(minted.body, "token").String()
	require.Regexp(t, modernTokenShape, token)

	assert.Equal(t, 200, request(t, base, "GET", "/api/users/me", "", bearer(token)).status, "the new token works")
	assert.Equal(t, 200, request(t, hubAPI, "GET", "/users/me", "", bearer(token)).status, "on the Hub too")
}

// TestGoClientsLookUpUsersAndUpdateProjects replays the Go clients: mkozhukh/youtrack (users?query=login:X),
// ELCAIT youtrack-api-client (a page of users, matched by login; leader(id,login,name); an update by POST),
// and RafPe's steampipe plugin (users/{login}, project ringId).
func TestGoClientsLookUpUsersAndUpdateProjects(t *testing.T) {
	base := startMock(t, nil)
	byQuery := request(t, base, "GET", "/api/users?query=login:jane.roe&$top=1&fields=id,login,ringId", "", root)
	require.Equal(t, 200, byQuery.status, byQuery.body)
	assert.Equal(t, "jane.roe", gjson.Get(byQuery.body, "0.login").String())

	page := request(t, base, "GET", "/api/users?fields=id,ringId,name,login,$type&$top=100&$skip=0", "", root)
	require.Equal(t, 200, page.status, page.body)
	janeID := gjson.Get(page.body, `#(login=="jane.roe").id`).String()
	require.Equal(t, "1-2", janeID)

	byLogin := request(t, base, "GET", "/api/users/jane.roe?fields=id,login,fullName,email,ringId", "", root)
	require.Equal(t, 200, byLogin.status, byLogin.body)
	assert.Equal(t, ringIDOf("jane.roe"), gjson.Get(byLogin.body, "ringId").String())

	update := request(t, base, "POST", "/api/admin/projects/0-0?fields=id,name,ringId,leader(id,login,name)",
		`{"description":"moved","leader":{"id":"`+janeID+`"}}`, root, "Content-Type: application/json")
	require.Equal(t, 200, update.status, update.body)
	assert.JSONEq(t, `{"id":"0-0","name":"First Project","ringId":"`+ringIDOf("project:0-0")+`","leader":{"id":"1-2","login":"jane.roe","name":"Jane Roe","$type":"User"},"$type":"Project"}`, update.body)
}

// resolve is ref against base, as .NET's Uri and a browser do: a path from the root replaces base's path.
func resolve(t *testing.T, base, ref string) string {
	t.Helper()
	b, err := url.Parse(base)
	require.NoError(t, err)
	r, err := url.Parse(ref)
	require.NoError(t, err)
	return b.ResolveReference(r).String()
}
