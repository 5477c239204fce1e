package mockserver

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// fieldsParam parses the request's `fields`; nil when there is none. A malformed one is a 400.
func (s *server) fieldsParam(r *http.Request) ([]field, error) {
	raw, found, err := queryValue(r.URL.RawQuery, "fields")
	if err != nil {
		return nil, badRequest(err)
	}
	if !found {
		return nil, nil
	}
	fields, err := s.fields.parse(raw, s.limits())
	if err != nil {
		return nil, badRequest(err)
	}
	return fields, nil
}

// handleListProjects is GET /api/admin/projects: the projects u may read, by name, paged and projected.
func (s *server) handleListProjects(w http.ResponseWriter, r *http.Request, u *user) error {
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	pg, err := parsePage(r.URL.RawQuery, defaultTop)
	if err != nil {
		return badRequest(err)
	}
	query, _, err := queryValue(r.URL.RawQuery, "query")
	if err != nil {
		return badRequest(err)
	}
	projects := s.store.visibleProjects(u)
	if query = strings.TrimSpace(query); query != "" {
		projects = matching(projects, query)
	}
	projects = window(projects, pg)
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendArray(b, projects, fields) })
	return nil
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

// handleGetProject is GET /api/admin/projects/{id}, by id or short name.
func (s *server) handleGetProject(w http.ResponseWriter, r *http.Request, u *user) error {
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	p, err := s.findVisibleProject(r, u)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
	return nil
}

// findVisibleProject resolves {id}: a missing and an invisible project are the same 404, word for word.
func (s *server) findVisibleProject(r *http.Request, u *user) (*project, error) {
	id := r.PathValue("id")
	if p := s.store.findProject(u, id); p != nil {
		return p, nil
	}
	return nil, errorf(http.StatusNotFound, "Entity with id %s not found", quoteForMessage(id))
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

// handleCreateProject is POST /api/admin/projects, for admins: the new project, projected.
func (s *server) handleCreateProject(w http.ResponseWriter, r *http.Request, u *user) error {
	if !u.admin {
		return errorf(http.StatusForbidden, "Only an administrator may create projects")
	}
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	var req projectRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	np, err := req.newProject()
	if err != nil {
		return err
	}
	p, err := s.store.createProject(u, np)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
	return nil
}

// newProject checks what a client asked to create.
func (req *projectRequest) newProject() (newProject, error) {
	switch {
	case req.Name == nil || strings.TrimSpace(*req.Name) == "":
		return newProject{}, errorf(http.StatusBadRequest, "name is required")
	case len(*req.Name) > 255:
		return newProject{}, errorf(http.StatusBadRequest, "name is longer than 255 characters")
	case req.ShortName == nil || !IsShortName(*req.ShortName):
		return newProject{}, errorf(http.StatusBadRequest, "shortName is required: a letter, then letters, digits or _ (at most 50)")
	}
	np := newProject{name: *req.Name, shortName: *req.ShortName}
	if req.Description != nil {
		np.description = *req.Description
	}
	if req.Leader != nil {
		np.leaderID, np.leaderLogin = req.Leader.ID, req.Leader.Login
	}
	return np, nil
}

// handleDeleteProject is DELETE /api/admin/projects/{id}, for admins: 200 with no body.
func (s *server) handleDeleteProject(w http.ResponseWriter, r *http.Request, u *user) error {
	p, err := s.findVisibleProject(r, u)
	if err != nil {
		return err
	}
	if !u.admin {
		return errorf(http.StatusForbidden, "Only an administrator may delete projects")
	}
	s.store.deleteProject(p)
	send(w, r, http.StatusOK, jsonType, nil)
	return nil
}

// decodeBody reads a JSON request body of at most MaxBodyBytes into dst: 413 when larger, 400 when it is
// empty or not the JSON the operation takes.
func (s *server) decodeBody(w http.ResponseWriter, r *http.Request, dst any) error {
	tooLarge := errorf(http.StatusRequestEntityTooLarge, "The request body is larger than %d bytes", s.opts.MaxBodyBytes)
	if r.ContentLength > s.opts.MaxBodyBytes {
		return tooLarge
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	err := dec.Decode(dst)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var maxBytes *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &maxBytes):
		return tooLarge
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, "The request body is empty; a JSON object is required")
	}
	return errorf(http.StatusBadRequest, "The request body is not valid JSON for this operation: %s", quoteForMessage(err.Error()))
}
