package steps

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ytconform/ytconform/internal/secrets"
	"github.com/ytconform/ytconform/report"
)

// keptBodyBytes is how much of each answer's body the run keeps for its reports and for diff, which
// compare whole bodies: the reports show 4 KiB of each, and a run sends ~150 requests, so a server
// answering 16 MiB bodies costs at most ~150 MiB, not gigabytes.
const keptBodyBytes = 1 << 20

// sentExchange is one request as sent and what came back, kept raw until its step ends: only then is every
// secret of the step known (a new token is learned from the very answer that shows it), and redacted.
type sentExchange struct {
	role      string
	operation string // the contract's operation, "GET /api/admin/projects/{id}"; "" for none
	req       *http.Request
	body      []byte
	started   time.Time
	answer    *exchange // nil when none came
	err       error
}

// keep records an exchange for the step's reports, and tells the coverage what it exercised.
func (st *scenario) keep(sent sentExchange) {
	sent.operation = st.validator.Operation(sent.req)
	st.sent = append(st.sent, sent)
	if sent.answer == nil || sent.operation == "" {
		return
	}
	method, template, _ := strings.Cut(sent.operation, " ")
	st.suite.coverage.Observe(method, template, sent.req.URL.Query(), sent.answer.status, sent.answer.body)
}

// redactedExchanges are the running step's exchanges as the reports show them: no token in a header, a
// URL or a body, whether the suite knew it or it merely has a token's shape.
func (st *scenario) redactedExchanges() []*report.Exchange {
	var out []*report.Exchange
	for _, s := range st.sent {
		ex := &report.Exchange{
			Role:           s.role,
			Operation:      s.operation,
			Method:         s.req.Method,
			URL:            st.secrets.Redact(s.req.URL.Redacted()),
			RequestHeaders: st.redactedHeaders(s.req.Header),
			RequestBody:    st.secrets.Redact(string(s.body)),
			Started:        s.started,
		}
		if s.err != nil {
			ex.Error = st.secrets.Redact(s.err.Error())
		}
		if a := s.answer; a != nil {
			ex.Status, ex.Duration = a.status, a.answered.Sub(s.started)
			ex.ResponseHeaders = st.redactedHeaders(a.header)
			body := a.body
			if len(body) > keptBodyBytes {
				body, ex.BodyOmitted = body[:keptBodyBytes], len(body)-keptBodyBytes
			}
			ex.Body = st.secrets.Redact(strings.ToValidUTF8(string(body), "\uFFFD"))
		}
		out = append(out, ex)
	}
	return out
}

// redactedHeaders are h's lines sorted by name. Authorization keeps its scheme ("Bearer <token>"), so a
// reader sees how the credential was sent, never what it was.
func (st *scenario) redactedHeaders(h http.Header) []report.Header {
	var out []report.Header
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, value := range h[name] {
			if strings.EqualFold(name, "Authorization") {
				value = redactedCredential(value)
			}
			out = append(out, report.Header{Name: name, Value: st.secrets.Redact(value)})
		}
	}
	return out
}

// redactedCredential is an Authorization value with its credential replaced, "Bearer <token>", and its
// scheme kept, so that a reader sees how the credential was sent, never what it was. A scheme alone, or a
// scheme and nothing after it, hides nothing and is kept whole.
func redactedCredential(value string) string {
	scheme, credential, hasSpace := strings.Cut(value, " ")
	switch {
	case hasSpace && strings.TrimSpace(credential) == "":
		return value
	case hasSpace:
		return scheme + " " + secrets.Placeholder
	case slices.Contains([]string{"bearer", "basic", "token"}, strings.ToLower(value)):
		return value
	}
	return secrets.Placeholder
}
