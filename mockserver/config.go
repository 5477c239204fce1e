package mockserver

import (
	"net/http"

	"github.com/ytconform/ytconform"
)

// The version the mock reports: the YouTrack release whose published API it models.
const (
	modelledVersion = "2026.2"
	mockBuild       = "ytconform-mock"
)

// handleConfig is GET /api/config. It answers without looking at credentials at all: clients use it as a
// version and readiness probe.
func (s *server) handleConfig(w http.ResponseWriter, r *http.Request) error {
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return configKind.appendObject(b, appConfig{}, fields) })
	return nil
}

// handleOpenAPI serves the project's contract, as YouTrack serves its own at /api/openapi.json.
func (s *server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	spec, err := ytconform.OpenAPIJSON()
	if err != nil {
		return err // the embedded contract is tested to render; a 500 says it did not
	}
	send(w, r, http.StatusOK, jsonType, spec)
	return nil
}
