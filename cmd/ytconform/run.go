package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/internal/coverage"
	"github.com/ytconform/ytconform/internal/secrets"
	"github.com/ytconform/ytconform/internal/tagexpr"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

const runUsage = `Usage: ytconform run [flags] [feature files or directories]

Runs the conformance suite. With neither --target nor --base-url (nor YOUTRACK_URL), every scenario runs
against its own embedded mock. Without file arguments, the features built into ytconform run. The first
line names the target and where it came from.

A scenario that needs something the target does not provide is skipped, never passed: the summary says
why. Reports (junit, cucumber, html) are written in every case, also when the run cannot start.
Exit status: 0 all passed, 1 a scenario failed (or, with --fail-on-skip, was skipped), 2 bad usage, an
unreachable target, or tags that select no scenario.

Flags:
`

// runConfig is every flag of `ytconform run`.
type runConfig struct {
	targetFile, baseURL, token, tags, format, coverageFile string
	concurrency                                            int
	timeout                                                time.Duration
	listSteps, failOnSkip                                  bool
}

func (c *runConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.targetFile, "target", "", "target `file` (YAML) describing the server, its identities and what it offers")
	fs.StringVar(&c.baseURL, "base-url", "", "base `URL` of the server; overrides the target file's (default $YOUTRACK_URL without --target)")
	fs.StringVar(&c.token, "token", "", "the admin's permanent `token`; overrides the target file's (default $YOUTRACK_TOKEN without --target)")
	fs.StringVar(&c.tags, "tags", "", "run only the scenarios this Cucumber tag `expression` selects, e.g. 'not @writes and (@auth or @projects)'")
	fs.StringVar(&c.format, "format", string(steps.Progress), "comma-separated `outputs`: one of progress, pretty, quiet (printed as the run goes),\n"+
		"and report files junit:FILE, cucumber:FILE, html:FILE")
	fs.StringVar(&c.coverageFile, "coverage", "", "write the contract coverage as JSON to `file` (its one-line summary is always printed)")
	fs.IntVar(&c.concurrency, "concurrency", 4, "scenarios run at once")
	fs.DurationVar(&c.timeout, "timeout", steps.DefaultTimeout, "time allowed for each request, answer included")
	fs.BoolVar(&c.failOnSkip, "fail-on-skip", false, "exit 1 when a scenario was skipped for want of something the target does not provide\n"+
		"(not for the other value of a setting: guest access allowed or banned, the legacy API served or off, the token shape)")
	fs.BoolVar(&c.listSteps, "list-steps", false, "print every step phrase (a regular expression) and exit")
}

// outputs is what --format asks for: how the run prints as it goes, and the report files to write.
type outputs struct {
	style   steps.Style
	reports []reportFile
}

type reportFile struct{ kind, path string }

// reportWriters are the report formats, by name.
var reportWriters = map[string]func(io.Writer, *report.Run) error{
	"junit":    report.WriteJUnit,
	"cucumber": report.WriteCucumberJSON,
	"html":     report.WriteHTML,
}

// parseOutputs reads --format: at most one live style, and report files each with its path.
func parseOutputs(list string) (outputs, error) {
	out := outputs{style: steps.Progress}
	styles := 0
	for _, f := range strings.Split(list, ",") {
		name, path, hasPath := strings.Cut(strings.TrimSpace(f), ":")
		switch {
		case slices.Contains([]steps.Style{steps.Progress, steps.Pretty, steps.Quiet}, steps.Style(name)):
			if hasPath {
				return outputs{}, fmt.Errorf("--format: %s prints to the terminal and takes no file", name)
			}
			if styles++; styles > 1 {
				return outputs{}, fmt.Errorf("--format: choose one of progress, pretty and quiet, not several")
			}
			out.style = steps.Style(name)
		case reportWriters[name] != nil:
			if path == "" {
				return outputs{}, fmt.Errorf("--format: %s needs a file: %s:FILE", name, name)
			}
			out.reports = append(out.reports, reportFile{kind: name, path: path})
		default:
			return outputs{}, fmt.Errorf("--format: unknown output %q (progress, pretty, quiet, junit:FILE, cucumber:FILE, html:FILE)", name)
		}
	}
	return out, nil
}

// check rejects flag values that cannot run, before anything is read or sent.
func (c *runConfig) check() (outputs, error) {
	switch {
	case c.concurrency < 1:
		return outputs{}, fmt.Errorf("--concurrency must be at least 1, not %d", c.concurrency)
	case c.timeout <= 0:
		return outputs{}, fmt.Errorf("--timeout must be positive, not %s", c.timeout)
	}
	return parseOutputs(c.format)
}

func runSuite(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c runConfig
	flags := commandFlags("run", runUsage, stderr)
	c.register(flags)
	if stop, err := parseFlags(flags, args, true, stdout); stop {
		return err
	}
	if c.listSteps {
		for _, phrase := range steps.Phrases() {
			fmt.Fprintln(stdout, phrase)
		}
		return nil
	}
	out, err := c.check()
	if err != nil {
		return exitError{code: 2, err: err}
	}
	r := &runner{config: &c, outputs: out, started: time.Now(), stdout: stdout, stderr: stderr}
	return r.run(ctx, getenv, flags.Args())
}

// runner is one `ytconform run` once its flags are read.
type runner struct {
	config         *runConfig
	outputs        outputs
	started        time.Time
	stdout, stderr io.Writer
	// target describes the target on the first line, and in the reports of a run that could not start.
	target string
	// secrets are the tokens the run knows of: whatever is written is scrubbed of them.
	secrets secrets.Redactor
}

func (r *runner) run(ctx context.Context, getenv func(string) string, paths []string) error {
	c := r.config
	r.secrets.Add(c.token)
	for _, f := range append(r.outputs.reports, reportFile{path: c.coverageFile}) {
		if f.path == "" {
			continue
		}
		if err := writable(f.path); err != nil {
			return exitError{code: 2, err: err} // no report can say so: this is the report that cannot be written
		}
	}
	filter, err := godogTags(c.tags)
	if err != nil {
		return r.abort(nil, err)
	}
	if err := checkFeaturePaths(paths); err != nil {
		return r.abort(nil, err)
	}
	tgt, err := target.Resolve(c.targetFile, c.baseURL, c.token, getenv)
	if err != nil {
		return r.abort(nil, err)
	}
	if tgt != nil {
		r.secrets.Add(tgt.Secrets()...)
	}
	suite, err := steps.NewSuite(steps.Config{Target: tgt, Timeout: c.timeout})
	if err != nil {
		return r.abort(nil, err)
	}
	r.target = suite.Describe()
	if tgt == nil {
		fmt.Fprintln(r.stderr, "ytconform: target:", r.target, "(no --target, --base-url or YOUTRACK_URL given)")
	} else {
		fmt.Fprintln(r.stderr, "ytconform: target:", r.target)
	}
	if tgt != nil {
		hub, err := steps.Inspect(ctx, tgt, c.timeout)
		if err != nil {
			return r.abort(suite, err)
		}
		if hub != "" {
			fmt.Fprintln(r.stderr, "ytconform:", hub)
		}
		if warning := steps.AdminWarning(ctx, tgt, c.timeout); warning != "" {
			fmt.Fprintln(r.stderr, "ytconform:", warning)
		}
	}

	opts := godog.Options{Tags: filter, Concurrency: c.concurrency, DefaultContext: ctx, Paths: paths}
	if len(paths) == 0 {
		opts.FS = ytconform.Features
	}
	status := suite.Run(opts, r.stdout, r.outputs.style)
	return r.finish(suite, status)
}

// checkFeaturePaths refuses a feature file or directory that is not there, before anything runs: godog
// would say so on the process's stderr, in its own words. A path may end in :LINE, as godog reads it.
func checkFeaturePaths(paths []string) error {
	for _, p := range paths {
		if strings.HasPrefix(p, "-") {
			return fmt.Errorf("%s after a feature path: flags go before the feature files", p)
		}
		file := p
		if i := strings.LastIndex(p, ":"); i > 0 && strings.Trim(p[i+1:], "0123456789") == "" && i+1 < len(p) {
			file = p[:i]
		}
		if _, err := os.Stat(file); err != nil {
			return fmt.Errorf("feature path %s: %w", p, errors.Unwrap(err))
		}
	}
	return nil
}

// godogTags is a Cucumber tag expression in the filter syntax godog reads.
func godogTags(expr string) (string, error) {
	parsed, err := tagexpr.Parse(expr)
	if err != nil {
		return "", fmt.Errorf("--tags: %w", err)
	}
	filter, err := parsed.GodogFilter()
	if err != nil {
		return "", fmt.Errorf("--tags: %w", err)
	}
	return filter, nil
}

// finish writes the reports and the summary of a run that took place, and maps its outcome to the exit
// status.
func (r *runner) finish(suite *steps.Suite, status int) error {
	results := suite.Results()
	switch {
	case status == 2 || status != 0 && len(results) == 0:
		return r.abort(suite, errors.New("the features could not be run: see the messages above"))
	case len(results) == 0 && r.config.tags != "":
		return r.abort(suite, fmt.Errorf("--tags %q selects no scenario (tags are case-sensitive: @auth, not @Auth)", r.config.tags))
	case len(results) == 0:
		return r.abort(suite, errors.New("the feature paths select no scenario (a path's :LINE must be the line of a Scenario or Scenario Outline)"))
	}
	run := suite.Report()
	writeErr := r.writeReports(run)
	suite.WriteSummary(r.stderr)
	fmt.Fprintln(r.stderr, coverage.Line(run.Coverage))
	if writeErr != nil {
		return exitError{code: 2, err: writeErr}
	}

	failed, wanting := 0, 0 // wanting: skipped for want of something the target does not provide
	for _, res := range results {
		switch {
		case res.Outcome == steps.Failed:
			failed++
		case res.Outcome == steps.Skipped && !res.OtherSide:
			wanting++
		}
	}
	switch {
	case failed > 0:
		return exitError{code: 1, err: fmt.Errorf("%d of %d scenarios failed", failed, len(results))}
	case r.config.failOnSkip && wanting > 0:
		return exitError{code: 1, err: fmt.Errorf("%d of %d scenarios were skipped for want of what the target file does not provide (--fail-on-skip)", wanting, len(results))}
	}
	return nil
}

// abort ends a run that could not start, or could not run its features: the reports say why, as one
// errored case, and the status is 2. suite is nil when the run never got as far as one.
func (r *runner) abort(suite *steps.Suite, cause error) error {
	reason := r.secrets.Redact(cause.Error())
	run := &report.Run{Target: r.target, Started: r.started, Duration: time.Since(r.started)}
	if suite != nil {
		run = suite.Report()
	}
	run.Aborted = reason
	if err := r.writeReports(run); err != nil {
		return exitError{code: 2, err: fmt.Errorf("%s; and %w", reason, err)}
	}
	return exitError{code: 2, err: errors.New(reason)}
}

// writeReports writes every report file --format asked for. A file that cannot be written is an error
// naming it; the others are written all the same.
func (r *runner) writeReports(run *report.Run) error {
	var errs []error
	for _, f := range r.outputs.reports {
		errs = append(errs, writeFile(f.path, func(w io.Writer) error { return reportWriters[f.kind](w, run) }))
	}
	if r.config.coverageFile != "" && run.Coverage != nil {
		errs = append(errs, writeFile(r.config.coverageFile, func(w io.Writer) error { return coverage.WriteJSON(w, run.Coverage) }))
	}
	return errors.Join(errs...)
}

// writable makes sure a report can be written to path before anything runs, by creating it empty: a run
// of minutes should not end in "no such directory".
func writable(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return f.Close()
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	err = write(f)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
	}
	return nil
}
