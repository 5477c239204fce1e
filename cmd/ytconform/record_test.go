package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/mockserver/mocktest"
)

// allFields lists projects with every property the mock models.
// allFields asks for every attribute record keeps, the Hub ids and users' names included.
const allFields = "/api/admin/projects?$top=-1&fields=id,ringId,name,shortName,description,archived,template,startingNumber," +
	"fromEmail,replyToEmail,iconUrl,leader(id,login,fullName,name,email,ringId),createdBy(id,login,fullName,name,email,ringId)"

func getBody(t *testing.T, url, token string) string {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode, "GET %s: %s", url, body)
	return string(body)
}

// mintedTokens finds the tokens record printed.
var mintedTokenLine = regexp.MustCompile(`(?m)^  (\S+)\s+(perm-\S+)$`)

func TestRecordThenReplayGivesIdenticalListings(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	for i := range 118 { // 120 in all: a full page of 100, then 20
		leader := []string{"root", "jane.roe"}[i%2]
		f.Projects = append(f.Projects, mockserver.Project{Name: fmt.Sprintf("Project %03d", i), ShortName: fmt.Sprintf("P%03d", i),
			Description: "recorded " + strconv.Itoa(i), Leader: leader, CreatedBy: "root", StartingNumber: int64(i)})
	}
	f.Projects[0].FromEmail, f.Projects[0].ReplyToEmail, f.Projects[0].IconURL = "yt@example.com", "reply@example.com", "/icon.png"
	f.Projects[1].Archived, f.Projects[1].Template, f.Projects[1].StartingNumber = true, true, 42
	f.Projects[2].RingID, f.Users[1].RingID = "f0f0f0f0-0000-4000-8000-000000000001", "f0f0f0f0-0000-4000-8000-000000000002"
	recorded := mocktest.NewTestServer(t, mocktest.WithFixtures(f))
	out := filepath.Join(t.TempDir(), "recorded.yaml")

	stdout, stderr, err := runCLI(t, nil, "record", "--base-url", recorded.URL, "--token", recorded.AdminToken, "--out", out)
	require.NoError(t, err, stderr)
	assert.Contains(t, stderr, "recorded 100 projects…", "progress is shown on long reads")
	assert.Contains(t, stdout, "120 projects")

	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.NotContains(t, string(data), recorded.AdminToken, "the recording holds no input token")
	assert.NotContains(t, string(data), "rNZ38ije7uiWwnUTRDdyFDdUkoPUPi")
	assert.NotContains(t, stdout, recorded.AdminToken, "nor does what record prints")
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the file holds tokens")

	replayFixtures, err := mockserver.LoadFixtures(out)
	require.NoError(t, err)
	replay := mocktest.NewTestServer(t, mocktest.WithFixtures(replayFixtures))
	assert.Equal(t, gjson.Get(getBody(t, recorded.URL+allFields, recorded.AdminToken), "@pretty").String(),
		gjson.Get(getBody(t, replay.URL+allFields, replay.AdminToken), "@pretty").String())
	assert.Equal(t, int64(120), gjson.Get(getBody(t, replay.URL+allFields, replay.AdminToken), "#").Int())

	minted := mintedTokenLine.FindAllStringSubmatch(stdout, -1)
	require.NotEmpty(t, minted, "record prints the tokens it minted: %s", stdout)
	for _, m := range minted {
		assert.Contains(t, string(data), m[2])
		me := getBody(t, replay.URL+"/api/users/me?fields=login", m[2])
		assert.Equal(t, m[1], gjson.Get(me, "login").String(), "the minted token of %s works on the replay", m[1])
	}
	assert.Equal(t, "allowed", replayFixtures.Guest.Access)
	assert.Equal(t, []string{"SP"}, replayFixtures.Guest.Projects, "guest reads what it read")
}

func TestRecordReadsTheEnvironment(t *testing.T) {
	recorded := mocktest.NewTestServer(t)
	out := filepath.Join(t.TempDir(), "recorded.yaml")
	env := map[string]string{"YOUTRACK_URL": recorded.URL, "YOUTRACK_TOKEN": recorded.AdminToken}
	stdout, stderr, err := runCLI(t, func(k string) string { return env[k] }, "record", "--out", out)
	require.NoError(t, err, stderr)
	assert.Contains(t, stdout, "2 projects")
	assert.NotContains(t, stderr, "recorded 2 projects", "no progress for a short read")
}

func TestRecordErrors(t *testing.T) {
	recorded := mocktest.NewTestServer(t)
	out := filepath.Join(t.TempDir(), "recorded.yaml")
	cases := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"no base URL", []string{"--token", "x", "--out", out}, "needs --base-url", 2},
		{"no token", []string{"--base-url", recorded.URL, "--out", out}, "needs --token", 2},
		{"no output file", []string{"--base-url", recorded.URL, "--token", "x"}, "needs --out", 2},
		{"a refused token", []string{"--base-url", recorded.URL, "--token", "perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--out", out}, "the token was refused", 2},
		{"an unreachable server", []string{"--base-url", "http://127.0.0.1:1", "--token", "x", "--out", out}, "connection refused", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, nil, append([]string{"record"}, tc.args...)...)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.NotContains(t, err.Error(), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "errors never show the token")
			assert.Equal(t, tc.code, exitCode(err, io.Discard))
			_, statErr := os.Stat(out)
			assert.True(t, os.IsNotExist(statErr), "nothing is written")
		})
	}
}

func TestRecordKeepsWhatTheMockCanServe(t *testing.T) {
	rec := &recording{
		owner: ytUser{ID: "24-7", Login: "alice", FullName: "Alice"},
		projects: []ytProject{
			{ID: "81-1", Name: "Odd id", ShortName: "ODD", Leader: &ytUser{ID: "1-1", Login: "bob"}},
			{ID: "0-5", Name: "Bad short name", ShortName: "BAD-NAME"},
			{ID: "0-6", Name: "", ShortName: "NONAME"},
			{ID: "0-0", Name: "Guest made", ShortName: "GM", CreatedBy: &ytUser{Login: "guest"}},
		},
	}
	f, minted, skipped, err := rec.fixtures()
	require.NoError(t, err)
	require.Len(t, f.Projects, 2)
	assert.Equal(t, "0-1", f.Projects[0].ID, "an id the mock does not accept gets a fresh one")
	assert.Equal(t, "0-0", f.Projects[1].ID)
	assert.Empty(t, f.Projects[1].CreatedBy, "the guest is not a user")
	assert.Len(t, skipped, 2)
	assert.Equal(t, []string{"alice", "bob"}, []string{f.Users[0].Login, f.Users[1].Login})
	assert.True(t, f.Users[0].Admin)
	assert.Equal(t, []string{"ODD"}, f.Users[1].Projects, "a leader reads the project they lead")
	assert.Equal(t, "1-1", f.Users[1].ID)
	assert.Equal(t, "1-2", f.Users[0].ID, "an id the mock does not accept gets a fresh one (1-0 is guest's)")
	assert.Len(t, minted, 2)
	for _, tok := range minted {
		assert.Regexp(t, `^perm-[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9]{30}$`, tok.Token)
	}
	_, err = mockserver.NewStore(f)
	assert.NoError(t, err, "the mock serves the result")
	assert.Equal(t, "banned", f.Guest.Access, "guest access was not seen")
	assert.False(t, strings.Contains(f.Tokens[0].Token, "alice"), "tokens encode the login in base64 only")
}
