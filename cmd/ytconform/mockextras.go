package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
)

// mockExtras are the mock's flags for client developers' daily use: faults and latency, the request
// journal, and reloading the fixture file on change.
type mockExtras struct {
	latency     string
	fault       string
	faultRate   float64
	faultPath   string
	allowHeader bool
	journal     int
	watch       bool
}

func addMockExtras(fs *flag.FlagSet) *mockExtras {
	e := &mockExtras{}
	fs.StringVar(&e.latency, "latency", "", "delay every answer by `D[,JITTER]` (e.g. 300ms or 200ms,100ms: 200 ms plus up to 100 ms at random)")
	fs.StringVar(&e.fault, "fault", "", "inject a fault instead of answering: `KIND` 503, 429 (with Retry-After), reset, empty (closed, no answer) or garbage (not HTTP)")
	fs.Float64Var(&e.faultRate, "fault-rate", 1, "share of requests, 0 to 1, that get --fault")
	fs.StringVar(&e.faultPath, "fault-path", "", "apply --fault and --latency only to paths matching `PATTERN`s, comma-separated: a path.Match glob (* stays within one segment: /api/admin/projects/*) or a path prefix (/hub)")
	fs.BoolVar(&e.allowHeader, "allow-fault-header", false, "let a request force a fault on itself with the header 'X-Ytmock-Fault: KIND'")
	fs.IntVar(&e.journal, "journal", mockserver.DefaultJournalSize, "keep the last `N` requests for GET /__ytmock/requests (0: no journal)")
	fs.BoolVar(&e.watch, "watch", false, "reload --fixtures when the file changes; an invalid edit keeps the old data and says why on stderr")
	return e
}

// apply checks the flags and sets the options they describe. Faults never apply to /api/config nor
// to the control API.
func (e *mockExtras) apply(opts *mockserver.Options, fixtures string, visited map[string]bool) error {
	var f mockserver.Faults
	if e.latency != "" {
		d, jitter, _ := strings.Cut(e.latency, ",")
		var err error
		if f.Latency, err = time.ParseDuration(strings.TrimSpace(d)); err != nil {
			return fmt.Errorf("--latency %q: want a duration such as 300ms, optionally ,JITTER", e.latency)
		}
		if jitter != "" {
			if f.Jitter, err = time.ParseDuration(strings.TrimSpace(jitter)); err != nil {
				return fmt.Errorf("--latency %q: the jitter after the comma is not a duration", e.latency)
			}
		}
	}
	if e.fault != "" {
		kind, err := mockserver.ParseFaultKind(e.fault)
		if err != nil {
			return fmt.Errorf("--fault: %w", err)
		}
		f.Kind, f.Rate = kind, e.faultRate
	} else if visited["fault-rate"] {
		return fmt.Errorf("--fault-rate needs --fault KIND")
	}
	if e.faultPath != "" {
		if f.Kind == "" && f.Latency == 0 && f.Jitter == 0 {
			return fmt.Errorf("--fault-path needs --fault or --latency")
		}
		for _, p := range strings.Split(e.faultPath, ",") {
			if p = strings.TrimSpace(p); p != "" {
				f.Paths = append(f.Paths, p)
			}
		}
	}
	f.AllowHeader = e.allowHeader
	if err := f.Validate(); err != nil {
		return err
	}
	if e.journal < 0 {
		return fmt.Errorf("--journal must be at least 0, not %d", e.journal)
	}
	if e.watch && fixtures == "" {
		return fmt.Errorf("--watch needs --fixtures FILE (the embedded data never changes)")
	}
	opts.Faults = f
	opts.JournalSize = e.journal
	return nil
}

// printBanner adds the control API and the active faults to the mock's start-up text.
func (e *mockExtras) printBanner(w io.Writer, baseURL string, opts mockserver.Options) {
	if opts.JournalSize > 0 {
		fmt.Fprintf(w, "control API: %s/__ytmock/health, /__ytmock/requests (last %d requests), POST /__ytmock/reset\n", baseURL, opts.JournalSize)
	} else {
		fmt.Fprintf(w, "control API: %s/__ytmock/health, POST /__ytmock/reset (no journal)\n", baseURL)
	}
	f := opts.Faults
	var active []string
	if f.Latency > 0 || f.Jitter > 0 {
		active = append(active, fmt.Sprintf("latency %s + up to %s", f.Latency, f.Jitter))
	}
	if f.Kind != "" {
		active = append(active, fmt.Sprintf("fault %s on %g of requests", f.Kind, f.Rate))
	}
	if len(f.Paths) > 0 {
		active = append(active, "on paths "+strings.Join(f.Paths, ", "))
	}
	if f.AllowHeader {
		active = append(active, "X-Ytmock-Fault header honoured")
	}
	if len(active) > 0 {
		fmt.Fprintf(w, "faults: %s (never on /api/config or /__ytmock/)\n", strings.Join(active, "; "))
	}
}

// startWatch reloads the fixture file on change, when --watch is set. Each reload is reported on
// stderr; a successful one also rewrites the target file and prints the tokens now valid, since the
// file may have changed them.
// prepare, if not nil, changes each reloaded file before it is served, as the file was at start.
func (e *mockExtras) startWatch(ctx context.Context, path string, store *mockserver.Store, prepare func(*mockserver.Fixtures),
	targetOut, baseURL string, stdout, stderr io.Writer) error {
	if !e.watch {
		return nil
	}
	w := &mockserver.FixtureWatcher{
		Path:    path,
		Store:   store,
		Prepare: prepare,
		Report: func(f *mockserver.Fixtures, err error) {
			if err != nil {
				fmt.Fprintf(stderr, "watch: %v\n", err)
				return
			}
			fmt.Fprintf(stderr, "watch: reloaded %s: %d users, %d projects, %d tokens\n", path, len(f.Users), len(f.Projects), len(f.Tokens))
			if targetOut != "" {
				if err := writeTargetFile(targetOut, steps.TargetFromFixtures(f, baseURL)); err != nil {
					fmt.Fprintf(stderr, "watch: %v\n", err)
				}
			}
			fmt.Fprintln(stdout, "tokens after reload:")
			for _, t := range f.Tokens {
				state := ""
				if t.Revoked {
					state = " (revoked)"
				}
				fmt.Fprintf(stdout, "  %-10s %s%s\n", t.User, t.Token, state)
			}
		},
	}
	if err := w.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "watching %s for changes\n", path)
	return nil
}
