package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMockLimitFlags: each limit flag of `ytconform mock` reaches the server, end to end.
func TestMockLimitFlags(t *testing.T) {
	base, _ := runMockInProcess(t, io.Discard, io.Discard, "--addr", "127.0.0.1:0", "--quiet",
		"--max-header-bytes", "4096", "--max-body-bytes", "100", "--max-fields-length", "50", "--max-fields-depth", "2",
		"--read-header-timeout", "300ms")
	const root = "Bearer perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"

	cases := []struct {
		name, method, path, body string
		header                   string // an extra header's value, X-Padding
		wantStatus               int
		wantError                string // the YouTrack error description, or "" for net/http's plain text
	}{
		{"a header block over --max-header-bytes gets 431", "GET", "/api/config", "", strings.Repeat("a", 16<<10), 431, ""},
		{"a header block within it is answered", "GET", "/api/config", "", strings.Repeat("a", 2<<10), 200, ""},
		{"a body over --max-body-bytes gets 413", "POST", "/api/admin/projects", `{"name":"` + strings.Repeat("x", 200) + `","shortName":"X"}`, "", 413,
			"The request body is larger than 100 bytes"},
		{"fields over --max-fields-length gets 400", "GET", "/api/admin/projects?fields=" + strings.Repeat("id,", 20), "", "", 400,
			"fields is 60 characters long; the limit is 50"},
		{"fields deeper than --max-fields-depth gets 400", "GET", "/api/admin/projects?fields=leader(id(x(y)))", "", "", 400,
			"fields is nested deeper than 2 levels"},
		{"fields as deep as --max-fields-depth is answered", "GET", "/api/admin/projects?fields=leader(id(x))", "", "", 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, base+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", root)
			if tc.header != "" {
				req.Header.Set("X-Padding", tc.header)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tc.wantStatus, resp.StatusCode, "%s", body)
			if tc.wantError != "" {
				var e struct {
					Error       string `json:"error"`
					Description string `json:"error_description"`
				}
				require.NoError(t, json.Unmarshal(body, &e), "%s", body)
				wantCode := http.StatusText(tc.wantStatus)
				if tc.wantStatus == http.StatusBadRequest {
					wantCode = "bad_request" // YouTrack's code for a bad parameter
				}
				assert.Equal(t, wantCode, e.Error)
				assert.Equal(t, tc.wantError, e.Description)
			}
		})
	}

	t.Run("a connection stalled in its headers is closed after --read-header-timeout", func(t *testing.T) {
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		require.NoError(t, err)
		defer c.Close()
		_, err = io.WriteString(c, "GET /api/config HTTP/1.1\r\nHost: x")
		require.NoError(t, err)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
		start := time.Now()
		_, err = io.ReadAll(c)
		require.NoError(t, err, "the mock hangs up; the read must not time out")
		assert.Less(t, time.Since(start), 3*time.Second)
	})
}
