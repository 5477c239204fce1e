package mockserver

import (
	"net/http"
	"strings"
)

// maxTokenLength is far above any real permanent token; longer credentials are refused unhashed.
const maxTokenLength = 1024

// bearerToken reads the one Authorization header of a request. present is false when there is none:
// that request runs as guest. A header that is not exactly one well-formed Bearer credential gives
// ok == false. The scheme name is case-insensitive (RFC 7235 §2.1).
func bearerToken(h http.Header) (secret string, present, ok bool) {
	values := h["Authorization"]
	switch len(values) {
	case 0:
		return "", false, false
	case 1:
	default: // two credentials: refuse rather than guess which one counts
		return "", true, false
	}
	scheme, rest, found := strings.Cut(values[0], " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", true, false
	}
	secret = strings.Trim(rest, " \t")
	if secret == "" || len(secret) > maxTokenLength || !isTokenText(secret) {
		return "", true, false
	}
	return secret, true, true
}

// isTokenText accepts the characters of RFC 6750's b64token plus ':', which old tokens contain.
func isTokenText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == ':') {
			return false
		}
	}
	return true
}

// userHandler serves a request for the user it runs as. An error it returns is the answer (answerError).
type userHandler func(w http.ResponseWriter, r *http.Request, caller *user) error

// youtrackAPI admits requests to /api: a token granted for YouTrack, or guest.
func (s *server) youtrackAPI(h userHandler) http.Handler { return s.admit(scopeYouTrack, true, h) }

// legacyAPI admits requests to /rest: a token granted for YouTrack; the legacy API never runs as guest.
func (s *server) legacyAPI(h userHandler) http.Handler { return s.admit(scopeYouTrack, false, h) }

// hubAPI admits requests to the Hub API: a token granted for Hub, never guest.
func (s *server) hubAPI(h userHandler) http.Handler { return s.admit(scopeHub, false, h) }

func (s *server) admit(service scopeSet, guestAllowed bool, h userHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.identify(w, r, service, guestAllowed)
		if err == nil {
			err = h(w, r, u)
		}
		if err != nil {
			answerError(w, r, err)
		}
	})
}

// identify finds who a request runs as: the owner of a live token granted for the service, or guest
// when there is no Authorization header and guests are allowed. Every other request gets errUnauthorized,
// except a live token refused by the Hub only for its scope, which the Hub tells in its own words.
func (s *server) identify(w http.ResponseWriter, r *http.Request, service scopeSet, guestAllowed bool) (*user, error) {
	secret, present, ok := bearerToken(r.Header)
	if !present {
		guest, allowed := s.store.guest()
		if !guestAllowed || !allowed {
			return nil, errUnauthorized
		}
		noteLogin(w, guest.login)
		return guest, nil
	}
	if !ok {
		return nil, errUnauthorized
	}
	now := s.opts.Now()
	t := s.store.authenticate(secret, now)
	if t == nil || t.owner.banned {
		return nil, errUnauthorized
	}
	if t.scope&service == 0 {
		if service != scopeHub {
			return nil, errUnauthorized
		}
		noteLogin(w, t.owner.login)
		return nil, errScopeLacksHub(t.scope)
	}
	t.touch(now)
	noteLogin(w, t.owner.login)
	return t.owner, nil
}

// errScopeLacksHub is the Hub's refusal of a live token not granted for it, naming the granted services
// and the Hub service's id, as captured in YouTrackSharp#116:
// {"error":"invalid_token","error_code":401,"error_description":"Token is granted for [YouTrack] and can't
// be used for 0-0-0-0-0","error_developer_message":…the same…}.
func errScopeLacksHub(granted scopeSet) *apiError {
	why := "Token is granted for [" + granted.names() + "] and can't be used for " + hubServiceID
	return &apiError{status: http.StatusUnauthorized, code: "invalid_token", description: why, developerMessage: why}
}

// public serves a route that needs no token: /api/config and the control API.
func (s *server) public(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			answerError(w, r, err)
		}
	})
}

// authenticated runs h once the request's credentials pass its API's check, for the paths no route
// serves: a bad token gets its API's 401 before any 404 or 405, as on a real server (saved results of
// AmirBurhanov/Test_YouTrack_API: POST /api/issues without a token, 401). The control API needs none.
func (s *server) authenticated(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		switch {
		case strings.HasPrefix(r.URL.Path, ControlPrefix+"/"):
		case familyOf(r.URL.Path) == familyLegacy:
			_, err = s.identify(w, r, scopeYouTrack, false)
		case familyOf(r.URL.Path) == familyHub:
			_, err = s.identify(w, r, scopeHub, false)
		default:
			_, err = s.identify(w, r, scopeYouTrack, true)
		}
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			answerError(w, r, err)
		}
	})
}
