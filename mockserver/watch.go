package mockserver

import (
	"context"
	"fmt"
	"os"
	"time"
)

// DefaultWatchInterval is how often a FixtureWatcher looks at its file.
const DefaultWatchInterval = 500 * time.Millisecond

// FixtureWatcher reloads a fixture file into a store whenever the file's modification time or size
// changes. It polls, which works on every file system and needs no dependency. An invalid edit never
// replaces valid data: the store keeps what it served, and Report is told why, naming the file, the
// line and the reason ("fixtures.yaml:14: projects[1].leader: unknown user \"rooot\"").
type FixtureWatcher struct {
	Path     string
	Store    *Store
	Interval time.Duration // DefaultWatchInterval when 0
	// Prepare, if set, changes each freshly loaded file before it is served (the CLI adds its
	// synthetic projects here).
	Prepare func(*Fixtures)
	// Report is called after each reload with the fixtures now served, or with the error that made
	// the store keep its data. A missing file (an editor saving by rename) is reported once, then
	// waited for. Report runs on the watcher's goroutine.
	Report func(*Fixtures, error)
}

// Start looks at the file now, then watches it on its own goroutine until ctx is done. It fails only
// if the file cannot be read now.
func (w *FixtureWatcher) Start(ctx context.Context) error {
	last, err := os.Stat(w.Path) // now, so that an edit made as soon as Start returns is seen
	if err != nil {
		return fmt.Errorf("watch fixtures: %w", err)
	}
	interval := w.Interval
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	go w.watch(ctx, interval, last)
	return nil
}

func (w *FixtureWatcher) watch(ctx context.Context, interval time.Duration, last os.FileInfo) {
	var lastErr error
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		info, err := os.Stat(w.Path)
		if err != nil {
			if lastErr == nil || lastErr.Error() != err.Error() { // once per new problem, not every poll
				w.report(nil, fmt.Errorf("watch fixtures: %w; still serving the data loaded before", err))
			}
			last, lastErr = nil, err
			continue
		}
		if last != nil && info.ModTime().Equal(last.ModTime()) && info.Size() == last.Size() {
			continue
		}
		// Let a save in progress finish: read the file once it has stayed the same for a moment.
		settle := min(interval/2, 100*time.Millisecond)
		for {
			time.Sleep(settle)
			again, err := os.Stat(w.Path)
			if err != nil || again.ModTime().Equal(info.ModTime()) && again.Size() == info.Size() {
				break
			}
			info = again
		}
		last, lastErr = info, nil
		f, err := LoadFixtures(w.Path)
		if err == nil {
			if w.Prepare != nil {
				w.Prepare(f)
			}
			err = w.Store.Replace(f)
		}
		if err != nil {
			w.report(nil, fmt.Errorf("%w; still serving the data loaded before", err))
			continue
		}
		w.report(f, nil)
	}
}

func (w *FixtureWatcher) report(f *Fixtures, err error) {
	if w.Report != nil {
		w.Report(f, err)
	}
}
