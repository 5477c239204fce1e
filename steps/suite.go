// Package steps binds the Gherkin features to HTTP: it resolves the identities a target file describes,
// sends the requests the steps name, validates every exchange against openapi.yaml, and asserts what the
// features promise. A Suite runs them against one target and records how each scenario ended, with the
// reasons godog's formatters drop.
package steps

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/ytconform/ytconform/internal/specval"
	"github.com/ytconform/ytconform/mockserver"
)

// DefaultTimeout bounds one request, answer included.
const DefaultTimeout = 10 * time.Second

// exclusiveTag marks a scenario that changes what other scenarios see (it creates projects): against a
// shared target it runs alone.
const exclusiveTag = "@exclusive"

// Config says what a Suite runs against.
type Config struct {
	// Target is the server under test. Nil starts a fresh embedded mock for every scenario.
	Target *Target
	// Timeout bounds each request. Zero means DefaultTimeout.
	Timeout time.Duration
	// WrapMock, when set, wraps every embedded mock's handler: tests use it to break the mock on purpose.
	WrapMock func(http.Handler) http.Handler
}

// Suite runs the features against one target. Create it with NewSuite and hand InitializeScenario to godog.
type Suite struct {
	cfg    Config
	client *http.Client
	// exclusive lets an @exclusive scenario run alone against a shared target; the others share it.
	exclusive sync.RWMutex

	mu      sync.Mutex
	results []Result
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
}

// NewSuite returns a Suite for cfg.
func NewSuite(cfg Config) (*Suite, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Target != nil {
		if err := cfg.Target.check(); err != nil {
			return nil, fmt.Errorf("target: %w", err)
		}
	}
	if _, err := specval.Spec(); err != nil { // fail once, here, rather than in every scenario
		return nil, err
	}
	return &Suite{cfg: cfg, client: newClient(cfg.Timeout)}, nil
}

// NewSuiteFromEnv is the Suite that `go test ./steps` and godog's own CLI run: the embedded mock, or the
// target that YTCONFORM_TARGET (a target file) or YOUTRACK_URL and YOUTRACK_TOKEN describe.
func NewSuiteFromEnv(getenv func(string) string) (*Suite, error) {
	target, err := ResolveTarget(getenv("YTCONFORM_TARGET"), "", "", getenv)
	if err != nil {
		return nil, err
	}
	return NewSuite(Config{Target: target})
}

// InitializeScenario prepares one scenario: its own state, its steps and its hooks.
func (s *Suite) InitializeScenario(sc *godog.ScenarioContext) {
	state := &scenario{suite: s}
	sc.Before(state.begin)
	sc.StepContext().After(state.noteStep)
	sc.After(state.end)
	state.registerSteps(sc)
}

// Results returns how each scenario ended so far, in the order they ended.
func (s *Suite) Results() []Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.results)
}

func (s *Suite) record(r Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results = append(s.results, r)
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
			fmt.Fprintf(w, "%s: %s: %s: %s\n", r.Outcome, r.Feature, r.Scenario, r.Reason)
		}
	}
	fmt.Fprintf(w, "%d scenarios: %d passed, %d failed, %d skipped\n", len(results), count[Passed], count[Failed], count[Skipped])
}

// scenario is the state of one running scenario. godog calls InitializeScenario once per scenario, so a
// scenario never shares it.
type scenario struct {
	suite     *Suite
	name      string
	feature   string
	target    *Target
	mock      *embeddedMock // nil against an external target
	validator *specval.Validator
	secrets   redactor
	unlock    func()

	headers   http.Header // sent with every request, set by "every request carries the header"
	exchanges []*exchange // every answer so far; steps look at the last one or two
	thatUser  *Identity   // chosen by "a user whose token has the ... shape"
	newToken  struct{ id, secret string }
	created   []string // short names of the projects this scenario created
	cleanups  []func(context.Context) error

	skipReason string
	failure    string // set when a step fails, from the step hook: the After hook may not see the error
}

func (st *scenario) begin(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	st.name, st.feature = sc.Name, sc.Uri
	st.headers = http.Header{}
	if st.suite.cfg.Target == nil {
		return ctx, st.startMock(nil)
	}
	if hasTag(sc, exclusiveTag) {
		st.suite.exclusive.Lock()
		st.unlock = st.suite.exclusive.Unlock
	} else {
		st.suite.exclusive.RLock()
		st.unlock = st.suite.exclusive.RUnlock
	}
	return ctx, st.useTarget(st.suite.cfg.Target)
}

func hasTag(sc *godog.Scenario, name string) bool {
	for _, tag := range sc.Tags {
		if tag.Name == name {
			return true
		}
	}
	return false
}

// startMock (re)starts this scenario's embedded mock on the default fixtures, changed by adjust.
func (st *scenario) startMock(adjust func(*mockserver.Fixtures)) error {
	f, err := mockserver.DefaultFixtures()
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(f)
	}
	m, err := startEmbeddedMock(f, st.suite.cfg.WrapMock)
	if err != nil {
		return err
	}
	st.mock.close()
	st.mock = m
	t := TargetFromFixtures(f, m.baseURL)
	return st.useTarget(&t)
}

func (st *scenario) noteStep(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	switch {
	case st.failure != "":
	case status == godog.StepFailed && err != nil:
		st.failure = st.secrets.redact(firstLine(err.Error()))
	case status == godog.StepUndefined, status == godog.StepPending, status == godog.StepAmbiguous:
		st.failure = fmt.Sprintf("step %q is %s", step.Text, status)
	}
	return ctx, nil
}

// end cleans up what the scenario created, even when it failed, then records the outcome.
func (st *scenario) end(ctx context.Context, sc *godog.Scenario, err error) (context.Context, error) {
	// The scenario's context may be cancelled by now; cleanup gets its own, bounded by the same timeout.
	cleanupCtx := context.WithoutCancel(ctx)
	var cleanupErrs []error
	for i := len(st.cleanups) - 1; i >= 0; i-- {
		cleanupErrs = append(cleanupErrs, st.cleanups[i](cleanupCtx))
	}
	cleanupErr := errors.Join(cleanupErrs...)
	st.mock.close()
	if st.unlock != nil {
		st.unlock()
	}

	result := Result{Feature: st.feature, Scenario: st.name, Outcome: Passed}
	switch {
	case st.failure != "":
		result.Outcome, result.Reason = Failed, st.failure
	case err != nil && !errors.Is(err, godog.ErrSkip):
		result.Outcome, result.Reason = Failed, st.secrets.redact(firstLine(err.Error()))
	case cleanupErr != nil:
		result.Outcome, result.Reason = Failed, "cleanup: "+st.secrets.redact(firstLine(cleanupErr.Error()))
	case st.skipReason != "":
		result.Outcome, result.Reason = Skipped, st.skipReason
	}
	st.suite.record(result)
	if cleanupErr != nil {
		return ctx, fmt.Errorf("cleanup: %s", st.secrets.redact(cleanupErr.Error()))
	}
	return ctx, nil
}

// skip ends the scenario as skipped, for a reason the run prints: something the target does not provide.
func (st *scenario) skip(format string, args ...any) error {
	st.skipReason = fmt.Sprintf(format, args...)
	return godog.ErrSkip
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ResolveTarget applies the target rules shared by `ytconform run`, `go test ./steps` and godog's CLI. A
// target file comes first; baseURL and token override its URL and the admin's token. Without a file, the
// environment's YOUTRACK_URL and YOUTRACK_TOKEN stand in for absent flags, and the token is the admin's
// while every other identity is absent. Nil, nil means the embedded mock.
func ResolveTarget(file, baseURL, token string, getenv func(string) string) (*Target, error) {
	var t *Target
	if file != "" {
		loaded, err := LoadTarget(file, getenv)
		if err != nil {
			return nil, err
		}
		t = loaded
	} else {
		baseURL = cmp.Or(baseURL, getenv("YOUTRACK_URL"))
		token = cmp.Or(token, getenv("YOUTRACK_TOKEN"))
		if baseURL == "" {
			if token != "" {
				return nil, errors.New("a token needs a server: give --base-url (or YOUTRACK_URL) or --target")
			}
			return nil, nil
		}
		t = &Target{}
	}
	if baseURL != "" {
		t.BaseURL = baseURL
	}
	if token != "" {
		if t.Admin == nil {
			t.Admin = &Identity{}
		}
		t.Admin.Token = token
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("target: %w", err)
	}
	return t, nil
}
