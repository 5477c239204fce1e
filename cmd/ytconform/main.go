// Command ytconform runs the YouTrack conformance suite against a server, or serves a mock YouTrack.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ytconform/ytconform/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

const usage = `ytconform checks a YouTrack REST API server against the project's contract, or serves a mock YouTrack.

Usage:
  ytconform run     [flags]   run the conformance suite (default target: an embedded mock)
  ytconform mock    [flags]   serve a mock YouTrack until interrupted (faults, journal, --watch)
  ytconform record  [flags]   read a YouTrack server into a fixture file that 'mock --fixtures' serves
  ytconform diff    [flags]   where server B answers differently from server A, noise learned and left out
  ytconform version           print the build information
  ytconform help [command]    show this text, or a command's flags

Run 'ytconform <command> -h' for a command's flags.
Environment: YOUTRACK_URL and YOUTRACK_TOKEN stand in for --base-url and --token of run and record.
Exit status: 0 all passed, 1 a scenario failed, 2 bad usage or an unreachable target (diff: 1 when B differs from A).

Examples:
  ytconform run                                          # the suite against the embedded mock
  ytconform mock --addr 127.0.0.1:8080 --target-out target.yaml
  ytconform run --target target.yaml --format progress,junit:report.xml
  YOUTRACK_TOKEN=perm-... ytconform record --base-url https://yt.example.com --out recorded.yaml
`

// run is the whole program; main only wires the process to it, so that tests can call it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError{code: 2, err: errors.New("no command given")}
	}
	switch args[0] {
	case "run":
		return runSuite(ctx, args[1:], getenv, stdout, stderr)
	case "mock":
		return runMock(ctx, args[1:], getenv, stdout, stderr)
	case "record":
		return runRecord(ctx, args[1:], getenv, stdout, stderr)
	case "diff":
		return runDiff(ctx, args[1:], getenv, stdout, stderr)
	case "version", "-version", "--version":
		return runVersion(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) == 2 && args[0] == "help" && args[1] != "help" { // help COMMAND: that command's -h
			return run(ctx, []string{args[1], "-h"}, getenv, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	return exitError{code: 2, err: fmt.Errorf("unknown command %q: the commands are run, mock, record, diff, version and help ('ytconform help' explains them)", args[0])}
}

// commandFlags is the flag set of `ytconform <command>`: mistakes go to stderr, and its help is usage
// followed by the flags' defaults.
func commandFlags(command, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ytconform "+command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a command's flags. stop is true when the command must return err at once: after -h
// printed its help to stdout (err nil), on bad flags, or on arguments a command without arguments was
// given. A bad flag is one line on the flag set's output, with where to find the flags.
func parseFlags(fs *flag.FlagSet, args []string, takesArgs bool, stdout io.Writer) (stop bool, err error) {
	errOut := fs.Output()
	fs.SetOutput(io.Discard) // the flag package would print the whole usage after any mistake
	err = fs.Parse(args)
	fs.SetOutput(errOut)
	command := strings.TrimPrefix(fs.Name(), "ytconform ")
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout) // asked for: the help is the command's output
		fs.Usage()
		fs.SetOutput(errOut)
		return true, nil
	case err != nil:
		return true, exitError{code: 2, err: fmt.Errorf("%s: %w ('ytconform %s -h' lists the flags)", command, err, command)}
	case !takesArgs && fs.NArg() > 0:
		return true, exitError{code: 2, err: fmt.Errorf("%s takes no arguments, got %q", command, fs.Args())}
	}
	return false, nil
}

// exitError carries the exit status that the CLI contract gives an error.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// exitCode prints err (once, on one line) and maps it to the contract's exit status: 1 for a failed
// scenario, 2 for bad usage or an unreachable target, and 2 for anything else that stopped the run.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "ytconform:", report.OneLine(err.Error())) // a server's bytes may be quoted in it
	var e exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 2
}
