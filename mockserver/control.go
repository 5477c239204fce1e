package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// The control API lives under ControlPrefix, outside YouTrack's namespace: a real YouTrack answers 404
// there. It needs no token, is never slowed or failed by Faults, and its own requests stay out of the
// journal.
const ControlPrefix = "/__ytmock"

// handleHealth answers as soon as the mock serves: GET /__ytmock/health.
func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	send(w, r, http.StatusOK, jsonType, []byte(`{"status":"ok"}`))
	return nil
}

// handleRequests shows the journal: GET /__ytmock/requests, {"requests":[JournalEntry...]}.
func (s *server) handleRequests(w http.ResponseWriter, r *http.Request) error {
	if s.journal == nil {
		return errorf(http.StatusNotFound, "The request journal is off (start the mock with --journal N, N > 0)")
	}
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetEscapeHTML(false) // show a query's & as &, not \u0026
	err := enc.Encode(struct {
		Requests []JournalEntry `json:"requests"`
	}{s.journal.render(s.store.isKnownToken)})
	if err != nil {
		return err
	}
	send(w, r, http.StatusOK, jsonType, bytes.TrimSuffix(body.Bytes(), []byte("\n")))
	return nil
}

// handleClearRequests empties the journal: DELETE /__ytmock/requests.
func (s *server) handleClearRequests(w http.ResponseWriter, r *http.Request) error {
	if s.journal != nil {
		s.journal.clear()
	}
	sendEmpty(w, http.StatusNoContent)
	return nil
}

// handleReset returns the store to its fixtures: POST /__ytmock/reset. The journal is kept.
func (s *server) handleReset(w http.ResponseWriter, r *http.Request) error {
	s.store.Reset()
	sendEmpty(w, http.StatusNoContent)
	return nil
}
