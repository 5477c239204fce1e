package mockserver

import (
	"net/http"
	"slices"
	"strings"
)

// route is one operation of the mock. Every route is listed once, here.
type route struct {
	method, path string
	handler      http.Handler
}

const hubPrefix = "/hub/api/rest"

// routeTable lists the operations by their paths in the default layout (the base URL at the origin);
// layout.go maps a request under --base-path onto them.
func (s *server) routeTable() []route {
	return []route{
		{"GET", "/api/admin/projects", s.youtrackAPI(s.handleListProjects)},
		{"POST", "/api/admin/projects", s.youtrackAPI(s.handleCreateProject)},
		{"GET", "/api/admin/projects/{id}", s.youtrackAPI(s.handleGetProject)},
		{"POST", "/api/admin/projects/{id}", s.youtrackAPI(s.handleUpdateProject)},
		{"DELETE", "/api/admin/projects/{id}", s.youtrackAPI(s.handleDeleteProject)},
		{"GET", "/api/users", s.youtrackAPI(s.handleListUsers)},
		{"GET", "/api/users/me", s.youtrackAPI(s.handleMe)},
		{"GET", "/api/users/{id}", s.youtrackAPI(s.handleGetUser)},
		{"GET", "/api/config", s.public(s.handleConfig)},
		{"GET", "/api/openapi.json", s.public(s.handleOpenAPI)},

		{"GET", "/rest/admin/project", s.legacyAPI(s.handleLegacyProjects)},
		{"GET", "/rest/admin/project/{shortName}", s.legacyAPI(s.handleLegacyProject)},
		{"GET", "/rest/project/all", s.legacyAPI(s.handleLegacyAllProjects)},
		{"GET", "/rest/user/current", s.legacyAPI(s.handleLegacyCurrentUser)},
		{"GET", "/rest/user/{login}", s.legacyAPI(s.handleLegacyUser)},

		{"GET", hubPrefix + "/users/{user}", s.hubAPI(s.handleHubUser)},
		{"GET", hubPrefix + "/services", s.hubAPI(s.handleServices)},
		{"GET", hubPrefix + "/users/{user}/permanenttokens", s.hubAPI(s.handleListTokens)},
		{"POST", hubPrefix + "/users/{user}/permanenttokens", s.hubAPI(s.handleCreateToken)},
		{"GET", hubPrefix + "/users/{user}/permanenttokens/{token}", s.hubAPI(s.handleGetToken)},
		{"DELETE", hubPrefix + "/users/{user}/permanenttokens/{token}", s.hubAPI(s.handleRevokeToken)},

		// The mock's own control API (control.go): no token, never faulted, not journaled.
		{"GET", ControlPrefix + "/health", s.public(s.handleHealth)},
		{"GET", ControlPrefix + "/requests", s.public(s.handleRequests)},
		{"DELETE", ControlPrefix + "/requests", s.public(s.handleClearRequests)},
		{"POST", ControlPrefix + "/reset", s.public(s.handleReset)},
	}
}

// routes builds the mux. A request no route takes falls to "/": a known path asked with another method
// answers 405 with Allow, any other 404. Both authenticate first, as YouTrack does: a bad token gets its
// API's 401 whatever the path. A request for exactly the path of a
// route without wildcards skips the mux's search, which was a sixth of the handler's time under load: the
// mux would choose that route anyway.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	static := map[staticRoute]staticHandler{}
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range s.routeTable() {
		pattern := rt.method + " " + rt.path
		mux.Handle(pattern, rt.handler)
		if !strings.Contains(rt.path, "{") {
			static[staticRoute{rt.method, rt.path}] = staticHandler{pattern, rt.handler}
		}
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
		if rt.method == http.MethodGet {
			allowed[rt.path] = append(allowed[rt.path], http.MethodHead)
		}
	}
	// The paths without their methods, in a mux of their own: a method-less pattern beside the routes would
	// conflict with them ("/api/users/me" and "GET /api/users/{id}").
	known := http.NewServeMux()
	for _, path := range paths {
		known.Handle(path, s.methodNotAllowed(allowed[path]))
	}
	mux.Handle("/", s.authenticated(func(w http.ResponseWriter, r *http.Request) error {
		if h, pattern := known.Handler(r); pattern != "" {
			h.ServeHTTP(w, r)
			return nil
		}
		return errNotFound
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// RawPath is set only when the path has escapes, which the mux matches in their own way.
		if sh, ok := static[staticRoute{r.Method, r.URL.Path}]; ok && r.URL.RawPath == "" {
			r.Pattern = sh.pattern
			sh.handler.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

type staticRoute struct{ method, path string }

type staticHandler struct {
	pattern string
	handler http.Handler
}

// YouTrack's own words for an unknown path and for a known path asked with another method
// (docs: api-troubleshoot-incorrect-issue-url; ryancheley/yt-cli#150).
var (
	errNotFound         = errorf(http.StatusNotFound, "HTTP 404 Not Found")
	errMethodNotAllowed = errorf(http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed")
)

// methodNotAllowed answers a request already authenticated by the "/" route.
func (s *server) methodNotAllowed(methods []string) http.Handler {
	methods = slices.Clone(methods)
	slices.Sort(methods)
	allow := []string{strings.Join(methods, ", ")}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Allow"] = allow
		writeError(w, r, errMethodNotAllowed)
	})
}
