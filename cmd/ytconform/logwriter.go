package main

import (
	"io"
	"sync"
	"time"
)

// accessLogDelay is how long a line of `ytconform mock`'s access log may wait before it is written.
const accessLogDelay = 10 * time.Millisecond

// delayedWriter collects what it is given and passes it on to w at most delay later, in one write, and
// at Close. `ytconform mock` writes its access log through one: the mock hands a line over whenever no
// request is in flight, which on a loaded mock is most requests, and a write call per line cost about a
// tenth of the mock's throughput (bench/load.sh). A line still reaches the terminal or the file within
// delay, far below what a person watching notices.
type delayedWriter struct {
	mu      sync.Mutex
	w       io.Writer
	delay   time.Duration
	buf     []byte
	timer   *time.Timer
	pending bool // the timer is armed
	closed  bool
}

// maxDelayed is how much may wait at most; more is written at once.
const maxDelayed = 64 << 10

func newDelayedWriter(w io.Writer, delay time.Duration) *delayedWriter {
	return &delayedWriter{w: w, delay: delay}
}

// Write keeps p for later. It never fails: an error of the underlying writer is not reported, as an
// unwritable log must not stop the mock.
func (d *delayedWriter) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		d.w.Write(p)
		return len(p), nil
	}
	d.buf = append(d.buf, p...)
	if len(d.buf) >= maxDelayed {
		d.flushLocked()
		return len(p), nil
	}
	if !d.pending {
		d.pending = true
		if d.timer == nil {
			d.timer = time.AfterFunc(d.delay, d.flush)
		} else {
			d.timer.Reset(d.delay)
		}
	}
	return len(p), nil
}

func (d *delayedWriter) flush() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pending = false
	d.flushLocked()
}

func (d *delayedWriter) flushLocked() {
	if len(d.buf) > 0 {
		d.w.Write(d.buf)
		d.buf = d.buf[:0]
	}
}

// Close writes what is waiting; later writes go straight through.
func (d *delayedWriter) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
	d.pending, d.closed = false, true
	d.flushLocked()
	return nil
}
