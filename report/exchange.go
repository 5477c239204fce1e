package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// BodyLimit is the most bytes of a body that a report shows: 4 KiB. Every writer renders exchanges with
// Transcript(BodyLimit), so that a listing of ten thousand projects cannot bury the failure it explains.
const BodyLimit = 4096

// Title names an exchange on one line: "GET http://127.0.0.1:8080/api/users/me -> 200", or
// "GET http://127.0.0.1:8080/api/users/me -> no answer" when none came.
func (e *Exchange) Title() string {
	status := "no answer"
	if e.Status != 0 {
		status = fmt.Sprint(e.Status)
	}
	return OneLine(e.Method + " " + e.URL + " -> " + status)
}

// Transcript renders the exchange the way an HTTP client's log shows one. Every report shows exchanges
// this way, and only this way:
//
//	# as the admin
//	GET http://127.0.0.1:8080/api/admin/projects?fields=id
//	Accept: application/json
//	Authorization: Bearer <token>
//
//	HTTP 200
//	Content-Type: application/json;charset=UTF-8
//
//	[{"id":"0-0"}, ...]
//	… (5120 more bytes)
//
// A request body, when there is one, follows the request headers and a blank line. Each body is cut to
// at most limit bytes (never inside a UTF-8 character), followed by a line saying how many bytes were
// left out; limit ≤ 0 shows bodies whole. With no answer, "# no answer: why" stands in for the answer;
// an answer that came but was unusable ends with "# why". The result is valid UTF-8 with no control
// character but tab, newline and carriage return.
func (e *Exchange) Transcript(limit int) string {
	var b strings.Builder
	if e.Role != "" {
		fmt.Fprintf(&b, "# as %s\n", e.Role)
	}
	fmt.Fprintf(&b, "%s %s\n", e.Method, e.URL)
	writeHeaders(&b, e.RequestHeaders)
	if e.RequestBody != "" {
		b.WriteString("\n")
		writeBody(&b, e.RequestBody, limit, 0)
	}
	b.WriteString("\n")
	if e.Status == 0 {
		why := e.Error
		if why == "" {
			why = "nothing recorded"
		}
		fmt.Fprintf(&b, "# no answer: %s\n", why)
		return printable(b.String())
	}
	fmt.Fprintf(&b, "HTTP %d\n", e.Status)
	writeHeaders(&b, e.ResponseHeaders)
	if e.Body != "" {
		b.WriteString("\n")
		writeBody(&b, e.Body, limit, e.BodyOmitted)
	}
	if e.Error != "" {
		fmt.Fprintf(&b, "# %s\n", e.Error)
	}
	return printable(b.String())
}

func writeHeaders(b *strings.Builder, headers []Header) {
	for _, h := range headers {
		fmt.Fprintf(b, "%s: %s\n", h.Name, h.Value)
	}
}

// writeBody writes body, cut to limit bytes, and ends it with a newline; omitted is how many bytes of it
// were not kept in the first place.
func writeBody(b *strings.Builder, body string, limit, omitted int) {
	shown := body
	if limit > 0 && len(body) > limit {
		cut := limit
		// Back off to the start of the character the limit falls in: half a character would show as
		// a replacement mark that the server never sent.
		for cut > 0 && !utf8.RuneStart(body[cut]) && limit-cut < utf8.UTFMax-1 {
			cut--
		}
		shown = body[:cut]
	}
	b.WriteString(shown)
	if !strings.HasSuffix(shown, "\n") {
		b.WriteString("\n")
	}
	if more := len(body) - len(shown) + omitted; more > 0 {
		fmt.Fprintf(b, "… (%d more bytes)\n", more)
	}
}
