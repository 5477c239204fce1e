package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
	"go.yaml.in/yaml/v4"
)

func TestMockFlagMistakesAreUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown fault", []string{"--fault", "teapot"}, `unknown fault "teapot"`},
		{"a rate without a fault", []string{"--fault-rate", "0.5"}, "--fault-rate needs --fault"},
		{"a rate above 1", []string{"--fault", "503", "--fault-rate", "2"}, "between 0 and 1"},
		{"a path without a fault or latency", []string{"--fault-path", "/hub"}, "--fault-path needs --fault or --latency"},
		{"a malformed path pattern", []string{"--fault", "503", "--fault-path", "/api/["}, "bad path pattern"},
		{"a latency that is not a duration", []string{"--latency", "slow"}, `invalid value "slow" for flag -latency`},
		{"a jitter that is not a duration", []string{"--latency", "1s,lots"}, "jitter"},
		{"a negative journal", []string{"--journal", "-1"}, "--journal must be at least 0"},
		{"watching the embedded data", []string{"--watch"}, "--watch needs --fixtures"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCLI(t, nil, append([]string{"mock", "--addr", "127.0.0.1:0"}, tc.args...)...)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.Equal(t, 2, exitCode(err, io.Discard))
		})
	}
}

// syncBuffer is an output that the mock, or a timer's goroutine, may write to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startCLIMock runs `ytconform mock` in-process on a free port until the test ends and returns its URL.
func startCLIMock(t *testing.T, args ...string) (baseURL string, stdout, stderr *syncBuffer) {
	t.Helper()
	target := filepath.Join(t.TempDir(), "target.yaml")
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"mock", "--addr", "127.0.0.1:0", "--target-out", target}, args...),
			func(string) string { return "" }, stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "the mock shuts down cleanly")
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(target); err == nil && len(data) > 0 {
			var tf struct {
				BaseURL string `yaml:"base_url"`
			}
			require.NoError(t, yaml.Unmarshal(data, &tf))
			return tf.BaseURL, stdout, stderr
		}
		select {
		case err := <-done:
			t.Fatalf("the mock stopped: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("the mock did not write its target file")
	return "", nil, nil
}

func status(t *testing.T, method, url string, headers ...string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestMockFaultsAndJournalFlags(t *testing.T) {
	base, stdout, _ := startCLIMock(t, "--quiet", "--fault", "503", "--fault-path", "/api/admin/*", "--allow-fault-header")
	root := "Authorization: Bearer perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"
	assert.Contains(t, stdout.String(), "/__ytmock/requests (last 100 requests)")
	assert.Contains(t, stdout.String(), "faults: fault 503 on 1 of requests; on paths /api/admin/*")

	cases := []struct {
		name    string
		path    string
		headers []string
		want    int
	}{
		{"a path in scope is faulted", "/api/admin/projects", []string{root}, 503},
		{"a path out of scope is not", "/api/users/me", []string{root}, 200},
		{"the header forces a fault anywhere", "/api/users/me", []string{root, "X-Ytmock-Fault: 429"}, 429},
		{"the readiness probe never is", "/api/config", []string{"X-Ytmock-Fault: 503"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, status(t, "GET", base+tc.path, tc.headers...))
		})
	}
	journal := getBody(t, base+"/__ytmock/requests", "")
	assert.Equal(t, int64(len(cases)), gjson.Get(journal, "requests.#").Int(), journal)
	assert.NotContains(t, journal, "rNZ38ije7uiWwnUTRDdyFDdUkoPUPi")
	assert.Equal(t, 204, status(t, "DELETE", base+"/__ytmock/requests"))
	assert.Equal(t, 204, status(t, "POST", base+"/__ytmock/reset"))
}

func TestMockWatchReloadsTheFixtureFile(t *testing.T) {
	fixtures := filepath.Join(t.TempDir(), "fixtures.yaml")
	const valid = "users:\n  - {login: root, admin: true}\ntokens:\n  - {token: \"perm-cm9vdA==.dw==.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", user: root}\nprojects:\n  - {name: Alpha, shortName: A}\n"
	require.NoError(t, os.WriteFile(fixtures, []byte(valid), 0o600))
	base, stdout, stderr := startCLIMock(t, "--quiet", "--fixtures", fixtures, "--watch", "--synthetic-projects", "2")
	token := "perm-cm9vdA==.dw==.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	save := func(content string) {
		require.NoError(t, os.WriteFile(fixtures+".tmp", []byte(content), 0o600))
		require.NoError(t, os.Rename(fixtures+".tmp", fixtures))
	}
	eventually := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("%s did not happen; stderr:\n%s", what, stderr.String())
	}
	projects := func() string { return getBody(t, base+"/api/admin/projects?fields=id,shortName", token) }

	save(valid + "  - {name: Beta, shortName: B}\n")
	eventually("the reload of a valid edit", func() bool { return strings.Contains(projects(), `"B"`) })
	assert.Contains(t, projects(), `"SYN000002"`, "a reloaded file gets the synthetic projects too")
	assert.Contains(t, stdout.String(), "tokens after reload:")

	save(valid + "  - {name: Gamma, shortName: G, leader: rooot}\n")
	eventually("the report of an invalid edit", func() bool { return strings.Contains(stderr.String(), "unknown user") })
	assert.Contains(t, stderr.String(), fixtures+":7: projects[1].leader: unknown user \"rooot\"")
	assert.Contains(t, projects(), `"B"`, "the old data is kept")
}
