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

// startEmbeddedMock serves f, its handler passed through wrap when wrap is not nil.
func startEmbeddedMock(f *mockserver.Fixtures, wrap func(http.Handler) http.Handler) (*embeddedMock, error) {
	store, err := mockserver.NewStore(f)
	if err != nil {
		return nil, fmt.Errorf("embedded mock: %w", err)
	}
	handler := mockserver.New(store, mockserver.Options{})
	if wrap != nil {
		handler = wrap(handler)
	}
	// Listen first, so that the port is known and a failure comes back at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("embedded mock: %w", err)
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
