package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/internal/secrets"
	"github.com/ytconform/ytconform/internal/specval"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/target"
)

// scenario is the state of one running scenario. godog calls InitializeScenario once per scenario, so a
// scenario never shares it.
type scenario struct {
	suite     *Suite
	name      string
	feature   string
	target    *target.Target
	mock      *embeddedMock // nil against an external target
	validator *specval.Validator
	secrets   secrets.Redactor
	unlock    func()

	headers   http.Header      // sent with every request, set by "every request carries the header"
	exchanges []*exchange      // every answer so far; steps look at the last one or two
	thatUser  *target.Identity // chosen by "a user whose token has the ... shape"
	newToken  struct{ id, secret string }
	created   []string // short names of the projects this scenario created
	cleanups  []func(context.Context) error

	skipReason string
	otherSide  bool   // the skip is for the other value of a setting the target has: see Result.OtherSide
	failure    string // set when a step fails, from the step hook: the After hook may not see the error

	// record is where the reports find this scenario; step is the running step's part of it. sent holds
	// the running step's exchanges until the step ends, when they are redacted into step.
	record *scenarioRecord
	step   *stepRecord
	sent   []sentExchange
}

func (st *scenario) begin(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	st.name, st.feature = sc.Name, sc.Uri
	st.headers = http.Header{}
	st.suite.mu.Lock()
	st.record = st.suite.scenarioRecord(sc)
	st.record.started = time.Now()
	st.suite.mu.Unlock()
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

// startMock (re)starts this scenario's embedded mock on the default fixtures, changed by adjust. The target
// describes those fixtures; a mock the package's tests break on purpose may serve others (brokenMock).
func (st *scenario) startMock(adjust func(*mockserver.Fixtures)) error {
	f, err := mockserver.DefaultFixtures()
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(f)
	}
	ln, err := listenLoopback()
	if err != nil {
		return err
	}
	t := target.FromFixtures(f, "http://"+ln.Addr().String())
	if st.suite.broken.fixtures != nil {
		st.suite.broken.fixtures(f)
	}
	m, err := startEmbeddedMock(ln, f, st.suite.broken.wrap)
	if err != nil {
		return err
	}
	st.mock.close()
	st.mock = m
	return st.useTarget(t)
}

// beginStep starts the step's record: its time, and the exchanges it will send.
func (st *scenario) beginStep(ctx context.Context, step *godog.Step) (context.Context, error) {
	st.suite.mu.Lock()
	st.step = st.record.step(step.Id)
	st.step.started = time.Now()
	st.suite.mu.Unlock()
	st.sent = st.sent[:0]
	return ctx, nil
}

// noteStep ends the step's record: the first failure's reason, its time, and its exchanges, redacted, both
// for the Suite's reports and as attachments for godog's own formatters (cucumber's "embeddings").
func (st *scenario) noteStep(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	exchanges := st.redactedExchanges()
	st.suite.mu.Lock()
	if st.step != nil {
		st.step.duration = time.Since(st.step.started)
		st.step.exchanges = append(st.step.exchanges, exchanges...)
	}
	st.suite.mu.Unlock()
	for _, ex := range exchanges {
		ctx = godog.Attach(ctx, godog.Attachment{Body: []byte(ex.Transcript(report.BodyLimit)), FileName: ex.Title(), MediaType: "text/plain"})
	}
	switch {
	case st.failure != "":
	case status == godog.StepFailed && err != nil:
		st.failure = st.secrets.Redact(firstLine(err.Error()))
	case status == godog.StepUndefined:
		st.failure = undefinedStep(step.Text)
	case status == godog.StepPending, status == godog.StepAmbiguous:
		st.failure = fmt.Sprintf("step %q is %s", step.Text, status)
	}
	return ctx, nil
}

// keepGoing records a step's failure as the scenario's and reports whether the scenario may go on, as
// Config.KeepGoing asks: not past a skip, which says the target cannot offer the scenario at all.
func (st *scenario) keepGoing(err error) bool {
	if err == nil || errors.Is(err, godog.ErrSkip) {
		return false
	}
	if st.failure == "" {
		st.failure = st.secrets.Redact(firstLine(err.Error()))
	}
	return true
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

	st.sent = nil // the cleanup's exchanges belong to no step
	result := Result{Feature: st.feature, Scenario: st.name, Outcome: Passed}
	switch {
	case st.failure != "":
		result.Outcome, result.Reason = Failed, st.failure
	case err != nil && !errors.Is(err, godog.ErrSkip):
		result.Outcome, result.Reason = Failed, st.secrets.Redact(firstLine(err.Error()))
	case cleanupErr != nil:
		result.Outcome, result.Reason = Failed, "cleanup: "+st.secrets.Redact(firstLine(cleanupErr.Error()))
	case st.skipReason != "":
		result.Outcome, result.Reason, result.OtherSide = Skipped, st.skipReason, st.otherSide
	}
	st.suite.mu.Lock()
	st.record.duration, st.record.result = time.Since(st.record.started), &result
	st.suite.mu.Unlock()
	if cleanupErr != nil {
		return ctx, fmt.Errorf("cleanup: %s", st.secrets.Redact(cleanupErr.Error()))
	}
	return ctx, nil
}

// skip ends the scenario as skipped, for a reason the run prints: something the target does not provide.
func (st *scenario) skip(format string, args ...any) error {
	st.skipReason = fmt.Sprintf(format, args...)
	return godog.ErrSkip
}

// skipOtherSide ends the scenario as skipped because the target has the other value of a setting whose
// values are each checked by a scenario of their own (guest access allowed or banned, the legacy API
// served or switched off, the perm: or perm- token shape): no target can offer both.
func (st *scenario) skipOtherSide(format string, args ...any) error {
	st.otherSide = true
	return st.skip(format, args...)
}

// undefinedStep says what to do about a step no phrase matches: someone running the binary on their own
// feature file needs the phrases there are, not a Go snippet to implement.
func undefinedStep(text string) string {
	return fmt.Sprintf("step %q matches no step phrase; 'ytconform run --list-steps' lists them", text)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// send makes the step's request, keeps its answer for the following steps, and checks the exchange
// against the contract.
func (st *scenario) send(ctx context.Context, role, method, path, authorization string, body []byte) (*exchange, error) {
	ex, err := st.do(ctx, role, method, path, authorization, body)
	if ex != nil {
		st.exchanges = append(st.exchanges, ex)
	}
	return ex, err
}

// do makes one request as role ("the admin", "an unknown token") and checks the exchange against
// openapi.yaml. The exchange is returned whenever an answer came, even one that violates the contract, so
// that callers can clean up what it created. Each exchange is kept for the reports and the coverage.
func (st *scenario) do(ctx context.Context, role, method, path, authorization string, body []byte) (*exchange, error) {
	path, err := st.expand(path)
	if err != nil {
		return nil, err
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, st.urlOf(path), reader)
	if err != nil {
		return nil, st.errorf("%s %s: %v", method, path, err)
	}
	for name, values := range st.headers {
		req.Header[name] = values
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	started := time.Now()
	ex, err := roundTrip(st.suite.client, req, path)
	st.keep(sentExchange{role: role, req: req, body: body, started: started, answer: ex, err: err})
	if err != nil {
		return nil, st.errorf("%v", err)
	}
	if err := st.validator.Check(req, body, ex.status, ex.header, ex.body); err != nil {
		err = st.errorf("contract: %v", err)
		if st.suite.cfg.KeepGoing && st.keepGoing(err) {
			return ex, nil // recorded; the step goes on with the answer, as it would with a conforming one
		}
		return ex, err
	}
	return ex, nil
}

// errorf is the only way a step fails with its own words: the text is scrubbed of every known secret.
func (st *scenario) errorf(format string, args ...any) error {
	return fmt.Errorf("%s", st.secrets.Redact(fmt.Sprintf(format, args...)))
}

func (st *scenario) last() (*exchange, error) {
	if len(st.exchanges) == 0 {
		return nil, fmt.Errorf("no request was sent yet")
	}
	return st.exchanges[len(st.exchanges)-1], nil
}

func (st *scenario) lastTwo() (before, last *exchange, err error) {
	if len(st.exchanges) < 2 {
		return nil, nil, fmt.Errorf("the step compares two answers, but %d request(s) were sent", len(st.exchanges))
	}
	return st.exchanges[len(st.exchanges)-2], st.exchanges[len(st.exchanges)-1], nil
}

// urlOf is where a path of the features goes: a Hub path (/hub/...) to the target's Hub, wherever it is
// (the origin's /hub in the Cloud layout), any other under the base URL.
func (st *scenario) urlOf(path string) string {
	if rest, ok := strings.CutPrefix(path, "/hub/"); ok {
		return hubURLOf(st.target) + "/" + rest
	}
	return st.target.BaseURL + path
}

// hubURLOf is the target's Hub: the one it names, or <base URL>/hub.
func hubURLOf(t *target.Target) string {
	if t.Hub != nil && t.Hub.URL != "" {
		return t.Hub.URL
	}
	return t.BaseURL + "/hub"
}

// useTarget points the scenario at a server and at a validator for it.
func (st *scenario) useTarget(t *target.Target) error {
	v, err := st.suite.validator(t.BaseURL, hubURLOf(t))
	if err != nil {
		return err
	}
	st.target, st.validator = t, v
	st.secrets.Add(t.Secrets()...)
	return nil
}

// jsonBody parses the last answer's body, failing the step with an excerpt when it is not JSON.
func (st *scenario) jsonBody() (*exchange, gjson.Result, error) {
	ex, err := st.last()
	if err != nil {
		return nil, gjson.Result{}, err
	}
	if !gjson.ValidBytes(ex.body) {
		return ex, gjson.Result{}, st.errorf("%s: the body is not JSON: %q", ex, excerpt(ex.body))
	}
	return ex, gjson.ParseBytes(ex.body), nil
}
