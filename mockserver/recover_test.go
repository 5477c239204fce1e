package mockserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const panicTestToken = "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"

func TestPanicIsAYouTrack500WithoutSecrets(t *testing.T) {
	cases := []struct {
		name     string
		path     string
		wantBody string
	}{
		{"under /api the body is a YouTrack error", "/api/admin/projects",
			`{"error":"Internal Server Error","error_description":"The mock failed to answer this request; this is a bug in ytconform"}`},
		{"under the Hub API the body is a Hub error", "/hub/api/rest/users/me/permanenttokens",
			`{"error":"Internal Server Error","error_code":500,"error_description":"The mock failed to answer this request; this is a bug in ytconform"}`},
		{"under /rest the body is a legacy error", "/rest/admin/project",
			`{"value":"The mock failed to answer this request; this is a bug in ytconform"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			s := &server{log: newAccessLog(&logged), opts: Options{}.withDefaults()}
			h := s.recordRequests(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Allow", "GET") // a header set before the panic must not leak into the 500
				panic("store broke while serving " + panicTestToken)
			})))

			req := httptest.NewRequest("GET", tc.path+"?fields=id&secret=query-value", nil)
			req.Header.Set("Authorization", "Bearer "+panicTestToken)
			req.Header.Set("X-Custom", "header-value")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			require.Equal(t, 500, rec.Code)
			assert.JSONEq(t, tc.wantBody, rec.Body.String())
			assert.Empty(t, rec.Header().Get("Allow"))
			assert.Equal(t, "YouTrack", rec.Header().Get("Server"), "the 500 carries the common headers")

			s.log.flush() // the request's line waits up to AccessLogDelay otherwise
			out := logged.String()
			assert.Contains(t, out, "panic serving GET "+tc.path+": store broke while serving <token>")
			assert.Contains(t, out, " 500 ", "the access log records the 500")
			for _, secret := range []string{panicTestToken, panicTestToken[len(panicTestToken)-30:], "query-value", "header-value"} {
				assert.NotContains(t, out, secret)
			}
		})
	}
}

func TestPanicAfterTheAnswerBeganClosesTheConnection(t *testing.T) {
	s := &server{opts: Options{}.withDefaults(), log: newAccessLog(io.Discard)}
	srv := httptest.NewServer(s.recordRequests(s.recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		w.Write([]byte("partial"))
		panic("broke mid-answer")
	}))))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/api/config")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	require.Error(t, err, "a half-written answer must not look complete")
	assert.True(t, strings.Contains(err.Error(), "EOF"), "got %v", err)
}
