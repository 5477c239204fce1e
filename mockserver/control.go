package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The control API lives under controlPrefix, outside YouTrack's namespace: a real YouTrack answers 404
// there. It needs no token, is never slowed or failed by Faults, and its own requests stay out of the journal.
const controlPrefix = "/__ytmock"

// DefaultJournalSize is how many requests `ytconform mock` and NewTestServer keep in the journal.
const DefaultJournalSize = 100

// JournalEntry is one request the mock answered, as GET /__ytmock/requests shows it. It never holds a
// token: the Authorization header is not recorded, and query values and path segments that look like
// a token (perm:…, perm-…, a token the mock knows, or the value of a parameter named like a secret)
// are replaced by "REDACTED".
type JournalEntry struct {
	Time       time.Time `json:"time"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query"`  // the raw query string, without the "?"
	Status     int       `json:"status"` // 444 when an injected fault dropped the connection unanswered
	Login      *string   `json:"login"`  // nil when no user was identified
	DurationMs float64   `json:"durationMs"`
}

// journal is a bounded ring buffer of the latest requests. Recording costs one short critical section
// and no allocation: strings are kept as the request holds them and redacted only when shown.
type journal struct {
	mu      sync.Mutex
	entries []journalRecord
	next    int // where the next record goes
	full    bool
}

type journalRecord struct {
	start       time.Time
	took        time.Duration
	method      string
	path, query string
	status      int
	login       string
}

// maxJournalText bounds what one entry keeps of a path or a query, so that a full journal stays small
// whatever clients send.
const maxJournalText = 2048

func newJournal(size int) *journal { return &journal{entries: make([]journalRecord, size)} }

func (j *journal) add(start time.Time, took time.Duration, r *http.Request, rec *recorder) {
	p, q := r.URL.Path, r.URL.RawQuery
	if strings.HasPrefix(p, controlPrefix+"/") || p == controlPrefix {
		return
	}
	if len(p) > maxJournalText { // rare: redact before cutting, so that no half token survives
		p = truncateText(redactPath(p, nil), maxJournalText)
	}
	if len(q) > maxJournalText {
		q = truncateText(redactQuery(q, nil), maxJournalText)
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	j.mu.Lock()
	j.entries[j.next] = journalRecord{start: start, took: took, method: r.Method, path: p, query: q, status: status, login: rec.login}
	j.next++
	if j.next == len(j.entries) {
		j.next, j.full = 0, true
	}
	j.mu.Unlock()
}

// snapshot returns the records, oldest first.
func (j *journal) snapshot() []journalRecord {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []journalRecord
	if j.full {
		out = append(out, j.entries[j.next:]...)
	}
	return append(out, j.entries[:j.next]...)
}

func (j *journal) clear() {
	j.mu.Lock()
	clear(j.entries)
	j.next, j.full = 0, false
	j.mu.Unlock()
}

// Entries returns the journal as the control API shows it, oldest first, with secrets redacted.
// isToken, when not nil, reports a text the mock knows as a token.
func (j *journal) render(isToken func(string) bool) []JournalEntry {
	records := j.snapshot()
	out := make([]JournalEntry, len(records))
	for i, rec := range records {
		e := JournalEntry{
			Time:       rec.start.UTC(),
			Method:     rec.method,
			Path:       redactPath(rec.path, isToken),
			Query:      redactQuery(rec.query, isToken),
			Status:     rec.status,
			DurationMs: float64(rec.took.Microseconds()) / 1000,
		}
		if rec.login != "" {
			login := rec.login
			e.Login = &login
		}
		out[i] = e
	}
	return out
}

const redacted = "REDACTED"

// secretParams are query parameter names whose values are never shown, whatever they look like.
var secretParams = []string{"token", "access_token", "refresh_token", "id_token", "password", "passwd", "secret",
	"client_secret", "api_key", "apikey", "key", "auth", "authorization", "bearer", "code", "session", "sig", "signature"}

func isSecretParam(name string) bool {
	name = strings.ToLower(name)
	for _, s := range secretParams {
		if name == s {
			return true
		}
	}
	return strings.Contains(name, "token") || strings.Contains(name, "password") || strings.Contains(name, "secret")
}

// looksLikeToken reports a text holding something shaped like a YouTrack permanent token (perm:… or
// perm-… anywhere in it, or a Bearer credential), or being a token the mock knows.
func looksLikeToken(s string, isToken func(string) bool) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(t, "bearer ") || strings.Contains(t, "perm:") || strings.Contains(t, "perm-") {
		return true
	}
	return isToken != nil && len(t) >= 8 && len(t) <= maxTokenLength && isToken(strings.TrimSpace(s))
}

// redactQuery keeps the query as sent, except the values of secret-named parameters and values that
// look like tokens.
func redactQuery(q string, isToken func(string) bool) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, part := range parts {
		rawName, rawValue, hasValue := strings.Cut(part, "=")
		name, value, whole := unescape(rawName), unescape(rawValue), unescape(part)
		switch {
		case looksLikeToken(name, isToken) || isToken != nil && isToken(whole): // a bare token: ?perm:abc…
			parts[i] = redacted
			changed = true
		case hasValue && rawValue != "" && (isSecretParam(name) || looksLikeToken(value, isToken)):
			parts[i] = rawName + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// redactPath replaces path segments that look like tokens.
func redactPath(p string, isToken func(string) bool) string {
	if !strings.Contains(strings.ToLower(p), "perm") && isToken == nil {
		return p
	}
	segs := strings.Split(p, "/")
	changed := false
	for i, s := range segs {
		if s != "" && looksLikeToken(s, isToken) {
			segs[i] = redacted
			changed = true
		}
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

func truncateText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return quoteForMessage(s[:max]) // cuts on a rune boundary and marks the cut
}

// observe runs the recorder in front of next when the access log or the journal is on, and hands each
// finished request to both. With only the access log on, it is the access log's own middleware.
func (s *server) observe(next http.Handler) http.Handler {
	if s.journal == nil {
		return s.log.middleware(next, s.opts.Now)
	}
	now, log, j := s.opts.Now, s.log, s.journal
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		if log != nil {
			log.inFlight.Add(1)
		}
		rec := &recorder{ResponseWriter: w}
		defer func() {
			took := now().Sub(start)
			if log != nil {
				log.write(start, took, r, rec)
			}
			j.add(start, took, r, rec)
		}()
		next.ServeHTTP(rec, r)
	})
}

// controlHealth answers as soon as the mock serves: GET /__ytmock/health.
func (s *server) controlHealth(w http.ResponseWriter, r *http.Request) {
	send(w, r, http.StatusOK, jsonType, []byte(`{"status":"ok"}`))
}

// controlRequests shows the journal: GET /__ytmock/requests.
func (s *server) controlRequests(w http.ResponseWriter, r *http.Request) {
	if s.journal == nil {
		writeError(w, r, http.StatusNotFound, "The request journal is off (start the mock with --journal N, N > 0)")
		return
	}
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // show a query's & as &, not \u0026
	err := enc.Encode(struct {
		Requests []JournalEntry `json:"requests"`
	}{s.journal.render(s.store.isKnownToken)})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "the journal cannot be rendered")
		return
	}
	send(w, r, http.StatusOK, jsonType, bytes.TrimSuffix(body.Bytes(), []byte("\n")))
}

// controlClearRequests empties the journal: DELETE /__ytmock/requests.
func (s *server) controlClearRequests(w http.ResponseWriter, r *http.Request) {
	if s.journal != nil {
		s.journal.clear()
	}
	noContent(w)
}

// controlReset returns the store to its fixtures: POST /__ytmock/reset. The journal is kept.
func (s *server) controlReset(w http.ResponseWriter, r *http.Request) {
	s.store.Reset()
	noContent(w)
}

// noContent answers 204 with the common headers and no body (hence no Content-Type).
func noContent(w http.ResponseWriter) {
	h := w.Header()
	setCommonHeaders(h, jsonType)
	delete(h, "Content-Type")
	w.WriteHeader(http.StatusNoContent)
}

// isKnownToken reports a secret that authenticates a live token of the store.
func (s *Store) isKnownToken(secret string) bool { return s.authenticate(secret) != nil }
