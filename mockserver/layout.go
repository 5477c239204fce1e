package mockserver

import (
	"net/http"
	"path"
	"strings"
)

// layout maps a request as a client sends it onto the routes: YouTrack's APIs under the base path, the
// Hub's at the origin's /hub/api (Cloud: YouTrack at https://x/youtrack, its Hub at https://x/hub), the
// control API at the origin. Every other path is YouTrack's web app, which answers 200 text/html whatever
// the path: the trap a client with a wrong base URL meets on a real server (youtrack-rest-client#16,
// TeamCodeStream/codestream#467). The access log and the journal keep the path as the client sent it.
func (s *server) layout(next http.Handler) http.Handler {
	base := s.opts.BasePath
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case !strings.HasPrefix(p, "/") || path.Clean(p) != p && !strings.HasSuffix(p, "/"):
			next.ServeHTTP(w, r) // ServeMux answers these ("*", "//api", "/api/../x") in net/http's own way
		case strings.HasPrefix(p, "/hub/api/") || p == ControlPrefix || strings.HasPrefix(p, ControlPrefix+"/"):
			next.ServeHTTP(w, r)
		case base == "" && isYouTrackAPI(p):
			next.ServeHTTP(w, r)
		case base != "" && strings.HasPrefix(p, base) && isYouTrackAPI(p[len(base):]):
			next.ServeHTTP(w, withoutPrefix(r, base))
		default:
			send(w, r, http.StatusOK, htmlType, webApp)
		}
	})
}

func isYouTrackAPI(p string) bool {
	return p == "/api" || strings.HasPrefix(p, "/api/") || p == "/rest" || strings.HasPrefix(p, "/rest/")
}

// withoutPrefix is r with prefix cut from its path, for the routes, which know the default layout only.
func withoutPrefix(r *http.Request, prefix string) *http.Request {
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path = strings.TrimPrefix(u.Path, prefix)
	u.RawPath = strings.TrimPrefix(u.RawPath, prefix)
	r2.URL = &u
	return r2
}

var htmlType = []string{"text/html;charset=UTF-8"}

// webApp stands for YouTrack's web application: what a browser, or a client with a wrong base URL, gets.
var webApp = []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>YouTrack</title></head>` +
	`<body><div id="app-root">Loading YouTrack...</div><noscript>YouTrack needs JavaScript.</noscript>` +
	`<!-- ytconform mock: this path is not one of YouTrack's APIs; is the base URL right? --></body></html>`)

// errLegacyDisabled is what YouTrack 2021.3 and later answer on every /rest path, in /api's error shape
// (GothenburgBitFactory/bugwarrior#836, mogic-le/youtrack-to-jira#4).
var errLegacyDisabled = &apiError{status: http.StatusBadRequest, code: "Deprecated REST API is disabled",
	description: "https://blog.jetbrains.com/youtrack/2021/02/discontinuing-the-legacy-rest-api-action-required",
	modernShape: true}

// legacySwitch answers every /rest request with errLegacyDisabled, before authentication, when the
// fixtures switch the legacy API off.
func (s *server) legacySwitch(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if familyOf(r.URL.Path) == familyLegacy && s.store.settings().LegacyAPI == LegacyDisabled {
			writeError(w, r, errLegacyDisabled)
			return
		}
		next.ServeHTTP(w, r)
	})
}
