package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/target"
)

// TestInspectSaysWhatCameBackAndWhereTheHubIs: a base URL that reaches something else than YouTrack's API
// stops the run with what came back and what to try; a YouTrack's ring.url says where its Hub is.
func TestInspectSaysWhatCameBackAndWhereTheHubIs(t *testing.T) {
	cases := []struct {
		name     string
		answer   func(w http.ResponseWriter, r *http.Request)
		basePath string
		hubURL   string // in the target file
		wantErr  string
		wantHub  string // the Hub URL, after the server's address
		wantNote string
	}{
		{name: "the web app answers a base URL without its prefix", answer: html,
			wantErr: "answered 200 with a web page, not YouTrack's API: the base URL may lack its /youtrack prefix (try SERVER/youtrack)"},
		{name: "the web app answers a base URL with a wrong prefix", answer: html, basePath: "/yt",
			wantErr: "the base URL's path may be wrong (try the origin, SERVER, or another prefix)"},
		{name: "a login page in front redirects", answer: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/login?next=/api/config", http.StatusFound)
		}, wantErr: `answered 302, a redirect to "/login?next=/api/config": a login page or a gateway stands in front of YouTrack`},
		{name: "a 404 that is not YouTrack's", answer: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantErr: "answered a 404 that is not YouTrack's (404 page not found\n)"},
		{name: "a relative ring.url is the origin's", basePath: "/youtrack", answer: config(`{"ring":{"url":"/hub","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`),
			wantHub: "/hub", wantNote: "(from ring.url of /api/config, /hub)"},
		{name: "an absolute ring.url is taken as it is", answer: config(`{"ring":{"url":"https://hub.example.com/hub/","$type":"RingFrontendConfig"},"$type":"FrontendConfig"}`),
			wantHub: "https://hub.example.com/hub", wantNote: "(from ring.url of /api/config, https://hub.example.com/hub/)"},
		{name: "no ring.url: under the base URL", basePath: "/youtrack", answer: config(`{"version":"2019.3","$type":"FrontendConfig"}`),
			wantHub: "/youtrack/hub", wantNote: "(the default: /api/config gave no ring.url)"},
		{name: "the target file says it", hubURL: "https://hub.example.com", answer: config(`{"ring":{"url":"/hub"},"$type":"FrontendConfig"}`),
			wantHub: "https://hub.example.com", wantNote: "(from the target file)"},
		{name: "an error of YouTrack's own is the scenarios' business", answer: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"error":"Not Found","error_description":"HTTP 404 Not Found"}`))
		}, wantHub: "/hub", wantNote: "(the default"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(c.answer))
			defer srv.Close()
			tgt := &target.Target{BaseURL: srv.URL + c.basePath, Admin: &target.Identity{Token: "perm:x"},
				Hub: &target.Hub{Enabled: true, URL: c.hubURL}}
			note, err := Inspect(context.Background(), tgt, 2*time.Second)
			if c.wantErr != "" {
				require.ErrorContains(t, err, strings.Replace(c.wantErr, "SERVER", srv.URL, 1))
				return
			}
			require.NoError(t, err)
			wantHub := c.wantHub
			if wantHub[0] == '/' {
				wantHub = srv.URL + wantHub
			}
			require.Equal(t, wantHub, tgt.Hub.URL)
			require.Contains(t, note, "the Hub is at "+wantHub+" "+c.wantNote)
		})
	}
}

func html(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html;charset=UTF-8")
	w.Write([]byte("<html><body>Loading YouTrack...</body></html>"))
}

func config(body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write([]byte(body))
	}
}
