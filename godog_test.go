package ytconform_test

// godog's own CLI, run from the repository root:
//
//	go run github.com/cucumber/godog/cmd/godog@v0.16.0 run
//
// builds this package's tests and calls the exported initializers below for the features/ directory. They
// run the same steps under the same target rule as `go test ./steps`: the embedded mock, or the target
// file YTCONFORM_TARGET names (YOUTRACK_URL and YOUTRACK_TOKEN are not followed here).

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/cucumber/godog"

	"github.com/ytconform/ytconform/steps"
)

// suiteFromEnv is built once: godog's CLI offers no other way to share a Suite between its initializers.
var suiteFromEnv = sync.OnceValues(func() (*steps.Suite, error) { return steps.NewSuiteFromEnv(os.Getenv) })

// InitializeTestSuite prints the skip reasons and the honest count after the run: godog drops the
// reasons and counts skipped scenarios as passed.
func InitializeTestSuite(ts *godog.TestSuiteContext) {
	ts.AfterSuite(func() {
		if suite, err := suiteFromEnv(); err == nil {
			fmt.Fprintln(os.Stderr) // godog's progress line on stdout is still open
			suite.WriteSummary(os.Stderr)
		}
	})
}

// InitializeScenario delegates to the steps package. A target that cannot be used fails every scenario
// with the reason rather than leaving the run without steps.
func InitializeScenario(sc *godog.ScenarioContext) {
	suite, err := suiteFromEnv()
	if err != nil {
		sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
			return ctx, fmt.Errorf("ytconform: %w", err)
		})
		return
	}
	suite.InitializeScenario(sc)
}
