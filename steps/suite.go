// Package steps binds the Gherkin features to HTTP: it resolves the identities a target file describes,
// sends the requests the steps name, validates every exchange against openapi.yaml, and asserts what the
// features promise. A Suite runs them against one target and records how each scenario ended, with the
// reasons godog's formatters drop.
package steps

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/ytconform/ytconform/internal/coverage"
	"github.com/ytconform/ytconform/internal/specval"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/target"
)

// DefaultTimeout bounds one request, answer included.
const DefaultTimeout = 10 * time.Second

// exclusiveTag marks a scenario that changes what other scenarios see (it creates projects): against a
// shared target it runs alone.
const exclusiveTag = "@exclusive"

// Config says what a Suite runs against.
type Config struct {
	// Target is the server under test, as target.Resolve, target.Load or target.FromFixtures made it.
	// Nil starts a fresh embedded mock for every scenario.
	Target *target.Target
	// Timeout bounds each request. Zero means DefaultTimeout.
	Timeout time.Duration
	// KeepGoing lets a scenario go on past a failed step: the failure is recorded as the scenario's, and
	// every later step still runs. `ytconform diff` needs it, so that both servers get every request the
	// scenario sends, whatever either answers. A skip still ends the scenario.
	KeepGoing bool
}

// Suite runs the features against one target. Create it with NewSuite and hand InitializeScenario to godog.
type Suite struct {
	cfg    Config
	client *http.Client
	// exclusive lets an @exclusive scenario run alone against a shared target; the others share it.
	exclusive sync.RWMutex
	// validators holds one specval.Validator per base and Hub URL: building one costs a router over the
	// contract.
	validators sync.Map
	// broken breaks every embedded mock on purpose; only the package's tests set it.
	broken brokenMock

	// coverage counts what the run exercised of openapi.yaml.
	coverage *coverage.Tracker
	started  time.Time

	mu sync.Mutex
	// revocationLags are how long after their DELETE revoked tokens were refused: a line after the run.
	revocationLags []time.Duration
	runs           records // what the reports show: every scenario, step and exchange
}

// Outcome is how a scenario ended.
type Outcome string

// The outcomes of a scenario. godog counts a skipped scenario as passed; the Suite does not.
const (
	Passed  Outcome = "passed"
	Failed  Outcome = "failed"
	Skipped Outcome = "skipped"
)

// Result is how one scenario (or one Examples row) ended, and why when it did not pass.
type Result struct {
	Feature  string // the feature file, e.g. features/tokens.feature
	Scenario string
	Outcome  Outcome
	Reason   string // why it was skipped or failed; never a token
	// OtherSide marks a scenario skipped because the target has the other value of a setting that has a
	// scenario for each value (guest access allowed or banned, ...): no target can run both.
	OtherSide bool
}

// NewSuite returns a Suite for cfg.
func NewSuite(cfg Config) (*Suite, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	doc, err := specval.Spec() // fail once, here, rather than in every scenario
	if err != nil {
		return nil, err
	}
	return &Suite{cfg: cfg, client: newClient(cfg.Timeout), coverage: coverage.New(doc), started: time.Now(), runs: newRecords()}, nil
}

// Describe names the target and where it came from, for the first line of a run and for its reports:
// "https://yt.example.com (from --target t.yaml)".
func (s *Suite) Describe() string {
	t := s.cfg.Target
	switch {
	case t == nil:
		return "the embedded mock, a fresh one for every scenario"
	case t.Source == "":
		return t.DisplayURL()
	}
	return fmt.Sprintf("%s (from %s)", t.DisplayURL(), t.Source)
}

// NewSuiteFromEnv is the Suite that `go test ./steps` and godog's own CLI run: the target file that
// YTCONFORM_TARGET names, or else the embedded mock. YOUTRACK_URL and YOUTRACK_TOKEN are not followed here:
// a developer's shell that exported them for another tool must not turn the package's tests into a run
// against their server. The first line of stderr names the target.
func NewSuiteFromEnv(getenv func(string) string) (*Suite, error) {
	var t *target.Target
	if file := getenv("YTCONFORM_TARGET"); file != "" {
		loaded, err := target.Load(file, getenv)
		if err != nil {
			return nil, err
		}
		loaded.Source = "YTCONFORM_TARGET=" + file
		t = loaded
	}
	suite, err := NewSuite(Config{Target: t})
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(os.Stderr, "ytconform: target:", suite.Describe())
	if t != nil {
		hub, err := Inspect(context.Background(), t, DefaultTimeout)
		if err != nil {
			return nil, err
		}
		if hub != "" {
			fmt.Fprintln(os.Stderr, "ytconform:", hub)
		}
	}
	return suite, nil
}

// brokenMock says how the package's tests break the embedded mocks: wrap their handler, and change the data
// they serve without changing what the target says of it.
type brokenMock struct {
	wrap     func(http.Handler) http.Handler
	fixtures func(*mockserver.Fixtures)
}

// validator is the contract check for exchanges with the server at baseURL whose Hub is at hubURL, built
// once per pair.
func (s *Suite) validator(baseURL, hubURL string) (*specval.Validator, error) {
	key := baseURL + " " + hubURL
	if v, ok := s.validators.Load(key); ok {
		return v.(*specval.Validator), nil
	}
	v, err := specval.New(baseURL, hubURL)
	if err != nil {
		return nil, err
	}
	actual, _ := s.validators.LoadOrStore(key, v)
	return actual.(*specval.Validator), nil
}

// InitializeScenario prepares one scenario: its own state, its steps and its hooks.
func (s *Suite) InitializeScenario(sc *godog.ScenarioContext) {
	state := &scenario{suite: s}
	sc.Before(state.begin)
	sc.StepContext().Before(state.beginStep)
	sc.StepContext().After(state.noteStep)
	sc.After(state.end)
	state.registerSteps(sc)
}

// Run runs the features that opts name (its Paths, FS, Tags, Concurrency, ...) and returns godog's status:
// 0 passed, 1 failed, 2 could not run. The run prints to out as it goes, in style, and is recorded for
// Report; opts' Format and Output are set here. Strict is always on: an undefined step fails.
func (s *Suite) Run(opts godog.Options, out io.Writer, style Style) int {
	name := fmt.Sprintf("ytconform %p", s)
	liveRuns.Store(name, &liveRun{suite: s, w: out, style: style})
	defer liveRuns.Delete(name)
	opts.Format, opts.Output, opts.NoColors, opts.Strict = formatName, out, true, true
	return godog.TestSuite{Name: name, ScenarioInitializer: s.InitializeScenario, Options: &opts}.Run()
}

// Results returns how each scenario that has ended so far ended, by feature and line.
func (s *Suite) Results() []Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	var results []Result
	for _, r := range s.sortedScenarios() {
		if r.result != nil {
			results = append(results, *r.result)
		}
	}
	return results
}

// noteRevocation keeps a measured revocation lag for the run's notes.
func (s *Suite) noteRevocation(lag time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revocationLags = append(s.revocationLags, lag)
}

// notes are the run's measurements worth a line, one per kind however many scenarios made them:
// "revocation: a revoked token was refused at most 1.2s after the DELETE answered (3 measured; grace 60s)".
// s.mu must be held.
func (s *Suite) notes() []string {
	if len(s.revocationLags) == 0 {
		return nil
	}
	grace := time.Duration(0) // the embedded mock's: it refuses a revoked token at once
	if s.cfg.Target != nil {
		grace = s.cfg.Target.Grace()
	}
	return []string{fmt.Sprintf("revocation: a revoked token was refused at most %s after the DELETE answered (%d measured; grace %s)",
		slices.Max(s.revocationLags), len(s.revocationLags), grace)}
}

// WriteSummary writes one line per scenario that did not pass, with its reason, then the honest count:
// godog's own summary counts skipped scenarios as passed.
func (s *Suite) WriteSummary(w io.Writer) {
	results := s.Results()
	slices.SortFunc(results, func(a, b Result) int {
		return cmp.Or(strings.Compare(a.Feature, b.Feature), strings.Compare(a.Scenario, b.Scenario))
	})
	count := map[Outcome]int{}
	for _, r := range results {
		count[r.Outcome]++
		if r.Outcome != Passed {
			fmt.Fprintf(w, "%s: %s: %s: %s\n", r.Outcome, r.Feature, r.Scenario, report.OneLine(r.Reason))
		}
	}
	s.mu.Lock()
	notes := s.notes()
	s.mu.Unlock()
	for _, n := range notes {
		fmt.Fprintln(w, "note:", n)
	}
	fmt.Fprintf(w, "%d %s: %d passed, %d failed, %d skipped\n", len(results), plural(len(results), "scenario"), count[Passed], count[Failed], count[Skipped])
}

// plural is noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
