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
			URL:            st.secrets.redact(s.req.URL.String()),
			RequestHeaders: st.redactedHeaders(s.req.Header),
			RequestBody:    st.secrets.redact(string(s.body)),
			Started:        s.started,
		}
		if s.err != nil {
			ex.Error = st.secrets.redact(s.err.Error())
		}
		if a := s.answer; a != nil {
			ex.Status, ex.Duration = a.status, a.answered.Sub(s.started)
			ex.ResponseHeaders = st.redactedHeaders(a.header)
			ex.Body = st.secrets.redact(strings.ToValidUTF8(string(a.body), "\uFFFD"))
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
			out = append(out, report.Header{Name: name, Value: st.secrets.redact(value)})
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
