package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI calls the program in-process, as main does.
func runCLI(t *testing.T, getenv func(string) string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, getenv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// The commands the CLI contract promises, each with the flags its help must document.
var commands = []struct {
	name  string
	flags []string
}{
	{"run", []string{"target", "base-url", "token", "tags", "format", "concurrency"}},
	{"mock", []string{"addr", "fixtures", "target-out", "public-url", "quiet", "latency", "fault", "fault-rate",
		"fault-path", "allow-fault-header", "journal", "watch"}},
	{"record", []string{"base-url", "token", "out", "page-size", "timeout"}},
	{"diff", []string{"a", "b", "a-token", "b-token", "tags", "format", "values"}},
	{"version", nil},
}

func TestTopLevelHelpListsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, _, err := runCLI(t, nil, args...)
			require.NoError(t, err)
			for _, c := range commands {
				assert.Regexp(t, `(?m)^  ytconform `+c.name+` `, stdout, "the usage lists %s", c.name)
			}
			assert.Contains(t, stdout, "Exit status: 0 all passed, 1 a scenario failed, 2 bad usage")
			assert.Contains(t, stdout, "YOUTRACK_URL")
		})
	}
}

func TestNoOrUnknownCommandIsUsageError(t *testing.T) {
	cases := []struct {
		name      string
		args      []string
		want      string
		wantUsage bool
	}{
		{"no command", nil, "no command given", true},
		// The one line says what is wrong and what the commands are; 20 lines of usage would bury it.
		{"an unknown command", []string{"nosuch"}, `unknown command "nosuch": the commands are run, mock, record, diff, version and help`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runCLI(t, nil, tc.args...)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
			assert.Equal(t, 2, exitCode(err, &bytes.Buffer{}))
			assert.Equal(t, tc.wantUsage, strings.Contains(stderr, "Usage:"), "the usage is shown: %v", tc.wantUsage)
		})
	}
}

// TestAskedForHelpGoesToStdoutAndMistakesToStderr: help that was asked for is the command's output, so
// that `ytconform run -h | less` works; a mistake is one line on stderr with where to find the flags.
func TestAskedForHelpGoesToStdoutAndMistakesToStderr(t *testing.T) {
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, err := runCLI(t, nil, c.name, "-h")
			require.NoError(t, err)
			assert.Contains(t, stdout, "Usage: ytconform "+c.name)
			assert.Empty(t, stderr)

			stdout, stderr, err = runCLI(t, nil, c.name, "--no-such-flag")
			require.Error(t, err)
			assert.Empty(t, stdout)
			assert.NotContains(t, stderr, "Usage:")
			assert.ErrorContains(t, err, "flag provided but not defined: -no-such-flag ('ytconform "+c.name+" -h' lists the flags)")
		})
	}
}

// flagLine is how flag.PrintDefaults starts each flag's entry.
var flagLine = regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)

func TestEachCommandsHelpIsComplete(t *testing.T) {
	for _, c := range commands {
		for _, form := range [][]string{{c.name, "-h"}, {c.name, "--help"}, {"help", c.name}} {
			t.Run(strings.Join(form, " "), func(t *testing.T) {
				stdout, stderr, err := runCLI(t, nil, form...)
				require.NoError(t, err, "asking for help succeeds")
				help := stdout + stderr
				assert.Contains(t, help, "Usage: ytconform "+c.name)
				for _, f := range c.flags {
					assert.Regexp(t, `(?m)^  -`+regexp.QuoteMeta(f)+`\b`, help, "flag --%s is documented", f)
				}
				// Every flag printed has a description on the next line.
				lines := strings.Split(help, "\n")
				for i, line := range lines {
					if m := flagLine.FindStringSubmatch(line); m != nil {
						require.Less(t, i+1, len(lines), "flag --%s has no description", m[1])
						assert.Regexp(t, `^\s+\S`, lines[i+1], "flag --%s has a description", m[1])
					}
				}
			})
		}
	}
}

func TestVersionPrintsBuildInfo(t *testing.T) {
	stdout, _, err := runCLI(t, nil, "version")
	require.NoError(t, err)
	assert.Regexp(t, `^ytconform \S+\n`, stdout)
	assert.Contains(t, stdout, "module: github.com/ytconform/ytconform")
	assert.Regexp(t, `(?m)^go: go1\.\d+`, stdout)

	_, _, err = runCLI(t, nil, "version", "extra")
	assert.ErrorContains(t, err, "version takes no arguments")
}
