package mockserver

import (
	"encoding/json"
	"net/http"
	"sync"

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform"
)

func (s *server) me(w http.ResponseWriter, r *http.Request, u *user) {
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	sendJSON(w, r, func(b []byte) []byte { return meKind.appendObject(b, u, fields) })
}

// The version the mock reports: the YouTrack release whose published API it models.
const (
	modelledVersion = "2026.2"
	mockBuild       = "ytconform-mock"
)

type appConfig struct{}

var configKind = &entityKind[appConfig]{
	typeName: "AppConfig",
	defaults: []field{},
	props: map[string]func([]byte, appConfig, []field) []byte{
		"version": func(b []byte, _ appConfig, _ []field) []byte { return appendJSONString(b, modelledVersion) },
		"build":   func(b []byte, _ appConfig, _ []field) []byte { return appendJSONString(b, mockBuild) },
	},
}

// config answers without looking at credentials at all: clients use it as a version and readiness probe.
func (s *server) config(w http.ResponseWriter, r *http.Request) {
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	sendJSON(w, r, func(b []byte) []byte { return configKind.appendObject(b, appConfig{}, fields) })
}

var (
	specJSONOnce sync.Once
	specJSON     []byte
	specJSONErr  error
)

// openAPI serves the project's contract, as YouTrack serves its own at /api/openapi.json.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	specJSONOnce.Do(func() {
		var doc any
		if specJSONErr = yaml.Load(ytconform.OpenAPI, &doc); specJSONErr == nil {
			specJSON, specJSONErr = json.Marshal(doc)
		}
	})
	if specJSONErr != nil {
		writeError(w, r, http.StatusInternalServerError, "the embedded contract cannot be rendered as JSON")
		return
	}
	send(w, r, http.StatusOK, jsonType, specJSON)
}
