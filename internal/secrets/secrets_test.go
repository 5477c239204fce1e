package secrets

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"the documented shape", "Bearer perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi.", "Bearer <token>"},
		{"the modern shape in JSON", `{"token":"perm-YWRtaW4=.NDEtMA==.abcdefghijabcdefghijabcdefghij"}`, `{"token":"<token>"}`},
		{"a truncated token in a path", "/api/admin/projects/perm-amFu", "/api/admin/projects/<token>"},
		{"two tokens", "perm:a and perm-b", "<token> and <token>"},
		{"text without tokens", "GET /api/users/me -> 401", "GET /api/users/me -> 401"},
		{"a word that only starts like one", "permanent tokens", "permanent tokens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, Redact(c.text))
		})
	}
}
