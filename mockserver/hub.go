package mockserver

import (
	"cmp"
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

// hubUser resolves {user}: a Hub id (ringId), a login, or "me" (Hub REST docs, api-entity-User).
func (s *server) hubUser(r *http.Request, caller *user) (*user, error) {
	ref := r.PathValue("user")
	if u := s.store.hubUser(caller, ref); u != nil {
		return u, nil
	}
	return nil, errorf(http.StatusNotFound, "User %s not found", quoteForMessage(ref))
}

// handleHubUser is GET /hub/api/rest/users/{user}: any user the Hub knows, as every user may look users
// up. Clients check a token with users/me?fields=guest (YouTrackSharp).
func (s *server) handleHubUser(w http.ResponseWriter, r *http.Request, caller *user) error {
	u, err := s.hubUser(r, caller)
	if err != nil {
		return err
	}
	fields, err := s.fieldsParam(r, nil)
	if err != nil {
		return err
	}
	sendJSON(w, r, func(b []byte) []byte { return hubUserKind.appendObject(b, u, fields) })
	return nil
}

// handleServices is GET /hub/api/rest/services: the services a token can be granted for, in the Hub's
// page envelope, filtered by query=applicationName:X (or name:X, id:X, key:X), which is how provisioning
// scripts find the ids to scope a token with.
func (s *server) handleServices(w http.ResponseWriter, r *http.Request, _ *user) error {
	fields, err := s.fieldsParam(r, nil)
	if err != nil {
		return err
	}
	pg, err := parsePage(r.URL.RawQuery, hubDefaultTop)
	if err != nil {
		return badRequest(err)
	}
	query, _, err := queryValue(r.URL.RawQuery, "query")
	if err != nil {
		return badRequest(err)
	}
	all := matchingServices(query)
	shown := window(all, pg)
	sendJSON(w, r, func(b []byte) []byte {
		b = appendPageStart(b, "ServicesPage", pg.skip, len(shown), len(all))
		b = append(b, `,"services":`...)
		b = serviceKind.appendArray(b, shown, fields)
		return append(b, '}')
	})
	return nil
}

// matchingServices keeps the services every "attribute: value" word of query names; a bare word matches
// the name.
func matchingServices(query string) []service {
	var out []service
	for _, svc := range services {
		ok := true
		for _, term := range strings.Split(query, " and ") {
			attr, value, qualified := strings.Cut(strings.TrimSpace(term), ":")
			value = strings.Trim(strings.TrimSpace(value), `"{}`)
			switch {
			case strings.TrimSpace(term) == "":
			case !qualified:
				ok = ok && strings.EqualFold(strings.Trim(attr, `"{}`), svc.name)
			default:
				ok = ok && strings.EqualFold(value, svc.attribute(strings.TrimSpace(attr)))
			}
		}
		if ok {
			out = append(out, svc)
		}
	}
	return out
}

// appendPageStart opens a Hub page envelope: {"type":…,"skip":…,"top":…,"total":….
func appendPageStart(b []byte, typeName string, skip, top, total int) []byte {
	if typeName != "" {
		b = append(b, `{"type":`...)
		b = appendJSONString(b, typeName)
		b = append(b, ',')
	} else {
		b = append(b, '{')
	}
	b = append(b, `"skip":`...)
	b = strconv.AppendInt(b, int64(skip), 10)
	b = append(b, `,"top":`...)
	b = strconv.AppendInt(b, int64(top), 10)
	b = append(b, `,"total":`...)
	return strconv.AppendInt(b, int64(total), 10)
}

// tokenOwner resolves {user} and checks that the caller may manage that user's tokens: 404 for an unknown
// user, 403 for someone else's.
func (s *server) tokenOwner(r *http.Request, caller *user) (*user, error) {
	owner, err := s.hubUser(r, caller)
	switch {
	case err != nil:
		return nil, err
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
	fields, err := s.fieldsParam(r, nil)
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
		b = appendPageStart(b, "", pg.skip, len(shown), len(all))
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
	fields, err := s.fieldsParam(r, nil)
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

// tokenRequest is the body of POST .../permanenttokens. A scope entry names a service by id, as scripts
// send it after GET /services ({"id":"0-0-0-0-0"}, RafPe steampipe-plugin-youtrack's provision.sh); the mock
// also takes its key or name. Other members of an entry are ignored, as the Hub ignores them.
type tokenRequest struct {
	Name  *string `json:"name"`
	Scope []struct {
		ID   string `json:"id"`
		Key  string `json:"key"`
		Name string `json:"name"`
	} `json:"scope"`
}

// scope checks the request and returns the services it names.
func (req *tokenRequest) scope() (scopeSet, error) {
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" || len(*req.Name) > 255 {
		return 0, errorf(http.StatusBadRequest, "name is required (at most 255 characters)")
	}
	if len(req.Scope) == 0 {
		return 0, errorf(http.StatusBadRequest, `scope is required: a list of services such as {"id":"%s"}`, hubServiceID)
	}
	var scope scopeSet
	for _, entry := range req.Scope {
		ref := cmp.Or(entry.ID, entry.Key, entry.Name)
		svc, known := serviceNamed(ref)
		if !known {
			return 0, errorf(http.StatusBadRequest, "Unknown service %s in scope; GET %s/services lists them",
				strconv.Quote(quoteForMessage(ref)), hubPrefix)
		}
		scope |= svc.bit
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
	fields, err := s.fieldsParam(r, nil)
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
	s.store.revokeToken(t, s.opts.Now())
	sendEmpty(w, http.StatusOK)
	return nil
}
