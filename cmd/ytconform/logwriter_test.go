package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// lockedBuffer is a bytes.Buffer the timer's goroutine may write while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestDelayedWriterPassesEverythingOnInOrder(t *testing.T) {
	var out lockedBuffer
	d := newDelayedWriter(&out, 5*time.Millisecond)
	d.Write([]byte("one\n"))
	d.Write([]byte("two\n"))
	assert.Empty(t, out.String(), "nothing is written at once")
	assert.Eventually(t, func() bool { return out.String() == "one\ntwo\n" }, time.Second, time.Millisecond,
		"the lines arrive within the delay, in one piece")

	d.Write([]byte("three\n"))
	d.Close()
	assert.Equal(t, "one\ntwo\nthree\n", out.String(), "Close writes what waits")
	d.Write([]byte("four\n"))
	assert.Equal(t, "one\ntwo\nthree\nfour\n", out.String(), "after Close, writes go straight through")
}

func TestDelayedWriterWritesAtOnceWhenMuchWaits(t *testing.T) {
	var out lockedBuffer
	d := newDelayedWriter(&out, time.Hour)
	defer d.Close()
	line := strings.Repeat("x", 99) + "\n"
	for range maxDelayed / len(line) {
		d.Write([]byte(line))
	}
	assert.Empty(t, out.String())
	d.Write([]byte(line))
	assert.Len(t, out.String(), (maxDelayed/len(line)+1)*len(line))
}
