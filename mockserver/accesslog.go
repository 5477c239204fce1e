package mockserver

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// accessLog writes one line per request. Lines are buffered and flushed whenever no request is in
// flight, so an idle mock shows each line at once and a loaded one does not pay a write call per request.
type accessLog struct {
	mu       sync.Mutex
	out      *bufio.Writer
	inFlight atomic.Int64
	// The time stamp up to the second, "2006-01-02T15:04:05.", formatted once a second. Guarded by mu.
	stamp    []byte
	stampSec int64
}

func newAccessLog(w io.Writer) *accessLog { return &accessLog{out: bufio.NewWriterSize(w, 32<<10)} }

// recorder remembers what the access log and the journal report about a request.
type recorder struct {
	http.ResponseWriter
	status int
	login  string
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

// noteLogin tells the access log who the request ran as. It is the only identity the log ever shows.
func noteLogin(w http.ResponseWriter, login string) {
	if rec, ok := w.(*recorder); ok {
		rec.login = login
	}
}

func (l *accessLog) middleware(next http.Handler, now func() time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		l.inFlight.Add(1)
		rec := &recorder{ResponseWriter: w}
		defer func() {
			l.write(start, now().Sub(start), r, rec)
		}()
		next.ServeHTTP(rec, r)
	})
}

// maxLineLength bounds one line: every field is cut to a fixed length (appendPrintable).
const maxLineLength = 512

// write appends the line for one request. It is built in place, in the buffer of the bufio.Writer,
// under the lock it needs anyway: no allocation and no copy per request.
func (l *accessLog) write(start time.Time, took time.Duration, r *http.Request, rec *recorder) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	l.mu.Lock()
	if l.out.Available() < maxLineLength {
		l.out.Flush()
	}
	b := l.appendStamp(l.out.AvailableBuffer(), start)
	b = append(b, ' ')
	b = appendPrintable(b, r.Method, 16)
	b = append(b, ' ')
	b = appendLogPath(b, r.URL.Path)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = appendMillis(b, took)
	b = append(b, "ms "...)
	if rec.login == "" {
		b = append(b, '-')
	} else {
		b = appendPrintable(b, rec.login, 64)
	}
	b = append(b, '\n')
	l.out.Write(b)
	if l.inFlight.Add(-1) == 0 {
		l.out.Flush()
	}
	l.mu.Unlock()
}

// appendStamp appends t in UTC as 2006-01-02T15:04:05.000Z. The part up to the second is formatted
// once a second; time.Format per request was the largest cost of the line. l.mu must be held.
func (l *accessLog) appendStamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	if sec := t.Unix(); sec != l.stampSec || l.stamp == nil {
		l.stamp = t.AppendFormat(l.stamp[:0], "2006-01-02T15:04:05.")
		l.stampSec = sec
	}
	b = append(b, l.stamp...)
	ms := t.Nanosecond() / int(time.Millisecond)
	return append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// appendMillis appends d in milliseconds with two decimals, rounded half up: 1.50 for 1.495ms.
func appendMillis(b []byte, d time.Duration) []byte {
	hundredths := (max(d, 0).Microseconds() + 5) / 10
	b = strconv.AppendInt(b, hundredths/100, 10)
	return append(b, '.', byte('0'+hundredths/10%10), byte('0'+hundredths%10))
}

// appendPrintable copies at most max bytes of s, replacing control characters so that a request
// cannot forge log lines.
func appendPrintable(b []byte, s string, max int) []byte {
	if len(s) > max {
		s = s[:max]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			c = '?'
		}
		b = append(b, c)
	}
	return b
}
