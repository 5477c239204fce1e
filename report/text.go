package report

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// printable returns s as text that every report format can carry: valid UTF-8 made only of the characters
// XML 1.0 allows (tab, newline and carriage return, but no other control character). Anything else becomes
// U+FFFD, so that a binary body or a stray byte in a server's answer shows as a mark instead of breaking
// the document around it. strings.Map already turns each invalid byte into U+FFFD.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return utf8.RuneError
	}, s)
}

// xmlChar reports whether XML 1.0 allows r in a document (its production Char).
func xmlChar(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// OneLine folds s onto one line of printable text, for the places readers show a single line: a JUnit
// message, a summary, a terminal (no control character reaches it: a server's ESC or CR shows as a mark
// or a space).
func OneLine(s string) string {
	return strings.Join(strings.Fields(printable(s)), " ")
}

// at is a place in a feature file as editors and CI annotations read it: "features/tokens.feature:12".
func at(uri string, line int) string {
	return uri + ":" + strconv.Itoa(line)
}

// seconds is d in seconds with 3 decimals, JUnit's unit for time: "1.250".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
