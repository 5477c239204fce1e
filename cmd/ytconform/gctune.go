package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// gcPlan sizes the garbage collector for the two phases of `ytconform mock`. GOGC or GOMEMLIMIT in the
// environment win: then it only returns start-up garbage to the OS.
//
// Start-up allocates mostly garbage (with --synthetic-projects 100000, the target file's YAML alone
// allocates some 225 MB), and collecting it as it went took longer than building the store: until
// serving starts, the collector runs only past 512 MiB.
//
// Serving: net/http allocates a few kilobytes per request whatever the handler does; with GOGC=100 and
// the default store's heap of a megabyte or two, the collector ran some twenty times a second under load
// and cost about 8% of the CPU per request (bench/load.sh). The heap may grow to five times what is live
// (GOGC=400), within a memory limit of the live heap plus 64 MiB, so that a large store (45 MiB live for
// 100,000 projects) does not grow fivefold.
type gcPlan struct {
	tuned   bool
	percent int   // the settings to restore
	limit   int64 // ...
}

func startupGC() *gcPlan {
	_, gogc := os.LookupEnv("GOGC")
	_, limit := os.LookupEnv("GOMEMLIMIT")
	if gogc || limit {
		return &gcPlan{}
	}
	return &gcPlan{tuned: true, percent: debug.SetGCPercent(-1), limit: debug.SetMemoryLimit(512 << 20)}
}

// serve ends start-up: the garbage is collected and returned to the OS, and the collector is sized for
// serving.
func (p *gcPlan) serve() {
	debug.FreeOSMemory()
	if !p.tuned {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms) // after a collection, HeapAlloc is what is live
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(int64(ms.HeapAlloc) + 64<<20)
}

// restore puts the settings the process had back.
func (p *gcPlan) restore() {
	if p.tuned {
		debug.SetGCPercent(p.percent)
		debug.SetMemoryLimit(p.limit)
	}
}
