package mockserver_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/internal/specval"
)

// strictContract wraps the mock so that every exchange a test makes is validated against openapi.yaml,
// request and response, undocumented statuses included. A violation fails the test that made it. basePath
// is the mock's Options.BasePath; its Hub is at the origin's /hub.
func strictContract(t *testing.T, srv *httptest.Server, basePath string, next http.Handler) http.Handler {
	t.Helper()
	var validator *specval.Validator
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if validator == nil { // the URL is known only once the server has started
			v, err := specval.New(srv.URL+basePath, srv.URL+"/hub")
			require.NoError(t, err)
			validator = v
		}
		reqBody, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)

		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			require.NoError(t, err)
			body, err = io.ReadAll(zr)
			require.NoError(t, err)
		}
		checked := r.Clone(r.Context())
		checked.Body = io.NopCloser(bytes.NewReader(reqBody))
		err := validator.Check(checked, reqBody, rec.Code, rec.Header(), body)
		switch {
		case errors.Is(err, routers.ErrPathNotFound) && rec.Code == http.StatusNotFound:
			// The contract cannot list the paths that do not exist; their 404 must still be a YouTrack error.
			err = nil
			if gjson.GetBytes(body, "error").Type != gjson.String {
				t.Errorf("404 for an unknown path %s is not a YouTrack error: %s", r.URL.Path, body)
			}
		case errors.Is(err, routers.ErrPathNotFound) && rec.Code == http.StatusOK && rec.Header().Get("Content-Type") == "text/html;charset=UTF-8":
			err = nil // a path outside the APIs: the web app, which the contract does not describe
		case (errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed)) && rec.Code == http.StatusUnauthorized:
			// Authentication comes before routing: an unknown path gets its API's 401, in its API's shape.
			err = nil
			if !gjson.GetBytes(body, "error").Exists() && !gjson.GetBytes(body, "value").Exists() {
				t.Errorf("401 for an unknown path %s is not an error of its API: %s", r.URL.Path, body)
			}
		}
		if err != nil {
			t.Errorf("contract violation: %v", err)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}
