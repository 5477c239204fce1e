package steps

import (
	"net/http"

	"github.com/ytconform/ytconform/mockserver"
)

// NewSuiteWithBrokenMock is NewSuite against embedded mocks broken on purpose, to prove that the suite
// notices: their handler goes through wrap, and fixtures (when not nil) changes the data they serve, not
// what the target says of it.
func NewSuiteWithBrokenMock(cfg Config, wrap func(http.Handler) http.Handler, fixtures func(*mockserver.Fixtures)) (*Suite, error) {
	s, err := NewSuite(cfg)
	if err != nil {
		return nil, err
	}
	s.broken = brokenMock{wrap: wrap, fixtures: fixtures}
	return s, nil
}
