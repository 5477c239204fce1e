package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/internal/diff"
	"github.com/ytconform/ytconform/report"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

const diffUsage = `Usage: ytconform diff --a A --b B [flags]

Sends the suite's requests to two servers and reports where B answers differently from A. Every selected
scenario runs twice against A and once against B, each side with its own credentials for the same roles
(the admin, the restricted user, a guest, ...). What differs between A's two runs (ids, times, token
secrets) is noise and is ignored, as are the built-in rules' dates and perm- secrets; the report lists
everything it ignored. Differences are structural (status, content type, the documented headers, the keys,
JSON types and $type of the bodies, error codes); --values adds values, for a B that serves A's data (a mock
serving what 'ytconform record' read from A).

A and B are each a target file, a base URL (its admin's token from --a-token or --b-token), or "embedded"
for the mock built into ytconform.

Exit status: 0 nothing but noise differs, 1 B differs from A, 2 bad usage or a server that cannot be used.

Examples:
  ytconform diff --a production.yaml --b staging.yaml               # before an upgrade
  ytconform diff --a youtrack.yaml --b embedded                     # how far the mock is from your server
  ytconform diff --a youtrack.yaml --b mock.yaml --values --format text,html:diff.html

Flags:
`

// diffConfig is every flag of `ytconform diff`.
type diffConfig struct {
	a, b, aToken, bToken, tags, format string
	values                             bool
	concurrency                        int
	timeout                            time.Duration
}

func (c *diffConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.a, "a", "", "server `A`, the reference: a target file, a base URL, or embedded")
	fs.StringVar(&c.b, "b", "", "server `B`, compared with A: a target file, a base URL, or embedded")
	fs.StringVar(&c.aToken, "a-token", "", "the admin's `token` on A, when A is a base URL or to override its file's")
	fs.StringVar(&c.bToken, "b-token", "", "the admin's `token` on B, when B is a base URL or to override its file's")
	fs.StringVar(&c.tags, "tags", "", "compare only the scenarios this Cucumber tag `expression` selects")
	fs.StringVar(&c.format, "format", "text", "comma-separated `outputs`: text or json on stdout, and files json:FILE, html:FILE")
	fs.BoolVar(&c.values, "values", false, "compare values too, for a B serving A's data")
	fs.IntVar(&c.concurrency, "concurrency", 1, "scenarios run at once; more than one lets the scenarios that share a server's\n"+
		"state (the tokens others create meanwhile) see it differently on each run, which shows as differences")
	fs.DurationVar(&c.timeout, "timeout", steps.DefaultTimeout, "time allowed for each request, answer included")
}

// diffOutputs is what --format asks of diff: one rendering on stdout, and files.
type diffOutputs struct {
	stdout func(io.Writer, *diff.Result) error
	files  []diffFile
}

type diffFile struct {
	path  string
	write func(io.Writer, *diff.Result) error
}

var diffWriters = map[string]func(io.Writer, *diff.Result) error{
	"text": diff.WriteText,
	"json": diff.WriteJSON,
	"html": diff.WriteHTML,
}

// parseDiffOutputs reads diff's --format: text or json on stdout (html only to a file), any file.
func parseDiffOutputs(list string) (diffOutputs, error) {
	var out diffOutputs
	for _, f := range strings.Split(list, ",") {
		name, path, hasPath := strings.Cut(strings.TrimSpace(f), ":")
		write := diffWriters[name]
		switch {
		case write == nil:
			return diffOutputs{}, fmt.Errorf("--format: unknown output %q (text, json, json:FILE, html:FILE)", name)
		case hasPath && path == "":
			return diffOutputs{}, fmt.Errorf("--format: %s needs a file after the colon", name)
		case hasPath:
			out.files = append(out.files, diffFile{path: path, write: write})
		case name == "html":
			return diffOutputs{}, errors.New("--format: html goes to a file: html:FILE")
		case out.stdout != nil:
			return diffOutputs{}, errors.New("--format: one of text and json on stdout, not both")
		default:
			out.stdout = write
		}
	}
	return out, nil
}

func runDiff(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var c diffConfig
	flags := commandFlags("diff", diffUsage, stderr)
	c.register(flags)
	if stop, err := parseFlags(flags, args, false, stdout); stop {
		return err
	}
	out, err := parseDiffOutputs(c.format)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	for _, f := range out.files {
		if err := writable(f.path); err != nil {
			return exitError{code: 2, err: err}
		}
	}
	switch {
	case c.a == "" || c.b == "":
		return exitError{code: 2, err: errors.New("diff needs both --a and --b")}
	case c.concurrency < 1:
		return exitError{code: 2, err: fmt.Errorf("--concurrency must be at least 1, not %d", c.concurrency)}
	}
	filter, err := godogTags(c.tags)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	a, err := diffSide("--a", c.a, c.aToken, getenv)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	b, err := diffSide("--b", c.b, c.bToken, getenv)
	if err != nil {
		return exitError{code: 2, err: err}
	}

	for _, side := range []struct {
		name string
		t    *target.Target
	}{{"A", a}, {"B", b}} { // both reachable before the first of the three runs
		if err := inspectSide(ctx, side.name, side.t, c.timeout); err != nil {
			return exitError{code: 2, err: err}
		}
	}
	opts := godog.Options{Tags: filter, Concurrency: c.concurrency, DefaultContext: ctx, FS: ytconform.Features}
	runs, err := runSides(a, b, opts, c.timeout, stderr)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	if runs[0].Counts().Total == 0 {
		return exitError{code: 2, err: fmt.Errorf("--tags %q selects no scenario", c.tags)}
	}
	result := diff.Compare(runs[0], runs[1], runs[2], diff.Options{Values: c.values})
	if err := out.write(stdout, result); err != nil {
		return exitError{code: 2, err: err}
	}
	if result.Differs() {
		return exitError{code: 1, err: fmt.Errorf("B answers differently from A in %d ways", len(result.Differences))}
	}
	return nil
}

// inspectSide checks that a side's server is YouTrack's API, with an admin token it accepts, and settles
// where its Hub is, as `ytconform run` does. The embedded mock (nil) needs nothing.
func inspectSide(ctx context.Context, name string, t *target.Target, timeout time.Duration) error {
	if t == nil {
		return nil
	}
	if _, err := steps.Inspect(ctx, t, timeout); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if warning := steps.AdminWarning(ctx, t, timeout); warning != "" {
		// Compared without the admin, the two servers would agree on the few scenarios left: a false "no
		// difference".
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(warning, "warning: "))
	}
	return nil
}

// runSides runs the scenarios against A twice, then B once, saying on stderr how each run went.
func runSides(a, b *target.Target, opts godog.Options, timeout time.Duration, stderr io.Writer) ([]*report.Run, error) {
	var runs []*report.Run
	for i, side := range []struct {
		name string
		t    *target.Target
	}{{"A", a}, {"A", a}, {"B", b}} {
		run, err := runSide(side.t, opts, timeout)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", side.name, err)
		}
		counts := run.Counts()
		fmt.Fprintf(stderr, "ytconform: diff: run %d of 3, %s: %s: %d scenarios: %d passed, %d failed, %d skipped\n",
			i+1, side.name, run.Target, counts.Total, counts.Passed, counts.Failed, counts.Skipped)
		runs = append(runs, run)
	}
	return runs, nil
}

// write renders result on stdout and into every file asked for.
func (o diffOutputs) write(stdout io.Writer, result *diff.Result) error {
	if o.stdout != nil {
		if err := o.stdout(stdout, result); err != nil {
			return err
		}
	}
	for _, f := range o.files {
		if err := writeFile(f.path, func(w io.Writer) error { return f.write(w, result) }); err != nil {
			return err
		}
	}
	return nil
}

// diffSide resolves one side of a diff: a base URL, "embedded" (nil: the embedded mock), or a target file.
// YOUTRACK_URL and YOUTRACK_TOKEN are not followed: with two servers, neither could tell which one is meant.
func diffSide(flagName, value, token string, getenv func(string) string) (*target.Target, error) {
	noEnv := func(string) string { return "" }
	switch {
	case value == "embedded":
		if token != "" {
			return nil, fmt.Errorf("%s embedded: the embedded mock has its own tokens; drop %s-token", flagName, flagName)
		}
		return nil, nil
	case strings.HasPrefix(value, "http://") || strings.HasPrefix(value, "https://"):
		t, err := target.Resolve("", value, token, noEnv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", flagName, err)
		}
		t.Source = flagName
		return t, nil
	}
	if _, err := os.Stat(value); err != nil {
		return nil, fmt.Errorf("%s %s: neither a target file, a base URL nor embedded: %w", flagName, value, err)
	}
	t, err := target.Resolve(value, "", token, getenv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", flagName, err)
	}
	return t, nil
}

// runSide runs the selected scenarios against t (nil: the embedded mock) and returns what they exchanged.
func runSide(t *target.Target, opts godog.Options, timeout time.Duration) (*report.Run, error) {
	suite, err := steps.NewSuite(steps.Config{Target: t, Timeout: timeout, KeepGoing: true})
	if err != nil {
		return nil, err
	}
	if status := suite.Run(opts, io.Discard, steps.Quiet); status == 2 {
		return nil, errors.New("the features could not be run")
	}
	return suite.Report(), nil
}
