package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/ytconform/ytconform/internal/secrets"
)

// Every rule by which the mock keeps tokens out of what it prints or shows: the access log's path, error
// descriptions that echo client input, panic reports, and the journal.

// appendLogPath appends a request's path as the access log shows it: tokens redacted, control
// characters replaced, at most 200 bytes.
func appendLogPath(b []byte, path string) []byte {
	return appendPrintable(b, secrets.Redact(path), 200)
}

// quoteForMessage shortens client input before it is echoed in an error description, so that a
// 100,000-character id does not come back as a 100,000-character error.
func quoteForMessage(s string) string {
	const max = 80
	s = secrets.Redact(s) // a token a client put in a path or a body is not echoed back
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// redacted replaces a secret in the journal.
const redacted = "REDACTED"

// secretParams are query parameter names whose values the journal never shows, whatever they look like.
var secretParams = []string{"token", "access_token", "refresh_token", "id_token", "password", "passwd", "secret",
	"client_secret", "api_key", "apikey", "key", "auth", "authorization", "bearer", "code", "session", "sig", "signature"}

func isSecretParam(name string) bool {
	name = strings.ToLower(name)
	for _, s := range secretParams {
		if name == s {
			return true
		}
	}
	return strings.Contains(name, "token") || strings.Contains(name, "password") || strings.Contains(name, "secret")
}

// looksLikeToken reports a text holding something shaped like a YouTrack permanent token (perm:… or
// perm-… anywhere in it, or a Bearer credential), or being a token the mock knows.
func looksLikeToken(s string, isToken func(string) bool) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(t, "bearer ") || strings.Contains(t, "perm:") || strings.Contains(t, "perm-") {
		return true
	}
	return isToken != nil && len(t) >= 8 && len(t) <= maxTokenLength && isToken(strings.TrimSpace(s))
}

// redactQuery keeps the query as sent, except the values of secret-named parameters and values that
// look like tokens.
func redactQuery(q string, isToken func(string) bool) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	changed := false
	for i, part := range parts {
		rawName, rawValue, hasValue := strings.Cut(part, "=")
		name, value, whole := unescape(rawName), unescape(rawValue), unescape(part)
		switch {
		case looksLikeToken(name, isToken) || isToken != nil && isToken(whole): // a bare token: ?perm:abc…
			parts[i] = redacted
			changed = true
		case hasValue && rawValue != "" && (isSecretParam(name) || looksLikeToken(value, isToken)):
			parts[i] = rawName + "=" + redacted
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// redactPath replaces path segments that look like tokens.
func redactPath(p string, isToken func(string) bool) string {
	if !strings.Contains(strings.ToLower(p), "perm") && isToken == nil {
		return p
	}
	segs := strings.Split(p, "/")
	changed := false
	for i, s := range segs {
		if s != "" && looksLikeToken(s, isToken) {
			segs[i] = redacted
			changed = true
		}
	}
	if !changed {
		return p
	}
	return strings.Join(segs, "/")
}

func truncateText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return quoteForMessage(s[:max]) // cuts on a rune boundary and marks the cut
}

// panicText is how a panic value is reported: the request's own token and anything shaped like a token
// replaced.
func panicText(r *http.Request, v any) string {
	text := fmt.Sprint(v)
	if secret, _, ok := bearerToken(r.Header); ok {
		text = strings.ReplaceAll(text, secret, secrets.Placeholder)
	}
	return secrets.Redact(text)
}
