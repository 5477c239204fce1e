// Package report holds what one run of the conformance suite found, and writes it for people and for CI
// systems: JUnit XML, cucumber JSON, and a self-contained HTML page. The suite (package steps) fills a Run as
// scenarios end; the writers only read it. No writer ever sees a token: exchanges are redacted before they
// are recorded.
package report

import "time"

// Run is one run of the features against one target.
type Run struct {
	// Target names the server and where that came from: "http://127.0.0.1:8080 (from --target t.yaml)".
	Target string
	// BaseURL and HubURL are where the requests went: the base URL of YouTrack, and its Hub's. Empty for
	// the embedded mock, which every scenario starts afresh at its own address.
	BaseURL, HubURL string
	Started         time.Time
	Duration        time.Duration
	Features        []*Feature // in the order of their files
	// Notes are measurements worth a line: "revocation: a revoked token was refused 1.2s after the DELETE".
	Notes []string
	// Aborted says why the run stopped before any scenario ran (the target is unreachable, or not
	// YouTrack's API, or the tags select nothing): the reports then hold one errored case saying so.
	Aborted string
	// Coverage is how much of openapi.yaml the run exercised; nil when not measured.
	Coverage *Coverage
}

// Feature is one feature file.
type Feature struct {
	URI         string // features/tokens.feature
	Name        string // the Feature: line
	Description string
	Tags        []string // with their @
	Scenarios   []*Scenario
}

// Outcome is how a scenario or a step ended.
type Outcome string

// The outcomes. A skipped scenario is one the target could not offer: never passed, never failed.
const (
	Passed    Outcome = "passed"
	Failed    Outcome = "failed"
	Skipped   Outcome = "skipped"
	Undefined Outcome = "undefined" // steps only: no definition matches the step
	Pending   Outcome = "pending"   // steps only
)

// Scenario is one scenario, or one row of a Scenario Outline's Examples.
type Scenario struct {
	ID       string // godog's pickle id, unique in the run
	Name     string
	Line     int      // of the scenario, or of its Examples row
	Keyword  string   // "Scenario" or "Scenario Outline"
	Tags     []string // with their @, the feature's included
	Outcome  Outcome
	Reason   string // why it was skipped or failed; never a token
	Duration time.Duration
	Steps    []*Step
}

// Step is one step as run.
type Step struct {
	Keyword  string // "Given ", "When ", "Then ", "And ", "But ", "* ", as written
	Text     string // with the Examples row's values in place
	Line     int
	Outcome  Outcome
	Error    string        // one line, when the step failed; never a token
	Duration time.Duration // 0 for a step that did not run
	// Location is the step definition's Go function as file:line ("steps/answer.go:27"); "" when undefined.
	Location  string
	Exchanges []*Exchange // the requests the step sent, in order
}

// Exchange is one request the suite sent and the answer it got, with every token redacted: the
// Authorization header reads "Bearer <token>", and anything shaped like a token is "<token>".
type Exchange struct {
	// Role is who the request acted as: "the admin", "the restricted user", "a guest", "an unknown token", ...
	Role string
	// Operation is the contract's operation the request matched, "GET /api/admin/projects/{id}"; "" when it
	// matched none.
	Operation       string
	Method          string
	URL             string // absolute, as sent (query included)
	RequestHeaders  []Header
	RequestBody     string
	Status          int // 0 when no answer came
	ResponseHeaders []Header
	Body            string // the body as received, decoded from gzip, up to the first MiB
	BodyOmitted     int    // bytes of the body past what was kept
	Started         time.Time
	Duration        time.Duration
	Error           string // why no usable answer came, when none did
}

// Header is one header line.
type Header struct{ Name, Value string }

// Coverage is how much of the contract a run exercised: its operations, the statuses each declares, the
// parameters each takes, and the properties of each schema component.
type Coverage struct {
	Operations Tally `json:"operations"`
	Statuses   Tally `json:"statuses"`
	Parameters Tally `json:"parameters"`
	Properties Tally `json:"properties"`
	// Never lists what was never exercised: "GET /api/users/{id}", "GET /api/users/{id} 404",
	// "GET /api/users query", "Project.team".
	Never struct {
		Operations []string `json:"operations"`
		Statuses   []string `json:"statuses"`
		Parameters []string `json:"parameters"`
		Properties []string `json:"properties"`
	} `json:"never"`
	// PerEntity is, for each schema component, its properties seen and declared.
	PerEntity map[string]Tally `json:"perEntity"`
}

// Tally is how many of the declared were seen.
type Tally struct {
	Seen     int `json:"seen"`
	Declared int `json:"declared"`
}
