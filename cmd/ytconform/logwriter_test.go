package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDelayedWriterPassesEverythingOnInOrder(t *testing.T) {
	var out syncBuffer
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
	var out syncBuffer
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
