package diff

import (
	"fmt"
	"strings"

	"github.com/ytconform/ytconform/report"
)

// The servers of the tests: A and B at different addresses, as in `ytconform diff --a A --b B`.
const (
	baseA = "http://youtrack-a.example:8080"
	baseB = "http://127.0.0.1:41234"
)

// youtrackHeaders are the headers a real YouTrack sends with a JSON answer, Date and length included.
var youtrackHeaders = []string{
	"Cache-Control: no-cache, no-store, no-transform, must-revalidate",
	"Content-Type: application/json;charset=UTF-8",
	"Server: YouTrack",
	"X-Content-Type-Options: nosniff",
	"Date: Thu, 26 Nov 2026 22:52:12 GMT",
	"Content-Length: 152",
}

// answerOf is one exchange of the tests: op names the contract's operation ("GET /api/users/me"; "" for a
// GET the contract does not know), path the request's path and query; "{base}" in body and headers is the
// server's base URL.
type answerOf struct {
	op, path string
	status   int
	body     string
	headers  []string // "Name: value"; nil for youtrackHeaders
}

// ok is a 200 of op at path with a JSON body and YouTrack's headers.
func ok(op, path, body string) answerOf { return answerOf{op: op, path: path, status: 200, body: body} }

// with is a with headers changed: "Name: value" replaces or adds, "Name:" removes.
func (a answerOf) with(headers ...string) answerOf {
	hs := append([]string(nil), cmpOr(a.headers, youtrackHeaders)...)
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		kept := hs[:0]
		for _, old := range hs {
			if n, _, _ := strings.Cut(old, ":"); !strings.EqualFold(n, name) {
				kept = append(kept, old)
			}
		}
		hs = kept
		if strings.TrimSpace(value) != "" {
			hs = append(hs, h)
		}
	}
	a.headers = hs
	return a
}

func cmpOr(x, y []string) []string {
	if x != nil {
		return x
	}
	return y
}

// exchange is a as sent to the server at base.
func (a answerOf) exchange(base string) *report.Exchange {
	method, _, _ := strings.Cut(a.op, " ")
	if method == "" {
		method = "GET" // a request the contract does not know
	}
	x := &report.Exchange{Role: "the admin", Operation: a.op, Method: method, URL: base + a.path,
		Status: a.status, Body: strings.ReplaceAll(a.body, "{base}", base)}
	for _, h := range cmpOr(a.headers, youtrackHeaders) {
		name, value, _ := strings.Cut(h, ":")
		x.ResponseHeaders = append(x.ResponseHeaders, report.Header{Name: name, Value: strings.ReplaceAll(strings.TrimSpace(value), "{base}", base)})
	}
	return x
}

// play is one scenario as a run played it: its name, and its exchanges in one step each.
type play struct {
	name    string
	answers []answerOf
	skipped string // the reason, when the run skipped it
	absent  bool
}

// runOn is a run at base of one feature holding the scenarios, at lines 3, 10, 17, ...
func runOn(base string, plays ...play) *report.Run {
	f := &report.Feature{URI: "features/projects.feature", Name: "Projects"}
	for i, p := range plays {
		if p.absent {
			continue
		}
		sc := &report.Scenario{ID: fmt.Sprint(i), Name: p.name, Line: 3 + 7*i, Keyword: "Scenario",
			Outcome: report.Passed}
		if p.skipped != "" {
			sc.Outcome, sc.Reason = report.Skipped, p.skipped
		}
		for j, a := range p.answers {
			sc.Steps = append(sc.Steps, &report.Step{Keyword: "When ", Text: fmt.Sprint("step ", j), Line: sc.Line + 1 + j,
				Outcome: report.Passed, Exchanges: []*report.Exchange{a.exchange(base)}})
		}
		f.Scenarios = append(f.Scenarios, sc)
	}
	return &report.Run{Target: base, BaseURL: base, HubURL: base + "/hub", Features: []*report.Feature{f}}
}

// lines renders differences as the tests compare them: "keys GET /api/users/me body: A {...}, B {...} (1)".
func lines(ds []*Difference) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %s %s: A %s, B %s (%d)", d.Kind, d.Operation, d.Path, d.A, d.B, len(d.Seen)))
	}
	return out
}
