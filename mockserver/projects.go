package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// fieldsParam parses the request's `fields`, answering 400 itself when it is malformed.
func (s *server) fieldsParam(w http.ResponseWriter, r *http.Request) ([]field, bool) {
	raw, found, err := queryValue(r.URL.RawQuery, "fields")
	if err == nil && found {
		var fields []field
		if fields, err = s.fields.parse(raw, s.limits()); err == nil {
			return fields, true
		}
	}
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return nil, false
	}
	return nil, true
}

// sendEntity writes one entity or a list of them, built into a pooled buffer.
func sendJSON(w http.ResponseWriter, r *http.Request, build func(b []byte) []byte) {
	body := getBody()
	*body = build(*body)
	send(w, r, http.StatusOK, jsonType, *body)
	putBody(body)
}

func (s *server) listProjects(w http.ResponseWriter, r *http.Request, u *user) {
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	pg, err := parsePage(r.URL.RawQuery, defaultTop)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	projects := s.store.visibleProjects(u)
	query, _, err := queryValue(r.URL.RawQuery, "query")
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if query = strings.TrimSpace(query); query != "" {
		projects = matching(projects, query)
	}
	projects = window(projects, pg)
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendArray(b, projects, fields) })
}

// matching keeps the projects whose name or short name contains the query, ignoring case.
func matching(projects []*project, query string) []*project {
	q := strings.ToLower(query)
	var out []*project
	for _, p := range projects {
		if strings.Contains(strings.ToLower(p.name), q) || strings.Contains(strings.ToLower(p.shortName), q) {
			out = append(out, p)
		}
	}
	return out
}

func (s *server) getProject(w http.ResponseWriter, r *http.Request, u *user) {
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	p := s.findVisibleProject(w, r, u)
	if p == nil {
		return
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
}

// findVisibleProject answers 404 itself, in the same words for a missing and an invisible project.
func (s *server) findVisibleProject(w http.ResponseWriter, r *http.Request, u *user) *project {
	id := r.PathValue("id")
	p := s.store.findProject(u, id)
	if p == nil {
		writeError(w, r, http.StatusNotFound, "Entity with id "+quoteForMessage(id)+" not found")
	}
	return p
}

// projectRequest is the body of POST /api/admin/projects.
type projectRequest struct {
	Name        *string `json:"name"`
	ShortName   *string `json:"shortName"`
	Description *string `json:"description"`
	Leader      *struct {
		ID    string `json:"id"`
		Login string `json:"login"`
	} `json:"leader"`
}

func (s *server) createProject(w http.ResponseWriter, r *http.Request, u *user) {
	if !u.admin {
		writeError(w, r, http.StatusForbidden, "Only an administrator may create projects")
		return
	}
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	var req projectRequest
	if !s.decodeBody(w, r, &req) {
		return
	}
	np := newProject{}
	switch {
	case req.Name == nil || strings.TrimSpace(*req.Name) == "":
		writeError(w, r, http.StatusBadRequest, "name is required")
		return
	case len(*req.Name) > 255:
		writeError(w, r, http.StatusBadRequest, "name is longer than 255 characters")
		return
	case req.ShortName == nil || !shortNamePattern.MatchString(*req.ShortName):
		writeError(w, r, http.StatusBadRequest, "shortName is required: a letter, then letters, digits or _ (at most 50)")
		return
	}
	np.name, np.shortName = *req.Name, *req.ShortName
	if req.Description != nil {
		np.description = *req.Description
	}
	if req.Leader != nil {
		np.leaderID, np.leaderLogin = req.Leader.ID, req.Leader.Login
	}
	p, err := s.store.createProject(u, np)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
}

func (s *server) deleteProject(w http.ResponseWriter, r *http.Request, u *user) {
	p := s.findVisibleProject(w, r, u)
	if p == nil {
		return
	}
	if !u.admin {
		writeError(w, r, http.StatusForbidden, "Only an administrator may delete projects")
		return
	}
	s.store.deleteProject(p)
	send(w, r, http.StatusOK, jsonType, nil)
}

// decodeBody reads a JSON request body of at most MaxBodyBytes, answering 413 or 400 itself.
func (s *server) decodeBody(w http.ResponseWriter, r *http.Request, dst any) bool {
	if r.ContentLength > s.opts.MaxBodyBytes {
		writeError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes", s.opts.MaxBodyBytes))
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return true
	case errors.As(err, &tooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request body is larger than %d bytes", s.opts.MaxBodyBytes))
	case errors.Is(err, io.EOF):
		writeError(w, r, http.StatusBadRequest, "The request body is empty; a JSON object is required")
	default:
		writeError(w, r, http.StatusBadRequest, "The request body is not valid JSON for this operation: "+quoteForMessage(err.Error()))
	}
	return false
}
