package steps

import (
	"strings"
	"testing"

	messages "github.com/cucumber/messages/go/v34"
	"github.com/stretchr/testify/require"
)

func TestStepFailuresAreOneRedactedLine(t *testing.T) {
	st := &scenario{}
	st.secrets.Add("perm:secret")
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

// TestTheSummaryCarriesNoControlCharacter: a reason may quote a server's bytes; the terminal gets none of
// its control characters (an ESC would recolour it, a CR overwrite the line).
func TestTheSummaryCarriesNoControlCharacter(t *testing.T) {
	s := &Suite{runs: newRecords()}
	s.scenarioRecord(&messages.Pickle{Id: "1", Uri: "features/legacy.feature", Name: "x"}).result =
		&Result{Feature: "features/legacy.feature", Scenario: "x", Outcome: Failed, Reason: "bad XML \x1b[31mred\rover\x00"}
	var out strings.Builder
	s.WriteSummary(&out)
	require.Equal(t, "failed: features/legacy.feature: x: bad XML \uFFFD[31mred over\uFFFD\n1 scenario: 0 passed, 1 failed, 0 skipped\n", out.String())
}
