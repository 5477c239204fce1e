package mockserver

import (
	"net/http"
	"strings"
)

// handleLegacyProjects is GET /rest/admin/project of the API YouTrack served until 2021.2. JSON when the
// client accepts it, as in the 2017 reference exchange (id = the project's name); XML otherwise, as
// in the documented XML sample (id = the short name).
func (s *server) handleLegacyProjects(w http.ResponseWriter, r *http.Request, u *user) error {
	projects := s.store.visibleProjects(u)
	prefix := s.baseURL(r) + "/rest/admin/project/"
	body := getBody()
	defer putBody(body)
	b := *body
	if acceptsJSON(r.Header["Accept"]) {
		b = append(b, '[')
		for i, p := range projects {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = appendJSONString(b, p.name)
			b = append(b, `,"url":`...)
			b = appendJSONString(b, prefix+p.shortName)
			b = append(b, '}')
		}
		b = append(b, ']')
		*body = b
		send(w, r, http.StatusOK, legacyJSONType, b)
		return nil
	}
	b = append(b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><projectRefs>`...)
	for _, p := range projects {
		b = append(b, `<project id="`...)
		b = appendXMLAttr(b, p.shortName)
		b = append(b, `" url="`...)
		b = appendXMLAttr(b, prefix+p.shortName)
		b = append(b, `"/>`...)
	}
	b = append(b, `</projectRefs>`...)
	*body = b
	send(w, r, http.StatusOK, legacyXMLType, b)
	return nil
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
