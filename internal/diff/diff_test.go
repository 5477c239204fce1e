package diff

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/report"
)

const (
	listProjects = "GET /api/admin/projects"
	getProject   = "GET /api/admin/projects/{id}"
	me           = "GET /api/users/me"
	legacy       = "GET /rest/admin/project"
	listTokens   = "GET /hub/api/rest/users/{userId}/permanenttokens"
	createToken  = "POST /hub/api/rest/users/{userId}/permanenttokens"
)

func TestCompare(t *testing.T) {
	project := ok(getProject, "/api/admin/projects/0-1?fields=id,name,leader(login)",
		`{"id":"0-1","name":"First Project","leader":{"login":"root","$type":"User"},"$type":"Project"}`)
	projects := ok(listProjects, "/api/admin/projects?fields=name,leader(login)",
		`[{"name":"First Project","leader":{"login":"root","$type":"User"},"$type":"Project"}]`)
	cases := []struct {
		name      string
		values    bool
		a, a2, b  []answerOf // a2 nil: the same as a
		want      []string
		wantNoise []string // learned noise, "operation path", when the case is about it
	}{
		{
			name:   "the same answers with other ids, times and token secrets differ in nothing",
			values: true,
			a: []answerOf{ok(createToken, "/hub/api/rest/users/1-2/permanenttokens?fields=id,name,token,creationTime",
				`{"id":"4a8f-1","name":"ci","token":"perm:cm9vdA==.Y2k=.aaaaaaaaaaaaaaaaaaaa","creationTime":1700000000000}`)},
			a2: []answerOf{ok(createToken, "/hub/api/rest/users/1-2/permanenttokens?fields=id,name,token,creationTime",
				`{"id":"9c01-7","name":"ci","token":"perm:cm9vdA==.Y2k=.bbbbbbbbbbbbbbbbbbbb","creationTime":1700000042000}`).
				with("Date: Fri, 27 Nov 2026 08:00:00 GMT")},
			b: []answerOf{ok(createToken, "/hub/api/rest/users/1-2/permanenttokens?fields=id,name,token,creationTime",
				`{"id":"0-0","name":"ci","token":"perm-cm9vdA==.Y2k=.cccccccccccccccccccc","creationTime":5}`).
				with("Content-Length: 99")},
			wantNoise: []string{createToken + " body.id"},
		},
		{
			name: "B adding id to an object is one keys difference at its path",
			a:    []answerOf{projects},
			b: []answerOf{ok(listProjects, "/api/admin/projects?fields=name,leader(login)",
				`[{"name":"First Project","leader":{"id":"1-1","login":"root","$type":"User"},"$type":"Project"}]`)},
			want: []string{"keys GET /api/admin/projects body[*].leader: A {login,$type}, B {id,login,$type} (1)"},
		},
		{
			name: "B answering 400 where A answered 200 is a status difference, and nothing else",
			a:    []answerOf{ok(me, "/api/users/me?fields=login", `{"login":"root","$type":"Me"}`)},
			b: []answerOf{{op: me, path: "/api/users/me?fields=login", status: 400,
				body: `{"error":"bad_request","error_description":"fields"}`}},
			want: []string{"status GET /api/users/me status: A 200 OK, B 400 Bad Request (1)"},
		},
		{
			name: "another error code is an error-code difference",
			a: []answerOf{{op: listProjects, path: "/api/admin/projects?$top=x", status: 400,
				body: `{"error":"Bad Request","error_description":"Invalid $top"}`}},
			b: []answerOf{{op: listProjects, path: "/api/admin/projects?$top=x", status: 400,
				body: `{"error":"bad_request","error_description":"$top must be a number"}`}},
			want: []string{`error-code GET /api/admin/projects body.error: A "Bad Request", B "bad_request" (1)`},
		},
		{
			name: "a documented header B does not send is a header difference",
			a:    []answerOf{projects},
			b:    []answerOf{projects.with("X-Content-Type-Options:")},
			want: []string{"header GET /api/admin/projects header X-Content-Type-Options: A nosniff, B (absent) (1)"},
		},
		{
			name: "another $type is a $type difference",
			a: []answerOf{ok(listProjects, "/api/admin/projects",
				`[{"id":"0-0","$type":"jetbrains.charisma.persistent.Project"}]`)},
			b:    []answerOf{ok(listProjects, "/api/admin/projects", `[{"id":"0-0","$type":"Project"}]`)},
			want: []string{"$type GET /api/admin/projects body[*]: A jetbrains.charisma.persistent.Project, B Project (1)"},
		},
		{
			name: "a string where A has a number is a type difference",
			a:    []answerOf{ok(listTokens, "/hub/api/rest/users/1-2/permanenttokens", `{"skip":0,"total":1,"permanenttokens":[]}`)},
			b:    []answerOf{ok(listTokens, "/hub/api/rest/users/1-2/permanenttokens", `{"skip":0,"total":"1","permanenttokens":[]}`)},
			want: []string{"type GET /hub/api/rest/users/{userId}/permanenttokens body.total: A number, B string (1)"},
		},
		{
			name:   "another name is a value difference when values are compared",
			values: true,
			a:      []answerOf{project},
			b: []answerOf{ok(getProject, "/api/admin/projects/0-1?fields=id,name,leader(login)",
				`{"id":"0-1","name":"Erstes Projekt","leader":{"login":"root","$type":"User"},"$type":"Project"}`)},
			want: []string{`value GET /api/admin/projects/{id} body.name: A "First Project", B "Erstes Projekt" (1)`},
		},
		{
			name: "another name is no difference when only structure is compared",
			a:    []answerOf{project},
			b: []answerOf{ok(getProject, "/api/admin/projects/0-1?fields=id,name,leader(login)",
				`{"id":"0-1","name":"Erstes Projekt","leader":{"login":"root","$type":"User"},"$type":"Project"}`)},
		},
		{
			name:   "legacy links to each server's own base URL are no difference",
			values: true,
			a: []answerOf{ok(legacy, "/rest/admin/project",
				`[{"id":"First Project","url":"{base}/rest/admin/project/FP"},{"id":"Second Project","url":"{base}/rest/admin/project/SP"}]`).
				with("Location: {base}/rest/admin/project")},
		},
		{
			name: "Content-Type parameters in another case are no difference",
			a:    []answerOf{projects},
			b:    []answerOf{projects.with("Content-Type: application/json; charset=utf-8")},
		},
		{
			name: "another media type is a content-type difference; then headers are only compared by presence, and bodies not at all",
			a:    []answerOf{projects},
			b: []answerOf{answerOf{op: listProjects, path: "/api/admin/projects", status: 200, body: "<html>Sign in</html>"}.
				with("Content-Type: text/html", "Server: nginx", "X-Content-Type-Options:")},
			want: []string{"content-type GET /api/admin/projects header Content-Type: A application/json;charset=UTF-8, B text/html (1)",
				"header GET /api/admin/projects header X-Content-Type-Options: A nosniff, B (absent) (1)"},
		},
		{
			name:      "a header value that differs between A's runs is noise",
			a:         []answerOf{projects},
			a2:        []answerOf{projects.with("Server: YouTrack/2026.1")},
			b:         []answerOf{projects.with("Server: nginx")},
			wantNoise: []string{"GET /api/admin/projects header Server"},
		},
		{
			name: "a status that differs between A's runs is noise",
			a:    []answerOf{ok(me, "/api/users/me", `{"login":"root"}`)},
			a2:   []answerOf{{op: me, path: "/api/users/me", status: 503, body: "busy"}},
			b:    []answerOf{{op: me, path: "/api/users/me", status: 500, body: ""}},
		},
		{
			name: "B sending more requests is a count difference",
			a:    []answerOf{projects},
			b:    []answerOf{projects, project},
			want: []string{"count GET /api/admin/projects/{id} requests: A 1, B 2 (B sent 1 request more) (1)"},
		},
		{
			name: "B sending fewer requests is a count difference named after the first it did not send",
			a:    []answerOf{projects, project, projects},
			b:    []answerOf{projects},
			want: []string{"count GET /api/admin/projects/{id} requests: A 3, B 1 (B sent 2 requests fewer) (1)"},
		},
		{
			name: "B sending another request stops the comparison of its scenario",
			a:    []answerOf{projects, project},
			b:    []answerOf{project, projects},
			want: []string{"request GET /api/admin/projects request: " +
				"A GET {base}/api/admin/projects?fields=name,leader(login), B GET {base}/api/admin/projects/0-1?fields=id,name,leader(login) (1)"},
		},
		{
			name: "a request of no operation is named by its method and path, ids as {id}",
			a:    []answerOf{{path: "/hub/api/rest/users/12345?fields=id", status: 200, body: `{"id":"12345"}`}},
			b:    []answerOf{{path: "/hub/api/rest/users/12345?fields=id", status: 404, body: `{"error":"not found"}`}},
			want: []string{"status GET /hub/api/rest/users/{id} status: A 200 OK, B 404 Not Found (1)"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a2 := c.a2
			if a2 == nil {
				a2 = c.a
			}
			b := c.b
			if b == nil {
				b = c.a
			}
			scenario := func(as []answerOf) play { return play{name: "Listing", answers: as} }
			r := Compare(runOn(baseA, scenario(c.a)), runOn(baseA, scenario(a2)), runOn(baseB, scenario(b)),
				Options{Values: c.values})
			want := c.want
			if want == nil {
				want = []string{}
			}
			require.Equal(t, want, lines(r.Differences))
			assert.Equal(t, len(want) > 0, r.Differs())
			if c.wantNoise != nil {
				var learned []string
				for _, l := range r.Noise.Learned {
					learned = append(learned, l.Operation+" "+l.Path)
				}
				assert.Equal(t, c.wantNoise, learned)
			}
		})
	}
}

func TestNoiseIsReportedOnce(t *testing.T) {
	first := func(id, secret string, created int) answerOf {
		return ok(getProject, "/api/admin/projects/"+id,
			`{"id":"`+id+`","shortName":"FP","token":"perm:YWRtaW4=.`+secret+`","creationTime":`+strconv.Itoa(created)+`,"$type":"Project"}`)
	}
	a1 := runOn(baseA, play{name: "Reading a project", answers: []answerOf{first("0-1", "aaa", 1)}},
		play{name: "Reading it again", answers: []answerOf{first("0-1", "aaa", 1), first("0-2", "bbb", 2)}})
	a2 := runOn(baseA, play{name: "Reading a project", answers: []answerOf{first("0-5", "ccc", 3)}},
		play{name: "Reading it again", answers: []answerOf{first("0-5", "ccc", 3), first("0-6", "ddd", 4)}})
	b := runOn(baseB, play{name: "Reading a project", answers: []answerOf{first("0-0", "eee", 5)}},
		play{name: "Reading it again", answers: []answerOf{first("0-0", "eee", 5), first("0-9", "fff", 6)}})

	t.Run("with values, the ids that vary on A are ignored, once", func(t *testing.T) {
		r := Compare(a1, a2, b, Options{Values: true})
		require.False(t, r.Differs(), lines(r.Differences))
		require.Equal(t, []Learned{{Operation: getProject, Path: "body.id", Kinds: []Kind{KindValue}}}, r.Noise.Learned)
		var rules []string
		for _, rl := range r.Noise.Rules {
			rules = append(rules, rl.Name)
		}
		assert.Equal(t, []string{"token shape → <token>", "JSON key creationTime", "header Date", "header Content-Length"}, rules)
		assert.Equal(t, Counts{Exchanges: 3, IgnoredPaths: 1}, r.Counts)
	})
	t.Run("without values, no value was ignored", func(t *testing.T) {
		r := Compare(a1, a2, b, Options{})
		require.False(t, r.Differs())
		assert.Empty(t, r.Noise.Learned)
	})
}

func TestNotCompared(t *testing.T) {
	me := ok(me, "/api/users/me", `{"login":"root","$type":"Me"}`)
	scenarios := func(onB bool) []play {
		ps := []play{
			{name: "Me", answers: []answerOf{me}},
			{name: "A restricted user lists fewer projects", answers: []answerOf{me}},
			{name: "Revoking a token", answers: []answerOf{me}},
		}
		if onB {
			ps[1] = play{name: ps[1].name, skipped: "the target file names no restricted user"}
			ps[2].absent = true
		}
		return ps
	}
	a := runOn(baseA, scenarios(false)...)
	a.Features[0].Scenarios = append(a.Features[0].Scenarios, &report.Scenario{Name: "Writing", Line: 40, Outcome: "skipped",
		Reason: "the target does not allow writes"})
	r := Compare(a, a, runOn(baseB, scenarios(true)...), Options{})

	require.False(t, r.Differs())
	assert.Equal(t, []NotCompared{
		{Feature: "features/projects.feature", Line: 10, Scenario: "A restricted user lists fewer projects",
			Reason: "skipped on B: the target file names no restricted user"},
		{Feature: "features/projects.feature", Line: 17, Scenario: "Revoking a token", Reason: "absent from B's run"},
		{Feature: "features/projects.feature", Line: 40, Scenario: "Writing", Reason: "skipped on A: the target does not allow writes"},
	}, r.NotCompared)
	assert.Equal(t, Counts{Exchanges: 1, NotCompared: 3}, r.Counts)
}

func TestTheEmbeddedMocksAddresses(t *testing.T) {
	// The embedded mock starts afresh at its own address for every scenario, and the run has no base URL:
	// each exchange's origin stands for it.
	legacyList := ok(legacy, "/rest/admin/project", `[{"id":"First Project","url":"{base}/rest/admin/project/FP"}]`)
	hubUser := ok("", "/hub/api/rest/users/1-2?fields=avatar", `{"avatar":{"url":"{base}/hub/api/rest/avatar/1-2"}}`)
	mockRun := func(ports ...string) *report.Run {
		r := runOn("http://127.0.0.1:"+ports[0], play{name: "Legacy", answers: []answerOf{legacyList, hubUser}})
		r2 := runOn("http://127.0.0.1:"+ports[1], play{name: "Again", answers: []answerOf{legacyList}})
		r.Features[0].Scenarios = append(r.Features[0].Scenarios, r2.Features[0].Scenarios[0])
		r.Features[0].Scenarios[1].Line = 10
		r.BaseURL, r.HubURL = "", ""
		return r
	}
	r := Compare(mockRun("40001", "40002"), mockRun("40003", "40004"), runOn("https://youtrack.example/youtrack",
		play{name: "Legacy", answers: []answerOf{legacyList, hubUser}}, play{name: "Again", answers: []answerOf{legacyList}}),
		Options{Values: true})
	require.False(t, r.Differs(), lines(r.Differences))
	assert.Equal(t, 3, r.Counts.Exchanges)
	assert.Empty(t, r.Noise.Learned, "the ports are not learned as noise: they are no noise")
	assert.Contains(t, r.Noise.Rules, Rule{Name: "base URL → {base}", Exchanges: 2})
	assert.Contains(t, r.Noise.Rules, Rule{Name: "Hub URL → {hub}", Exchanges: 1})
}
