package secrets

import (
	"net/url"
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

func TestRedactCatchesEncodedShapes(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"percent-encoded, as in a Location", "Location: /login?t=perm%3Acm9vdA%3D%3D.dG9rZW4%3D.rNZ38ije", "Location: /login?t=<token>"},
		{"lower-case percent-encoding", "perm%3acm9vdA%3d%3d.x", "<token>"},
		{"JSON-escaped colon", `{"login":"perm\u003acm9vdA==.dG9rZW4=.rNZ38"}`, `{"login":"<token>"}`},
		{"the modern shape percent-encoded", "perm%2DYWRtaW4%3D.NDEtMA%3D%3D.abc", "<token>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, Redact(c.text))
		})
	}
}

// TestRedactorRemovesEveryFormOfAKnownSecret: a server may echo a token encoded; the redactor knows its
// forms, and the random part of a YouTrack token alone.
func TestRedactorRemovesEveryFormOfAKnownSecret(t *testing.T) {
	const token = "perm-YWJjLyt4.NDEtMQ==.OrsJqG8rcRI2CQtqAbCdEfGhIjKlMn"
	const arbitrary = "s3cr3t/abc+def&g"
	var r Redactor
	r.Add(token, arbitrary, "x", " ", token[:40])
	cases := []struct{ name, text, want string }{
		{"as written", "Bearer " + token, "Bearer <token>"},
		{"query-escaped", "?t=" + url.QueryEscape(token), "?t=<token>"},
		{"path-escaped", "/u/" + url.PathEscape(arbitrary) + "/x", "/u/<token>/x"},
		{"JSON with an escaped slash", `{"t":"s3cr3t\/abc+def\u0026g"}`, `{"t":"<token>"}`},
		{"the random part alone", "secret=OrsJqG8rcRI2CQtqAbCdEfGhIjKlMn.", "secret=<token>."},
		{"an arbitrary secret", "echo " + arbitrary, "echo <token>"},
		{"too short to replace where it stands", "a box of x", "a box of x"},
		{"a token and its truncated form, the longer first", "got " + token[:40] + " and " + token, "got <token> and <token>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, r.Redact(c.text))
		})
	}
}
