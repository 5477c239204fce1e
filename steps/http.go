package steps

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ytconform/ytconform/internal/secrets"
)

// maxBodyBytes bounds what the suite reads of one answer: a server streaming garbage fails the scenario
// instead of filling memory.
const maxBodyBytes = 16 << 20

// newClient returns the suite's HTTP client. It never follows redirects (a redirect is an answer to check,
// not to hide) and never decompresses by itself, so that gzip steps see Content-Encoding and the raw body.
// timeout bounds a whole exchange, body included: a server that hangs fails the step, not the suite.
func newClient(timeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true
	transport.Proxy = nil // the target is named exactly; an environment proxy would change the exchange
	transport.MaxIdleConnsPerHost = 16
	return &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// exchange is one request and its answer, as the steps examine them.
type exchange struct {
	method, path string // path as written in the feature, for messages
	status       int
	header       http.Header
	raw          []byte // the body as sent on the wire
	body         []byte // the body after gzip decoding
}

func (e *exchange) String() string { return fmt.Sprintf("%s %s -> %d", e.method, e.path, e.status) }

// roundTrip sends req and reads the whole answer. path is the request's path as the report shows it. Every
// failure names the request and what went wrong in words a reader of the report understands.
func roundTrip(client *http.Client, req *http.Request, path string) (*exchange, error) {
	label := req.Method + " " + path
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: no answer: %s", label, transportFailure(err, client.Timeout))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s -> %d: the body broke off: %s", label, resp.StatusCode, transportFailure(err, client.Timeout))
	}
	if len(raw) > maxBodyBytes {
		return nil, fmt.Errorf("%s -> %d: the body is larger than %d MiB", label, resp.StatusCode, maxBodyBytes>>20)
	}
	ex := &exchange{method: req.Method, path: path, status: resp.StatusCode, header: resp.Header, raw: raw, body: raw}
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		if ex.body, err = gunzip(raw); err != nil {
			return nil, fmt.Errorf("%s: Content-Encoding is gzip but the body does not decode: %v", ex, err)
		}
	}
	return ex, nil
}

func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(io.LimitReader(zr, maxBodyBytes))
}

// transportFailure says why no usable answer came, without the URL net/http repeats in every error.
func transportFailure(err error, timeout time.Duration) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return fmt.Sprintf("nothing within %s (the server hangs or is too slow)", timeout)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "the server closed the connection before the answer was complete"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err.Error()
	}
	var urlErr interface{ Unwrap() error }
	if errors.As(err, &urlErr) && urlErr.Unwrap() != nil {
		return urlErr.Unwrap().Error()
	}
	return err.Error()
}

// redactor removes secrets from text bound for a report.
type redactor struct{ secrets []string }

func (r *redactor) add(values ...string) {
	for _, s := range values {
		if s != "" && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	// Longest first: a truncated token is a prefix of the real one and must not leave its tail behind.
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

func (r *redactor) redact(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, secrets.Placeholder)
	}
	return secrets.Redact(s) // also a token the suite did not know about: one a broken server echoes

}

// excerpt shortens a body for a failure message.
func excerpt(b []byte) string {
	const max = 300
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// Probe asks the server at baseURL for its version (GET /api/config, which needs no token) and reports
// only whether any HTTP answer came: what the answer says is the scenarios' business.
func Probe(ctx context.Context, baseURL string, timeout time.Duration) error {
	client := newClient(timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/api/config?fields=version", nil)
	if err != nil {
		return fmt.Errorf("target %s: %w", baseURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %s", baseURL, transportFailure(err, timeout))
	}
	resp.Body.Close()
	return nil
}
