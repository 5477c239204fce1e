package report_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/report"
)

func TestWriteJUnitIsCountedRightByJUnitReaders(t *testing.T) {
	tests := []struct {
		name  string
		run   *report.Run
		want  readerCounts
		check func(t *testing.T, got readerResult, xml string)
	}{
		{
			name: "a run with passed, failed and skipped scenarios across two features",
			run:  sampleRun(),
			want: readerCounts{Total: 5, Passed: 3, Failed: 1, Skipped: 1},
			check: func(t *testing.T, got readerResult, _ string) {
				failed := got.only(t, "a revoked token is refused")
				assert.Equal(t, "features/tokens.feature", failed.Classname)
				assert.Equal(t, "1.235", failed.Time, "seconds with 3 decimals")
				assert.Equal(t, revokedError, failed.Message, "the message is the one line the reader shows")
				assert.NotContains(t, failed.Message, "\n")
				for _, want := range []string{
					"Then the token is refused (features/tokens.feature:23)",
					revokedError,
					"# as the admin\nDELETE http://127.0.0.1:8080/hub/api/rest/users/me/permanenttokens/1-2\n" +
						"Authorization: Bearer <token>\n\nHTTP 200\nContent-Type: application/json\n\n",
					`[{"name":"<script>alert('owned')</script>"}`,
					"… (", " more bytes)",
				} {
					assert.Contains(t, failed.Text, want)
				}
				assert.NotContains(t, failed.Text, "GET http://127.0.0.1:8080/api/admin/projects",
					"only the last exchange of the scenario")

				skipped := got.only(t, "the reference exchange of the help page")
				assert.Equal(t, legacySkip, skipped.Skip)

				assert.NotNil(t, got.only(t, "the answer carries the documented headers #1"))
				assert.NotNil(t, got.only(t, "the answer carries the documented headers #2"))
			},
		},
		{
			name: "a run with only passed and skipped scenarios has no failures",
			run:  withoutFailures(),
			want: readerCounts{Total: 5, Passed: 3, Failed: 0, Skipped: 2},
			check: func(t *testing.T, got readerResult, _ string) {
				assert.Equal(t, "no Hub on this target", got.only(t, "the reference exchange of the help page #2").Skip)
			},
		},
		{
			name: "a run that could not start is one errored case",
			run:  abortedRun(),
			want: readerCounts{Total: 1, Failed: 1},
			check: func(t *testing.T, got readerResult, _ string) {
				c := got.only(t, "the run could not start")
				assert.Equal(t, "ytconform", c.Classname)
				assert.Equal(t, "ytconform", c.Suite)
				assert.True(t, c.Errored)
				assert.Equal(t, abortedRun().Aborted, c.Message)
				assert.Equal(t, abortedRun().Aborted, c.Text)
				assert.Equal(t, 1, got.Errors, "the errors attribute")
				assert.Equal(t, "nothing ran", got.SystemOut)
			},
		},
		{
			name: "a skip reason with markup characters and a control character survives the XML",
			run:  runOf(skippedScenario("needs <admin> & \"root\" 'rights'\x01\n]]>")),
			want: readerCounts{Total: 1, Skipped: 1},
			check: func(t *testing.T, got readerResult, _ string) {
				assert.Equal(t, "needs <admin> & \"root\" 'rights'\uFFFD\n]]>", got.only(t, "the reference exchange of the help page").Skip,
					"XML 1.0 cannot carry U+0001: it reads as U+FFFD")
			},
		},
		{
			name: "a failure whose body is binary, or breaks CDATA, still makes a document that parses",
			run: runOf(func() *report.Scenario {
				sc := failedScenario()
				sc.Steps[1].Exchanges[0].Body = "\x00\x1b[31m\xff\xfe]]><x>\uFFFF"
				return sc
			}()),
			want: readerCounts{Total: 1, Failed: 1},
			check: func(t *testing.T, got readerResult, _ string) {
				assert.Contains(t, got.only(t, "a revoked token is refused").Text, "\uFFFD\uFFFD[31m\uFFFD\uFFFD]]><x>\uFFFD")
			},
		},
		{
			name: "a scenario with an undefined step is a failure naming the step",
			run: runOf(func() *report.Scenario {
				sc := passedScenario("undefined", 5, listing())
				sc.Outcome = report.Failed
				sc.Steps[1].Outcome, sc.Steps[1].Location = report.Undefined, ""
				return sc
			}()),
			want: readerCounts{Total: 1, Failed: 1},
			check: func(t *testing.T, got readerResult, _ string) {
				c := got.only(t, "undefined")
				assert.Equal(t, "undefined step: Then the status is 200", c.Message)
				assert.Contains(t, c.Text, "Then the status is 200 (features/x.feature:7)\n")
				assert.Contains(t, c.Text, "GET http://127.0.0.1:8080/api/admin/projects?fields=id,name\n")
			},
		},
		{
			name: "the target, the start time and the notes are written once",
			run:  sampleRun(),
			want: readerCounts{Total: 5, Passed: 3, Failed: 1, Skipped: 1},
			check: func(t *testing.T, got readerResult, doc string) {
				assert.Equal(t, []string{sampleRun().Target, sampleRun().Target}, got.Targets, "one per suite")
				assert.Equal(t, "revocation: a revoked token was refused 1.2s after the DELETE\nthe server is YouTrack 2025.3", got.SystemOut)
				assert.Equal(t, 1, strings.Count(doc, "<system-out>"))
				assert.Contains(t, doc, `timestamp="2026-03-14T09:26:53Z"`)
				assert.NotContains(t, doc, `type="skipped"`, "a skipped scenario is never an error")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, report.WriteJUnit(&out, tt.run))
			got := readLikeActionJUnitReport(t, out.Bytes())
			assert.Equal(t, tt.want, got.readerCounts, "as action-junit-report counts")
			assert.Equal(t, tt.want.Total, got.Tests, "the tests attribute")
			assert.Equal(t, tt.want.Skipped, got.SkippedAttr, "the skipped attribute")
			assert.Equal(t, tt.want.Failed, got.Failures+got.Errors, "the failures and errors attributes")
			tt.check(t, got, out.String())
		})
	}
}

func runOf(scenarios ...*report.Scenario) *report.Run {
	return &report.Run{
		Target:  "http://127.0.0.1:8080",
		Started: sampleStart,
		Features: []*report.Feature{
			{URI: "features/x.feature", Name: "X", Scenarios: scenarios},
		},
	}
}

// readerCounts are the numbers a JUnit reader shows.
type readerCounts struct{ Total, Passed, Failed, Skipped int }

// readerResult is what readLikeActionJUnitReport found: the reader's counts, the totals the document
// claims on <testsuites>, and every case.
type readerResult struct {
	readerCounts
	Tests, Failures, Errors, SkippedAttr int
	Targets                              []string
	SystemOut                            string
	Cases                                []readCase
}

type readCase struct {
	Suite, Name, Classname, Time string
	Failed, Errored              bool
	Message, Text                string // of the failure, else of the error
	Skip                         string // the skipped message
}

func (r readerResult) only(t *testing.T, name string) readCase {
	t.Helper()
	var found []readCase
	for _, c := range r.Cases {
		if c.Name == name {
			found = append(found, c)
		}
	}
	require.Len(t, found, 1, "cases named %q", name)
	return found[0]
}

// The document as encoding/xml reads it, in the parts action-junit-report looks at.
type (
	xmlDocument struct {
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Skipped  int        `xml:"skipped,attr"`
		Suites   []xmlSuite `xml:"testsuite"`
	}
	xmlSuite struct {
		Name       string        `xml:"name,attr"`
		Properties []xmlProperty `xml:"properties>property"`
		SystemOut  *string       `xml:"system-out"`
		Suites     []xmlSuite    `xml:"testsuite"` // readers accept nested suites
		Cases      []xmlCase     `xml:"testcase"`
	}
	xmlProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	xmlCase struct {
		Name      string      `xml:"name,attr"`
		Classname string      `xml:"classname,attr"`
		Time      string      `xml:"time,attr"`
		Status    string      `xml:"status,attr"`
		Failures  []xmlResult `xml:"failure"`
		Errors    []xmlResult `xml:"error"`
		Skipped   *xmlResult  `xml:"skipped"`
	}
	xmlResult struct {
		Message string `xml:"message,attr"`
		Text    string `xml:",chardata"`
	}
)

// readLikeActionJUnitReport parses a JUnit document and counts as mikepenz/action-junit-report does
// (src/testParser.ts): every testcase of every suite, nested or not, counts once; one with <skipped> (or
// status disabled or ignored) is skipped; one with a <failure> or an <error> and not skipped is failed;
// every other one passed.
func readLikeActionJUnitReport(t *testing.T, data []byte) readerResult {
	t.Helper()
	var doc xmlDocument
	require.NoError(t, xml.Unmarshal(data, &doc), "the document must parse:\n%s", data)
	got := readerResult{Tests: doc.Tests, Failures: doc.Failures, Errors: doc.Errors, SkippedAttr: doc.Skipped}
	var walk func(suites []xmlSuite)
	walk = func(suites []xmlSuite) {
		for _, s := range suites {
			for _, p := range s.Properties {
				if p.Name == "target" {
					got.Targets = append(got.Targets, p.Value)
				}
			}
			if s.SystemOut != nil {
				got.SystemOut += *s.SystemOut
			}
			walk(s.Suites)
			for _, c := range s.Cases {
				got.Total++
				rc := readCase{Suite: s.Name, Name: c.Name, Classname: c.Classname, Time: c.Time}
				skip := c.Skipped != nil || c.Status == "disabled" || c.Status == "ignored"
				if c.Skipped != nil {
					rc.Skip = c.Skipped.Message
				}
				rc.Failed, rc.Errored = len(c.Failures) > 0, len(c.Errors) > 0
				switch {
				case rc.Failed:
					rc.Message, rc.Text = c.Failures[0].Message, c.Failures[0].Text
				case rc.Errored:
					rc.Message, rc.Text = c.Errors[0].Message, c.Errors[0].Text
				}
				switch {
				case skip:
					got.Skipped++
				case rc.Failed || rc.Errored:
					got.Failed++
				default:
					got.Passed++
				}
				got.Cases = append(got.Cases, rc)
			}
		}
	}
	walk(doc.Suites)
	return got
}
