package mockserver

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// AccessLogDelay is how long a line of the access log may wait before it is written. Lines are collected
// and written together, at most once per AccessLogDelay and at once past 64 KiB: a write call per request
// cost about a tenth of the mock's throughput under load (bench/load.sh), and 10 ms is below what a person
// watching the log notices. Serve writes what is waiting when it stops.
const AccessLogDelay = 10 * time.Millisecond

// maxPendingLog is how much of the log may wait; more is written at once.
const maxPendingLog = 64 << 10

// accessLog writes one line per request: time, method, path, status, duration in milliseconds and the
// login the request ran as. Never a token: the path is redacted and no header or query is shown.
type accessLog struct {
	mu      sync.Mutex
	out     io.Writer
	buf     []byte
	timer   *time.Timer
	pending bool // the timer is armed
	// The time stamp up to the second, "2006-01-02T15:04:05.", formatted once a second. Guarded by mu.
	stamp    []byte
	stampSec int64
}

func newAccessLog(w io.Writer) *accessLog { return &accessLog{out: w} }

// write appends the line for one finished request. It is built in place in the pending buffer, under the
// lock it needs anyway: no allocation and no copy per request.
func (l *accessLog) write(start time.Time, took time.Duration, r *http.Request, rec *recorder) {
	l.mu.Lock()
	b := l.appendStamp(l.buf, start)
	b = append(b, ' ')
	b = appendPrintable(b, r.Method, 16)
	b = append(b, ' ')
	b = appendLogPath(b, r.URL.Path)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(rec.statusOr200()), 10)
	b = append(b, ' ')
	b = appendMillis(b, took)
	b = append(b, "ms "...)
	if rec.login == "" {
		b = append(b, '-')
	} else {
		b = appendPrintable(b, rec.login, 64)
	}
	l.buf = append(b, '\n')
	l.scheduleLocked()
	l.mu.Unlock()
}

// writeNow writes line and everything waiting at once: for a panic report, which must not wait.
func (l *accessLog) writeNow(line []byte) {
	l.mu.Lock()
	l.buf = append(l.buf, line...)
	l.flushLocked()
	l.mu.Unlock()
}

func (l *accessLog) scheduleLocked() {
	switch {
	case len(l.buf) >= maxPendingLog:
		l.flushLocked()
	case !l.pending:
		l.pending = true
		if l.timer == nil {
			l.timer = time.AfterFunc(AccessLogDelay, l.flush)
		} else {
			l.timer.Reset(AccessLogDelay)
		}
	}
}

// flush writes what is waiting. An error of the writer is not reported: an unwritable log must not stop
// the mock.
func (l *accessLog) flush() {
	l.mu.Lock()
	l.pending = false
	l.flushLocked()
	l.mu.Unlock()
}

func (l *accessLog) flushLocked() {
	if len(l.buf) > 0 {
		l.out.Write(l.buf)
		l.buf = l.buf[:0]
		if cap(l.buf) > 4*maxPendingLog { // a burst of long lines should not pin its buffer
			l.buf = nil
		}
	}
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
