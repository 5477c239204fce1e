package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// runSuiteCLI runs `ytconform run args...` in-process and returns its exit status, its stdout, and its
// stderr followed by the line main prints for the error.
func runSuiteCLI(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	stdout, stderr, err := runCLI(t, getenv, append([]string{"run"}, args...)...)
	if err == nil {
		return 0, stdout, stderr
	}
	var e exitError
	require.True(t, errors.As(err, &e), "run returned %v, not an exitError", err)
	return e.code, stdout, stderr + "ytconform: " + err.Error() + "\n"
}

// serveDefaultMock serves the default mock over real HTTP and returns its target.
func serveDefaultMock(t *testing.T) *target.Target {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewServer(mockserver.New(store, mockserver.Options{}))
	t.Cleanup(srv.Close)
	return target.FromFixtures(f, srv.URL)
}

func TestRunAgainstTheEmbeddedMockWritesMatchingReports(t *testing.T) {
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json")
	code, _, stderr := runSuiteCLI(t, nil, "--format", "progress,junit:"+junit+",cucumber:"+cucumber)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "passed, 0 failed, 0 skipped")

	var report struct {
		Suites []struct {
			Cases []struct {
				Name    string     `xml:"name,attr"`
				Failure *struct{}  `xml:"failure"`
				Errors  []struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &report))
	cases := 0
	for _, s := range report.Suites {
		for _, c := range s.Cases {
			cases++
			require.Nil(t, c.Failure, c.Name)
			require.Empty(t, c.Errors, "%s: godog writes skipped steps as errors", c.Name)
		}
	}
	require.GreaterOrEqual(t, cases, 40)

	var features []struct {
		Elements []struct {
			Type string `json:"type"`
		} `json:"elements"`
	}
	data, err = os.ReadFile(cucumber)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &features))
	scenarios := 0
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type == "scenario" {
				scenarios++
			}
		}
	}
	require.Equal(t, cases, scenarios, "junit and cucumber list the same scenarios")
}

func TestRunAgainstAnExternalTargetFile(t *testing.T) {
	tgt := serveDefaultMock(t)
	file := filepath.Join(t.TempDir(), "t.yaml")
	var buf bytes.Buffer
	require.NoError(t, target.Write(&buf, tgt))
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))

	code, _, stderr := runSuiteCLI(t, nil, "--target", file, "--format", "progress")
	require.Equal(t, 0, code, stderr)
	// The mock allows guests, so the scenarios for a banned guest are skipped, each with its reason.
	require.Contains(t, stderr, "skipped: features/tokens.feature: without a token a client gets 401 when guest access is banned: /api/users/me: the scenario needs guest access banned; the target's is allowed")
	require.Regexp(t, `\d+ scenarios: \d+ passed, 0 failed, [1-9]\d* skipped`, stderr)
	require.NotContains(t, stderr, tgt.Admin.Token)
}

func TestRunWithOnlyABaseURLAndAToken(t *testing.T) {
	tgt := serveDefaultMock(t)
	getenv := func(name string) string {
		return map[string]string{"YOUTRACK_URL": tgt.BaseURL, "YOUTRACK_TOKEN": tgt.Admin.Token}[name]
	}
	code, _, stderr := runSuiteCLI(t, getenv, "--tags", "@auth", "--format", "progress")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "the target provides no revoked token")
	require.Contains(t, stderr, "the target names no login for the admin")
	require.NotContains(t, stderr, tgt.Admin.Token)
}

func TestRunExitCodes(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	unreachable := "http://" + closed.Addr().String()
	closed.Close()
	badTarget := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(badTarget, []byte("base_url: nowhere\n"), 0o600))
	mock := serveDefaultMock(t)

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"an unreachable target", []string{"--base-url", unreachable, "--token", "x"}, 2, "ytconform: target " + unreachable + " is unreachable: connect: connection refused\n"},
		{"a token without a server", []string{"--token", "x"}, 2, "a token needs a server"},
		{"a target file that does not parse", []string{"--target", badTarget}, 2, "bad.yaml: base_url: must be an http or https URL"},
		{"an unknown format", []string{"--format", "fancy"}, 2, `unknown format "fancy"`},
		{"a report without a file name", []string{"--format", "junit:"}, 2, "needs a file name"},
		{"no concurrency", []string{"--concurrency", "0"}, 2, "--concurrency must be at least 1"},
		{"an unknown flag", []string{"--colour"}, 2, "flag provided but not defined"},
		{"a failing scenario", []string{"--base-url", mock.BaseURL, "--token", mock.RevokedToken, "--tags", "@projects", "--format", "progress"}, 1, "scenarios failed"},
		{"no scenario matches the tags", []string{"--tags", "@nosuchtag", "--format", "progress"}, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runSuiteCLI(t, nil, c.args...)
			require.Equal(t, c.wantCode, code, stderr)
			require.Contains(t, stderr, c.wantErr)
		})
	}
}

func TestRunListsSteps(t *testing.T) {
	code, stdout, _ := runSuiteCLI(t, nil, "--list-steps")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "^the status is (\\d+)$\n")
	require.Equal(t, len(steps.Phrases()), strings.Count(stdout, "\n"))
}

func TestRunStopsOnABaseURLThatIsNotYouTracksAPI(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html;charset=UTF-8")
		io.WriteString(w, "<html><body>Loading YouTrack...</body></html>")
	}))
	t.Cleanup(web.Close)
	code, stdout, stderr := runSuiteCLI(t, nil, "--base-url", web.URL, "--token", "perm:x", "--format", "progress")
	require.Equal(t, 2, code, stderr)
	require.Contains(t, stderr, "GET /api/config answered 200 with a web page, not YouTrack's API: the base URL may lack its /youtrack prefix (try "+web.URL+"/youtrack)")
	require.Empty(t, stdout, "no scenario ran")
}
