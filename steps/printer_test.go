package steps_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/steps"
)

// scenarioHeader is the first line of a scenario in the pretty style.
var scenarioHeader = regexp.MustCompile(`^Scenario(?: Outline)?: .+  # (\S+:\d+)$`)

// TestPrettyOutputKeepsEachScenarioWhole runs the features eight at a time: each scenario must print as
// one block, its own steps under its own name, however the scenarios interleave.
func TestPrettyOutputKeepsEachScenarioWhole(t *testing.T) {
	suite, err := steps.NewSuite(steps.Config{})
	require.NoError(t, err)
	var out strings.Builder
	status := suite.Run(godog.Options{FS: ytconform.Features, Concurrency: 8}, &out, steps.Pretty)
	require.Equal(t, 0, status, out.String())

	want := map[string][]string{} // by "features/x.feature:LINE": the step lines, as printed
	for _, f := range suite.Report().Features {
		for _, sc := range f.Scenarios {
			var lines []string
			for _, st := range sc.Steps {
				lines = append(lines, fmt.Sprintf("  ✓ %s%s", st.Keyword, st.Text))
			}
			want[fmt.Sprintf("%s:%d", f.URI, sc.Line)] = lines
		}
	}
	blocks := strings.Split(strings.TrimSuffix(out.String(), "\n\n"), "\n\n")
	require.Len(t, blocks, len(want), "one block per scenario")
	for _, block := range blocks {
		lines := strings.Split(block, "\n")
		m := scenarioHeader.FindStringSubmatch(lines[0])
		require.NotNil(t, m, "a block starts with its scenario: %q", lines[0])
		require.Equal(t, want[m[1]], lines[1:], "the steps under %s are its own", m[1])
		delete(want, m[1])
	}
	require.Empty(t, want, "every scenario printed once")
}

// TestNewSuiteFromEnvFollowsOnlyYTCONFORM_TARGET: a shell that exported YOUTRACK_URL and YOUTRACK_TOKEN
// for another tool must not turn `go test ./steps` into a run against that server.
func TestNewSuiteFromEnvFollowsOnlyYTCONFORM_TARGET(t *testing.T) {
	env := map[string]string{"YOUTRACK_URL": "http://127.0.0.1:9", "YOUTRACK_TOKEN": "perm:x"}
	suite, err := steps.NewSuiteFromEnv(func(name string) string { return env[name] })
	require.NoError(t, err)
	require.Contains(t, suite.Describe(), "the embedded mock")
}

// TestReportHoldsEveryStepsDefinitionAndExchanges: each step names the Go method that ran it, and each
// step that sent a request carries the exchange, with the token redacted.
func TestReportHoldsEveryStepsDefinitionAndExchanges(t *testing.T) {
	suite, err := steps.NewSuite(steps.Config{})
	require.NoError(t, err)
	status := suite.Run(godog.Options{FS: ytconform.Features, Concurrency: 4, Tags: "@auth"}, &strings.Builder{}, steps.Quiet)
	require.Equal(t, 0, status)
	location := regexp.MustCompile(`^steps/[a-z]+\.go:\d+$`)
	sends := regexp.MustCompile(` sends | a client sends `)
	for _, f := range suite.Report().Features {
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				require.Regexp(t, location, st.Location, "%s: %s", sc.Name, st.Text)
				if !sends.MatchString(st.Text) {
					continue
				}
				require.NotEmpty(t, st.Exchanges, "%s: %s sent a request", sc.Name, st.Text)
				ex := st.Exchanges[0]
				require.NotZero(t, ex.Status)
				require.NotEmpty(t, ex.Operation, "%s matched an operation of the contract", ex.Title())
				for _, h := range ex.RequestHeaders {
					if h.Name == "Authorization" {
						require.Regexp(t, `^(\S+ ?)?(<token>)?$`, h.Value, "a scheme and, if anything followed it, <token>")
						require.NotContains(t, h.Value, "perm")
					}
				}
				require.Equal(t, report.Passed, st.Outcome)
			}
		}
	}
}
