package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/internal/diff"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/target"
)

// serveMockTarget serves f over HTTP, its answers passed through change when that is not nil, and returns
// the path of a target file describing it.
func serveMockTarget(t *testing.T, f *mockserver.Fixtures, change func(http.Handler) http.Handler) string {
	t.Helper()
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	var handler http.Handler = mockserver.New(store, mockserver.Options{})
	if change != nil {
		handler = change(handler)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	require.NoError(t, target.Write(&buf, target.FromFixtures(f, srv.URL)))
	file := filepath.Join(t.TempDir(), "target.yaml")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))
	return file
}

func defaultFixtures(t *testing.T) *mockserver.Fixtures {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	return f
}

// runDiffCLI runs `ytconform diff --format json args...` and returns its exit status and what it found.
func runDiffCLI(t *testing.T, args ...string) (int, *diff.Result, string) {
	t.Helper()
	code, stdout, stderr := runSuiteCLIAs(t, "diff", append([]string{"--format", "json"}, args...)...)
	var result diff.Result
	if code != 2 {
		require.NoError(t, json.Unmarshal([]byte(stdout), &result), "diff's JSON:\n%s\n%s", stdout, stderr)
	}
	return code, &result, stderr
}

// TestDiffOfTwoMocksOfTheSameDataFindsNothing: B serves the same data under other project ids and with
// other token secrets; ids and secrets are noise, so nothing differs.
func TestDiffOfTwoMocksOfTheSameDataFindsNothing(t *testing.T) {
	a := serveMockTarget(t, defaultFixtures(t), nil)
	other := defaultFixtures(t)
	for i := range other.Projects {
		other.Projects[i].ID = "0-1" + other.Projects[i].ID[len("0-"):]
	}
	for i := range other.Tokens {
		secret := other.Tokens[i].Token
		cut := strings.LastIndex(secret, ".") + 1
		other.Tokens[i].Token = secret[:cut] + reverse(secret[cut:])
	}
	b := serveMockTarget(t, other, nil)

	code, result, stderr := runDiffCLI(t, "--a", a, "--b", b)
	require.Equal(t, 0, code, stderr)
	require.Empty(t, result.Differences)
	require.Greater(t, result.Counts.Exchanges, 100, "the whole suite was compared")
	for _, n := range result.NotCompared {
		require.Contains(t, n.Reason, "skipped on A", "B offers whatever A offers: %s", n.Scenario)
	}
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// TestDiffFindsExactlyTheChange serves B as the mock changed in one documented way; the diff must report
// that kind of difference and no other.
func TestDiffFindsExactlyTheChange(t *testing.T) {
	cases := []struct {
		name   string
		change func(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) (int, []byte)
		want   diff.Kind
		path   string // where the difference is, when one place is expected
	}{
		{name: "an id added where fields did not ask for it", want: diff.KindKeys,
			change: func(_ http.ResponseWriter, r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if r.URL.Path != "/api/admin/projects" || status != http.StatusOK || !strings.Contains(r.URL.RawQuery, "fields=shortName") {
					return status, body
				}
				return status, bytes.ReplaceAll(body, []byte(`{"shortName"`), []byte(`{"id":"0-9","shortName"`))
			}},
		{name: "another error code for a bad token", want: diff.KindErrorCode, path: "body.error",
			change: func(_ http.ResponseWriter, _ *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"error":"Unauthorized"`), []byte(`"error":"invalid_grant"`))
			}},
		{name: "a documented header missing", want: diff.KindHeader, path: "header X-Content-Type-Options",
			change: func(_ http.ResponseWriter, _ *http.Request, status int, header http.Header, body []byte) (int, []byte) {
				header.Del("X-Content-Type-Options")
				return status, body
			}},
		{name: "403 where the project is unknown", want: diff.KindStatus, path: "status",
			change: func(_ http.ResponseWriter, r *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				if status == http.StatusNotFound && strings.HasPrefix(r.URL.Path, "/api/admin/projects/") {
					return http.StatusForbidden, bytes.ReplaceAll(body, []byte(`"Not Found"`), []byte(`"Forbidden"`))
				}
				return status, body
			}},
		{name: "another $type for a project", want: diff.KindDollarType,
			change: func(_ http.ResponseWriter, _ *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"$type":"Project"`), []byte(`"$type":"IssueFolder"`))
			}},
		{name: "a string where a boolean was", want: diff.KindType,
			change: func(_ http.ResponseWriter, _ *http.Request, status int, _ http.Header, body []byte) (int, []byte) {
				return status, bytes.ReplaceAll(body, []byte(`"guest":false`), []byte(`"guest":"false"`))
			}},
	}
	a := serveMockTarget(t, defaultFixtures(t), nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := serveMockTarget(t, defaultFixtures(t), rewriting(c.change))
			code, result, stderr := runDiffCLI(t, "--a", a, "--b", b)
			require.Equal(t, 1, code, stderr)
			require.NotEmpty(t, result.Differences)
			for _, d := range result.Differences {
				require.Equal(t, c.want, d.Kind, "%s %s: A %s, B %s", d.Operation, d.Path, d.A, d.B)
				if c.path != "" {
					require.Equal(t, c.path, d.Path, "%s: A %s, B %s", d.Operation, d.A, d.B)
				}
			}
		})
	}
}

// rewriting passes every answer of next through change before it is sent: a proxy that changes one thing.
func rewriting(change func(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) (int, []byte)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body, gzipped := rec.Body.Bytes(), rec.Header().Get("Content-Encoding") == "gzip"
			if gzipped { // the change sees the body in the clear, and the client gets it as it asked
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err == nil {
					body, err = io.ReadAll(zr)
				}
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
			}
			status, body := change(w, r, rec.Code, rec.Header(), body)
			if gzipped {
				var zipped bytes.Buffer
				zw := gzip.NewWriter(&zipped)
				_, _ = zw.Write(body)
				_ = zw.Close()
				body = zipped.Bytes()
			}
			for name, values := range rec.Header() {
				w.Header()[name] = values
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
}

// TestDiffOfARecordingFindsNothing: record a server, serve the recording, diff the two. The recording has
// fresh tokens and fewer identities (no banned user, no revoked token): the scenarios that need them are
// listed as not compared, and nothing differs.
func TestDiffOfARecordingFindsNothing(t *testing.T) {
	f := defaultFixtures(t)
	a := serveMockTarget(t, f, nil)
	source, err := target.Load(a, func(string) string { return "" })
	require.NoError(t, err)
	recorded := filepath.Join(t.TempDir(), "recorded.yaml")
	code, _, stderr := runSuiteCLIAs(t, "record", "--base-url", source.BaseURL, "--token", source.Admin.Token, "--out", recorded)
	require.Equal(t, 0, code, stderr)
	replay, err := mockserver.LoadFixtures(recorded)
	require.NoError(t, err)
	b := serveMockTarget(t, replay, nil)

	for _, values := range []bool{false, true} {
		args := []string{"--a", a, "--b", b}
		if values {
			args = append(args, "--values")
		}
		code, result, stderr := runDiffCLI(t, args...)
		for _, d := range result.Differences {
			t.Errorf("with --values %v: %s %s %s: A %s, B %s (%v)", values, d.Kind, d.Operation, d.Path, d.A, d.B, d.Seen[0])
		}
		require.Equal(t, 0, code, "with --values %v:\n%s", values, stderr)
		require.NotEmpty(t, result.NotCompared, "the recording has no banned user: those scenarios are left out, and listed")
	}
}

func TestDiffUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no B", []string{"--a", "embedded"}, "diff needs both --a and --b"},
		{"a side that is nothing", []string{"--a", "embedded", "--b", "nosuch.yaml"}, "--b nosuch.yaml: neither a target file, a base URL nor embedded"},
		{"html to stdout", []string{"--a", "embedded", "--b", "embedded", "--format", "html"}, "html goes to a file: html:FILE"},
		{"a token for the embedded mock", []string{"--a", "embedded", "--a-token", "x", "--b", "embedded"}, "the embedded mock has its own tokens"},
		{"an unreachable B", []string{"--a", "embedded", "--b", "http://127.0.0.1:9"}, "B: target http://127.0.0.1:9 is unreachable"},
		{"tags that select nothing", []string{"--a", "embedded", "--b", "embedded", "--tags", "@nosuch"}, `--tags "@nosuch" selects no scenario`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runSuiteCLIAs(t, "diff", c.args...)
			require.Equal(t, 2, code, stderr)
			require.Contains(t, stderr, c.want)
		})
	}
}

// TestDiffRefusesASideWithoutAWorkingAdminToken: compared without their admin, two servers agree on the few
// scenarios left, and "no difference" would be false.
func TestDiffRefusesASideWithoutAWorkingAdminToken(t *testing.T) {
	mockFile := serveMockTarget(t, defaultFixtures(t), nil)
	mock, err := target.Load(mockFile, func(string) string { return "" })
	require.NoError(t, err)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"a base URL without a token", []string{"--a", "embedded", "--b", mock.BaseURL}, "B: the target names no admin token"},
		{"a token the server refuses", []string{"--a", mock.BaseURL, "--a-token", mock.RevokedToken, "--b", "embedded"},
			"A: the server refuses the admin's token (GET /api/users/me answered 401)"},
		{"a report file that cannot be written", []string{"--a", "embedded", "--b", "embedded", "--format", "text,html:/nonexistent/d.html"},
			"report: open /nonexistent/d.html"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runSuiteCLIAs(t, "diff", c.args...)
			require.Equal(t, 2, code, stderr)
			require.Contains(t, stderr, c.want)
			require.NotContains(t, stderr, "run 1 of 3", "nothing ran")
			require.NotContains(t, stderr, mock.RevokedToken)
		})
	}
}
