package mockserver

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The headers of both documented YouTrack exchanges: the 2017.2 help page "Log in to YouTrack" and the
// 2018 REST samples. The slices are shared by every
// response and assigned straight into the header map: net/http never mutates them, and this keeps the
// hot path free of canonicalisation and allocation.
var (
	cacheControlValue   = []string{"no-cache, no-store, no-transform, must-revalidate"}
	serverValue         = []string{"YouTrack"}
	varyValue           = []string{"Accept-Encoding, User-Agent"}
	noSniffValue        = []string{"nosniff"}
	frameOptionsValue   = []string{"SAMEORIGIN"}
	xssProtectionValue  = []string{"1; mode=block"}
	gzipValue           = []string{"gzip"}
	wwwAuthenticateBody = []string{`Bearer realm="YouTrack"`}

	// /api and the Hub API (2018 sample) write utf-8; the legacy API (2017 sample) writes UTF-8.
	jsonType       = []string{"application/json;charset=utf-8"}
	legacyJSONType = []string{"application/json;charset=UTF-8"}
	legacyXMLType  = []string{"application/xml;charset=UTF-8"}
)

func setCommonHeaders(h http.Header, contentType []string) {
	h["Cache-Control"] = cacheControlValue
	h["Content-Type"] = contentType
	h["Server"] = serverValue
	h["Vary"] = varyValue
	h["X-Content-Type-Options"] = noSniffValue
	h["X-Frame-Options"] = frameOptionsValue
	h["X-Xss-Protection"] = xssProtectionValue
}

// bodyPool recycles the buffers every answer is built in before it is written in one piece.
var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func getBody() *[]byte { return bodyPool.Get().(*[]byte) }

func putBody(b *[]byte) {
	if cap(*b) > 1<<20 { // a huge listing should not pin its buffer forever
		return
	}
	*b = (*b)[:0]
	bodyPool.Put(b)
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// sendJSON writes a 200 answer whose JSON build appends to a pooled buffer.
func sendJSON(w http.ResponseWriter, r *http.Request, build func(b []byte) []byte) {
	body := getBody()
	*body = build(*body)
	send(w, r, http.StatusOK, jsonType, *body)
	putBody(body)
}

// send writes a complete answer: the common headers, Content-Length, and a gzip body when the client
// accepts one. Every header is set before WriteHeader.
func send(w http.ResponseWriter, r *http.Request, status int, contentType []string, body []byte) {
	h := w.Header()
	setCommonHeaders(h, contentType)
	if len(body) > 0 && acceptsGzip(r.Header["Accept-Encoding"]) {
		zipped := getBody()
		defer putBody(zipped)
		zw := gzipPool.Get().(*gzip.Writer)
		buf := &appendWriter{b: *zipped}
		zw.Reset(buf)
		zw.Write(body)
		zw.Close()
		gzipPool.Put(zw)
		*zipped = buf.b
		h["Content-Encoding"] = gzipValue
		body = buf.b
	}
	h["Content-Length"] = contentLength(len(body))
	w.WriteHeader(status)
	w.Write(body)
}

// sendEmpty answers status with the common headers and no body, hence no Content-Type: a client that
// parses every JSON answer (npm youtrack-client's fetch transport) must not be handed an empty one.
func sendEmpty(w http.ResponseWriter, status int) {
	h := w.Header()
	setCommonHeaders(h, jsonType)
	delete(h, "Content-Type")
	w.WriteHeader(status)
}

// contentLengths holds the Content-Length values of bodies shorter than 4 KiB, so that most answers
// set the header without allocating. Each is a one-element slice with no spare capacity: an Add by a
// wrapping handler copies it instead of writing into the shared array.
var contentLengths = func() [][]string {
	const n = 4096
	values := make([]string, n)
	table := make([][]string, n)
	var digits []byte
	for i := range n {
		digits = strconv.AppendInt(digits, int64(i), 10)
	}
	all := string(digits)
	for i, at := 0, 0; i < n; i++ {
		width := len(strconv.Itoa(i))
		values[i] = all[at : at+width]
		at += width
		table[i] = values[i : i+1 : i+1]
	}
	return table
}()

func contentLength(n int) []string {
	if n < len(contentLengths) {
		return contentLengths[n]
	}
	return []string{strconv.Itoa(n)}
}

type appendWriter struct{ b []byte }

func (a *appendWriter) Write(p []byte) (int, error) { a.b = append(a.b, p...); return len(p), nil }

// acceptsGzip reads Accept-Encoding the way browsers and HTTP clients send it: a list of codings,
// each with an optional q-value, where q=0 refuses.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.TrimSpace(coding)
			if !strings.EqualFold(coding, "gzip") && coding != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
				return false
			}
			return true
		}
	}
	return false
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
