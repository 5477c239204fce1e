package mockserver_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
)

// startWith serves the default fixtures with opts behind the strict contract check.
func startWith(t *testing.T, opts mockserver.Options) string {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = strictContract(t, srv, opts.BasePath, mockserver.New(store, opts))
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// startPlain serves the default fixtures with opts on a real connection, for faults that take it over
// (the contract check records answers, which cannot hijack).
func startPlain(t *testing.T, opts mockserver.Options) string {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewServer(mockserver.New(store, opts))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestInjectedErrorAnswers(t *testing.T) {
	cases := []struct {
		name       string
		kind       mockserver.FaultKind
		path       string
		status     int
		errorField string // gjson path of the error text in this API family's shape
		retryAfter string
	}{
		{"503 on /api is a YouTrack JSON error", mockserver.Fault503, "/api/admin/projects", 503, "error", ""},
		{"429 on /api carries Retry-After", mockserver.Fault429, "/api/users/me", 429, "error", "1"},
		{"503 on the legacy API is its own error shape", mockserver.Fault503, "/rest/admin/project", 503, "value", ""},
		{"429 on the Hub API is the Hub's error shape", mockserver.Fault429, "/hub/api/rest/users/me/permanenttokens", 429, "error_code", "1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := startWith(t, mockserver.Options{Faults: mockserver.Faults{Kind: tc.kind, Rate: 1}})
			got := request(t, base, "GET", tc.path, "", bearer(rootToken))
			assert.Equal(t, tc.status, got.status)
			assert.True(t, gjson.Get(got.body, tc.errorField).Exists(), "body %s has no %s", got.body, tc.errorField)
			assert.Equal(t, tc.retryAfter, got.header.Get("Retry-After"))
			assert.Equal(t, "YouTrack", got.header.Get("Server"))
		})
	}
}

func TestDroppedConnections(t *testing.T) {
	cases := []struct {
		name  string
		kind  mockserver.FaultKind
		check func(t *testing.T, err error)
	}{
		{"reset resets the connection", mockserver.FaultReset, func(t *testing.T, err error) {
			assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF), "want a reset, got %v", err)
		}},
		{"empty closes it without an answer", mockserver.FaultEmpty, func(t *testing.T, err error) {
			assert.ErrorIs(t, err, io.EOF)
		}},
		{"garbage answers bytes that are not HTTP", mockserver.FaultGarbage, func(t *testing.T, err error) {
			assert.ErrorContains(t, err, "malformed HTTP")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := startPlain(t, mockserver.Options{Faults: mockserver.Faults{Kind: tc.kind, Rate: 1}, JournalSize: 10})
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			// A GET is retried once by net/http on a connection that dies unanswered; a POST is not.
			req, err := http.NewRequest("POST", base+"/api/admin/projects", strings.NewReader(`{}`))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+rootToken)
			resp, err := client.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			require.Error(t, err)
			tc.check(t, err)

			// The client sees the connection die before the handler returns and the journal records it.
			var journal exchange
			require.Eventually(t, func() bool {
				journal = request(t, base, "GET", "/__ytmock/requests", "")
				return gjson.Get(journal.body, "requests.#").Int() > 0
			}, 2*time.Second, 5*time.Millisecond, "the journal stays empty")
			assert.Equal(t, int64(444), gjson.Get(journal.body, "requests.0.status").Int(), "journal: %s", journal.body)
		})
	}
}

func TestFaultHeader(t *testing.T) {
	cases := []struct {
		name   string
		opts   mockserver.Faults
		header string
		status int
	}{
		{"forces a fault when allowed", mockserver.Faults{AllowHeader: true}, "503", 503},
		{"forces a 429 when allowed", mockserver.Faults{AllowHeader: true}, "429", 429},
		{"is ignored when not allowed", mockserver.Faults{}, "503", 200},
		{"overrides a fault path that does not match", mockserver.Faults{AllowHeader: true, Kind: mockserver.Fault429, Rate: 1, Paths: []string{"/hub"}}, "503", 503},
		{"with an unknown kind is a 400", mockserver.Faults{AllowHeader: true}, "teapot", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := startWith(t, mockserver.Options{Faults: tc.opts})
			got := request(t, base, "GET", "/api/admin/projects", "", bearer(rootToken), mockserver.FaultHeader+": "+tc.header)
			assert.Equal(t, tc.status, got.status, got.body)
			next := request(t, base, "GET", "/api/admin/projects", "", bearer(rootToken))
			assert.Equal(t, 200, next.status, "a request without the header is not faulted")
		})
	}
}

func TestFaultScope(t *testing.T) {
	cases := []struct {
		name    string
		paths   []string
		path    string
		faulted bool
	}{
		{"every path without a pattern", nil, "/api/users/me", true},
		{"never /api/config", nil, "/api/config", false},
		{"never the control API", nil, "/__ytmock/health", false},
		{"a prefix covers the paths below it", []string{"/api/admin"}, "/api/admin/projects/FP", true},
		{"a prefix leaves other paths alone", []string{"/api/admin"}, "/api/users/me", false},
		{"a glob matches one segment", []string{"/api/admin/projects/*"}, "/api/admin/projects/FP", true},
		{"a glob does not match the parent", []string{"/api/admin/projects/*"}, "/api/admin/projects", false},
		{"any of several patterns", []string{"/hub", "/api/users/*"}, "/api/users/me", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := startWith(t, mockserver.Options{Faults: mockserver.Faults{Kind: mockserver.Fault503, Rate: 1, Paths: tc.paths}})
			got := request(t, base, "GET", tc.path, "", bearer(rootToken))
			assert.Equal(t, tc.faulted, got.status == 503, "status %d", got.status)
		})
	}
}

func TestLatency(t *testing.T) {
	base := startWith(t, mockserver.Options{Faults: mockserver.Faults{Latency: 300 * time.Millisecond, Jitter: 20 * time.Millisecond}})
	start := time.Now()
	got := request(t, base, "GET", "/api/admin/projects", "", bearer(rootToken))
	took := time.Since(start)
	assert.Equal(t, 200, got.status)
	assert.GreaterOrEqual(t, took, 300*time.Millisecond)

	start = time.Now()
	request(t, base, "GET", "/api/config", "")
	assert.Less(t, time.Since(start), 300*time.Millisecond, "/api/config is never delayed")
}

func TestFaultRateIsAShare(t *testing.T) {
	base := startWith(t, mockserver.Options{Faults: mockserver.Faults{Kind: mockserver.Fault503, Rate: 0.5}})
	faulted := 0
	for range 200 {
		if request(t, base, "GET", "/api/users/me", "").status == 503 {
			faulted++
		}
	}
	assert.InDelta(t, 100, faulted, 40, "about half of 200 requests")
}

func TestInvalidFaults(t *testing.T) {
	cases := []struct {
		name   string
		faults mockserver.Faults
		want   string
	}{
		{"a negative latency", mockserver.Faults{Latency: -time.Second}, "negative"},
		{"a rate above 1", mockserver.Faults{Kind: mockserver.Fault503, Rate: 2}, "between 0 and 1"},
		{"an unknown kind", mockserver.Faults{Kind: "418", Rate: 1}, `unknown fault "418"`},
		{"a malformed pattern", mockserver.Faults{Paths: []string{"/api/["}}, "bad path pattern"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorContains(t, tc.faults.Validate(), tc.want)
			assert.Panics(t, func() { mockserver.New(nil, mockserver.Options{Faults: tc.faults}) })
		})
	}
}
