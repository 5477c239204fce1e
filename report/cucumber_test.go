package report_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/report"
)

// The cucumber JSON a reader decodes.
type (
	cukeFeature struct {
		URI      string        `json:"uri"`
		ID       string        `json:"id"`
		Keyword  string        `json:"keyword"`
		Name     string        `json:"name"`
		Tags     []cukeTag     `json:"tags"`
		Elements []cukeElement `json:"elements"`
	}
	cukeTag struct {
		Name string `json:"name"`
	}
	cukeElement struct {
		ID      string     `json:"id"`
		Keyword string     `json:"keyword"`
		Name    string     `json:"name"`
		Line    int        `json:"line"`
		Type    string     `json:"type"`
		Tags    []cukeTag  `json:"tags"`
		Steps   []cukeStep `json:"steps"`
	}
	cukeStep struct {
		Keyword string `json:"keyword"`
		Name    string `json:"name"`
		Line    int    `json:"line"`
		Match   struct {
			Location string `json:"location"`
		} `json:"match"`
		Result struct {
			Status   string `json:"status"`
			Duration *int64 `json:"duration"`
			Error    string `json:"error_message"`
		} `json:"result"`
		Embeddings []struct {
			MimeType string `json:"mime_type"`
			Data     string `json:"data"`
			Name     string `json:"name"`
		} `json:"embeddings"`
	}
)

func TestWriteCucumberJSON(t *testing.T) {
	tests := []struct {
		name  string
		run   *report.Run
		check func(t *testing.T, features []cukeFeature)
	}{
		{
			name: "each feature holds one element per scenario, in order",
			run:  sampleRun(),
			check: func(t *testing.T, features []cukeFeature) {
				require.Len(t, features, 2)
				assert.Equal(t, "features/tokens.feature", features[0].URI)
				assert.Equal(t, "Feature", features[0].Keyword)
				assert.Equal(t, "permanent-tokens", features[0].ID)
				assert.Equal(t, []cukeTag{{Name: "@tokens"}}, features[0].Tags)
				var names []string
				for _, e := range features[1].Elements {
					names = append(names, e.Name)
					assert.Equal(t, "scenario", e.Type)
				}
				assert.Equal(t, []string{"the reference exchange of the help page",
					"the answer carries the documented headers", "the answer carries the documented headers"}, names)
				assert.NotEqual(t, features[1].Elements[1].ID, features[1].Elements[2].ID, "the rows of an outline")
				assert.Equal(t, "Scenario Outline", features[1].Elements[1].Keyword)
			},
		},
		{
			name: "a step's match location is its step definition",
			run:  sampleRun(),
			check: func(t *testing.T, features []cukeFeature) {
				steps := features[0].Elements[1].Steps
				var locations []string
				for _, s := range steps {
					locations = append(locations, s.Match.Location)
				}
				assert.Equal(t, []string{"steps/requests.go:41", "steps/tokens.go:88", "steps/tokens.go:120", "steps/tokens.go:140"}, locations)
				failed := steps[2]
				assert.Equal(t, "failed", failed.Result.Status)
				assert.Equal(t, revokedError, failed.Result.Error)
				require.NotNil(t, failed.Result.Duration)
				assert.Equal(t, int64(20e9), *failed.Result.Duration, "nanoseconds")
				assert.Nil(t, steps[3].Result.Duration, "a step that did not run has no duration")
			},
		},
		{
			name: "an undefined step is matched to its place in the feature",
			run: runOf(func() *report.Scenario {
				sc := passedScenario("undefined", 5)
				sc.Outcome = report.Failed
				sc.Steps[1].Outcome, sc.Steps[1].Location = report.Undefined, ""
				return sc
			}()),
			check: func(t *testing.T, features []cukeFeature) {
				step := features[0].Elements[0].Steps[1]
				assert.Equal(t, "undefined", step.Result.Status)
				assert.Equal(t, "features/x.feature:7", step.Match.Location)
			},
		},
		{
			name: "a skipped scenario's steps are skipped and the first carries the reason",
			run:  sampleRun(),
			check: func(t *testing.T, features []cukeFeature) {
				steps := features[1].Elements[0].Steps
				for _, s := range steps {
					assert.Equal(t, "skipped", s.Result.Status, s.Name)
				}
				first := steps[0]
				assert.Equal(t, legacySkip, first.Result.Error)
				require.NotEmpty(t, first.Embeddings)
				assert.Equal(t, "skip reason", first.Embeddings[0].Name)
				assert.Equal(t, "text/plain", first.Embeddings[0].MimeType)
				assert.Equal(t, legacySkip, decode(t, first.Embeddings[0].Data))
				assert.Empty(t, steps[1].Result.Error, "once")
			},
		},
		{
			name: "a skipped scenario whose skipping step reads failed still reads skipped",
			run: runOf(func() *report.Scenario {
				sc := skippedScenario("no legacy API")
				sc.Steps[0].Outcome = report.Failed
				return sc
			}()),
			check: func(t *testing.T, features []cukeFeature) {
				first := features[0].Elements[0].Steps[0]
				assert.Equal(t, "skipped", first.Result.Status)
				assert.Equal(t, "no legacy API", first.Result.Error)
			},
		},
		{
			name: "every exchange of a step is one embedding holding its transcript",
			run:  sampleRun(),
			check: func(t *testing.T, features []cukeFeature) {
				step := features[0].Elements[1].Steps[1]
				require.Len(t, step.Embeddings, 1)
				e := step.Embeddings[0]
				assert.Equal(t, "text/plain", e.MimeType)
				assert.Equal(t, "DELETE http://127.0.0.1:8080/hub/api/rest/users/me/permanenttokens/1-2 -> 200", e.Name)
				assert.Equal(t, revocation().Transcript(report.BodyLimit), decode(t, e.Data))

				skipping := features[1].Elements[0].Steps[0]
				require.Len(t, skipping.Embeddings, 2, "the skip reason, then the exchange")
				assert.Equal(t, "GET http://127.0.0.1:8080/rest/admin/project -> 400", skipping.Embeddings[1].Name)

				assert.Empty(t, features[0].Elements[1].Steps[2].Embeddings, "a step that sent nothing")
			},
		},
		{
			name: "a run that could not start is one failing scenario saying why",
			run:  abortedRun(),
			check: func(t *testing.T, features []cukeFeature) {
				require.Len(t, features, 1)
				require.Len(t, features[0].Elements, 1)
				e := features[0].Elements[0]
				assert.Equal(t, "the run could not start", e.Name)
				require.Len(t, e.Steps, 1)
				assert.Equal(t, "failed", e.Steps[0].Result.Status)
				assert.Equal(t, abortedRun().Aborted, e.Steps[0].Result.Error)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, report.WriteCucumberJSON(&out, tt.run))
			var features []cukeFeature
			require.NoError(t, json.Unmarshal(out.Bytes(), &features), out.String())
			tt.check(t, features)
		})
	}
}

func TestWriteCucumberJSONWritesAnArrayForARunWithoutFeatures(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, report.WriteCucumberJSON(&out, &report.Run{}))
	assert.JSONEq(t, "[]", out.String())
}

func decode(t *testing.T, data string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(data)
	require.NoError(t, err)
	return string(b)
}
