package mockserver_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/mockserver/mocktest"
)

const watchedFixtures = `users:
  - {login: root, admin: true}
tokens:
  - {token: "perm-cm9vdA==.dw==.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", user: root}
projects:
  - {name: Alpha, shortName: A}
`

// watchReports collects what a FixtureWatcher reports.
type watchReports struct {
	mu      sync.Mutex
	loaded  int
	errs    []string
	changed chan struct{}
}

func (w *watchReports) report(f *mockserver.Fixtures, err error) {
	w.mu.Lock()
	if err != nil {
		w.errs = append(w.errs, err.Error())
	} else {
		w.loaded++
	}
	w.mu.Unlock()
	w.changed <- struct{}{}
}

func TestWatchReloadsValidEditsAndKeepsDataOnInvalidOnes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixtures.yaml")
	require.NoError(t, os.WriteFile(path, []byte(watchedFixtures), 0o600))
	f, err := mockserver.LoadFixtures(path)
	require.NoError(t, err)
	ts := mocktest.NewTestServer(t, mocktest.WithFixtures(f))
	reports := &watchReports{changed: make(chan struct{}, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := &mockserver.FixtureWatcher{Path: path, Store: ts.Store, Interval: 10 * time.Millisecond, Report: reports.report}
	require.NoError(t, w.Start(ctx))

	shortNames := func() string {
		got := request(t, ts.URL, "GET", "/api/admin/projects?fields=id,shortName&$top=-1", "", bearer(ts.AdminToken))
		return got.body
	}
	edit := func(content string) {
		t.Helper()
		// Saved as editors do, to a temporary file renamed over the old one, so that the watcher never
		// sees a half-written file.
		require.NoError(t, os.WriteFile(path+".tmp", []byte(content), 0o600))
		require.NoError(t, os.Rename(path+".tmp", path))
		select {
		case <-reports.changed:
		case <-time.After(5 * time.Second):
			t.Fatal("the watcher did not notice the edit")
		}
	}

	edit(watchedFixtures + "  - {name: Beta, shortName: B}\n")
	assert.Contains(t, shortNames(), `"B"`, "a valid edit is served")

	edit(watchedFixtures + "  - {name: Gamma, shortName: G, leader: nobody}\n")
	assert.Contains(t, shortNames(), `"B"`, "an invalid edit keeps the old data")
	assert.NotContains(t, shortNames(), `"G"`)
	reports.mu.Lock()
	require.Len(t, reports.errs, 1)
	assert.True(t, strings.HasPrefix(reports.errs[0], path+":7: projects[1].leader: unknown user"), reports.errs[0])
	assert.Contains(t, reports.errs[0], "still serving the data loaded before")
	reports.mu.Unlock()

	edit(watchedFixtures)
	assert.NotContains(t, shortNames(), `"B"`, "the next valid edit is served again")

	require.NoError(t, os.Remove(path))
	select {
	case <-reports.changed:
	case <-time.After(5 * time.Second):
		t.Fatal("the watcher did not report the missing file")
	}
	reports.mu.Lock()
	assert.Contains(t, reports.errs[len(reports.errs)-1], "no such file")
	reports.mu.Unlock()
	assert.Contains(t, shortNames(), `"A"`, "a missing file keeps the old data")
	edit(watchedFixtures + "  - {name: Delta, shortName: D}\n")
	assert.Contains(t, shortNames(), `"D"`, "the file is served again once it is back")
}
