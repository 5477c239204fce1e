package report

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// WriteCucumberJSON writes run in the cucumber JSON format, as cucumber-js and godog write it, for the
// readers of that format (cucumber-html-reporter, Jenkins' Cucumber reports, Xray):
//
//	[{"uri": "features/tokens.feature", "id": "permanent-tokens", "keyword": "Feature", "name", "description",
//	  "line", "tags": [{"name": "@tokens", "line"}],
//	  "elements": [{"id": "permanent-tokens;a-revoked-token-is-refused", "keyword": "Scenario", "name",
//	    "description", "line", "type": "scenario", "tags",
//	    "steps": [{"keyword": "When ", "name", "line", "match": {"location": "steps/requests.go:41"},
//	      "result": {"status": "passed", "duration": 1250000, "error_message"},
//	      "embeddings": [{"mime_type": "text/plain", "data": base64, "name": "GET http://… -> 200"}]}]}]}]
//
// Durations are in nanoseconds, given for steps that ran. match.location is the step definition's file:line,
// or the step's place in the feature when no definition matched. Each step carries one text/plain
// embedding per exchange it sent, its transcript (see Exchange.Transcript). In a skipped scenario every
// step that did not pass is "skipped", and the first of them carries the reason, as its error_message and
// as an embedding named "skip reason": readers show one or the other. The model records no line for a
// feature or a tag, and no scenario description: those lines are 0 and that description "". A run that
// could not start is one feature "ytconform" whose one scenario fails, saying why.
func WriteCucumberJSON(w io.Writer, run *Run) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // bodies hold <, > and &: keep them readable
	return enc.Encode(cukeFeatures(run))
}

type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Tags        []cukeTag     `json:"tags"`
	Elements    []cukeElement `json:"elements"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeElement struct {
	ID          string     `json:"id"`
	Keyword     string     `json:"keyword"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Line        int        `json:"line"`
	Type        string     `json:"type"`
	Tags        []cukeTag  `json:"tags"`
	Steps       []cukeStep `json:"steps"`
}

type cukeStep struct {
	Keyword    string          `json:"keyword"`
	Name       string          `json:"name"`
	Line       int             `json:"line"`
	Match      cukeMatch       `json:"match"`
	Result     cukeResult      `json:"result"`
	Embeddings []cukeEmbedding `json:"embeddings,omitempty"`
}

type cukeMatch struct {
	Location string `json:"location"`
}

type cukeResult struct {
	Status   string `json:"status"`
	Duration *int64 `json:"duration,omitempty"`
	Error    string `json:"error_message,omitempty"`
}

type cukeEmbedding struct {
	MimeType string `json:"mime_type"`
	Data     string `json:"data"`
	Name     string `json:"name"`
}

func cukeFeatures(run *Run) []cukeFeature {
	if run.Aborted != "" {
		return []cukeFeature{cukeAborted(run)}
	}
	features := []cukeFeature{} // [] and not null for a run without features
	for _, f := range run.Features {
		features = append(features, cukeFeatureOf(f))
	}
	return features
}

func cukeFeatureOf(f *Feature) cukeFeature {
	out := cukeFeature{
		URI:         f.URI,
		ID:          cukeID(f.Name),
		Keyword:     "Feature",
		Name:        f.Name,
		Description: f.Description,
		Tags:        cukeTags(f.Tags),
		Elements:    []cukeElement{},
	}
	seen := map[string]int{}
	for _, sc := range f.Scenarios {
		seen[sc.Name]++
	}
	for _, sc := range f.Scenarios {
		id := out.ID + ";" + cukeID(sc.Name)
		if seen[sc.Name] > 1 { // the rows of an outline: the row's line keeps the ids unique
			id += ";" + strconv.Itoa(sc.Line)
		}
		out.Elements = append(out.Elements, cukeElement{
			ID:      id,
			Keyword: cmp.Or(sc.Keyword, "Scenario"),
			Name:    sc.Name,
			Line:    sc.Line,
			Type:    "scenario",
			Tags:    cukeTags(sc.Tags),
			Steps:   cukeSteps(f, sc),
		})
	}
	return out
}

func cukeSteps(f *Feature, sc *Scenario) []cukeStep {
	steps := []cukeStep{}
	reasonGiven := false
	for _, st := range sc.Steps {
		out := cukeStep{
			Keyword: st.Keyword,
			Name:    st.Text,
			Line:    st.Line,
			Match:   cukeMatch{Location: st.Location},
			Result:  cukeResult{Status: cukeStatus(sc, st), Error: st.Error},
		}
		if out.Match.Location == "" {
			out.Match.Location = at(f.URI, st.Line)
		}
		if out.Result.Status == string(Passed) || out.Result.Status == string(Failed) {
			ns := st.Duration.Nanoseconds()
			out.Result.Duration = &ns
		}
		if sc.verdict() == Skipped && out.Result.Status == string(Skipped) && !reasonGiven {
			reasonGiven = true
			out.Result.Error = sc.skipReason()
			out.Embeddings = append(out.Embeddings, cukeText("skip reason", sc.skipReason()))
		}
		for _, ex := range st.Exchanges {
			out.Embeddings = append(out.Embeddings, cukeText(ex.Title(), ex.Transcript(BodyLimit)))
		}
		steps = append(steps, out)
	}
	return steps
}

// cukeStatus is the step's status as readers must see it. Readers derive a scenario's status from its
// steps', so in a skipped scenario no step may read failed or undefined.
func cukeStatus(sc *Scenario, st *Step) string {
	if st.Outcome == "" || (sc.verdict() == Skipped && st.Outcome != Passed) {
		return string(Skipped)
	}
	return string(st.Outcome)
}

func cukeText(name, text string) cukeEmbedding {
	return cukeEmbedding{MimeType: "text/plain", Data: base64.StdEncoding.EncodeToString([]byte(text)), Name: name}
}

func cukeTags(tags []string) []cukeTag {
	out := []cukeTag{}
	for _, t := range tags {
		out = append(out, cukeTag{Name: t})
	}
	return out
}

// cukeAborted is a run that could not start, as the one failing scenario readers will show.
func cukeAborted(run *Run) cukeFeature {
	return cukeFeature{
		URI:     "ytconform",
		ID:      "ytconform",
		Keyword: "Feature",
		Name:    "ytconform",
		Tags:    []cukeTag{},
		Elements: []cukeElement{{
			ID:      "ytconform;the-run-could-not-start",
			Keyword: "Scenario",
			Name:    "the run could not start",
			Type:    "scenario",
			Tags:    []cukeTag{},
			Steps: []cukeStep{{
				Keyword: "Given ",
				Name:    "the run starts",
				Match:   cukeMatch{Location: "ytconform"},
				Result:  cukeResult{Status: string(Failed), Error: run.Aborted},
			}},
		}},
	}
}

// cukeID is a name as cucumber makes it an id: lower case, spaces as dashes.
func cukeID(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), " ", "-")
}
