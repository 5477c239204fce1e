package mockserver

import (
	"net/http"
	"strconv"
	"strings"
)

// The Hub's permanent-token API (behaviour file §6). Only a token's owner or an admin may see or
// revoke it; anyone else gets 403. The DECISION: 403 rather than 404, because Hub user ids and logins
// are not secret (any user can list users), so hiding them would protect nothing.

var tokenKind = &entityKind[*token]{
	props: map[string]func([]byte, *token, []field) []byte{
		"id":   func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.id) },
		"name": func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.name) },
		"scope": func(b []byte, t *token, sub []field) []byte {
			b = append(b, '[')
			for i, name := range t.scope.names() {
				if i > 0 {
					b = append(b, ',')
				}
				b = scopeKind.appendObject(b, name, sub)
			}
			return append(b, ']')
		},
		"user":         func(b []byte, t *token, sub []field) []byte { return hubUserKind.appendObject(b, t.owner, sub) },
		"author":       func(b []byte, t *token, sub []field) []byte { return hubUserKind.appendObject(b, t.author, sub) },
		"creationTime": func(b []byte, t *token, _ []field) []byte { return strconv.AppendInt(b, t.created, 10) },
		"lastAccessTime": func(b []byte, t *token, _ []field) []byte {
			if ms := t.lastAccess.Load(); ms != 0 {
				return strconv.AppendInt(b, ms, 10)
			}
			return append(b, "null"...)
		},
	},
	defaults: []field{{name: "id"}, {name: "name"}, {name: "scope"}, {name: "user"}, {name: "author"},
		{name: "creationTime"}, {name: "lastAccessTime"}},
}

var scopeKind = &entityKind[string]{
	props: map[string]func([]byte, string, []field) []byte{
		"key":  func(b []byte, name string, _ []field) []byte { return appendJSONString(b, name) },
		"name": func(b []byte, name string, _ []field) []byte { return appendJSONString(b, name) },
	},
	defaults: []field{{name: "key"}, {name: "name"}},
}

var hubUserKind = &entityKind[*user]{
	props: map[string]func([]byte, *user, []field) []byte{
		"id":    func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.id) },
		"login": func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.login) },
	},
	defaults: []field{{name: "id"}, {name: "login"}},
}

// hubDefaultTop is the page size of Hub listings when the client does not say.
const hubDefaultTop = 100

// tokenOwner resolves {user} and checks that the caller may manage that user's tokens.
func (s *server) tokenOwner(w http.ResponseWriter, r *http.Request, caller *user) *user {
	ref := r.PathValue("user")
	owner := s.store.userByRef(caller, ref)
	switch {
	case owner == nil:
		writeError(w, r, http.StatusNotFound, "User "+quoteForMessage(ref)+" not found")
	case owner != caller && !caller.admin:
		writeError(w, r, http.StatusForbidden, "Only the owner or an administrator may manage these tokens")
		owner = nil
	}
	return owner
}

func (s *server) listTokens(w http.ResponseWriter, r *http.Request, caller *user) {
	owner := s.tokenOwner(w, r, caller)
	if owner == nil {
		return
	}
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	pg, err := parsePage(r.URL.RawQuery, hubDefaultTop)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	all := s.store.tokensOf(owner)
	shown := window(all, pg)
	sendJSON(w, r, func(b []byte) []byte {
		b = append(b, `{"skip":`...)
		b = strconv.AppendInt(b, int64(pg.skip), 10)
		b = append(b, `,"top":`...)
		b = strconv.AppendInt(b, int64(len(shown)), 10)
		b = append(b, `,"total":`...)
		b = strconv.AppendInt(b, int64(len(all)), 10)
		b = append(b, `,"permanenttokens":`...)
		b = tokenKind.appendArray(b, shown, fields)
		return append(b, '}')
	})
}

func (s *server) getToken(w http.ResponseWriter, r *http.Request, caller *user) {
	owner := s.tokenOwner(w, r, caller)
	if owner == nil {
		return
	}
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	t := s.findToken(w, r, owner)
	if t == nil {
		return
	}
	sendJSON(w, r, func(b []byte) []byte { return tokenKind.appendObject(b, t, fields) })
}

func (s *server) findToken(w http.ResponseWriter, r *http.Request, owner *user) *token {
	id := r.PathValue("token")
	t := s.store.tokenOf(owner, id)
	if t == nil {
		writeError(w, r, http.StatusNotFound, "Permanent token "+quoteForMessage(id)+" not found")
	}
	return t
}

// tokenRequest is the body of POST .../permanenttokens.
type tokenRequest struct {
	Name  *string `json:"name"`
	Scope []struct {
		Key string `json:"key"`
	} `json:"scope"`
}

func (s *server) createToken(w http.ResponseWriter, r *http.Request, caller *user) {
	owner := s.tokenOwner(w, r, caller)
	if owner == nil {
		return
	}
	fields, ok := s.fieldsParam(w, r)
	if !ok {
		return
	}
	var req tokenRequest
	if !s.decodeBody(w, r, &req) {
		return
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" || len(*req.Name) > 255 {
		writeError(w, r, http.StatusBadRequest, "name is required (at most 255 characters)")
		return
	}
	if len(req.Scope) == 0 {
		writeError(w, r, http.StatusBadRequest, "scope is required: a list of services such as {\"key\":\"YouTrack\"}")
		return
	}
	var scope scopeSet
	for _, sc := range req.Scope {
		bit, known := parseScope(sc.Key)
		if !known {
			writeError(w, r, http.StatusBadRequest, "Unknown service "+strconv.Quote(quoteForMessage(sc.Key))+" in scope; known: "+strings.Join(allScopes, ", "))
			return
		}
		scope |= bit
	}
	t, secret, err := s.store.issueToken(owner, caller, *req.Name, scope, s.opts.Now())
	if err != nil {
		writeError(w, r, http.StatusServiceUnavailable, "No randomness available to issue a token")
		return
	}
	if len(fields) == 0 {
		fields = append(append([]field{}, tokenKind.defaults...), field{name: "token"})
	}
	sendJSON(w, r, func(b []byte) []byte { return appendNewToken(b, t, secret, fields) })
}

// appendNewToken writes the POST answer: the token under the projection, with its secret where "token"
// is asked for. tokenKind itself has no "token" property, so no other answer can ever carry a secret.
func appendNewToken(b []byte, t *token, secret string, fields []field) []byte {
	start := len(b)
	b = tokenKind.appendObject(b, t, fields)
	if !containsField(fields, "token") {
		return b
	}
	b = b[:len(b)-1] // reopen the object
	if len(b) > start+1 {
		b = append(b, ',')
	}
	b = append(b, `"token":`...)
	b = appendJSONString(b, secret)
	return append(b, '}')
}

func (s *server) revokeToken(w http.ResponseWriter, r *http.Request, caller *user) {
	owner := s.tokenOwner(w, r, caller)
	if owner == nil {
		return
	}
	t := s.findToken(w, r, owner)
	if t == nil {
		return
	}
	s.store.revokeToken(t)
	send(w, r, http.StatusOK, jsonType, nil)
}
