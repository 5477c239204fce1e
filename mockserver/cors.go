package mockserver

import (
	"net/http"
	"slices"
)

// cors answers browsers as YouTrack does for its "Allowed origins" setting: a request whose Origin is
// allowed gets it back in exactly one Access-Control-Allow-Origin, with credentials allowed; any other
// origin gets no CORS header at all. A preflight (OPTIONS with Access-Control-Request-Method) is answered
// here, before authentication, since browsers send it without credentials: 200 with the allowed methods
// and headers for an allowed origin, 403 otherwise.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header["Origin"]
		if len(origin) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		allowed := len(origin) == 1 && slices.Contains(s.store.settings().CORSOrigins, origin[0])
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if allowed {
			h := w.Header()
			h["Access-Control-Allow-Origin"] = origin[:1:1]
			h["Access-Control-Allow-Credentials"] = trueValue
		}
		switch {
		case preflight && allowed:
			h := w.Header()
			h["Access-Control-Allow-Methods"] = corsMethods
			h["Access-Control-Allow-Headers"] = []string{r.Header.Get("Access-Control-Request-Headers")}
			if h.Get("Access-Control-Allow-Headers") == "" {
				h["Access-Control-Allow-Headers"] = corsHeaders
			}
			h["Access-Control-Max-Age"] = corsMaxAge
			sendEmpty(w, http.StatusOK)
		case preflight:
			writeError(w, r, errorf(http.StatusForbidden, "Origin %s is not allowed", quoteForMessage(origin[0])))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

var (
	trueValue   = []string{"true"}
	corsMethods = []string{"GET, POST, DELETE, OPTIONS"}
	corsHeaders = []string{"Authorization, Content-Type, Accept"}
	corsMaxAge  = []string{"600"}
)
