package steps

import (
	"io"
	"sync"
	"time"

	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/ytconform/ytconform/report"
)

// What a run records for its reports. Two sides feed it: the scenario's hooks (timings, the exchanges each
// step sent, how the scenario ended and why), and godog's formatter events (the parsed features, each step's
// status, error and definition), which godog delivers after the scenario, at once, when scenarios run
// concurrently. Both key on godog's pickle and step ids; Report joins them.

// formatName is the godog format through which a Suite's Run records the run and prints it live. godog
// builds formatters by name, from a global registry, and hands them only the suite's name and a wrapped
// writer; so Run names each run uniquely and leaves its Suite and output in liveRuns under that name.
const formatName = "ytconform"

var liveRuns sync.Map // godog suite name -> *liveRun

func init() {
	formatters.Format(formatName, "records the run for ytconform's reports and prints it live (ytconform run)", newCollector)
}

// liveRun is where a running Suite prints, and how.
type liveRun struct {
	suite *Suite
	w     io.Writer
	style Style
}

// records is the Suite's memory of a run, guarded by Suite.mu.
type records struct {
	docs      map[string]*messages.GherkinDocument // by feature URI
	uris      []string                             // in the order godog ran them
	scenarios map[string]*scenarioRecord           // by pickle id
}

type scenarioRecord struct {
	pickle   *messages.Pickle
	result   *Result // nil until the scenario's After hook
	started  time.Time
	duration time.Duration
	steps    map[string]*stepRecord // by pickle step id
	reported int                    // steps whose result godog has reported
}

type stepRecord struct {
	started   time.Time
	duration  time.Duration
	status    report.Outcome
	err       string
	location  string
	exchanges []*report.Exchange
}

// scenarioRecord is the record of a pickle, made on first use. s.mu must be held.
func (s *Suite) scenarioRecord(p *messages.Pickle) *scenarioRecord {
	r := s.runs.scenarios[p.Id]
	if r == nil {
		r = &scenarioRecord{pickle: p, steps: map[string]*stepRecord{}}
		s.runs.scenarios[p.Id] = r
	}
	return r
}

func (r *scenarioRecord) step(id string) *stepRecord {
	st := r.steps[id]
	if st == nil {
		st = &stepRecord{}
		r.steps[id] = st
	}
	return st
}

// Style is how Suite.Run prints a run as it goes.
type Style string

// The styles of a LiveOutput.
const (
	Progress Style = "progress" // one character per step: . passed, F failed, - skipped, U undefined
	Pretty   Style = "pretty"   // each scenario with its steps, printed whole when it ends
	Quiet    Style = "quiet"    // nothing: only the reports and the summary
)

// collector is the formatter: it hands godog's events to the Suite's records and to the live printer.
type collector struct {
	suite   *Suite
	printer *printer
}

func newCollector(suiteName string, _ io.Writer) formatters.Formatter {
	v, ok := liveRuns.Load(suiteName)
	if !ok { // chosen by name outside Suite.Run (-godog.format=ytconform): record into a Suite nobody reads
		return &collector{suite: &Suite{runs: newRecords()}, printer: newPrinter(io.Discard, Quiet)}
	}
	live := v.(*liveRun)
	return &collector{suite: live.suite, printer: newPrinter(live.w, live.style)}
}

func newRecords() records {
	return records{docs: map[string]*messages.GherkinDocument{}, scenarios: map[string]*scenarioRecord{}}
}

func (c *collector) TestRunStarted() {}

func (c *collector) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	c.suite.mu.Lock()
	defer c.suite.mu.Unlock()
	if c.suite.runs.docs[uri] == nil {
		c.suite.runs.docs[uri] = doc
		c.suite.runs.uris = append(c.suite.runs.uris, uri)
	}
}

func (c *collector) Pickle(p *messages.Pickle) {
	c.suite.mu.Lock()
	defer c.suite.mu.Unlock()
	c.suite.scenarioRecord(p)
}

func (c *collector) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}

func (c *collector) Passed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	c.stepEnded(p, st, d, report.Passed, nil)
}

func (c *collector) Failed(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	c.stepEnded(p, st, d, report.Failed, err)
}

func (c *collector) Skipped(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	c.stepEnded(p, st, d, report.Skipped, nil)
}

func (c *collector) Undefined(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	c.stepEnded(p, st, d, report.Undefined, nil)
}

func (c *collector) Pending(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition) {
	c.stepEnded(p, st, d, report.Pending, nil)
}

func (c *collector) Ambiguous(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, err error) {
	c.stepEnded(p, st, d, report.Failed, err)
}

func (c *collector) Summary() { c.printer.end() }

// stepEnded records a step's result; once every step of the scenario has one, the scenario is printed.
func (c *collector) stepEnded(p *messages.Pickle, st *messages.PickleStep, d *formatters.StepDefinition, status report.Outcome, err error) {
	s := c.suite
	s.mu.Lock()
	r := s.scenarioRecord(p)
	rec := r.step(st.Id)
	rec.status, rec.location = status, definitionLocation(d)
	switch {
	case rec.err != "":
	case err != nil:
		rec.err = firstLine(err.Error()) // the step's own words, redacted by errorf
	case status == report.Undefined:
		rec.err = undefinedStep(st.Text)
	}
	r.reported++
	done := r.reported == len(p.Steps)
	s.mu.Unlock()
	c.printer.step(status)
	if done {
		s.mu.Lock()
		sc := s.reportScenario(r)
		s.mu.Unlock()
		c.printer.scenario(p.Uri, sc)
	}
}

// definitionLocation is where the step's Go method is, "steps/answer.go:27"; "" for an undefined step.
func definitionLocation(d *formatters.StepDefinition) string {
	if d == nil || d.Expr == nil {
		return ""
	}
	return stepLocations()[d.Expr.String()]
}
