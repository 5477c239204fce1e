// Package secrets holds the project's one rule for recognising a YouTrack permanent token in text, so that
// the mock's logs and errors and the suite's reports redact the same things.
package secrets

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Placeholder is what a redacted token is replaced with.
const Placeholder = "<token>"

// TokenShape matches permanent tokens of both shapes YouTrack issues — perm:BASE64.BASE64.SECRET (documented)
// and perm-BASE64.BASE64.SECRET (servers since about 2025) — with whatever token characters follow, so that a
// truncated or edited token is caught too; also with the ":" or "-" percent-encoded (perm%3A…, as in a URL)
// or JSON-escaped (perm\u003a…), and percent escapes inside. (A backslash ends it: in JSON text, "perm:\""
// is the word before a quote.)
var TokenShape = regexp.MustCompile(`perm(?:[:-]|%3[aA]|%2[dD]|\\u003[aA]|\\u002[dD])[A-Za-z0-9+/=_~.:%-]*`)

// Redact replaces anything shaped like a token with Placeholder. Text without "perm" followed by one of
// ":", "-", "%" or "\" is returned as it is, after a few substring searches: the mock calls it on its
// request path.
func Redact(s string) string {
	if !strings.Contains(s, "perm:") && !strings.Contains(s, "perm-") && !strings.Contains(s, "perm%") &&
		!strings.Contains(s, `perm\`) {
		return s
	}
	return TokenShape.ReplaceAllString(s, Placeholder)
}

// MinLength is the shortest secret a Redactor replaces where it stands: a real token is about 60 characters,
// and replacing a one-letter "token" in every word would wreck the text and point at the secret.
const MinLength = 8

// Redactor removes known secrets from text, in the forms a server may echo them in, and anything shaped
// like a token. The zero value knows no secret. It is not safe for concurrent use.
type Redactor struct {
	known []string // every form of every secret, longest first
}

// Add makes the redactor know values, each as written, percent-encoded (as in a query or a path),
// JSON-escaped (with "/" as "\/" too), and, for a token of YouTrack's shape, its last segment, the random
// part, which no such encoding changes. Values shorter than MinLength are left to the shape rule.
func (r *Redactor) Add(values ...string) {
	for _, v := range values {
		if len(v) < MinLength {
			continue
		}
		for _, form := range forms(v) {
			if len(form) >= MinLength && !slices.Contains(r.known, form) {
				r.known = append(r.known, form)
			}
		}
	}
	// Longest first: a truncated token is a prefix of the real one and must not leave its tail behind.
	slices.SortStableFunc(r.known, func(a, b string) int { return len(b) - len(a) })
}

// forms are the ways text may carry secret.
func forms(secret string) []string {
	out := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	for _, escapeHTML := range []bool{true, false} { // encoding/json escapes <, > and & by default; others may not
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(secret) // a string always encodes
		escaped := strings.Trim(strings.TrimSpace(b.String()), `"`)
		out = append(out, escaped, strings.ReplaceAll(escaped, "/", `\/`))
	}
	if TokenShape.MatchString(secret) {
		if i := strings.LastIndexByte(secret, '.'); i >= 0 {
			out = append(out, secret[i+1:])
		}
	}
	return out
}

// Redact returns s without any known secret, in any of its forms, nor anything shaped like a token.
func (r *Redactor) Redact(s string) string {
	for _, secret := range r.known {
		s = strings.ReplaceAll(s, secret, Placeholder)
	}
	return Redact(s)
}
