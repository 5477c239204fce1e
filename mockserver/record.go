package mockserver

import (
	"net/http"
	"sync"
	"time"
)

// recorder is the one record of a request in flight: the status answered, the login it ran as, and so
// whether the answer has started. It wraps the ResponseWriter outermost, so that every layer inside finds
// it with recordOf, as http.ResponseController finds the connection through Unwrap.
type recorder struct {
	http.ResponseWriter
	status int    // 0 until the answer starts; statusDropped when a fault dropped the connection
	login  string // "" until a user is identified
}

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// started reports whether a status line has gone out: after that, no other answer can be sent.
func (rec *recorder) started() bool { return rec.status != 0 }

// recordOf finds the request's recorder under any wrappers that unwrap; nil outside the mock's handler.
func recordOf(w http.ResponseWriter) *recorder {
	for {
		switch v := w.(type) {
		case *recorder:
			return v
		case interface{ Unwrap() http.ResponseWriter }:
			w = v.Unwrap()
		default:
			return nil
		}
	}
}

// noteLogin tells the access log and the journal who the request ran as. It is the only identity they
// ever show.
func noteLogin(w http.ResponseWriter, login string) {
	if rec := recordOf(w); rec != nil {
		rec.login = login
	}
}

// recorders are reused: a recorder is the only object the mock allocates per request otherwise.
var recorders = sync.Pool{New: func() any { return new(recorder) }}

// recordRequests runs next with a recorder and, when the access log or the journal is on, hands them each
// finished request.
func (s *server) recordRequests(next http.Handler) http.Handler {
	observed := s.log != nil || s.journal != nil
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorders.Get().(*recorder)
		rec.ResponseWriter = w
		var start time.Time
		if observed {
			start = s.opts.Now()
		}
		defer func() {
			if observed {
				took := s.opts.Now().Sub(start)
				if s.log != nil {
					s.log.write(start, took, r, rec)
				}
				if s.journal != nil {
					s.journal.add(start, took, r, rec)
				}
			}
			*rec = recorder{}
			recorders.Put(rec)
		}()
		next.ServeHTTP(rec, r)
	})
}

// statusOr200 is the status a finished request is reported with: a handler that wrote nothing answered 200.
func (rec *recorder) statusOr200() int {
	if rec.status == 0 {
		return http.StatusOK
	}
	return rec.status
}
