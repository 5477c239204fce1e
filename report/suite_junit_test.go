package report_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/mockserver/mocktest"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// TestASuiteRunWithSkippedScenariosReadsAsNoFailure runs the real suite against a mock whose target
// describes no banned guest access and no restricted user: those scenarios are skipped. A JUnit reader
// that counts <error> as a failure, as action-junit-report does, must see 0 failures and exactly the
// skipped scenarios.
func TestASuiteRunWithSkippedScenariosReadsAsNoFailure(t *testing.T) {
	mock := mocktest.NewTestServer(t)
	tgt := target.FromFixtures(mock.Fixtures, mock.URL)
	tgt.Restricted = nil
	suite, err := steps.NewSuite(steps.Config{Target: tgt})
	require.NoError(t, err)
	status := suite.Run(godog.Options{FS: ytconform.Features, Concurrency: 4}, io.Discard, steps.Quiet)
	require.Equal(t, 0, status, "a run with only passed and skipped scenarios succeeds")

	skipped := 0
	for _, r := range suite.Results() {
		if r.Outcome == steps.Skipped {
			skipped++
		}
	}
	require.Greater(t, skipped, 0, "the target was chosen to skip scenarios")

	var junit bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit, suite.Report()))
	got := readLikeActionJUnitReport(t, junit.Bytes())
	require.Equal(t, readerCounts{Total: len(suite.Results()), Passed: len(suite.Results()) - skipped, Failed: 0, Skipped: skipped}, got.readerCounts)
	require.Equal(t, 0, got.Errors, "no <error> for a skipped scenario")
	require.Equal(t, skipped, got.SkippedAttr)
	for _, c := range got.Cases {
		if c.Skip != "" {
			require.NotEmpty(t, c.Classname, "%s: the feature file is the classname", c.Name)
		}
	}
}
