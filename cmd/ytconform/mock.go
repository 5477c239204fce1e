package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/target"
)

const mockUsage = `Usage: ytconform mock [flags]

Serves a mock YouTrack until interrupted (SIGINT or SIGTERM).
Its control API needs no token: GET /__ytmock/health, GET and DELETE /__ytmock/requests (the journal,
never showing a token), POST /__ytmock/reset (back to the fixtures). Latency and faults never apply
to /api/config or /__ytmock/.

Flags:
`

func runMock(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	var c mockConfig
	fs := commandFlags("mock", mockUsage, stderr)
	c.register(fs)
	if stop, err := parseFlags(fs, args, false, stdout); stop {
		return err
	}
	opts, err := c.settings()
	if err != nil {
		return exitError{code: 2, err: err}
	}
	return serveMock(ctx, &c, opts, stdout, stderr)
}

// serveMock starts the mock the configuration describes and serves it until ctx is done.
func serveMock(ctx context.Context, c *mockConfig, opts mockserver.Options, stdout, stderr io.Writer) error {
	gc := startupGC()
	defer gc.restore()
	f, err := loadFixtures(c.fixtures)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	c.adjust(f)
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		if _, _, splitErr := net.SplitHostPort(c.addr); splitErr != nil {
			return exitError{code: 2, err: fmt.Errorf("--addr %s: give host:port, such as 127.0.0.1:8080 (%v)", c.addr, splitErr)}
		}
		return exitError{code: 2, err: fmt.Errorf("listen on %s: %w", c.addr, err)}
	}
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(stderr, "warning: listening on %s, which is reachable from other machines; the mock's tokens are public test data\n", ln.Addr())
	}
	origin := "http://" + ln.Addr().String()
	baseURL := origin + c.basePath
	store, err := buildStoreAndTarget(f, c.describe(f, origin), c.targetOut)
	if err == nil && c.pprofAddr != "" {
		err = servePprof(ctx, c.pprofAddr, stderr)
	}
	if err == nil {
		printBanner(stdout, baseURL, f, opts)
		err = startWatch(ctx, c, store, origin, stdout, stderr)
	}
	if err != nil {
		ln.Close()
		return exitError{code: 2, err: err}
	}
	if !c.quiet {
		opts.AccessLog = stderr
	}
	// The mock writes links with its own address, as a real server writes its configured one, whatever Host
	// a proxy in front sends.
	opts.BaseURL = cmp.Or(opts.BaseURL, baseURL)
	gc.serve() // start-up garbage goes back to the OS; the collector is sized for serving (gctune.go)
	return mockserver.Serve(ctx, ln, mockserver.New(store, opts), c.limits)
}

// describe is the target file of this mock serving f at origin: its base URL under --base-path, its public
// URL when --public-url names one, and its Hub at the origin's /hub.
func (c *mockConfig) describe(f *mockserver.Fixtures, origin string) *target.Target {
	t := target.FromFixtures(f, origin+c.basePath) // holds its own copies: a goroutine may write it while f is read
	t.PublicURL = cmp.Or(strings.TrimRight(c.publicURL, "/"), t.BaseURL)
	if t.Hub != nil && c.basePath != "" {
		t.Hub.URL = origin + "/hub"
	}
	return t
}

// buildStoreAndTarget builds the store and, when targetOut is set, writes the target file t at the same
// time: its YAML takes half a second for 100,000 projects, as long as the store. The file is written
// under a temporary name and renamed once both are done, so that it never describes a mock that failed
// to start and a reader never sees half of it.
func buildStoreAndTarget(f *mockserver.Fixtures, t *target.Target, targetOut string) (*mockserver.Store, error) {
	if targetOut == "" {
		return mockserver.NewStore(f)
	}
	tmp := targetOut + ".tmp"
	written := make(chan error, 1)
	go func() { written <- writeTargetFile(tmp, t) }()
	store, err := mockserver.NewStore(f)
	if werr := <-written; err == nil {
		err = werr
	}
	if err == nil {
		if err = os.Rename(tmp, targetOut); err != nil {
			err = fmt.Errorf("write target: %w", err)
		}
	}
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return store, nil
}

func loadFixtures(path string) (*mockserver.Fixtures, error) {
	if path == "" {
		return mockserver.DefaultFixtures()
	}
	return mockserver.LoadFixtures(path)
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

func writeTargetFile(path string, t *target.Target) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // it holds tokens
	if err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	if err := target.Write(f, t); err != nil {
		f.Close()
		return fmt.Errorf("write target %s: %w", path, err)
	}
	return f.Close()
}

// startWatch reloads the fixture file on change, when --watch is set. Each reload is reported on stderr;
// a successful one also rewrites the target file and prints the tokens now valid, since the file may have
// changed them. A reloaded file gets the --synthetic-projects too.
func startWatch(ctx context.Context, c *mockConfig, store *mockserver.Store, origin string, stdout, stderr io.Writer) error {
	if !c.watch {
		return nil
	}
	w := &mockserver.FixtureWatcher{
		Path:    c.fixtures,
		Store:   store,
		Prepare: c.adjust,
		Report: func(f *mockserver.Fixtures, err error) {
			if err != nil {
				fmt.Fprintf(stderr, "watch: %v\n", err)
				return
			}
			fmt.Fprintf(stderr, "watch: reloaded %s: %d users, %d projects, %d tokens\n", c.fixtures, len(f.Users), len(f.Projects), len(f.Tokens))
			if c.targetOut != "" {
				if err := writeTargetFile(c.targetOut, c.describe(f, origin)); err != nil {
					fmt.Fprintf(stderr, "watch: %v\n", err)
				}
			}
			fmt.Fprintln(stdout, "tokens after reload:")
			printTokens(stdout, f)
		},
	}
	if err := w.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "watching %s for changes\n", c.fixtures)
	return nil
}
