package main

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

var servingLine = regexp.MustCompile(`ytconform mock serving (http://\S+)`)

// runMockInProcess starts `ytconform mock` with args and waits until it answers. It returns the base URL;
// stop cancels the mock and returns runMock's error.
func runMockInProcess(t *testing.T, stdout, stderr io.Writer, args ...string) (baseURL string, stop func() error) {
	t.Helper()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runMock(ctx, args, func(string) string { return "" }, io.MultiWriter(out, stdout), stderr)
	}()
	stopped := false
	stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingLine.FindStringSubmatch(out.String()); m != nil {
			if resp, err := http.Get(m[1] + "/api/config"); err == nil {
				resp.Body.Close()
				return m[1], stop
			}
		}
		select {
		case err := <-done:
			t.Fatalf("the mock stopped: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("the mock did not start")
	return "", nil
}

// TestNothingPrintedWhileServingShowsAToken runs `ytconform mock` in-process, sends requests that use every
// fixture token (valid, revoked, banned) and a token created over the Hub API, on /api, /rest and the Hub,
// on success and error paths, with tokens misplaced into paths, queries and bodies, then requires that
// nothing printed after the start-up banner shows a token or its secret part, and that no answer shows one
// except the creation answer that hands the new token out.
func TestNothingPrintedWhileServingShowsAToken(t *testing.T) {
	var logged syncBuffer // net/http's own messages go to the standard logger
	previous := log.Writer()
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(previous) })

	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	base, stop := runMockInProcess(t, stdout, stderr, "--addr", "127.0.0.1:0")
	banner, errBefore := stdout.String(), stderr.String()

	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	var secrets []string
	for _, tk := range f.Tokens {
		require.Contains(t, banner, tk.Token, "the banner lists the fixture tokens on purpose")
		secrets = append(secrets, tk.Token)
	}
	rootToken := f.Tokens[0].Token

	client := &http.Client{Timeout: 10 * time.Second}
	answers := 0
	send := func(method, path, body string, headers ...string) (int, string) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, base+path, rd)
		require.NoError(t, err)
		for _, h := range headers {
			name, value, _ := strings.Cut(h, ": ")
			req.Header.Add(name, value)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		answers++
		return resp.StatusCode, fmtHeader(resp.Header) + "\n" + string(data)
	}

	// Two tokens created over the Hub API, one of them revoked at the end: their secrets must not show either.
	created := map[string]string{} // secret -> token id
	for _, owner := range []string{"me", "jane.roe"} {
		status, answer := send("POST", "/hub/api/rest/users/"+owner+"/permanenttokens",
			`{"name":"secrets test","scope":[{"key":"YouTrack"},{"key":"Hub"}]}`, "Authorization: Bearer "+rootToken)
		require.Equal(t, 200, status, answer)
		var tok struct{ ID, Token string }
		require.NoError(t, json.Unmarshal([]byte(answer[strings.Index(answer, "\n{")+1:]), &tok))
		require.NotEmpty(t, tok.Token)
		created[tok.Token] = tok.ID
		secrets = append(secrets, tok.Token)
	}

	var answersSeen strings.Builder
	exercise := func(token string) {
		for _, auth := range [][]string{
			{"Authorization: Bearer " + token},
			{"Authorization: bearer   " + token + "  "},
			{"Authorization: Token " + token},
			{"Authorization: Bearer " + token + "x"},
			{"Authorization: Bearer " + token, "Authorization: Bearer " + token},
		} {
			for _, rq := range []struct{ method, path, body string }{
				{"GET", "/api/users/me?fields=id,login,guest", ""},
				{"GET", "/api/admin/projects?fields=id,name,leader(login)", ""},
				{"GET", "/api/admin/projects/FP?fields=id,shortName", ""},
				{"GET", "/api/admin/projects/" + token, ""},
				{"GET", "/api/admin/projects?fields=id&token=" + token, ""},
				{"GET", "/api/admin/projects?$top=-7", ""},
				{"GET", "/api/admin/projects?fields=leader(", ""},
				{"PUT", "/api/admin/projects", ""},
				{"POST", "/api/admin/projects", `{"name":"` + token},
				{"POST", "/api/admin/projects", `{"name":"x","shortName":"` + token + `"}`},
				{"GET", "/rest/admin/project", ""},
				{"GET", "/hub/api/rest/users/me/permanenttokens", ""},
				{"GET", "/hub/api/rest/users/1-1/permanenttokens/41-0", ""},
				{"GET", "/hub/api/rest/users/" + token + "/permanenttokens", ""},
				{"POST", "/hub/api/rest/users/me/permanenttokens", `{"name":"x","scope":[{"key":"` + token + `"}]}`},
				{"POST", "/hub/api/rest/users/me/permanenttokens", ""},
				{"GET", "/nothing/" + token, ""},
			} {
				_, answer := send(rq.method, rq.path, rq.body, auth...)
				answersSeen.WriteString(answer)
			}
		}
		_, answer := send("GET", "/rest/admin/project", "", "Authorization: Bearer "+token, "Accept: application/json")
		answersSeen.WriteString(answer)
	}
	for _, token := range secrets {
		exercise(token)
	}
	for secret, id := range created {
		owner := "me"
		if !strings.HasPrefix(secret, "perm-"+"cm9vdA==") { // root's login, base64
			owner = "jane.roe"
		}
		status, answer := send("DELETE", "/hub/api/rest/users/"+owner+"/permanenttokens/"+id, "", "Authorization: Bearer "+rootToken)
		require.Equal(t, 200, status, answer)
		exercise(secret) // now revoked
	}

	require.NoError(t, stop(), "the mock shuts down cleanly")
	printed := strings.TrimPrefix(stdout.String(), banner) + strings.TrimPrefix(stderr.String(), errBefore) + logged.String()
	lines := strings.Count(printed, "\n")
	require.GreaterOrEqual(t, lines, answers, "the access log printed a line per request: the test is not vacuous")
	for i, secret := range secrets {
		tail := secret[len(secret)-30:] // the random part: enough to use the token with a guessed prefix
		assert.Empty(t, linesWith(printed, tail), "token %d printed while serving", i)
		assert.Empty(t, linesWith(answersSeen.String(), tail), "token %d in an answer", i)
	}
	t.Logf("%d requests with %d tokens; %d lines printed after the banner, none with a token", answers, len(secrets), lines)
}

// linesWith returns the first few lines of text that contain s, for a short failure message.
func linesWith(text, s string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, s) && len(out) < 3 {
			out = append(out, line)
		}
	}
	return out
}

func fmtHeader(h http.Header) string {
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

// TestMockBindsLoopbackByDefault: the default address is loopback, and any other address gets a warning.
func TestMockBindsLoopbackByDefault(t *testing.T) {
	var usage syncBuffer
	require.NoError(t, runMock(context.Background(), []string{"-h"}, func(string) string { return "" }, &usage, io.Discard))
	assert.Regexp(t, `-addr host:port\n[^\n]*\n?[^-]*\(default "127\.0\.0\.1:8080"\)`, usage.String())

	for _, tc := range []struct {
		addr  string
		warns bool
	}{
		{"127.0.0.1:0", false},
		{"localhost:0", false},
		{"[::1]:0", false}, // skipped where the host has no IPv6 loopback
		{"0.0.0.0:0", true},
		{":0", true},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			if ln, err := net.Listen("tcp", tc.addr); err != nil {
				t.Skipf("cannot listen on %s here: %v", tc.addr, err)
			} else {
				ln.Close()
			}
			stderr := &syncBuffer{}
			base, stop := runMockInProcess(t, io.Discard, stderr, "--addr", tc.addr, "--quiet")
			require.NoError(t, stop())
			if tc.warns {
				assert.Contains(t, stderr.String(), "warning: listening on", "base %s", base)
				assert.Contains(t, stderr.String(), "reachable from other machines")
			} else {
				assert.NotContains(t, stderr.String(), "warning", "base %s", base)
			}
		})
	}
}
