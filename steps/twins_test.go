package steps_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// TestSuitePassesRealisticTwins runs every feature against the mock made to answer as real deployments were
// seen to answer (youtrack-behaviour.md §3, §4; captures of 2018 to 2026.3 servers): `id` only when asked,
// FrontendConfig, bad_request, users with `name` (the mock's own behaviour), and in front of it what real
// servers have in front of them. A correct server passes, whatever stands in front: 0 failures, and only the
// scenarios a target cannot offer are skipped.
func TestSuitePassesRealisticTwins(t *testing.T) {
	grace := func(d time.Duration) *time.Duration { return &d }
	twins := []struct {
		name     string
		basePath string                             // the mock's layout
		fixtures func(*mockserver.Fixtures)         // the mock's data, beside its CORS origin
		front    func(upstream string) http.Handler // what stands in front of the mock; nil: nothing
		describe func(t *target.Target)             // what the target file says beyond the mock's own description
	}{
		{name: "a current server, reached directly"},
		{name: "behind a proxy that only forwards, rewriting Host", front: forwarder(nil),
			describe: func(t *target.Target) { t.Direct = false }},
		{name: "behind nginx: Server is nginx", front: forwarder(func(resp *http.Response) { resp.Header.Set("Server", "nginx") }),
			describe: func(t *target.Target) { t.Direct = false }},
		{name: "the Cloud layout: YouTrack under /youtrack, the Hub at the origin's /hub", basePath: "/youtrack",
			describe: func(t *target.Target) { t.Hub.URL = "" }}, // found through ring.url of /api/config
		{name: "a token cache: a revoked token works 3 s more",
			fixtures: func(f *mockserver.Fixtures) { f.Server.RevocationDelay = 3 * time.Second },
			describe: func(t *target.Target) { t.RevocationGrace = grace(5 * time.Second) }},
		{name: "a 2018-2019 server: qualified $type names", front: forwarder(qualifyTypes),
			describe: func(t *target.Target) { t.Direct = false }},
		{name: "2021.3 and later: the legacy API switched off",
			fixtures: func(f *mockserver.Fixtures) { f.Server.LegacyAPI = mockserver.LegacyDisabled }},
	}
	for _, twin := range twins {
		t.Run(twin.name, func(t *testing.T) {
			f, err := mockserver.DefaultFixtures()
			require.NoError(t, err)
			f.Server.CORSOrigins = []string{"https://app.example.com"}
			if twin.fixtures != nil {
				twin.fixtures(f)
			}
			store, err := mockserver.NewStore(f)
			require.NoError(t, err)
			mock := httptest.NewServer(mockserver.New(store, mockserver.Options{BasePath: twin.basePath}))
			t.Cleanup(mock.Close)
			reach := mock.URL
			if twin.front != nil {
				proxy := httptest.NewServer(twin.front(mock.URL))
				t.Cleanup(proxy.Close)
				reach = proxy.URL
			}
			tgt := target.FromFixtures(f, reach+twin.basePath)
			tgt.PublicURL = mock.URL + twin.basePath // what the server writes into links, whatever Host it was sent
			tgt.Hub.URL = reach + "/hub"
			tgt.RevocationGrace = nil // the default for external targets
			if twin.describe != nil {
				twin.describe(tgt)
			}
			_, err = steps.Inspect(context.Background(), tgt, steps.DefaultTimeout)
			require.NoError(t, err)

			results := runAgainst(t, tgt)
			passed, skipped := 0, 0
			for _, r := range results {
				require.NotEqual(t, steps.Failed, r.Outcome, "%s: %s: %s", r.Feature, r.Scenario, r.Reason)
				if r.Outcome == steps.Passed {
					passed++
				} else {
					skipped++
					t.Logf("skipped: %s: %s", r.Scenario, r.Reason)
				}
			}
			require.GreaterOrEqual(t, passed, 55)
			t.Logf("%d passed, %d skipped", passed, skipped)
		})
	}
}

// runAgainst runs every feature against one external target.
func runAgainst(t *testing.T, tgt *target.Target) []steps.Result {
	t.Helper()
	suite, err := steps.NewSuite(steps.Config{Target: tgt})
	require.NoError(t, err)
	opts := godog.Options{Format: "progress", Output: io.Discard, NoColors: true, Concurrency: 4, Strict: true, FS: ytconform.Features}
	godog.TestSuite{Name: "twin", ScenarioInitializer: suite.InitializeScenario, Options: &opts}.Run()
	return suite.Results()
}

// forwarder is a reverse proxy to upstream that sets the Host header to upstream's, as nginx's proxy_pass
// does by default, and lets change edit each answer.
func forwarder(change func(*http.Response)) func(upstream string) http.Handler {
	return func(upstream string) http.Handler {
		u, _ := url.Parse(upstream)
		return &httputil.ReverseProxy{
			Rewrite: func(r *httputil.ProxyRequest) {
				r.SetURL(u) // the Host header too
			},
			ModifyResponse: func(resp *http.Response) error {
				if change != nil {
					change(resp)
				}
				return nil
			},
		}
	}
}

var shortType = regexp.MustCompile(`"\$type":"(Project|User)"`)

// qualifyTypes writes the $type names as YouTrack 2018 and 2019 wrote them, in plain and gzip bodies.
func qualifyTypes(resp *http.Response) {
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	gzipped := resp.Header.Get("Content-Encoding") == "gzip"
	if gzipped {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err == nil {
			body, _ = io.ReadAll(zr)
		}
	}
	body = shortType.ReplaceAll(body, []byte(`"$$type":"jetbrains.charisma.persistent.$1"`))
	if gzipped {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(body)
		zw.Close()
		body = buf.Bytes()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
}
