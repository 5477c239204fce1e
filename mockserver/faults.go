package mockserver

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
)

// FaultKind is a failure the mock can inject instead of answering.
type FaultKind string

// The faults the mock can inject.
const (
	Fault503     FaultKind = "503"     // 503 Service Unavailable with a YouTrack JSON error body
	Fault429     FaultKind = "429"     // 429 Too Many Requests with Retry-After and a YouTrack JSON error body
	FaultReset   FaultKind = "reset"   // the TCP connection is reset (RST) before any byte of an answer
	FaultEmpty   FaultKind = "empty"   // the connection is closed (FIN) with no answer at all
	FaultGarbage FaultKind = "garbage" // bytes that are not HTTP, then the connection is closed
)

// FaultKinds lists every kind, in the order the documentation gives them.
var FaultKinds = []FaultKind{Fault503, Fault429, FaultReset, FaultEmpty, FaultGarbage}

// ParseFaultKind accepts the name of a fault kind.
func ParseFaultKind(s string) (FaultKind, error) {
	for _, k := range FaultKinds {
		if string(k) == s {
			return k, nil
		}
	}
	names := make([]string, len(FaultKinds))
	for i, k := range FaultKinds {
		names[i] = string(k)
	}
	return "", fmt.Errorf("unknown fault %q (want one of %s)", s, strings.Join(names, ", "))
}

// FaultHeader is the request header that forces one fault on its request, when Faults.AllowHeader is set.
const FaultHeader = "X-Ytmock-Fault"

// statusDropped is what the access log and the journal show for a request whose connection an injected
// fault dropped without an answer: nginx's 444, "connection closed without response".
const statusDropped = 444

// retryAfterValue is the Retry-After of an injected 429: short, so that client retry tests stay fast.
var retryAfterValue = []string{"1"}

// Faults make the mock slow or unreliable on purpose, for testing how clients cope. They never apply to
// GET /api/config (clients and scripts use it as a readiness probe) nor to the control API under /__ytmock/.
// The zero value injects nothing and costs nothing: the middleware is not even installed.
type Faults struct {
	// Latency delays each answer by Latency plus a uniformly random duration in [0, Jitter).
	Latency, Jitter time.Duration
	// Kind is injected into a Rate fraction (0 to 1) of the requests. Empty: no random faults.
	Kind FaultKind
	Rate float64
	// Paths scopes the latency and the faults to the requests whose path matches one of these patterns.
	// A pattern with a glob character (* ? [) is a path.Match pattern, where * does not cross a "/"
	// (/api/admin/projects/* matches one project); any other pattern is a path prefix (/hub matches the
	// whole Hub API). Empty: every path.
	Paths []string
	// AllowHeader lets a request force a fault on itself with the X-Ytmock-Fault: KIND header, whatever
	// Rate and Paths say. Without it the header is ignored.
	AllowHeader bool
}

func (f Faults) enabled() bool {
	return f.Latency > 0 || f.Jitter > 0 || (f.Kind != "" && f.Rate > 0) || f.AllowHeader
}

// Validate reports settings the mock cannot honour: a negative duration, a rate outside [0, 1], an
// unknown kind or a malformed path pattern.
func (f Faults) Validate() error {
	if f.Latency < 0 || f.Jitter < 0 {
		return fmt.Errorf("faults: latency and jitter must not be negative")
	}
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("faults: rate must be between 0 and 1, not %v", f.Rate)
	}
	if f.Kind != "" {
		if _, err := ParseFaultKind(string(f.Kind)); err != nil {
			return fmt.Errorf("faults: %w", err)
		}
	}
	for _, p := range f.Paths {
		if _, err := path.Match(p, "/"); err != nil {
			return fmt.Errorf("faults: bad path pattern %q: %w", p, err)
		}
	}
	return nil
}

// exemptFromFaults are the paths a fault never touches.
func exemptFromFaults(p string) bool {
	return p == "/api/config" || p == ControlPrefix || strings.HasPrefix(p, ControlPrefix+"/")
}

func (f Faults) matches(p string) bool {
	if len(f.Paths) == 0 {
		return true
	}
	for _, pattern := range f.Paths {
		if strings.ContainsAny(pattern, "*?[") {
			if ok, _ := path.Match(pattern, p); ok {
				return true
			}
		} else if strings.HasPrefix(p, pattern) {
			return true
		}
	}
	return false
}

// middleware injects latency and faults in front of next.
func (f Faults) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if exemptFromFaults(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if f.AllowHeader {
			if forced := r.Header.Get(FaultHeader); forced != "" {
				kind, err := ParseFaultKind(forced)
				if err != nil {
					writeError(w, r, errorf(http.StatusBadRequest, "%s: %s", FaultHeader, quoteForMessage(err.Error())))
					return
				}
				injectFault(w, r, kind)
				return
			}
		}
		if !f.matches(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if d := f.Latency + jitter(f.Jitter); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done(): // the client gave up: nobody is left to answer
				t.Stop()
				return
			}
		}
		if f.Kind != "" && f.Rate > 0 && (f.Rate >= 1 || rand.Float64() < f.Rate) {
			injectFault(w, r, f.Kind)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func jitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max)
}

// injectFault fails the request in the way kind says.
func injectFault(w http.ResponseWriter, r *http.Request, kind FaultKind) {
	switch kind {
	case Fault503:
		writeError(w, r, errorf(http.StatusServiceUnavailable, "The server is temporarily unable to answer (fault injected by ytconform mock)"))
	case Fault429:
		w.Header()["Retry-After"] = retryAfterValue
		writeError(w, r, errorf(http.StatusTooManyRequests, "Too many requests; retry after 1 second (fault injected by ytconform mock)"))
	case FaultReset, FaultEmpty, FaultGarbage:
		dropConnection(w, kind)
	}
}

// garbage is what FaultGarbage writes: neither a status line nor headers an HTTP client can parse.
const garbage = "HTTX/9.9 ???\r\n\x00\x01\x02 this is not HTTP \xff\xfe\r\n\r\n"

// dropConnection takes the connection from net/http and ends it without an answer. Where the connection
// cannot be taken (HTTP/2), the request is aborted, which resets its stream.
func dropConnection(w http.ResponseWriter, kind FaultKind) {
	if rec := recordOf(w); rec != nil {
		rec.status = statusDropped
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	switch kind {
	case FaultReset:
		if tcp, ok := conn.(*net.TCPConn); ok {
			tcp.SetLinger(0) // Close now sends RST instead of FIN
		}
	case FaultGarbage:
		buf.WriteString(garbage)
		buf.Flush()
	}
}
