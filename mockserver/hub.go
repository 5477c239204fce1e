package mockserver

import (
	"net/http"
	"strconv"
	"strings"
)

// The Hub's permanent-token API, under /hub/api/rest/users/{user}/permanenttokens (Hub REST docs,
// "permanentToken"). Only a token's owner or an admin may see or revoke it; anyone else gets 403. That is
// the mock's choice where the docs are silent: Hub user ids and logins are not secret (any user can list
// users), so hiding them behind 404 would protect nothing.

// hubDefaultTop is the page size of Hub listings when the client does not say.
const hubDefaultTop = 100

// tokenOwner resolves {user} and checks that the caller may manage that user's tokens: 404 for an unknown
// user, 403 for someone else's.
func (s *server) tokenOwner(r *http.Request, caller *user) (*user, error) {
	ref := r.PathValue("user")
	owner := s.store.userByRef(caller, ref)
	switch {
	case owner == nil:
		return nil, errorf(http.StatusNotFound, "User %s not found", quoteForMessage(ref))
	case owner != caller && !caller.admin:
		return nil, errorf(http.StatusForbidden, "Only the owner or an administrator may manage these tokens")
	}
	return owner, nil
}

// handleListTokens is GET .../permanenttokens: the owner's live tokens, paged, in the Hub's envelope.
func (s *server) handleListTokens(w http.ResponseWriter, r *http.Request, caller *user) error {
	owner, err := s.tokenOwner(r, caller)
	if err != nil {
		return err
	}
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	pg, err := parsePage(r.URL.RawQuery, hubDefaultTop)
	if err != nil {
		return badRequest(err)
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
	return nil
}

// handleGetToken is GET .../permanenttokens/{token}: one token, never its secret.
func (s *server) handleGetToken(w http.ResponseWriter, r *http.Request, caller *user) error {
	owner, err := s.tokenOwner(r, caller)
	if err != nil {
		return err
	}
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	t, err := s.findToken(r, owner)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return tokenKind.appendObject(b, t, fields) })
	return nil
}

// findToken resolves {token} among the owner's live tokens.
func (s *server) findToken(r *http.Request, owner *user) (*token, error) {
	id := r.PathValue("token")
	if t := s.store.tokenOf(owner, id); t != nil {
		return t, nil
	}
	return nil, errorf(http.StatusNotFound, "Permanent token %s not found", quoteForMessage(id))
}

// tokenRequest is the body of POST .../permanenttokens.
type tokenRequest struct {
	Name  *string `json:"name"`
	Scope []struct {
		Key string `json:"key"`
	} `json:"scope"`
}

// scope checks the request and returns the services it names.
func (req *tokenRequest) scope() (scopeSet, error) {
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" || len(*req.Name) > 255 {
		return 0, errorf(http.StatusBadRequest, "name is required (at most 255 characters)")
	}
	if len(req.Scope) == 0 {
		return 0, errorf(http.StatusBadRequest, `scope is required: a list of services such as {"key":"YouTrack"}`)
	}
	var scope scopeSet
	for _, sc := range req.Scope {
		bit, known := parseScope(sc.Key)
		if !known {
			return 0, errorf(http.StatusBadRequest, "Unknown service %s in scope; known: %s",
				strconv.Quote(quoteForMessage(sc.Key)), strings.Join(allScopes, ", "))
		}
		scope |= bit
	}
	return scope, nil
}

// handleCreateToken is POST .../permanenttokens: the new token, with its secret — the only answer that
// ever carries one.
func (s *server) handleCreateToken(w http.ResponseWriter, r *http.Request, caller *user) error {
	owner, err := s.tokenOwner(r, caller)
	if err != nil {
		return err
	}
	fields, err := s.fieldsParam(r)
	if err != nil {
		return err
	}
	var req tokenRequest
	if err := s.decodeBody(w, r, &req); err != nil {
		return err
	}
	scope, err := req.scope()
	if err != nil {
		return err
	}
	t, secret, err := s.store.issueToken(owner, caller, *req.Name, scope, s.opts.Now())
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		fields = append(append([]field{}, tokenKind.defaults...), field{name: "token"})
	}
	sendJSON(w, r, func(b []byte) []byte { return appendNewToken(b, t, secret, fields) })
	return nil
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

// handleRevokeToken is DELETE .../permanenttokens/{token}: from the moment it answers, the token is refused.
func (s *server) handleRevokeToken(w http.ResponseWriter, r *http.Request, caller *user) error {
	owner, err := s.tokenOwner(r, caller)
	if err != nil {
		return err
	}
	t, err := s.findToken(r, owner)
	if err != nil {
		return err
	}
	s.store.revokeToken(t)
	send(w, r, http.StatusOK, jsonType, nil)
	return nil
}
