package mockserver

import (
	"regexp"
	"strings"
)

// tokenShape matches permanent tokens of both documented shapes, perm:… and perm-…, with whatever token
// characters follow.
var tokenShape = regexp.MustCompile(`perm[:-][A-Za-z0-9+/=_~.:-]*`)

// redactTokens replaces anything shaped like a token with "<token>". The mock applies it to the client
// input it prints or echoes (the access log's path, error descriptions, panic values), so that a token
// a client misplaces into a path or a body does not come back out. Text without "perm:" or "perm-" is
// returned as it is, at the cost of two substring searches.
func redactTokens(s string) string {
	if !strings.Contains(s, "perm:") && !strings.Contains(s, "perm-") {
		return s
	}
	return tokenShape.ReplaceAllString(s, "<token>")
}

// appendLogPath appends a request's path as the access log shows it: tokens redacted, control
// characters replaced, at most 200 bytes.
func appendLogPath(b []byte, path string) []byte {
	return appendPrintable(b, redactTokens(path), 200)
}
