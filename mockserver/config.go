package mockserver

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ytconform/ytconform"
)

// The version the mock reports: the YouTrack release whose published API it models.
const (
	modelledVersion = "2026.2"
	mockBuild       = "ytconform-mock"
)

// installationUUID is /api/config's uuid: one installation, the same every run.
var installationUUID = ringID("installation:", "")

// handleConfig is GET /api/config (FrontendConfig). It answers without looking at credentials at all:
// clients use it as a version and readiness probe, and read ring.url from it to find the Hub.
func (s *server) handleConfig(w http.ResponseWriter, r *http.Request) error {
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return configKind.appendObject(b, frontendConfig{hubURL: s.hubURL}, fields) })
	return nil
}

// hubURLOf is where clients find the mock's Hub: at the origin's /hub, written "/hub" as YouTrack with its
// built-in Hub writes it, or absolute when the public URL puts the mock's root under a path of a proxy.
func hubURLOf(publicURL, basePath string) string {
	root := strings.TrimSuffix(publicURL, basePath)
	if u, err := url.Parse(root); err == nil && strings.Trim(u.Path, "/") != "" {
		return strings.TrimRight(root, "/") + "/hub"
	}
	return "/hub"
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
