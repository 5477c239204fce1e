package steps

import (
	"fmt"
	"net"
	"net/http"

	"github.com/ytconform/ytconform/mockserver"
)

// embeddedMock is a mock serving one scenario on a free loopback port: every scenario gets fresh data,
// so scenarios that write cannot disturb the others and all of them may run at once.
type embeddedMock struct {
	server   *http.Server
	baseURL  string
	fixtures *mockserver.Fixtures
}

// listenLoopback takes a free loopback port for an embedded mock: listening first, the port is known
// before the mock is built, and a failure comes back at once.
func listenLoopback() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("embedded mock: %w", err)
	}
	return ln, nil
}

// startEmbeddedMock serves f on ln, its handler passed through wrap when wrap is not nil.
func startEmbeddedMock(ln net.Listener, f *mockserver.Fixtures, wrap func(http.Handler) http.Handler) (*embeddedMock, error) {
	store, err := mockserver.NewStore(f)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("embedded mock: %w", err)
	}
	handler := mockserver.New(store, mockserver.Options{})
	if wrap != nil {
		handler = wrap(handler)
	}
	m := &embeddedMock{server: &http.Server{Handler: handler}, baseURL: "http://" + ln.Addr().String(), fixtures: f}
	// Serve returns when the scenario closes the mock; should the listener break before, the next request
	// fails and says so.
	go func() { _ = m.server.Serve(ln) }()
	return m, nil
}

// close stops the mock at once: the scenario is over, nothing is worth waiting for.
func (m *embeddedMock) close() {
	if m != nil {
		m.server.Close()
	}
}
