package mockserver

import (
	"log"
	"net/http"
)

// recoverPanics answers a handler's panic with a YouTrack 500 (in the API family's own shape) instead of
// net/http's reset connection and a stack trace on stderr. No handler is meant to panic; this is the last
// line of defence, so that a bug costs one request and not a client's confidence.
//
// It prints one line naming the method, path and panic value to the access log (or, without one, to the
// standard logger, where net/http itself would have printed). It never prints the request's headers or
// query, and scrubs anything shaped like a token from the value: a panic must not leak a secret.
//
// When the answer had already started, a second status line cannot be sent: the connection is aborted.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler { //nolint:errorlint // net/http compares it the same way
				panic(v)
			}
			s.reportPanic(r, v)
			if rec := recordOf(w); rec == nil || rec.started() {
				panic(http.ErrAbortHandler) // net/http closes the connection quietly
			}
			clear(w.Header())
			answerError(w, r, errInternal)
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *server) reportPanic(r *http.Request, v any) {
	line := []byte("panic serving ")
	line = appendPrintable(line, r.Method, 16)
	line = append(line, ' ')
	line = appendPrintable(line, r.URL.Path, 200)
	line = append(line, ": "...)
	line = appendPrintable(line, panicText(r, v), 300)
	line = append(line, '\n')
	if s.log == nil {
		log.Print(string(line))
		return
	}
	s.log.writeNow(line)
}
