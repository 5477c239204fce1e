// Package mockserver is a local YouTrack: permanent tokens, who may read which project, `fields`
// projection, paging, `$type`, YouTrack's error bodies and headers, the legacy /rest API and the Hub's
// permanent-token API. New returns it as an http.Handler; Serve runs it with production timeouts.
package mockserver

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// Options tune the mock. The zero value serves with the documented defaults.
type Options struct {
	// BaseURL is the public URL written into legacy project URLs. Empty: taken from each request's Host.
	BaseURL string
	// AccessLog receives one line per request: time, method, path, status, duration and the user's
	// login. Never a token. Lines reach it within AccessLogDelay, several in one write. Nil: no log.
	AccessLog io.Writer
	// MaxBodyBytes caps request bodies; a larger one gets 413. Default 1 MiB.
	MaxBodyBytes int64
	// MaxFieldsLength and MaxFieldsDepth bound the `fields` parameter; beyond them, 400.
	// Defaults 8192 bytes and 16 levels.
	MaxFieldsLength int
	MaxFieldsDepth  int
	// Now is the clock, for tests. Default time.Now.
	Now func() time.Time
	// Faults slow the mock down or make it fail on purpose. The zero value injects nothing and adds
	// nothing to a request's path. New panics if Faults.Validate fails.
	Faults Faults
	// JournalSize is how many of the latest requests GET /__ytmock/requests shows.
	// 0: no journal, and nothing recorded.
	JournalSize int
}

func (o Options) withDefaults() Options {
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.MaxFieldsLength <= 0 {
		o.MaxFieldsLength = 8192
	}
	if o.MaxFieldsDepth <= 0 {
		o.MaxFieldsDepth = 16
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return o
}

type server struct {
	store   *Store
	opts    Options
	fields  fieldsCache
	log     *accessLog
	journal *journal // nil when off
	spec    []byte   // openapi.yaml as JSON, served at /api/openapi.json
}

// New returns the mock as an http.Handler serving the state in store. It panics when opts.Faults is
// invalid (Faults.Validate says why), as http.ServeMux panics on a bad pattern: options are the
// program's, not a client's, and `ytconform mock` validates its flags first.
//
// Each request passes, outermost first: the request's record (status and login, for the access log and
// the journal), the injected faults, the panic guard, then the route.
func New(store *Store, opts Options) http.Handler {
	s := &server{store: store, opts: opts.withDefaults()}
	if err := s.opts.Faults.Validate(); err != nil {
		panic("mockserver.New: " + err.Error())
	}
	if s.opts.AccessLog != nil {
		s.log = newAccessLog(s.opts.AccessLog)
	}
	if s.opts.JournalSize > 0 {
		s.journal = newJournal(s.opts.JournalSize)
	}
	var h http.Handler = s.routes()
	h = s.recoverPanics(h)
	if s.opts.Faults.enabled() {
		h = s.opts.Faults.middleware(h) // inside the record, so that the log and the journal show faults
	}
	return &handler{Handler: s.recordRequests(h), log: s.log}
}

// handler is what New returns: the chain of the request, and the access log, whose waiting lines Serve
// writes when it stops.
type handler struct {
	http.Handler
	log *accessLog
}

func (h *handler) flushAccessLog() {
	if h.log != nil {
		h.log.flush()
	}
}

func (s *server) limits() fieldLimits {
	return fieldLimits{maxLength: s.opts.MaxFieldsLength, maxDepth: s.opts.MaxFieldsDepth}
}

// baseURL is where this mock is reachable, for the legacy API's project URLs.
func (s *server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	return scheme + r.Host
}
