package steps

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedactorRemovesEveryFormOfAToken(t *testing.T) {
	var r redactor
	r.add("s3cr3t-custom-token", "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi", "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPU")
	cases := []struct {
		name, text, want string
	}{
		{"a token the target named", "header was Bearer s3cr3t-custom-token.", "header was Bearer <token>."},
		{"a token and its truncated form", "got perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPU and perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi",
			"got <token> and <token>"},
		{"a token nobody told the suite about", `{"token":"perm-YWRtaW4=.NDEtMA==.abcdefghijabcdefghijabcdefghij"}`, `{"token":"<token>"}`},
		{"text without tokens", "GET /api/users/me -> 401: status", "GET /api/users/me -> 401: status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, r.redact(c.text))
		})
	}
}

func TestStepFailuresAreOneRedactedLine(t *testing.T) {
	st := &scenario{}
	st.secrets.add("perm:secret")
	st.exchanges = []*exchange{{method: "GET", path: "/api/users/me", status: 403, body: []byte(`{"echo":"perm:secret"}`)}}
	require.EqualError(t, st.statusIs(401), `GET /api/users/me -> 403: expected status 401, got 403 (body: {"echo":"<token>"})`)
	require.NoError(t, st.statusIs(403))
}

func TestEditLoginSegment(t *testing.T) {
	cases := []struct {
		name, token, want string
		ok                bool
	}{
		{"the documented shape", "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi", "perm:cm9vdC5lZGl0ZWQ=.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi", true},
		{"the modern shape", "perm-YWRtaW4=.NDEtMA==.abc", "perm-YWRtaW4uZWRpdGVk.NDEtMA==.abc", true},
		{"a token of another shape", "opaque-token", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := editLoginSegment(c.token)
			require.Equal(t, c.ok, ok)
			require.Equal(t, c.want, got)
		})
	}
}
