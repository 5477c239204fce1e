package mockserver

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// fieldsParam parses the request's `fields`; without one, the answer carries defaults (idOnly for
// YouTrack's entities; nil leaves the Hub's kinds their own). A malformed one is a 400.
func (s *server) fieldsParam(r *http.Request, defaults []field) ([]field, error) {
	raw, found, err := queryValue(r.URL.RawQuery, "fields")
	if err != nil {
		return nil, badRequest(err)
	}
	if !found {
		return defaults, nil
	}
	fields, err := s.fields.parse(raw, s.limits())
	if err != nil {
		return nil, badRequest(err)
	}
	return fields, nil
}

// listing is what a request to one of YouTrack's listings asks: the fields, the page and the `query`.
type listing struct {
	fields []field
	page   page
	query  string
}

// listingParams reads a listing's parameters: fields (default id), $skip and $top (default 42), query.
func (s *server) listingParams(r *http.Request) (listing, error) {
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return listing{}, err
	}
	pg, err := parsePage(r.URL.RawQuery, defaultTop)
	if err != nil {
		return listing{}, badRequest(err)
	}
	query, _, err := queryValue(r.URL.RawQuery, "query")
	if err != nil {
		return listing{}, badRequest(err)
	}
	return listing{fields: fields, page: pg, query: query}, nil
}

// handleListProjects is GET /api/admin/projects: the projects u may read, by name, paged and projected.
func (s *server) handleListProjects(w http.ResponseWriter, r *http.Request, u *user) error {
	l, err := s.listingParams(r)
	if err != nil {
		return err
	}
	projects := s.store.visibleProjects(u)
	if query := strings.TrimSpace(l.query); query != "" {
		projects = matching(projects, query)
	}
	projects = window(projects, l.page)
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendArray(b, projects, l.fields) })
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
	fields, err := s.fieldsParam(r, idOnly)
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

// projectRequest is the body of POST /api/admin/projects and POST /api/admin/projects/{id}. Attributes a
// client may not set (id, createdBy, ...) are ignored, as YouTrack ignores read-only attributes.
type projectRequest struct {
	Name        *string `json:"name"`
	ShortName   *string `json:"shortName"`
	Description *string `json:"description"`
	Archived    *bool   `json:"archived"`
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
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return err
	}
	var req projectRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	c, err := req.change(true)
	if err != nil {
		return err
	}
	p, err := s.store.createProject(u, c)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
	return nil
}

// handleUpdateProject is POST /api/admin/projects/{id}, for admins (docs: operations-api-admin-projects,
// "to update an attribute, provide it in the body of a POST request"): what the body names changes, the
// rest stays; the answer is the changed project, projected.
func (s *server) handleUpdateProject(w http.ResponseWriter, r *http.Request, u *user) error {
	p, err := s.findVisibleProject(r, u)
	if err != nil {
		return err
	}
	if !u.admin {
		return errorf(http.StatusForbidden, "Only an administrator may update projects")
	}
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return err
	}
	var req projectRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	c, err := req.change(false)
	if err != nil {
		return err
	}
	if p, err = s.store.updateProject(p, c); err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return projectKind.appendObject(b, p, fields) })
	return nil
}

// change checks the body as YouTrack validates a project: every property that does not hold is one
// child of an invalid_properties answer. creating requires name and shortName.
func (req *projectRequest) change(creating bool) (projectChange, error) {
	var invalid []*apiError
	switch {
	case req.Name == nil && creating, req.Name != nil && strings.TrimSpace(*req.Name) == "":
		invalid = append(invalid, invalidProperty("Project", "name", "Value for name is required"))
	case req.Name != nil && len(*req.Name) > 255:
		invalid = append(invalid, invalidProperty("Project", "name", "name is longer than 255 characters"))
	}
	if req.ShortName == nil && creating || req.ShortName != nil && !IsShortName(*req.ShortName) {
		invalid = append(invalid, invalidProperty("Project", "shortName",
			"shortName is required: a letter, then letters, digits or _ (at most 50)"))
	}
	if req.Leader != nil && req.Leader.ID == "" && req.Leader.Login == "" {
		invalid = append(invalid, invalidProperty("Project", "leader", "the leader needs an id or a login"))
	}
	if len(invalid) > 0 {
		return projectChange{}, invalidProperties(invalid...)
	}
	c := projectChange{name: req.Name, shortName: req.ShortName, description: req.Description, archived: req.Archived}
	if req.Leader != nil {
		c.leader = &userRef{id: req.Leader.ID, login: req.Leader.Login}
	}
	return c, nil
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
	sendEmpty(w, http.StatusOK)
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
		return badRequest(errors.New("The request body is empty; a JSON object is required"))
	}
	return badRequest(errors.New("The request body is not valid JSON for this operation: " + quoteForMessage(err.Error())))
}
