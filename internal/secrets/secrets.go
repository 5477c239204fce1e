// Package secrets holds the project's one rule for recognising a YouTrack permanent token in text, so that
// the mock's logs and errors and the suite's reports redact the same things.
package secrets

import (
	"regexp"
	"strings"
)

// Placeholder is what a redacted token is replaced with.
const Placeholder = "<token>"

// TokenShape matches permanent tokens of both shapes YouTrack issues — perm:BASE64.BASE64.SECRET (documented)
// and perm-BASE64.BASE64.SECRET (servers since about 2025) — with whatever token characters follow, so that a
// truncated or edited token is caught too.
var TokenShape = regexp.MustCompile(`perm[:-][A-Za-z0-9+/=_~.:-]*`)

// Redact replaces anything shaped like a token with Placeholder. Text without "perm:" or "perm-" is returned
// as it is, at the cost of two substring searches: the mock calls it on its request path.
func Redact(s string) string {
	if !strings.Contains(s, "perm:") && !strings.Contains(s, "perm-") {
		return s
	}
	return TokenShape.ReplaceAllString(s, Placeholder)
}
