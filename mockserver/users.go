package mockserver

import (
	"net/http"
	"strings"
)

// handleMe is GET /api/users/me: the user the request runs as, guest included.
func (s *server) handleMe(w http.ResponseWriter, r *http.Request, u *user) error {
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return meKind.appendObject(b, u, fields) })
	return nil
}

// handleListUsers is GET /api/users (docs: resource-api-users): the users caller may read, by login,
// paged, filtered by `query`.
func (s *server) handleListUsers(w http.ResponseWriter, r *http.Request, caller *user) error {
	l, err := s.listingParams(r)
	if err != nil {
		return err
	}
	users := window(matchingUsers(s.store.visibleUsers(caller), l.query), l.page)
	sendJSON(w, r, func(b []byte) []byte { return userKind.appendArray(b, users, l.fields) })
	return nil
}

// matchingUsers keeps the users every word of query matches. A word "login:X" (as Go clients send it)
// matches the login X exactly, "email:X" the email, "name:X" the full name; any other word is a part of the
// login, the full name or the email, as the legacy API documented its q ("part of user login, name or
// email"). Case is ignored throughout.
func matchingUsers(users []*user, query string) []*user {
	words := strings.Fields(strings.ToLower(query))
	if len(words) == 0 {
		return users
	}
	var out []*user
	for _, u := range users {
		if matchesEvery(u, words) {
			out = append(out, u)
		}
	}
	return out
}

func matchesEvery(u *user, words []string) bool {
	login, name, email := strings.ToLower(u.login), strings.ToLower(u.fullName), strings.ToLower(u.email)
	for _, w := range words {
		attr, value, qualified := strings.Cut(w, ":")
		var ok bool
		switch {
		case qualified && attr == "login":
			ok = login == value
		case qualified && attr == "email":
			ok = email == value
		case qualified && (attr == "name" || attr == "fullname"):
			ok = name == value
		default:
			ok = strings.Contains(login, w) || strings.Contains(name, w) || strings.Contains(email, w)
		}
		if !ok {
			return false
		}
	}
	return true
}

// handleGetUser is GET /api/users/{id}, by database id, login or "me". A user caller may not read is
// answered as one that does not exist.
func (s *server) handleGetUser(w http.ResponseWriter, r *http.Request, caller *user) error {
	fields, err := s.fieldsParam(r, idOnly)
	if err != nil {
		return err
	}
	ref := r.PathValue("id")
	u := s.store.findUser(caller, ref)
	if u == nil {
		return errorf(http.StatusNotFound, "Entity with id %s not found", quoteForMessage(ref))
	}
	sendJSON(w, r, func(b []byte) []byte { return userKind.appendObject(b, u, fields) })
	return nil
}
