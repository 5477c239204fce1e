package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
)

func runMock(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ytconform mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (`host:port`; port 0 picks a free one)")
	fixtures := fs.String("fixtures", "", "fixture `file` (YAML) of users, tokens and projects; default: the embedded data")
	targetOut := fs.String("target-out", "", "write a target `file` describing this mock, for 'ytconform run --target'")
	publicURL := fs.String("public-url", "", "base `URL` clients reach the mock at, for the legacy API's project URLs (default: from each request's Host)")
	quiet := fs.Bool("quiet", false, "no access log")
	synthetic := fs.Int("synthetic-projects", 0, "add `N` generated projects for scale tests (\"Synthetic 000001\", SYN000001, ...): admins read all, other users every 4th")
	pprofAddr := fs.String("pprof", "", "serve net/http/pprof on a separate loopback `host:port` (off by default)")
	lim := mockserver.DefaultServerLimits()
	fs.DurationVar(&lim.ReadHeaderTimeout, "read-header-timeout", lim.ReadHeaderTimeout, "time allowed to read a request's headers")
	fs.DurationVar(&lim.ReadTimeout, "read-timeout", lim.ReadTimeout, "time allowed to read a whole request")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", lim.WriteTimeout, "time allowed to write an answer")
	fs.DurationVar(&lim.IdleTimeout, "idle-timeout", lim.IdleTimeout, "how long an idle kept-alive connection stays open")
	fs.IntVar(&lim.MaxHeaderBytes, "max-header-bytes", lim.MaxHeaderBytes, "largest request header block; larger gets 431")
	var opts mockserver.Options
	fs.Int64Var(&opts.MaxBodyBytes, "max-body-bytes", 1<<20, "largest request body; larger gets 413")
	fs.IntVar(&opts.MaxFieldsLength, "max-fields-length", 8192, "longest fields parameter, in `bytes`; longer gets 400")
	fs.IntVar(&opts.MaxFieldsDepth, "max-fields-depth", 16, "deepest nesting of the fields parameter, in `levels`; deeper gets 400")
	extras := addMockExtras(fs) // faults, journal, --watch: mockextras.go
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ytconform mock [flags]\n\nServes a mock YouTrack until interrupted (SIGINT or SIGTERM).\n"+
			"Its control API needs no token: GET /__ytmock/health, GET and DELETE /__ytmock/requests (the journal,\n"+
			"never showing a token), POST /__ytmock/reset (back to the fixtures). Latency and faults never apply\n"+
			"to /api/config or /__ytmock/.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if stop, err := parseFlags(fs, args, false); stop {
		return err
	}
	visited := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { visited[fl.Name] = true })
	if err := extras.apply(&opts, *fixtures, visited); err != nil {
		return exitError{code: 2, err: err}
	}

	gc := startupGC()
	defer gc.restore()
	f, err := loadFixtures(*fixtures)
	if err != nil {
		return exitError{code: 2, err: err}
	}
	if *synthetic < 0 {
		return exitError{code: 2, err: fmt.Errorf("--synthetic-projects must be at least 0, not %d", *synthetic)}
	}
	f.AddSyntheticProjects(*synthetic)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return exitError{code: 2, err: fmt.Errorf("listen on %s: %w", *addr, err)}
	}
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(stderr, "warning: listening on %s, which is reachable from other machines; the mock's tokens are public test data\n", ln.Addr())
	}
	baseURL := "http://" + ln.Addr().String()
	store, err := buildStoreAndTarget(f, baseURL, *targetOut)
	if err != nil {
		ln.Close()
		return exitError{code: 2, err: err}
	}
	if *pprofAddr != "" {
		if err := servePprof(ctx, *pprofAddr, stderr); err != nil {
			ln.Close()
			return exitError{code: 2, err: err}
		}
	}
	printBanner(stdout, baseURL, f)
	extras.printBanner(stdout, baseURL, opts)
	addSynthetic := func(f *mockserver.Fixtures) { f.AddSyntheticProjects(*synthetic) } // a reloaded file gets them too
	if err := extras.startWatch(ctx, *fixtures, store, addSynthetic, *targetOut, baseURL, stdout, stderr); err != nil {
		ln.Close()
		return exitError{code: 2, err: err}
	}
	opts.BaseURL = *publicURL
	if !*quiet {
		accessLog := newDelayedWriter(stderr, accessLogDelay) // one write per 10 ms, not one per request
		defer accessLog.Close()
		opts.AccessLog = accessLog
	}
	gc.serve() // start-up garbage goes back to the OS; the collector is sized for serving (gctune.go)
	return mockserver.Serve(ctx, ln, mockserver.New(store, opts), lim)
}

// buildStoreAndTarget builds the store and, when targetOut is set, writes the target file at the same
// time: its YAML takes half a second for 100,000 projects, as long as the store. The file is written
// under a temporary name and renamed once both are done, so that it never describes a mock that failed
// to start and a reader never sees half of it.
func buildStoreAndTarget(f *mockserver.Fixtures, baseURL, targetOut string) (*mockserver.Store, error) {
	if targetOut == "" {
		return mockserver.NewStore(f)
	}
	target := steps.TargetFromFixtures(f, baseURL) // a copy: the goroutine does not share f
	tmp := targetOut + ".tmp"
	written := make(chan error, 1)
	go func() { written <- writeTargetFile(tmp, target) }()
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

func writeTargetFile(path string, t steps.Target) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // it holds tokens
	if err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	if err := steps.WriteTarget(f, t); err != nil {
		f.Close()
		return fmt.Errorf("write target %s: %w", path, err)
	}
	return f.Close()
}

// printBanner is the one place the mock shows tokens: they are fixture data, printed so that a
// developer can copy them.
func printBanner(w io.Writer, baseURL string, f *mockserver.Fixtures) {
	fmt.Fprintf(w, "ytconform mock serving %s\n", baseURL)
	fmt.Fprintf(w, "guest access: %s\n", f.Guest.Access)
	fmt.Fprintln(w, "tokens:")
	roles := map[string]string{}
	for _, u := range f.Users {
		switch {
		case u.Banned:
			roles[u.Login] = "banned"
		case u.Admin:
			roles[u.Login] = "admin"
		default:
			roles[u.Login] = "reads " + shortList(u.Projects)
		}
	}
	for _, t := range f.Tokens {
		state := ""
		if t.Revoked {
			state = ", revoked"
		}
		fmt.Fprintf(w, "  %-10s %s (%s%s)\n", t.User, t.Token, roles[t.User], state)
	}
	fmt.Fprintf(w, "try: curl -H 'Authorization: Bearer <token>' '%s/api/admin/projects?fields=id,name,shortName'\n", baseURL)
}

// shortList prints a list of project short names, the first few only when there are many (with
// --synthetic-projects a user may read tens of thousands).
func shortList(names []string) string {
	const shown = 8
	if len(names) <= shown {
		return fmt.Sprint(names)
	}
	return fmt.Sprintf("%v... (%d projects)", names[:shown], len(names))
}
