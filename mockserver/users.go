package mockserver

import "net/http"

// handleMe is GET /api/users/me: the user the request runs as, guest included.
func (s *server) handleMe(w http.ResponseWriter, r *http.Request, u *user) error {
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return meKind.appendObject(b, u, fields) })
	return nil
}
