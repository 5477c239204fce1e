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

func (s *server) routeTable() []route {
	return []route{
		{"GET", "/api/admin/projects", s.youtrackAPI(s.handleListProjects)},
		{"POST", "/api/admin/projects", s.youtrackAPI(s.handleCreateProject)},
		{"GET", "/api/admin/projects/{id}", s.youtrackAPI(s.handleGetProject)},
		{"DELETE", "/api/admin/projects/{id}", s.youtrackAPI(s.handleDeleteProject)},
		{"GET", "/api/users/me", s.youtrackAPI(s.handleMe)},
		{"GET", "/api/config", s.public(s.handleConfig)},
		{"GET", "/api/openapi.json", s.public(s.handleOpenAPI)},

		{"GET", "/rest/admin/project", s.legacyAPI(s.handleLegacyProjects)},

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

// routes builds the mux. Each path also gets a method-less pattern that answers 405 with Allow (the
// method-specific patterns are more specific, so they win), and "/" answers 404: both in the API's
// own error shape rather than net/http's plain text. A request for exactly the path of a route without
// wildcards skips the mux's search, which was a sixth of the handler's time under load: the mux would
// choose that route anyway.
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
	for _, path := range paths {
		mux.Handle(path, methodNotAllowed(allowed[path]))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, "", "No resource at "+quoteForMessage(r.URL.Path))
	})
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

func methodNotAllowed(methods []string) http.Handler {
	methods = slices.Clone(methods)
	slices.Sort(methods)
	allow := []string{strings.Join(methods, ", ")}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Allow"] = allow
		writeError(w, r, http.StatusMethodNotAllowed, "", "Method "+quoteForMessage(r.Method)+" is not allowed here; allowed: "+allow[0])
	})
}
