package steps_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// TestMisbehavingServersFailScenariosClearly points the suite at servers that hang, drop or reset the
// connection, or answer garbage: each scenario must fail with a reason that says so, and the run must
// end promptly, without a panic.
func TestMisbehavingServersFailScenariosClearly(t *testing.T) {
	// Only the hanging server meets this short timeout; the others answer at once, so a loaded machine
	// (go test -race) cannot turn their failures into timeouts.
	const short, long = 300 * time.Millisecond, 10 * time.Second
	answer := func(text string) func(net.Conn) {
		return func(c net.Conn) {
			readRequest(c)
			io.WriteString(c, text)
		}
	}
	cases := []struct {
		name    string
		serve   func(net.Conn) // handles one connection, which is closed afterwards
		timeout time.Duration
		reason  string
	}{
		{"a server that never answers", func(c net.Conn) {
			readRequest(c)
			time.Sleep(2 * short)
		}, short, "nothing within 300ms"},
		{"a server that closes the connection without answering", func(c net.Conn) {
			readRequest(c)
		}, long, "the server closed the connection before the answer was complete"},
		{"a server that resets the connection", func(c net.Conn) {
			readRequest(c)
			c.(*net.TCPConn).SetLinger(0)
		}, long, "connection reset"},
		{"a server that answers garbage", answer("garbage\r\n\r\n"), long, "malformed HTTP"},
		{"a server that stops in the middle of the body", answer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"id\""),
			long, "the body broke off"},
		{"a server that answers HTML", answer("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>"),
			long, "contract: GET"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			baseURL := serveRaw(t, c.serve)
			f, err := mockserver.DefaultFixtures()
			require.NoError(t, err)
			tgt := target.FromFixtures(f, baseURL)
			suite, err := steps.NewSuite(steps.Config{Target: tgt, Timeout: c.timeout})
			require.NoError(t, err)

			started := time.Now()
			opts := godog.Options{Format: "progress", Output: io.Discard, NoColors: true, Concurrency: 8, Strict: true,
				FS: ytconform.Features, Tags: "@auth"}
			godog.TestSuite{Name: "misbehaving", ScenarioInitializer: suite.InitializeScenario, Options: &opts}.Run()
			require.Less(t, time.Since(started), 30*time.Second, "the run took too long")

			var failed []steps.Result
			for _, r := range suite.Results() {
				require.NotEqual(t, steps.Passed, r.Outcome, "%s passed against %s", r.Scenario, c.name)
				if r.Outcome == steps.Failed {
					failed = append(failed, r)
					require.Contains(t, r.Reason, c.reason, r.Scenario)
				}
			}
			require.NotEmpty(t, failed)
			t.Logf("%d scenarios failed, e.g. %q: %s", len(failed), failed[0].Scenario, failed[0].Reason)
		})
	}
}

// serveRaw accepts connections on a loopback port and hands each to serve, closing it afterwards.
func serveRaw(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// readRequest reads up to the end of a request's headers: the suite's requests in @auth have no body.
func readRequest(c net.Conn) {
	var head strings.Builder
	buf := make([]byte, 1)
	for !strings.HasSuffix(head.String(), "\r\n\r\n") {
		if _, err := c.Read(buf); err != nil {
			return
		}
		head.Write(buf)
	}
}
