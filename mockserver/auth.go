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

// identify finds who a request runs as: the owner of a live token granted for the service, or guest
// when there is no Authorization header and guests are allowed. It returns nil to refuse. scopeMissing
// reports a live token refused only for its scope, which the Hub API answers in its own words.
func (s *server) identify(r *http.Request, service scopeSet, guestAllowed bool) (u *user, t *token, scopeMissing bool) {
	secret, present, ok := bearerToken(r.Header)
	if !present {
		guest, allowed := s.store.guest()
		if guestAllowed && allowed {
			return guest, nil, false
		}
		return nil, nil, false
	}
	if !ok {
		return nil, nil, false
	}
	t = s.store.authenticate(secret)
	if t == nil || t.owner.banned {
		return nil, nil, false
	}
	if t.scope&service == 0 {
		return nil, t, true
	}
	t.touch(s.opts.Now())
	return t.owner, t, false
}

type userHandler func(w http.ResponseWriter, r *http.Request, u *user)

// youtrackAPI admits requests to /api: a token granted for YouTrack, or guest.
func (s *server) youtrackAPI(h userHandler) http.Handler { return s.youtrackScope(true, h) }

// legacyAPI admits requests to /rest: a token granted for YouTrack; the legacy API never runs as guest.
func (s *server) legacyAPI(h userHandler) http.Handler { return s.youtrackScope(false, h) }

func (s *server) youtrackScope(guestAllowed bool, h userHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _, _ := s.identify(r, scopeYouTrack, guestAllowed)
		if u == nil {
			unauthorized(w, r)
			return
		}
		noteLogin(w, u.login)
		h(w, r, u)
	})
}

// hubAPI admits requests to the Hub API: a token granted for Hub. A live token without that scope is
// told so, in the Hub's words.
func (s *server) hubAPI(h userHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, t, scopeMissing := s.identify(r, scopeHub, false)
		if scopeMissing {
			noteLogin(w, t.owner.login)
			writeErrorCode(w, r, http.StatusUnauthorized, "invalid_token",
				"Token is granted for ["+strings.Join(t.scope.names(), ", ")+"] and can't be used for Hub")
			return
		}
		if u == nil {
			unauthorized(w, r)
			return
		}
		noteLogin(w, u.login)
		h(w, r, u)
	})
}
