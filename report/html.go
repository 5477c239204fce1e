package report

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"time"
)

// WriteHTML writes run as one self-contained HTML page, to open from a CI artifact or attach to a bug
// report: no external stylesheet, script, font or image. It shows, from the top:
//
//   - the target, the start time, the duration, and "N scenarios: P passed, F failed, S skipped" in
//     #summary, each count in a span with data-count="total|passed|failed|skipped";
//   - why the run could not start, in #aborted, when it could not;
//   - the notes, then the coverage of openapi.yaml when it was measured (seen/declared and a percentage
//     per kind, the never-exercised lists folded, and properties per entity);
//   - the scenarios by feature, each an element of class "scenario passed|failed|skipped" with its reason
//     and its steps (class "step <outcome>"). Under each step, each exchange is folded in a
//     <details class="exchange"> titled "METHOD URL -> STATUS" with its transcript (see
//     Exchange.Transcript). Failed scenarios are open, and so are the exchanges of a failed step and the
//     last exchange of a failed scenario (the one the JUnit failure shows), which is often a step earlier:
//     "Then the token is refused" judges the answer "When the admin sends ..." got.
//
// Status is written as a word as well as a colour, so the page reads in print and without colour.
// html/template escapes everything taken from the run.
func WriteHTML(w io.Writer, run *Run) error {
	return pageTemplate.Execute(w, htmlPageOf(run))
}

//go:embed html.tmpl
var pageSource string

var pageTemplate = template.Must(template.New("html.tmpl").Parse(pageSource))

// The view the template renders: the run with every text already printable and every number formatted,
// so that the template only lays it out.
type (
	htmlPage struct {
		Target, Started, StartedISO, Duration string
		Counts                                Counts
		Aborted                               string
		Notes                                 []string
		Coverage                              *htmlCoverage
		Features                              []htmlFeature
	}
	htmlCoverage struct {
		Kinds    []htmlTally // operations, statuses, parameters, properties
		Entities []htmlTally // properties per schema component, by name
	}
	htmlTally struct {
		Name           string
		Seen, Declared int
		Percent        string // "75%", "–" when nothing is declared
		Never          []string
	}
	htmlFeature struct {
		Name, URI, Description string
		Tags                   []string
		Counts                 Counts
		Scenarios              []htmlScenario
	}
	htmlScenario struct {
		Name, Keyword, At, Duration string
		Status                      Outcome // passed, failed or skipped
		Reason                      string
		Tags                        []string
		Steps                       []htmlStep
	}
	htmlStep struct {
		Keyword, Text, At, Location, Duration string
		Status                                Outcome
		Error                                 string
		Exchanges                             []htmlExchange
	}
	htmlExchange struct {
		Title, Transcript string
		Open              bool
	}
)

func htmlPageOf(run *Run) htmlPage {
	page := htmlPage{
		Target:   printable(run.Target),
		Duration: run.Duration.Round(time.Millisecond).String(),
		Counts:   run.Counts(),
		Aborted:  printable(run.Aborted),
	}
	if !run.Started.IsZero() {
		page.Started = run.Started.Format("2006-01-02 15:04:05 MST")
		page.StartedISO = run.Started.Format(time.RFC3339)
	}
	for _, n := range run.Notes {
		page.Notes = append(page.Notes, printable(n))
	}
	if run.Coverage != nil {
		page.Coverage = htmlCoverageOf(run.Coverage)
	}
	for _, f := range run.Features {
		page.Features = append(page.Features, htmlFeatureOf(f))
	}
	return page
}

func htmlCoverageOf(c *Coverage) *htmlCoverage {
	out := &htmlCoverage{Kinds: []htmlTally{
		htmlTallyOf("Operations", c.Operations, c.Never.Operations),
		htmlTallyOf("Statuses", c.Statuses, c.Never.Statuses),
		htmlTallyOf("Parameters", c.Parameters, c.Never.Parameters),
		htmlTallyOf("Properties", c.Properties, c.Never.Properties),
	}}
	names := make([]string, 0, len(c.PerEntity))
	for name := range c.PerEntity {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		out.Entities = append(out.Entities, htmlTallyOf(name, c.PerEntity[name], nil))
	}
	return out
}

func htmlTallyOf(name string, t Tally, never []string) htmlTally {
	out := htmlTally{Name: printable(name), Seen: t.Seen, Declared: t.Declared, Percent: "–"}
	if t.Declared > 0 {
		out.Percent = fmt.Sprintf("%.0f%%", 100*float64(t.Seen)/float64(t.Declared))
	}
	for _, n := range never {
		out.Never = append(out.Never, printable(n))
	}
	return out
}

func htmlFeatureOf(f *Feature) htmlFeature {
	out := htmlFeature{
		Name:        printable(cmp.Or(f.Name, f.URI)),
		URI:         printable(f.URI),
		Description: printable(f.Description),
		Tags:        printables(f.Tags),
		Counts:      f.Counts(),
	}
	for _, sc := range f.Scenarios {
		out.Scenarios = append(out.Scenarios, htmlScenarioOf(f, sc))
	}
	return out
}

func htmlScenarioOf(f *Feature, sc *Scenario) htmlScenario {
	out := htmlScenario{
		Name:     printable(sc.Name),
		Keyword:  printable(cmp.Or(sc.Keyword, "Scenario")),
		At:       printable(at(f.URI, sc.Line)),
		Duration: sc.Duration.Round(time.Millisecond).String(),
		Status:   sc.verdict(),
		Tags:     printables(sc.Tags),
	}
	switch out.Status {
	case Skipped:
		out.Reason = printable(sc.skipReason())
	case Failed:
		out.Reason = sc.failure()
	}
	var last *Exchange
	if out.Status == Failed {
		last = sc.lastExchange()
	}
	for _, st := range sc.Steps {
		out.Steps = append(out.Steps, htmlStepOf(f, st, last))
	}
	return out
}

// htmlStepOf is the step with its exchanges, open when the step failed or when one is open (the last of a
// failed scenario).
func htmlStepOf(f *Feature, st *Step, open *Exchange) htmlStep {
	out := htmlStep{
		Keyword:  printable(st.Keyword),
		Text:     printable(st.Text),
		At:       printable(at(f.URI, st.Line)),
		Location: printable(st.Location),
		Status:   st.Outcome,
		Error:    printable(st.Error),
	}
	if out.Status == "" {
		out.Status = Skipped
	}
	if st.Duration > 0 {
		out.Duration = st.Duration.Round(time.Microsecond).String()
	}
	for _, ex := range st.Exchanges {
		out.Exchanges = append(out.Exchanges, htmlExchange{
			Title:      ex.Title(),
			Transcript: ex.Transcript(BodyLimit),
			Open:       st.Outcome == Failed || ex == open,
		})
	}
	return out
}

func printables(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = printable(s)
	}
	return out
}
