package mockserver

import (
	"fmt"
	"log"
	"net/http"
	"strings"
)

// recoverPanics answers a handler's panic with a YouTrack 500 (in the API family's own shape) instead of
// net/http's reset connection and a stack trace on stderr. No handler is meant to panic; this is the last
// line of defence, so that a bug costs one request and not a client's confidence.
//
// It prints one line naming the method, path and panic value to the access log (or, without one, to the
// standard logger, where net/http itself would have printed). It never prints the request's headers or
// query, and scrubs anything shaped like a token from the value: a panic must not leak a secret.
//
// It allocates nothing on the normal path. Whether an answer was already started is read from the header
// map: send sets Content-Length just before WriteHeader, and every answer goes through send. A panic after
// that point aborts the connection, because a second status line cannot be sent.
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
			h := w.Header()
			if h["Content-Length"] != nil {
				panic(http.ErrAbortHandler) // the answer has begun; net/http closes the connection quietly
			}
			clear(h)
			writeError(w, r, http.StatusInternalServerError, "The mock failed to answer this request; this is a bug in ytconform")
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *server) reportPanic(r *http.Request, v any) {
	value := fmt.Sprint(v)
	if secret, _, ok := bearerToken(r.Header); ok {
		value = strings.ReplaceAll(value, secret, "<token>")
	}
	value = redactTokens(value)
	line := []byte("panic serving ")
	line = appendPrintable(line, r.Method, 16)
	line = append(line, ' ')
	line = appendPrintable(line, r.URL.Path, 200)
	line = append(line, ": "...)
	line = appendPrintable(line, value, 300)
	line = append(line, '\n')
	if s.log == nil {
		log.Print(string(line))
		return
	}
	s.log.mu.Lock()
	s.log.out.Write(line)
	s.log.out.Flush()
	s.log.mu.Unlock()
}
