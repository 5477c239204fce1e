package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteJUnit writes run as JUnit XML, the shape GitHub's action-junit-report, GitLab and Jenkins read:
//
//	<testsuites name="ytconform" tests= failures= errors= skipped= time=>
//	  <testsuite name="Permanent tokens" tests= failures= errors= skipped= time= timestamp=>
//	    <properties><property name="target" value="http://127.0.0.1:8080 (from --target t.yaml)"/></properties>
//	    <testcase name="a revoked token is refused" classname="features/tokens.feature"
//	              file="features/tokens.feature" line="12" time="0.125">
//	      <skipped message="why the target could not offer it"/>        (a skipped scenario)
//	      <failure message="one line" type="step">step, error, last exchange</failure>   (a failed one)
//	    </testcase>
//	    <system-out>the run's notes, one a line (first suite only)</system-out>
//	  </testsuite>
//	</testsuites>
//
// One testsuite per feature, one testcase per scenario; times are in seconds with 3 decimals, the timestamp
// is run.Started in RFC 3339. A skipped scenario is <skipped>, never an <error>: readers count an error as
// a failure. Scenario names repeated within a feature (the rows of an outline) get " #1", " #2", ... as
// godog's own writer numbers them, so that readers keep them apart. A run that could not start (Aborted)
// is one suite "ytconform" holding one errored case, "the run could not start", so that CI shows why.
//
// Every text goes through encoding/xml; characters XML 1.0 cannot carry (invalid UTF-8, control characters
// other than tab, newline and carriage return) are written as U+FFFD.
func WriteJUnit(w io.Writer, run *Run) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitDocument(run)); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	Name    string   `xml:"name,attr"`
	junitCounts
	Time   string       `xml:"time,attr"`
	Suites []junitSuite `xml:"testsuite"`
}

type junitCounts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

type junitSuite struct {
	Name string `xml:"name,attr"`
	junitCounts
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  *junitText      `xml:"system-out"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// junitCase carries file and line as pytest writes them: action-junit-report then annotates the scenario's
// line in the feature file; other readers ignore them.
type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitSkipped `xml:"skipped"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// junitProblem holds its text as CDATA, which keeps a transcript's lines readable in the file (as character
// data, encoding/xml would write every newline as &#xA;). CDATA is not escaped: the text must be printable.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

func junitDocument(run *Run) junitSuites {
	doc := junitSuites{Name: "ytconform", Time: seconds(run.Duration)}
	if run.Aborted != "" {
		doc.Suites = []junitSuite{abortedSuite(run)}
	} else {
		for _, f := range run.Features {
			doc.Suites = append(doc.Suites, featureSuite(run, f))
		}
	}
	// Notes go to the first suite, once: the JUnit schema has system-out on a testsuite, not on testsuites.
	if len(run.Notes) > 0 && len(doc.Suites) > 0 {
		doc.Suites[0].SystemOut = &junitText{Text: printable(strings.Join(run.Notes, "\n"))}
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	return doc
}

func featureSuite(run *Run, f *Feature) junitSuite {
	suite := junitSuite{
		Name:       printable(cmp.Or(f.Name, f.URI)),
		Timestamp:  timestamp(run.Started),
		Properties: targetProperty(run),
	}
	names := caseNames(f.Scenarios)
	var total time.Duration
	for i, sc := range f.Scenarios {
		c := junitCase{
			Name:      names[i],
			Classname: printable(f.URI),
			File:      printable(f.URI),
			Line:      sc.Line,
			Time:      seconds(sc.Duration),
		}
		switch sc.verdict() {
		case Skipped:
			c.Skipped = &junitSkipped{Message: printable(sc.skipReason())}
			suite.Skipped++
		case Failed:
			c.Failure = &junitProblem{Message: sc.failure(), Type: "step", Text: failureText(f, sc)}
			suite.Failures++
		}
		suite.Tests++
		total += sc.Duration
		suite.Cases = append(suite.Cases, c)
	}
	suite.Time = seconds(total)
	return suite
}

// failureText is what a reader of a failed case needs to act on it, without the HTML report: the failing
// step and where it is written, its error, and the scenario's last exchange.
func failureText(f *Feature, sc *Scenario) string {
	var b strings.Builder
	if st := sc.failingStep(); st != nil {
		fmt.Fprintf(&b, "%s%s (%s)\n", st.Keyword, st.Text, at(f.URI, st.Line))
		fmt.Fprintf(&b, "%s\n", cmp.Or(st.Error, sc.failure()))
	} else {
		fmt.Fprintf(&b, "%s (%s)\n", sc.failure(), at(f.URI, sc.Line))
	}
	if ex := sc.lastExchange(); ex != nil {
		b.WriteString("\nThe last exchange of the scenario:\n")
		b.WriteString(ex.Transcript(BodyLimit))
	}
	return printable(b.String())
}

func abortedSuite(run *Run) junitSuite {
	return junitSuite{
		Name:        "ytconform",
		junitCounts: junitCounts{Tests: 1, Errors: 1},
		Time:        seconds(run.Duration),
		Timestamp:   timestamp(run.Started),
		Properties:  targetProperty(run),
		Cases: []junitCase{{
			Name:      "the run could not start",
			Classname: "ytconform",
			Time:      seconds(run.Duration),
			Error:     &junitProblem{Message: OneLine(run.Aborted), Text: printable(run.Aborted)},
		}},
	}
}

func targetProperty(run *Run) []junitProperty {
	if run.Target == "" {
		return nil
	}
	return []junitProperty{{Name: "target", Value: printable(run.Target)}}
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// caseNames are the scenarios' names, numbered where a name repeats.
func caseNames(scenarios []*Scenario) []string {
	seen := map[string]int{}
	for _, sc := range scenarios {
		seen[sc.Name]++
	}
	numbered := map[string]int{}
	names := make([]string, len(scenarios))
	for i, sc := range scenarios {
		names[i] = printable(sc.Name)
		if seen[sc.Name] > 1 {
			numbered[sc.Name]++
			names[i] += fmt.Sprintf(" #%d", numbered[sc.Name])
		}
	}
	return names
}
