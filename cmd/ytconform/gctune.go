package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// serveGC sizes the garbage collector for serving, once start-up is over, and returns a function that
// puts the previous settings back. net/http allocates a few kilobytes per request whatever the handler
// does; with the default GOGC=100 and the default store's heap of a megabyte or two, the collector ran
// some twenty times a second under load and cost about 8% of the CPU per request (bench/load.sh). The
// heap may now grow to five times what is live (GOGC=400), within a memory limit of the live heap plus
// 64 MiB, so that a large store (--synthetic-projects 100000: 45 MiB live) does not grow fivefold.
// GOGC or GOMEMLIMIT in the environment win.
func serveGC() (restore func()) {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if gogc || limit {
		return func() {}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // after a collection, HeapAlloc is what is live
	oldPercent := debug.SetGCPercent(400)
	oldLimit := debug.SetMemoryLimit(int64(ms.HeapAlloc) + 64<<20)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}
