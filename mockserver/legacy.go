package mockserver

import (
	"net/http"
	"strconv"
	"strings"
)

// The legacy /rest API, as YouTrack served it until 2021.2 (docs 2017.1: GET-Projects, GET-Project,
// Get-Accessible-Projects, Get-current-user, Get-User-by-Login-Name). Every answer is JSON when the client
// accepts application/json and XML otherwise; from 2021.3 the whole API answers 400 (legacySwitch).

// handleLegacyProjects is GET /rest/admin/project. JSON as in the 2017 reference exchange (id = the
// project's name); XML as in the documented XML sample (id = the short name).
func (s *server) handleLegacyProjects(w http.ResponseWriter, r *http.Request, u *user) error {
	projects := s.store.visibleProjects(u)
	prefix := s.baseURL(r) + "/rest/admin/project/"
	doc := legacyDoc{json: acceptsJSON(r.Header["Accept"]), root: "projectRefs", element: "project"}
	for _, p := range projects {
		id := p.name
		if !doc.json {
			id = p.shortName
		}
		doc.add(legacyAttr{"id", id}, legacyAttr{"url", prefix + p.shortName})
	}
	doc.send(w, r)
	return nil
}

// handleLegacyProject is GET /rest/admin/project/{shortName}: the project the listing's url names.
func (s *server) handleLegacyProject(w http.ResponseWriter, r *http.Request, u *user) error {
	ref := r.PathValue("shortName")
	p := s.store.findProject(u, ref)
	if p == nil {
		return errorf(http.StatusNotFound, "Project %s not found", quoteForMessage(ref))
	}
	base := s.baseURL(r) + "/rest/admin/project/" + p.shortName
	lead := ""
	if p.leader != nil {
		lead = p.leader.login
	}
	doc := legacyDoc{json: acceptsJSON(r.Header["Accept"]), element: "project"}
	doc.add(legacyAttr{"name", p.name}, legacyAttr{"id", p.shortName}, legacyAttr{"lead", lead},
		legacyAttr{"description", p.description}, legacyAttr{"startingNumber", strconv.FormatInt(p.startingNumber, 10)},
		legacyAttr{"assigneesUrl", base + "/assignee/"}, legacyAttr{"subsystemsUrl", base + "/subsystem/"},
		legacyAttr{"buildsUrl", base + "/build/"}, legacyAttr{"versionsUrl", base + "/version/"})
	doc.send(w, r)
	return nil
}

// handleLegacyAllProjects is GET /rest/project/all: the projects the user may read, with their names.
func (s *server) handleLegacyAllProjects(w http.ResponseWriter, r *http.Request, u *user) error {
	doc := legacyDoc{json: acceptsJSON(r.Header["Accept"]), root: "projects", element: "project"}
	for _, p := range s.store.visibleProjects(u) {
		doc.add(legacyAttr{"name", p.name}, legacyAttr{"shortName", p.shortName},
			legacyAttr{"description", p.description}, legacyAttr{"isImporting", "false"})
	}
	doc.send(w, r)
	return nil
}

// handleLegacyCurrentUser is GET /rest/user/current.
func (s *server) handleLegacyCurrentUser(w http.ResponseWriter, r *http.Request, u *user) error {
	sendLegacyUser(w, r, u)
	return nil
}

// handleLegacyUser is GET /rest/user/{login}, with the same reading rule as /api/users/{id}.
func (s *server) handleLegacyUser(w http.ResponseWriter, r *http.Request, caller *user) error {
	login := r.PathValue("login")
	u := s.store.findUser(caller, login)
	if u == nil || u.login != login {
		return errorf(http.StatusNotFound, "User %s not found", quoteForMessage(login))
	}
	sendLegacyUser(w, r, u)
	return nil
}

func sendLegacyUser(w http.ResponseWriter, r *http.Request, u *user) {
	doc := legacyDoc{json: acceptsJSON(r.Header["Accept"]), element: "user"}
	doc.add(legacyAttr{"login", u.login}, legacyAttr{"fullName", u.fullName}, legacyAttr{"email", u.email})
	doc.send(w, r)
}

// legacyDoc is a legacy answer: one element, or a root of elements, each a flat list of string
// attributes; written as JSON objects or as XML elements with attributes.
type legacyDoc struct {
	json          bool
	root, element string // root "" for a single element
	items         [][]legacyAttr
}

type legacyAttr struct{ name, value string }

func (d *legacyDoc) add(attrs ...legacyAttr) { d.items = append(d.items, attrs) }

func (d *legacyDoc) send(w http.ResponseWriter, r *http.Request) {
	body := getBody()
	defer putBody(body)
	b := *body
	if d.json {
		b = d.appendJSON(b)
		*body = b
		send(w, r, http.StatusOK, legacyJSONType, b)
		return
	}
	b = d.appendXML(b)
	*body = b
	send(w, r, http.StatusOK, legacyXMLType, b)
}

func (d *legacyDoc) appendJSON(b []byte) []byte {
	if d.root != "" {
		b = append(b, '[')
	}
	for i, attrs := range d.items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		for j, a := range attrs {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, a.name)
			b = append(b, ':')
			b = appendJSONString(b, a.value)
		}
		b = append(b, '}')
	}
	if d.root != "" {
		b = append(b, ']')
	}
	return b
}

func (d *legacyDoc) appendXML(b []byte) []byte {
	b = append(b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`...)
	if d.root != "" {
		b = append(append(append(b, '<'), d.root...), '>')
	}
	for _, attrs := range d.items {
		b = append(append(b, '<'), d.element...)
		for _, a := range attrs {
			b = append(append(append(b, ' '), a.name...), `="`...)
			b = appendXMLAttr(b, a.value)
			b = append(b, '"')
		}
		b = append(b, "/>"...)
	}
	if d.root != "" {
		b = append(append(append(b, "</"...), d.root...), '>')
	}
	return b
}

func acceptsJSON(values []string) bool {
	for _, v := range values {
		if strings.Contains(strings.ToLower(v), "application/json") {
			return true
		}
	}
	return false
}

func appendXMLAttr(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
