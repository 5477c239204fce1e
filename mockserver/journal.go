package mockserver

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultJournalSize is how many requests `ytconform mock` and the test server keep in the journal.
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

// add records a finished request; the control API's own requests are left out.
func (j *journal) add(start time.Time, took time.Duration, r *http.Request, rec *recorder) {
	p, q := r.URL.Path, r.URL.RawQuery
	if strings.HasPrefix(p, ControlPrefix+"/") || p == ControlPrefix {
		return
	}
	if len(p) > maxJournalText { // rare: redact before cutting, so that no half token survives
		p = truncateText(redactPath(p, nil), maxJournalText)
	}
	if len(q) > maxJournalText {
		q = truncateText(redactQuery(q, nil), maxJournalText)
	}
	j.mu.Lock()
	j.entries[j.next] = journalRecord{start: start, took: took, method: r.Method, path: p, query: q,
		status: rec.statusOr200(), login: rec.login}
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

// render returns the journal as the control API shows it, oldest first, with secrets redacted.
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
