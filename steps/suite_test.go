package steps_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/colors"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/internal/tagexpr"
	"github.com/ytconform/ytconform/steps"
)

// opts are godog's options, settable as -godog.* flags: go test ./steps -godog.tags=@auth -godog.format=progress.
// (Only ./steps binds them: `go test ./... -godog.tags=...` fails in every other package.)
var opts = godog.Options{
	Output:      colors.Colored(os.Stdout),
	Format:      "progress",
	Concurrency: 8,
	Strict:      true,
}

func init() {
	godog.BindFlags("godog.", flag.CommandLine, &opts)
}

// TestFeatures runs every feature, each scenario a subtest, against the embedded mock or the target file
// that YTCONFORM_TARGET names. -godog.tags takes a Cucumber tag expression ('not @writes and (@auth or
// @projects)'), and one that selects nothing fails the test rather than passing it empty.
func TestFeatures(t *testing.T) {
	suite, err := steps.NewSuiteFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	o := opts
	o.TestingT = t
	expr, err := tagexpr.Parse(o.Tags)
	if err != nil {
		t.Fatalf("-godog.tags: %v", err)
	}
	if o.Tags, err = expr.GodogFilter(); err != nil {
		t.Fatalf("-godog.tags: %v", err)
	}
	if len(o.Paths) == 0 {
		o.FS = ytconform.Features
	}
	status := godog.TestSuite{Name: "ytconform", ScenarioInitializer: suite.InitializeScenario, Options: &o}.Run()
	if o.ShowStepDefinitions { // -godog.definitions: godog printed them and stopped, with status 2
		return
	}

	var summary strings.Builder
	suite.WriteSummary(&summary)
	t.Log("\n" + summary.String())
	if status != 0 {
		t.Fatalf("godog exited with status %d", status)
	}
	if len(suite.Results()) == 0 {
		t.Fatalf("-godog.tags %q selects no scenario", opts.Tags)
	}
}
