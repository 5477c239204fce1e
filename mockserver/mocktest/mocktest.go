// Package mocktest runs the mock YouTrack of package mockserver for Go tests, the way net/http/httptest
// runs a handler: NewTestServer starts one on a loopback port with the default fixtures (or others) and
// hands the test its URL and tokens.
package mocktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ytconform/ytconform/mockserver"
)

// TestServer is a mock YouTrack running on a loopback port for a Go test, made by NewTestServer or
// StartTestServer.
type TestServer struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234. Clients append /api/..., /rest/... or /hub/....
	URL string
	// AdminToken is a live token of the first admin, granted for every service ("" if there is none).
	AdminToken string
	// RestrictedToken is a live YouTrack token of the first user who is neither admin nor banned.
	RestrictedToken string
	// Tokens maps each user's login to their first live token.
	Tokens map[string]string
	// Fixtures is the data the server was started with, tokens in the clear. Do not modify it.
	Fixtures *mockserver.Fixtures
	// Store is the server's state; Store.Reset returns it to Fixtures.
	Store *mockserver.Store

	srv *httptest.Server
}

// Option configures NewTestServer and StartTestServer.
type Option func(*config)

type config struct {
	fixtures *mockserver.Fixtures
	opts     mockserver.Options
}

// WithFixtures serves f instead of the default fixtures. f is checked as a fixture file would be.
func WithFixtures(f *mockserver.Fixtures) Option { return func(c *config) { c.fixtures = f } }

// WithOptions sets the handler's options (faults, limits, access log...). Its JournalSize replaces the
// test server's default of mockserver.DefaultJournalSize only when it is not 0; BaseURL is always the
// server's URL.
func WithOptions(o mockserver.Options) Option {
	return func(c *config) {
		size := c.opts.JournalSize
		c.opts = o
		if o.JournalSize == 0 {
			c.opts.JournalSize = size
		}
	}
}

// WithFaults injects latency and faults (see mockserver.Faults).
func WithFaults(f mockserver.Faults) Option { return func(c *config) { c.opts.Faults = f } }

// NewTestServer starts a mock YouTrack with the default fixtures (or WithFixtures) on a loopback port
// and closes it when the test and its subtests finish. It keeps a journal of the last
// mockserver.DefaultJournalSize requests. A setup error fails the test at once.
func NewTestServer(t testing.TB, opts ...Option) *TestServer {
	t.Helper()
	ts, err := StartTestServer(opts...)
	if err != nil {
		t.Fatalf("mocktest.NewTestServer: %v", err)
	}
	t.Cleanup(ts.Close)
	return ts
}

// StartTestServer is NewTestServer for code without a testing.TB, such as TestMain or an example:
// the caller closes the server. It fails on invalid fixtures or faults.
func StartTestServer(opts ...Option) (*TestServer, error) {
	c := config{opts: mockserver.Options{JournalSize: mockserver.DefaultJournalSize}}
	for _, o := range opts {
		o(&c)
	}
	f := c.fixtures
	if f == nil {
		var err error
		if f, err = mockserver.DefaultFixtures(); err != nil {
			return nil, err
		}
	}
	if err := c.opts.Faults.Validate(); err != nil {
		return nil, err
	}
	store, err := mockserver.NewStore(f)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewUnstartedServer(nil)
	c.opts.BaseURL = "http://" + srv.Listener.Addr().String()
	srv.Config.Handler = mockserver.New(store, c.opts)
	srv.Start()
	ts := &TestServer{URL: srv.URL, Tokens: map[string]string{}, Fixtures: f, Store: store, srv: srv}
	roles := f.Roles()
	if roles.Admin != nil {
		ts.AdminToken = roles.Admin.Token
	}
	if roles.Restricted != nil {
		ts.RestrictedToken = roles.Restricted.Token
	}
	for _, tok := range f.Tokens {
		if !tok.Revoked && ts.Tokens[tok.User] == "" {
			ts.Tokens[tok.User] = tok.Token
		}
	}
	return ts, nil
}

// Close shuts the server down, waiting for requests in flight. NewTestServer calls it on cleanup.
func (ts *TestServer) Close() { ts.srv.Close() }

// Client is an http.Client for the server (it closes idle connections with the server).
func (ts *TestServer) Client() *http.Client { return ts.srv.Client() }

// Reset returns the server to its fixtures, as POST /__ytmock/reset does.
func (ts *TestServer) Reset() { ts.Store.Reset() }

// Requests returns the journal, oldest first, as GET /__ytmock/requests shows it.
func (ts *TestServer) Requests() ([]mockserver.JournalEntry, error) {
	resp, err := ts.srv.Client().Get(ts.URL + mockserver.ControlPrefix + "/requests")
	if err != nil {
		return nil, fmt.Errorf("read the journal: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("read the journal: %s", resp.Status)
	}
	var body struct {
		Requests []mockserver.JournalEntry `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("read the journal: %w", err)
	}
	return body.Requests, nil
}
