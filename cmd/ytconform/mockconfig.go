package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ytconform/ytconform/mockserver"
)

// mockConfig is every flag of `ytconform mock`. register binds them to a FlagSet; settings turns them into
// what the mock serves with, without I/O, so that a table test covers every combination.
type mockConfig struct {
	addr, fixtures, targetOut, publicURL, pprofAddr string
	quiet, watch                                    bool
	synthetic                                       int

	// Layout and server settings; the last three override the fixture file's server section.
	basePath        string
	legacyAPI       string
	corsOrigins     listFlag
	revocationDelay durationFlag

	limits          mockserver.ServerLimits
	maxBodyBytes    int64
	maxFieldsLength int
	maxFieldsDepth  int
	journal         int

	latency          latencyFlag
	fault            faultFlag
	faultRate        rateFlag
	faultPaths       string
	allowFaultHeader bool
}

func (c *mockConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (`host:port`; port 0 picks a free one)")
	fs.StringVar(&c.fixtures, "fixtures", "", "fixture `file` (YAML) of users, tokens and projects; default: the embedded data")
	fs.StringVar(&c.targetOut, "target-out", "", "write a target `file` describing this mock, for 'ytconform run --target'")
	fs.StringVar(&c.publicURL, "public-url", "", "the address the mock writes into links, as a YouTrack behind a proxy writes its configured `URL` (default: from each request's Host);\n"+
		"it does not move the API (--base-path does): --target-out keeps base_url at the listen address and writes this as public_url")
	fs.BoolVar(&c.quiet, "quiet", false, "no access log")
	fs.IntVar(&c.synthetic, "synthetic-projects", 0, "add `N` generated projects for scale tests (\"Synthetic 000001\", SYN000001, ...): admins read all, other users every 4th")
	fs.StringVar(&c.pprofAddr, "pprof", "", "serve net/http/pprof on a separate loopback `host:port` (off by default)")
	fs.BoolVar(&c.watch, "watch", false, "reload --fixtures when the file changes; an invalid edit keeps the old data and says why on stderr")
	fs.StringVar(&c.basePath, "base-path", "", "serve YouTrack's APIs under this `path` (/youtrack), the Hub at the origin's /hub, as the Cloud layout does; other paths answer the web app's HTML")
	fs.StringVar(&c.legacyAPI, "legacy-api", "", "`enabled` (the 2017 API, as the reference exchange needs) or disabled (400 \"Deprecated REST API is disabled\", as 2021.3 and later); default: the fixtures' server.legacyApi, enabled")
	fs.Var(&c.corsOrigins, "cors-origin", "allow browsers from this `origin` (https://app.example.com) to call the API; repeat for more, added to the fixtures' server.corsOrigins")
	fs.Var(&c.revocationDelay, "revocation-delay", "keep a revoked token working for `D` (3s), as a real server's token cache does; default: the fixtures' server.revocationDelay, 0")

	c.limits = mockserver.DefaultServerLimits()
	fs.DurationVar(&c.limits.ReadHeaderTimeout, "read-header-timeout", c.limits.ReadHeaderTimeout, "time allowed to read a request's headers")
	fs.DurationVar(&c.limits.ReadTimeout, "read-timeout", c.limits.ReadTimeout, "time allowed to read a whole request")
	fs.DurationVar(&c.limits.WriteTimeout, "write-timeout", c.limits.WriteTimeout, "time allowed to write an answer")
	fs.DurationVar(&c.limits.IdleTimeout, "idle-timeout", c.limits.IdleTimeout, "how long an idle kept-alive connection stays open")
	fs.IntVar(&c.limits.MaxHeaderBytes, "max-header-bytes", c.limits.MaxHeaderBytes, "largest request header block; larger gets 431")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", 1<<20, "largest request body; larger gets 413")
	fs.IntVar(&c.maxFieldsLength, "max-fields-length", 8192, "longest fields parameter, in `bytes`; longer gets 400")
	fs.IntVar(&c.maxFieldsDepth, "max-fields-depth", 16, "deepest nesting of the fields parameter, in `levels`; deeper gets 400")
	fs.IntVar(&c.journal, "journal", mockserver.DefaultJournalSize, "keep the last `N` requests for GET /__ytmock/requests (0: no journal)")

	fs.Var(&c.latency, "latency", "delay every answer by `D[,JITTER]` (e.g. 300ms or 200ms,100ms: 200 ms plus up to 100 ms at random)")
	fs.Var(&c.fault, "fault", "inject a fault instead of answering: `KIND` 503, 429 (with Retry-After), reset, empty (closed, no answer) or garbage (not HTTP)")
	c.faultRate.value = 1
	fs.Var(&c.faultRate, "fault-rate", "share of requests, `0 to 1`, that get --fault")
	fs.StringVar(&c.faultPaths, "fault-path", "", "apply --fault and --latency only to paths matching `PATTERN`s, comma-separated: a path.Match glob (* stays within one segment: /api/admin/projects/*) or a path prefix (/hub)")
	fs.BoolVar(&c.allowFaultHeader, "allow-fault-header", false, "let a request force a fault on itself with the header 'X-Ytmock-Fault: KIND'")
}

// settings checks the flags together and returns the mock's options. Faults never apply to /api/config
// nor to the control API.
func (c *mockConfig) settings() (mockserver.Options, error) {
	opts := mockserver.Options{
		BaseURL:         c.publicURL,
		BasePath:        c.basePath,
		MaxBodyBytes:    c.maxBodyBytes,
		MaxFieldsLength: c.maxFieldsLength,
		MaxFieldsDepth:  c.maxFieldsDepth,
		JournalSize:     c.journal,
		Faults: mockserver.Faults{Latency: c.latency.latency, Jitter: c.latency.jitter, Kind: c.fault.kind,
			AllowHeader: c.allowFaultHeader},
	}
	switch {
	case c.faultRate.set && c.fault.kind == "":
		return opts, errors.New("--fault-rate needs --fault KIND")
	case c.faultPaths != "" && c.fault.kind == "" && c.latency.latency == 0 && c.latency.jitter == 0:
		return opts, errors.New("--fault-path needs --fault or --latency")
	case c.journal < 0:
		return opts, fmt.Errorf("--journal must be at least 0, not %d", c.journal)
	case c.synthetic < 0:
		return opts, fmt.Errorf("--synthetic-projects must be at least 0, not %d", c.synthetic)
	case c.watch && c.fixtures == "":
		return opts, errors.New("--watch needs --fixtures FILE (the embedded data never changes)")
	case c.legacyAPI != "" && c.legacyAPI != mockserver.LegacyEnabled && c.legacyAPI != mockserver.LegacyDisabled:
		return opts, fmt.Errorf("--legacy-api must be %s or %s, not %q", mockserver.LegacyEnabled, mockserver.LegacyDisabled, c.legacyAPI)
	case c.revocationDelay.set && c.revocationDelay.value < 0:
		return opts, fmt.Errorf("--revocation-delay must not be negative, not %s", c.revocationDelay.value)
	}
	for _, o := range c.corsOrigins {
		if err := mockserver.CheckOrigin(o); err != nil {
			return opts, fmt.Errorf("--cors-origin: %w", err)
		}
	}
	if c.fault.kind != "" {
		opts.Faults.Rate = c.faultRate.value
	}
	for _, p := range strings.Split(c.faultPaths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			opts.Faults.Paths = append(opts.Faults.Paths, p)
		}
	}
	return opts, opts.Validate()
}

// adjust changes loaded fixtures as the flags say: synthetic projects, and the server settings the flags
// override. A file reloaded by --watch gets the same.
func (c *mockConfig) adjust(f *mockserver.Fixtures) {
	f.AddSyntheticProjects(c.synthetic)
	if c.legacyAPI != "" {
		f.Server.LegacyAPI = c.legacyAPI
	}
	f.Server.CORSOrigins = append(f.Server.CORSOrigins, c.corsOrigins...)
	if c.revocationDelay.set {
		f.Server.RevocationDelay = c.revocationDelay.value
	}
}

// latencyFlag is --latency D[,JITTER].
type latencyFlag struct{ latency, jitter time.Duration }

func (l *latencyFlag) String() string {
	if l == nil || l.latency == 0 && l.jitter == 0 {
		return ""
	}
	return l.latency.String() + "," + l.jitter.String()
}

func (l *latencyFlag) Set(s string) error {
	d, jitter, hasJitter := strings.Cut(s, ",")
	latency, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil {
		return fmt.Errorf("%q: want a duration such as 300ms, optionally ,JITTER", s)
	}
	l.latency, l.jitter = latency, 0
	if hasJitter {
		if l.jitter, err = time.ParseDuration(strings.TrimSpace(jitter)); err != nil {
			return fmt.Errorf("%q: the jitter after the comma is not a duration", s)
		}
	}
	return nil
}

// faultFlag is --fault KIND.
type faultFlag struct{ kind mockserver.FaultKind }

func (f *faultFlag) String() string {
	if f == nil {
		return ""
	}
	return string(f.kind)
}

func (f *faultFlag) Set(s string) error {
	kind, err := mockserver.ParseFaultKind(s)
	f.kind = kind
	return err
}

// rateFlag is --fault-rate, which remembers being given: a rate without a fault is a mistake to report.
type rateFlag struct {
	value float64
	set   bool
}

func (r *rateFlag) String() string {
	if r == nil {
		return ""
	}
	return strconv.FormatFloat(r.value, 'g', -1, 64)
}

func (r *rateFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	r.value, r.set = v, true
	return nil
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// durationFlag is a duration flag that remembers being given, so that it overrides the fixtures only then.
type durationFlag struct {
	value time.Duration
	set   bool
}

func (d *durationFlag) String() string {
	if d == nil || !d.set {
		return ""
	}
	return d.value.String()
}

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q: want a duration such as 3s", s)
	}
	d.value, d.set = v, true
	return nil
}
