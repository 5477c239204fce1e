package report_test

import (
	"strings"
	"time"

	"github.com/ytconform/ytconform/report"
)

// The sample run the writers' tests render: two features, with passed, failed and skipped scenarios, the
// rows of an outline, exchanges, notes and coverage.

var sampleStart = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// bigBody is a listing longer than report.BodyLimit that a hostile server laced with markup.
var bigBody = `[{"name":"<script>alert('owned')</script>"}` + strings.Repeat(`,{"name":"padding"}`, 400) + "]"

func listing() *report.Exchange {
	return &report.Exchange{
		Role:   "the admin",
		Method: "GET",
		URL:    "http://127.0.0.1:8080/api/admin/projects?fields=id,name",
		RequestHeaders: []report.Header{
			{Name: "Accept", Value: "application/json"},
			{Name: "Authorization", Value: "Bearer <token>"},
		},
		Status:          200,
		ResponseHeaders: []report.Header{{Name: "Content-Type", Value: "application/json;charset=UTF-8"}},
		Body:            `[{"id":"0-0","name":"Demo"}]`,
		Duration:        12 * time.Millisecond,
	}
}

func revocation() *report.Exchange {
	return &report.Exchange{
		Role:            "the admin",
		Method:          "DELETE",
		URL:             "http://127.0.0.1:8080/hub/api/rest/users/me/permanenttokens/1-2",
		RequestHeaders:  []report.Header{{Name: "Authorization", Value: "Bearer <token>"}},
		Status:          200,
		ResponseHeaders: []report.Header{{Name: "Content-Type", Value: "application/json"}},
		Body:            bigBody,
	}
}

func legacyProbe() *report.Exchange {
	return &report.Exchange{
		Role:   "the admin",
		Method: "GET",
		URL:    "http://127.0.0.1:8080/rest/admin/project",
		Status: 400,
		Body:   `{"error":"Deprecated REST API is disabled"}`,
	}
}

func passedScenario(name string, line int, exchanges ...*report.Exchange) *report.Scenario {
	return &report.Scenario{
		ID: name, Name: name, Line: line, Keyword: "Scenario", Tags: []string{"@tokens"},
		Outcome: report.Passed, Duration: 40 * time.Millisecond,
		Steps: []*report.Step{
			{Keyword: "When ", Text: `the admin sends GET "/api/admin/projects?fields=id,name"`, Line: line + 1,
				Outcome: report.Passed, Duration: 20 * time.Millisecond, Location: "steps/requests.go:41",
				Exchanges: exchanges},
			{Keyword: "Then ", Text: "the status is 200", Line: line + 2, Outcome: report.Passed,
				Duration: time.Millisecond, Location: "steps/answer.go:27"},
		},
	}
}

const revokedError = "expected status 401, got 200: the revoked token still works after the grace of 20s"

func failedScenario() *report.Scenario {
	return &report.Scenario{
		ID: "revoked", Name: "a revoked token is refused", Line: 20, Keyword: "Scenario", Tags: []string{"@tokens"},
		Outcome: report.Failed, Reason: revokedError, Duration: 1234567 * time.Microsecond,
		Steps: []*report.Step{
			{Keyword: "Given ", Text: "the admin lists the projects", Line: 21, Outcome: report.Passed,
				Duration: 30 * time.Millisecond, Location: "steps/requests.go:41", Exchanges: []*report.Exchange{listing()}},
			{Keyword: "When ", Text: "the admin revokes the token", Line: 22, Outcome: report.Passed,
				Duration: 40 * time.Millisecond, Location: "steps/tokens.go:88", Exchanges: []*report.Exchange{revocation()}},
			{Keyword: "Then ", Text: "the token is refused", Line: 23, Outcome: report.Failed, Error: revokedError,
				Duration: 20 * time.Second, Location: "steps/tokens.go:120"},
			{Keyword: "And ", Text: "the token is not listed", Line: 24, Outcome: report.Skipped,
				Location: "steps/tokens.go:140"},
		},
	}
}

const legacySkip = `the target does not serve the legacy API: GET /rest/admin/project answered 400 "Deprecated REST API is disabled"`

func skippedScenario(reason string) *report.Scenario {
	return &report.Scenario{
		ID: "legacy", Name: "the reference exchange of the help page", Line: 10, Keyword: "Scenario",
		Tags: []string{"@legacy"}, Outcome: report.Skipped, Reason: reason,
		Steps: []*report.Step{
			{Keyword: "Given ", Text: "the target serves the legacy API", Line: 11, Outcome: report.Skipped,
				Location: "steps/legacy.go:30", Exchanges: []*report.Exchange{legacyProbe()}},
			{Keyword: "When ", Text: `the admin sends GET "/rest/admin/project"`, Line: 12, Outcome: report.Skipped,
				Location: "steps/requests.go:41"},
		},
	}
}

// outlineRow is a row of an outline: every row has the outline's name.
func outlineRow(line int) *report.Scenario {
	sc := passedScenario("the answer carries the documented headers", line, listing())
	sc.Keyword = "Scenario Outline"
	sc.Tags = []string{"@legacy"}
	return sc
}

func sampleRun() *report.Run {
	return &report.Run{
		Target:   "http://127.0.0.1:8080 (from --target t.yaml)",
		Started:  sampleStart,
		Duration: 3*time.Second + 250*time.Millisecond,
		Notes:    []string{"revocation: a revoked token was refused 1.2s after the DELETE", "the server is YouTrack 2025.3"},
		Features: []*report.Feature{
			{
				URI: "features/tokens.feature", Name: "Permanent tokens", Tags: []string{"@tokens"},
				Description: "A user creates permanent tokens\nand revokes them.",
				Scenarios:   []*report.Scenario{passedScenario("a token lists the projects it may read", 8, listing()), failedScenario()},
			},
			{
				URI: "features/legacy.feature", Name: "The legacy /rest API", Tags: []string{"@legacy"},
				Scenarios: []*report.Scenario{skippedScenario(legacySkip), outlineRow(30), outlineRow(31)},
			},
		},
		Coverage: sampleCoverage(),
	}
}

func sampleCoverage() *report.Coverage {
	c := &report.Coverage{
		Operations: report.Tally{Seen: 3, Declared: 4},
		Statuses:   report.Tally{Seen: 5, Declared: 10},
		Parameters: report.Tally{Seen: 2, Declared: 3},
		Properties: report.Tally{Seen: 7, Declared: 8},
		PerEntity: map[string]report.Tally{
			"User":    {Seen: 2, Declared: 3},
			"Project": {Seen: 5, Declared: 5},
		},
	}
	c.Never.Operations = []string{"GET /api/users/{id}"}
	c.Never.Statuses = []string{"GET /api/users/{id} 404"}
	c.Never.Properties = []string{"User.email"}
	return c
}

// withoutFailures is the sample run with its failed scenario taken out.
func withoutFailures() *report.Run {
	run := sampleRun()
	tokens := run.Features[0]
	tokens.Scenarios = tokens.Scenarios[:1]
	run.Features[1].Scenarios = append(run.Features[1].Scenarios, skippedScenario("no Hub on this target"))
	return run
}

func abortedRun() *report.Run {
	return &report.Run{
		Target:   "http://127.0.0.1:9 (from --target t.yaml)",
		Started:  sampleStart,
		Duration: 30 * time.Millisecond,
		Aborted:  "the target is unreachable: GET http://127.0.0.1:9/api/config: connection refused",
		Notes:    []string{"nothing ran"},
	}
}
