// Package mockserver is a local YouTrack: permanent tokens, who may read which project and user, `fields`
// projection, paging, `$type`, YouTrack's error bodies and headers, the legacy /rest API, the Hub's users,
// services and permanent tokens, the Cloud layout, CORS and a token cache's revocation delay. New returns
// it as an http.Handler; Serve runs it with production timeouts; package mocktest runs it for Go tests.
package mockserver

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Options tune the mock. The zero value serves with the documented defaults.
type Options struct {
	// BaseURL is the public URL clients reach YouTrack at, base path included: it is written into legacy
	// project URLs, and says where the Hub is when a proxy puts the mock under a path. Empty: taken from
	// each request's Host.
	BaseURL string
	// BasePath serves YouTrack's APIs under a path, as YouTrack's Cloud layout does ("/youtrack"), while the
	// Hub stays at the origin's /hub. Every other path answers the web app's HTML. Empty: at the origin.
	BasePath string
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
	// nothing to a request's path.
	Faults Faults
	// JournalSize is how many of the latest requests GET /__ytmock/requests shows.
	// 0: no journal, and nothing recorded.
	JournalSize int
}

// Validate reports options the mock cannot serve with: invalid Faults, or a BasePath that is not a path
// ("/youtrack": a leading slash, none at the end, no query).
func (o Options) Validate() error {
	if err := o.Faults.Validate(); err != nil {
		return err
	}
	if p := o.BasePath; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#% ")) {
		return fmt.Errorf("base path %q: want a path such as /youtrack, with no slash at the end", p)
	}
	if p := o.BasePath; p == ControlPrefix || strings.HasPrefix(p, "/hub") {
		return errors.New("base path " + p + ": /hub and " + ControlPrefix + " stay at the origin")
	}
	return nil
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
	hubURL  string   // ring.url of /api/config
}

// New returns the mock as an http.Handler serving the state in store. It panics when opts.Validate fails,
// as http.ServeMux panics on a bad pattern: options are the program's, not a client's, and `ytconform mock`
// validates its flags first.
//
// Each request passes, outermost first: the request's record (status and login, for the access log and
// the journal), the layout (base path, web app), the injected faults, the panic guard, CORS, the legacy
// API's switch, then the route.
func New(store *Store, opts Options) http.Handler {
	if err := opts.Validate(); err != nil {
		panic("mockserver.New: " + err.Error())
	}
	s := &server{store: store, opts: opts.withDefaults()}
	s.hubURL = hubURLOf(s.opts.BaseURL, s.opts.BasePath)
	if s.opts.AccessLog != nil {
		s.log = newAccessLog(s.opts.AccessLog)
	}
	if s.opts.JournalSize > 0 {
		s.journal = newJournal(s.opts.JournalSize)
	}
	h := s.legacySwitch(s.routes())
	h = s.cors(h)
	h = s.recoverPanics(h)
	if s.opts.Faults.enabled() {
		h = s.opts.Faults.middleware(h) // inside the record, so that the log and the journal show faults
	}
	h = s.layout(h)
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

// baseURL is where this mock's YouTrack is reachable, for the legacy API's project URLs: the public URL,
// or the request's Host with the base path. A real server writes its configured address whatever Host a
// client sent; without one, the Host is the best guess.
func (s *server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	return scheme + r.Host + s.opts.BasePath
}
