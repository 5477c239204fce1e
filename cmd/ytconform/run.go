package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

const runUsage = `Usage: ytconform run [flags] [feature files or directories]

Runs the conformance suite. With neither --target nor --base-url (nor YOUTRACK_URL), every scenario runs
against its own embedded mock. Without file arguments, the features built into ytconform run.

A scenario that needs something the target does not provide is skipped; the reason is printed to stderr.
Exit status: 0 all passed, 1 a scenario failed, 2 bad usage or an unreachable target.

Flags:
`

// runConfig is every flag of `ytconform run`.
type runConfig struct {
	targetFile, baseURL, token, tags, format string
	concurrency                              int
	timeout                                  time.Duration
	listSteps                                bool
}

func (c *runConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.targetFile, "target", "", "target `file` (YAML) describing the server, its identities and what it offers")
	fs.StringVar(&c.baseURL, "base-url", "", "base `URL` of the server; overrides the target file's (default $YOUTRACK_URL without --target)")
	fs.StringVar(&c.token, "token", "", "the admin's permanent `token`; overrides the target file's (default $YOUTRACK_TOKEN without --target)")
	fs.StringVar(&c.tags, "tags", "", "run only the scenarios matching this tag `expression`, e.g. '@auth' or '~@writes'")
	fs.StringVar(&c.format, "format", "pretty", "godog `formats`, comma-separated: pretty, progress, junit:FILE, cucumber:FILE, ...")
	fs.IntVar(&c.concurrency, "concurrency", 4, "scenarios run at once")
	fs.DurationVar(&c.timeout, "timeout", steps.DefaultTimeout, "time allowed for each request, answer included")
	fs.BoolVar(&c.listSteps, "list-steps", false, "print every step phrase (a regular expression) and exit")
}

// check rejects flag values that cannot run, before anything is read or sent.
func (c *runConfig) check() error {
	switch {
	case c.concurrency < 1:
		return fmt.Errorf("--concurrency must be at least 1, not %d", c.concurrency)
	case c.timeout <= 0:
		return fmt.Errorf("--timeout must be positive, not %s", c.timeout)
	}
	return checkFormats(c.format)
}

func runSuite(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c runConfig
	flags := flag.NewFlagSet("ytconform run", flag.ContinueOnError)
	flags.SetOutput(stderr)
	c.register(flags)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), runUsage)
		flags.PrintDefaults()
	}
	if stop, err := parseFlags(flags, args, true); stop {
		return err
	}
	if c.listSteps {
		for _, phrase := range steps.Phrases() {
			fmt.Fprintln(stdout, phrase)
		}
		return nil
	}
	if err := c.check(); err != nil {
		return exitError{code: 2, err: err}
	}
	tgt, err := target.Resolve(c.targetFile, c.baseURL, c.token, getenv)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	if tgt != nil {
		hub, err := steps.Inspect(ctx, tgt, c.timeout)
		if err != nil {
			return exitError{code: 2, err: err}
		}
		if hub != "" {
			fmt.Fprintln(stderr, "ytconform:", hub)
		}
	}
	suite, err := steps.NewSuite(steps.Config{Target: tgt, Timeout: c.timeout})
	if err != nil {
		return exitError{code: 2, err: err}
	}
	return runFeatures(ctx, &c, suite, flags.Args(), stdout, stderr)
}

// runFeatures runs the features (the embedded ones without paths) and maps godog's status to the CLI's.
func runFeatures(ctx context.Context, c *runConfig, suite *steps.Suite, paths []string, stdout, stderr io.Writer) error {
	opts := godog.Options{
		Format:         c.format,
		Tags:           c.tags,
		Concurrency:    c.concurrency,
		Strict:         true, // an undefined step is a failure, not a silent pass
		Output:         stdout,
		NoColors:       !isTerminal(stdout),
		DefaultContext: ctx,
		Paths:          paths,
	}
	if len(opts.Paths) == 0 {
		opts.FS = ytconform.Features
	}
	status := godog.TestSuite{Name: "ytconform", ScenarioInitializer: suite.InitializeScenario, Options: &opts}.Run()
	suite.WriteSummary(stderr)

	switch status {
	case 0:
		return nil
	case 1:
		failed := 0
		for _, r := range suite.Results() {
			if r.Outcome == steps.Failed {
				failed++
			}
		}
		return exitError{code: 1, err: fmt.Errorf("%d of %d scenarios failed", failed, len(suite.Results()))}
	}
	return exitError{code: 2, err: fmt.Errorf("the features could not be run (godog status %d)", status)}
}

// checkFormats rejects an unknown format before anything runs: godog would print its complaint to the
// process's stderr and stop with a bare status.
func checkFormats(list string) error {
	for _, f := range strings.Split(list, ",") {
		name, file, hasFile := strings.Cut(f, ":")
		if formatters.FindFmt(name) == nil {
			return fmt.Errorf("--format: unknown format %q (pretty, progress, junit, cucumber, events, ...)", name)
		}
		if hasFile && file == "" {
			return fmt.Errorf("--format: %s: needs a file name after the colon", name)
		}
	}
	return nil
}

// isTerminal says whether w is a terminal, where godog's colours help rather than litter a file.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&fs.ModeCharDevice != 0
}
