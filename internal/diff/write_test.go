package diff

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a comparison with something of everything: two differences of one operation seen twice, one of
// another seen once, a header that varies on A, and a scenario B skipped.
func sample(t *testing.T) *Result {
	t.Helper()
	projects := ok(listProjects, "/api/admin/projects?fields=name,leader(login)",
		`[{"name":"First Project","leader":{"login":"root","$type":"User"},"$type":"Project"}]`)
	projectsOnB := ok(listProjects, "/api/admin/projects?fields=name,leader(login)",
		`[{"name":"First Project","leader":{"id":"1-1","login":"root","$type":"User"},"$type":"Project"}]`).
		with("X-Content-Type-Options:")
	meA := ok(me, "/api/users/me?fields=login", `{"login":"<script>root</script>","$type":"Me"}`)
	meB := answerOf{op: me, path: "/api/users/me?fields=login", status: 400, body: `{"error":"bad_request"}`}

	a1 := runOn(baseA,
		play{name: "Listing projects", answers: []answerOf{projects, meA}},
		play{name: "Listing them again", answers: []answerOf{projects}},
		play{name: "Revoking a token", answers: []answerOf{meA}})
	a2 := runOn(baseA,
		play{name: "Listing projects", answers: []answerOf{projects.with("Server: YouTrack/2026.1"), meA}},
		play{name: "Listing them again", answers: []answerOf{projects}},
		play{name: "Revoking a token", answers: []answerOf{meA}})
	b := runOn(baseB,
		play{name: "Listing projects", answers: []answerOf{projectsOnB, meB}},
		play{name: "Listing them again", answers: []answerOf{projectsOnB}},
		play{name: "Revoking a token", skipped: "the target file has no hub section"})
	return Compare(a1, a2, b, Options{})
}

func TestWriteText(t *testing.T) {
	t.Run("differences are grouped by operation, the one with the most first, and summed up last", func(t *testing.T) {
		var out strings.Builder
		require.NoError(t, WriteText(&out, sample(t)))
		assert.Equal(t, `GET /api/admin/projects  header X-Content-Type-Options: A nosniff, B (absent)  (2 exchanges)
GET /api/admin/projects  keys body[*].leader: A {login,$type}, B {id,login,$type}  (2 exchanges)
GET /api/users/me  status: A 200 OK, B 400 Bad Request  (1 exchange)

Noise rules that fired:
  header Date  (3 exchanges)
  header Content-Length  (3 exchanges)

Ignored, as it differs between A's two runs:
  GET /api/admin/projects header Server  (header)

Not compared:
  features/projects.feature:17 Revoking a token: skipped on B: the target file has no hub section

3 differences in 2 operations; 3 exchanges compared, 1 ignored path
`, out.String())
	})
	t.Run("without difference the last line says so", func(t *testing.T) {
		a := runOn(baseA, play{name: "Me", answers: []answerOf{ok(me, "/api/users/me", `{"login":"root"}`)}})
		var out strings.Builder
		require.NoError(t, WriteText(&out, Compare(a, a, a, Options{})))
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		assert.Equal(t, "no difference: 1 exchange compared, 0 ignored paths", lines[len(lines)-1])
	})
}

func TestWriteJSON(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteJSON(&out, sample(t)))
	var got struct {
		Options     map[string]any   `json:"options"`
		Differences []map[string]any `json:"differences"`
		Noise       struct {
			Rules   []map[string]any `json:"rules"`
			Learned []map[string]any `json:"learned"`
		} `json:"noise"`
		NotCompared []map[string]any `json:"notCompared"`
		Counts      map[string]int   `json:"counts"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
	require.Len(t, got.Differences, 3)
	assert.Equal(t, "header", got.Differences[0]["kind"])
	assert.Equal(t, "header X-Content-Type-Options", got.Differences[0]["path"])
	assert.Len(t, got.Differences[0]["seen"], 2)
	assert.Len(t, got.Noise.Learned, 1)
	assert.Len(t, got.NotCompared, 1)
	assert.Equal(t, map[string]int{"differences": 3, "operations": 2, "exchanges": 3, "ignoredPaths": 1, "notCompared": 1},
		got.Counts)
	assert.Contains(t, out.String(), "\n  \"differences\": [", "indented")
}

// externalAsset is anything a browser would fetch: a src or href to http(s), a CSS url() or @import.
var externalAsset = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import`)

func TestWriteHTML(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, WriteHTML(&out, sample(t)))
	page := out.String()
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	assert.Contains(t, page, "<h2>GET /api/admin/projects<span")
	assert.Contains(t, page, `<td class="b"><pre>{id,login,$type}</pre></td>`, "A and B side by side")
	assert.Contains(t, page, "<details class=\"section\">\n<summary>Not compared: 1 scenario</summary>")
	assert.Contains(t, page, "3 differences in 2 operations; 3 exchanges compared, 1 ignored path")
	assert.NotContains(t, page, "<script>", "what servers answer is escaped")
	assert.Empty(t, externalAsset.FindAllString(page, -1), "no external asset")
}
