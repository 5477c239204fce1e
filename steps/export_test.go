package steps

import "net/http"

// NewSuiteWithBrokenMock is NewSuite against embedded mocks whose handler goes through wrap: the tests
// break the mock on purpose to prove that the suite notices.
func NewSuiteWithBrokenMock(cfg Config, wrap func(http.Handler) http.Handler) (*Suite, error) {
	s, err := NewSuite(cfg)
	if err != nil {
		return nil, err
	}
	s.wrapMock = wrap
	return s, nil
}
