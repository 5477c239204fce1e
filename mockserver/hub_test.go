package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
)

const hub = "/hub/api/rest"

var modernTokenShape = regexp.MustCompile(`^perm-[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9]{30}$`)

// createToken creates a token for login through the Hub API as root and returns its id and secret.
func createToken(t *testing.T, base, owner, body string) (id, secret string) {
	t.Helper()
	got := request(t, base, "POST", hub+"/users/"+owner+"/permanenttokens?fields=id,name,token,scope(key)", body,
		bearer(rootToken), "Content-Type: application/json")
	require.Equal(t, 200, got.status, got.body)
	return gjson.Get(got.body, "id").String(), gjson.Get(got.body, "token").String()
}

func TestTokenLifecycle(t *testing.T) {
	base := startMock(t, nil)
	id, secret := createToken(t, base, "me", `{"name":"ci","scope":[{"key":"YouTrack"},{"key":"Hub"}]}`)
	require.Regexp(t, modernTokenShape, secret)

	me := request(t, base, "GET", "/api/users/me?fields=login", "", bearer(secret))
	require.Equal(t, 200, me.status)
	assert.Equal(t, "root", gjson.Get(me.body, "login").String(), "the new token acts as its owner")

	list := request(t, base, "GET", hub+"/users/me/permanenttokens?fields=id,name,token,lastAccessTime", "", bearer(rootToken))
	require.Equal(t, 200, list.status)
	assert.Equal(t, int64(1), gjson.Get(list.body, `permanenttokens.#(id=="`+id+`")#|#`).Int(), "listed once: %s", list.body)
	assert.False(t, gjson.Get(list.body, "permanenttokens.#.token").IsArray() && len(gjson.Get(list.body, "permanenttokens.#.token").Array()) > 0,
		"no listing shows a secret: %s", list.body)
	assert.NotContains(t, list.body, secret)
	assert.Positive(t, gjson.Get(list.body, `permanenttokens.#(id=="`+id+`").lastAccessTime`).Int(), "use is recorded")
	assert.Equal(t, gjson.Get(list.body, "total").Int(), gjson.Get(list.body, "permanenttokens.#").Int())

	one := request(t, base, "GET", hub+"/users/root/permanenttokens/"+id, "", bearer(rootToken))
	require.Equal(t, 200, one.status)
	assert.NotContains(t, one.body, secret, "reading one token does not show its secret")

	revoke := request(t, base, "DELETE", hub+"/users/"+ringIDOf("root")+"/permanenttokens/"+id, "", bearer(rootToken))
	require.Equal(t, 200, revoke.status, revoke.body)
	after := request(t, base, "GET", "/api/admin/projects", "", bearer(secret))
	unknown := request(t, base, "GET", "/api/admin/projects", "", bearer(unknownToken))
	assert.Equal(t, 401, after.status, "a revoked token fails at once")
	assert.Equal(t, unknown.body, after.body, "a revoked token is answered like an unknown one")
}

func TestHubAccess(t *testing.T) {
	base := startMock(t, nil)
	id, _ := createToken(t, base, "me", `{"name":"root's","scope":[{"key":"YouTrack"}]}`)
	jane := bearer(restrictedToken)
	cases := []struct {
		name       string
		method     string
		path       string
		body       string
		headers    []string
		wantStatus int
		wantBody   string
	}{
		{"another user cannot list my tokens", "GET", hub + "/users/root/permanenttokens", "", []string{jane}, 403,
			`{"error":"Forbidden","error_code":403,"error_description":"Only the owner or an administrator may manage these tokens"}`},
		{"another user cannot list them by Hub id", "GET", hub + "/users/" + ringIDOf("root") + "/permanenttokens", "", []string{jane}, 403, ""},
		{"a YouTrack database id is no Hub id", "GET", hub + "/users/1-1/permanenttokens", "", []string{bearer(rootToken)}, 404, ""},
		{"another user cannot read one", "GET", hub + "/users/root/permanenttokens/" + id, "", []string{jane}, 403, ""},
		{"another user cannot revoke one", "DELETE", hub + "/users/root/permanenttokens/" + id, "", []string{jane}, 403, ""},
		{"another user's 'me' is not mine", "DELETE", hub + "/users/me/permanenttokens/" + id, "", []string{jane}, 404,
			`{"error":"Not Found","error_code":404,"error_description":"Permanent token ` + id + ` not found"}`},
		{"a user lists its own tokens", "GET", hub + "/users/me/permanenttokens?fields=id,name", "", []string{jane}, 200,
			`{"skip":0,"top":1,"total":1,"permanenttokens":[{"id":"41-1","name":"ci"}]}`},
		{"an admin lists anyone's tokens", "GET", hub + "/users/jane.roe/permanenttokens?fields=name,user(id,login),scope(id,name),aliases", "", []string{bearer(rootToken)}, 200,
			`{"skip":0,"top":1,"total":1,"permanenttokens":[{"name":"ci","user":{"id":"` + ringIDOf("jane.roe") + `","login":"jane.roe","type":"user"},"scope":[{"id":"0-0-0-0-0","name":"YouTrack Administration"},{"id":"` + ringIDOf("service:YouTrack") + `","name":"YouTrack"}],"aliases":null}]}`},
		{"an unknown user is 404", "GET", hub + "/users/nobody/permanenttokens", "", []string{bearer(rootToken)}, 404,
			`{"error":"Not Found","error_code":404,"error_description":"User nobody not found"}`},
		{"a token without the Hub scope is refused in the Hub's words", "GET", hub + "/users/me/permanenttokens", "", []string{bearer(scopedToken(t, base, "YouTrack"))}, 401,
			`{"error":"invalid_token","error_code":401,"error_description":"Token is granted for [YouTrack] and can't be used for 0-0-0-0-0","error_developer_message":"Token is granted for [YouTrack] and can't be used for 0-0-0-0-0"}`},
		{"a token without the YouTrack scope is refused on /api", "GET", "/api/admin/projects", "", []string{bearer(scopedToken(t, base, "Hub"))}, 401, unauthorizedBody},
		{"a token without the YouTrack scope is refused on /rest", "GET", "/rest/admin/project", "", []string{bearer(scopedToken(t, base, "Hub"))}, 401, `{"value":"You are not logged in."}`},
		{"no token on the Hub API is 401", "GET", hub + "/users/me/permanenttokens", "", nil, 401,
			`{"error":"Unauthorized","error_code":401,"error_description":""}`},
		{"an empty POST is 400", "POST", hub + "/users/me/permanenttokens", "", []string{bearer(rootToken)}, 400,
			`{"error":"bad_request","error_code":400,"error_description":"The request body is empty; a JSON object is required"}`},
		{"an unknown service is 400", "POST", hub + "/users/me/permanenttokens", `{"name":"x","scope":[{"id":"Mail"}]}`, []string{bearer(rootToken)}, 400,
			`{"error":"Bad Request","error_code":400,"error_description":"Unknown service \"Mail\" in scope; GET /hub/api/rest/services lists them"}`},
		{"a scope of the wrong JSON type is 400", "POST", hub + "/users/me/permanenttokens", `{"name":"x","scope":"YouTrack"}`, []string{bearer(rootToken)}, 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := request(t, base, tc.method, tc.path, tc.body, tc.headers...)
			require.Equal(t, tc.wantStatus, got.status, "body: %s", got.body)
			if tc.wantBody != "" {
				assert.JSONEq(t, tc.wantBody, got.body)
			}
		})
	}
}

// scopedToken creates a token of root's granted for the one service.
func scopedToken(t *testing.T, base, service string) string {
	_, secret := createToken(t, base, "me", `{"name":"only `+service+`","scope":[{"key":"`+service+`"}]}`)
	return secret
}

// TestRevocationRace uses a token from many goroutines while another revokes it. Every request sent
// after the DELETE has been answered must fail, and every request answered before the DELETE was sent
// must succeed.
func TestRevocationRace(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewServer(mockserver.New(store, mockserver.Options{}))
	defer srv.Close()
	_, secret := createToken(t, srv.URL, "me", `{"name":"raced","scope":[{"key":"YouTrack"},{"key":"Hub"}]}`)

	var (
		deleteSent     atomic.Bool
		deleteAnswered atomic.Bool
		lateSuccesses  atomic.Int64
		earlyFailures  atomic.Int64
		requests       atomic.Int64
		wg             sync.WaitGroup
		stop           = make(chan struct{})
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				answeredBefore := deleteAnswered.Load()
				req, _ := http.NewRequest("GET", srv.URL+"/api/users/me", nil)
				req.Header.Set("Authorization", "Bearer "+secret)
				resp, err := client.Do(req)
				if err != nil {
					t.Errorf("request failed: %v", err)
					return
				}
				resp.Body.Close()
				sentBefore := !deleteSent.Load()
				requests.Add(1)
				if answeredBefore && resp.StatusCode == 200 {
					lateSuccesses.Add(1)
				}
				if sentBefore && resp.StatusCode != 200 {
					earlyFailures.Add(1)
				}
			}
		}()
	}
	waitFor(func() bool { return requests.Load() >= 200 }) // let the hammer get going before revoking
	id := tokenIDOf(t, srv.URL, "raced")
	deleteSent.Store(true)
	got := request(t, srv.URL, "DELETE", hub+"/users/me/permanenttokens/"+id, "", bearer(rootToken))
	deleteAnswered.Store(true)
	require.Equal(t, 200, got.status)
	n := requests.Load()
	waitFor(func() bool { return requests.Load() >= n+200 }) // and keep hammering a while after
	close(stop)
	wg.Wait()
	assert.Zero(t, lateSuccesses.Load(), "requests that succeeded after the DELETE was answered")
	assert.Zero(t, earlyFailures.Load(), "requests that failed before the DELETE was sent")
}

func waitFor(done func() bool) {
	for !done() {
		time.Sleep(time.Millisecond)
	}
}

func tokenIDOf(t *testing.T, base, name string) string {
	t.Helper()
	list := request(t, base, "GET", hub+"/users/me/permanenttokens?fields=id,name", "", bearer(rootToken))
	id := gjson.Get(list.body, `permanenttokens.#(name=="`+name+`").id`).String()
	require.NotEmpty(t, id, list.body)
	return id
}
