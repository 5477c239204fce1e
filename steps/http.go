package steps

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/target"
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
	answered     time.Time
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
	ex := &exchange{method: req.Method, path: path, answered: time.Now(), status: resp.StatusCode, header: resp.Header, raw: raw, body: raw}
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

// excerpt shortens a body for a failure message.
func excerpt(b []byte) string {
	const max = 300
	s := strings.ToValidUTF8(string(b), "?")
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

// AdminWarning is one line for a target against which most scenarios cannot pass, however the server
// behaves: it names no admin token, or the server refuses the one it names (GET /api/users/me answers
// 401). It is "" otherwise, also when no answer comes: the scenarios will say why.
func AdminWarning(ctx context.Context, t *target.Target, timeout time.Duration) string {
	if t.Admin == nil || t.Admin.Token == "" {
		return "warning: the target names no admin token (--token, YOUTRACK_TOKEN or the target file's admin.token): " +
			"the scenarios that act as the admin are skipped"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/api/users/me?fields=login", nil)
	if err != nil {
		return ""
	}
	req.Header.Set("Authorization", "Bearer "+t.Admin.Token)
	ex, err := roundTrip(newClient(timeout), req, "/api/users/me")
	if err != nil || ex.status != http.StatusUnauthorized {
		return ""
	}
	return "warning: the server refuses the admin's token (GET /api/users/me answered 401): check --token, YOUTRACK_TOKEN " +
		"or the target file's admin.token; if the token is right, the server is wrong, and the scenarios say where"
}

// Inspect asks the target for GET /api/config (which needs no token) before any scenario runs. It fails
// when no answer comes, and when the answer shows that the base URL is not YouTrack's API at all: a web page
// (a base URL without its /youtrack prefix gets the web app), a redirect (a login page in front of
// YouTrack), or a 404 that is not YouTrack's; the error says what came back and what to try. Any other
// answer is the scenarios' business.
//
// It also settles where the Hub is, when the target file does not say: ring.url of /api/config, resolved
// against the base URL (a relative "/hub" lands at the origin, as in the Cloud layout), else
// <base URL>/hub. It sets t.Hub.URL accordingly and returns one line saying which, "" when the target
// offers no Hub.
func Inspect(ctx context.Context, t *target.Target, timeout time.Duration) (string, error) {
	client := newClient(timeout)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/api/config?fields=version,ring(url)", nil)
	if err != nil {
		return "", fmt.Errorf("target %s: %w", t.BaseURL, err)
	}
	ex, err := roundTrip(client, req, "/api/config")
	if err != nil {
		return "", fmt.Errorf("target %s is unreachable: %s", t.BaseURL, strings.TrimPrefix(err.Error(), "GET /api/config: no answer: "))
	}
	if err := notYouTrack(t.BaseURL, ex); err != nil {
		return "", err
	}
	return settleHub(t, ex), nil
}

// notYouTrack says why an answer to /api/config shows a base URL that is not YouTrack's API, or nil.
func notYouTrack(base string, ex *exchange) error {
	mediaType, _, _ := mime.ParseMediaType(ex.header.Get("Content-Type"))
	switch {
	case ex.status >= 300 && ex.status < 400:
		return fmt.Errorf("target %s: GET /api/config answered %d, a redirect to %q: a login page or a gateway stands in front of "+
			"YouTrack; give the base URL that reaches YouTrack itself", base, ex.status, ex.header.Get("Location"))
	case mediaType == "text/html":
		return fmt.Errorf("target %s: GET /api/config answered %d with a web page, not YouTrack's API: %s", base, ex.status, prefixHint(base))
	case ex.status == http.StatusNotFound && gjson.GetBytes(ex.body, "error").Type != gjson.String:
		return fmt.Errorf("target %s: GET /api/config answered a 404 that is not YouTrack's (%s): %s", base, excerpt(ex.body), prefixHint(base))
	}
	return nil
}

// prefixHint says what to try when the base URL reaches something else than YouTrack's API.
func prefixHint(base string) string {
	u, err := url.Parse(base)
	if err == nil && strings.Trim(u.Path, "/") == "" {
		return "the base URL may lack its /youtrack prefix (try " + base + "/youtrack)"
	}
	return "the base URL's path may be wrong (try the origin, " + u.Scheme + "://" + u.Host + ", or another prefix)"
}

// settleHub sets where the target's Hub is and says which source said so.
func settleHub(t *target.Target, config *exchange) string {
	if t.HubToken() == "" {
		return ""
	}
	if t.Hub.URL != "" {
		return "the Hub is at " + t.Hub.URL + " (from the target file)"
	}
	ring := gjson.GetBytes(config.body, "ring.url").String()
	base, err := url.Parse(t.BaseURL + "/")
	ref, refErr := url.Parse(ring)
	if config.status != http.StatusOK || ring == "" || err != nil || refErr != nil {
		t.Hub.URL = t.BaseURL + "/hub"
		return "the Hub is at " + t.Hub.URL + " (the default: /api/config gave no ring.url)"
	}
	t.Hub.URL = strings.TrimRight(base.ResolveReference(ref).String(), "/")
	return "the Hub is at " + t.Hub.URL + " (from ring.url of /api/config, " + ring + ")"
}
