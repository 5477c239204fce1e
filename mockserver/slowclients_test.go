package mockserver_test

import (
	"io"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// stall opens n connections that each send the start of a request and then nothing more.
func stall(t *testing.T, addr string, n int, partial string) {
	t.Helper()
	for range n {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		_, err = io.WriteString(c, partial)
		require.NoError(t, err)
	}
}

func TestSlowClientsDoNotDelayOthers(t *testing.T) {
	srv := productionServer(t)
	addr := srv.Listener.Addr().String()

	// 200 connections stop halfway through their headers (slowloris); 50 more send whole headers of a POST
	// and stop halfway through its body.
	stall(t, addr, 200, "GET /api/admin/projects?fields=id HTTP/1.1\r\nHost: mock\r\nAuthorization: Bearer perm:cm9v")
	stall(t, addr, 50, "POST /api/admin/projects HTTP/1.1\r\nHost: mock\r\n"+rootAuth+"\r\nContent-Length: 100\r\n\r\n{\"name\":")
	time.Sleep(100 * time.Millisecond) // let the server accept them all

	var slowest time.Duration
	for range 10 {
		start := time.Now()
		got := request(t, srv.URL, "GET", "/api/admin/projects?fields=shortName", "", bearer(rootToken))
		took := time.Since(start)
		require.Equal(t, 200, got.status)
		slowest = max(slowest, took)
	}
	t.Logf("slowest of 10 normal requests beside 250 stalled connections: %s", slowest)
	assert.Less(t, slowest, time.Second)
}

func TestStalledConnectionsAreReclaimed(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(mockserver.New(store, mockserver.Options{}))
	srv.Config.ReadHeaderTimeout = 200 * time.Millisecond // the `--read-header-timeout` flag, shortened
	srv.Start()
	t.Cleanup(srv.Close)

	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = io.WriteString(c, "GET /api/config HTTP/1.1\r\nHost: mo")
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	start := time.Now()
	_, err = io.ReadAll(c) // returns when the server hangs up
	require.NoError(t, err, "the server closes the connection; the read must not time out")
	assert.Less(t, time.Since(start), 2*time.Second)
}
