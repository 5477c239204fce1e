package steps

import (
	"cmp"
	"slices"
	"time"

	messages "github.com/cucumber/messages/go/v34"

	"github.com/ytconform/ytconform/report"
)

// Report is what the run found, for the report writers: the features in the order godog ran them, each
// scenario in the order of its file, with its steps, their statuses and the exchanges they sent. Call it
// after the run.
func (s *Suite) Report() *report.Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := &report.Run{Target: s.Describe(), Started: s.started, Duration: time.Since(s.started),
		Notes: s.notes(), Coverage: s.coverage.Report()}
	if t := s.cfg.Target; t != nil {
		run.BaseURL, run.HubURL = t.DisplayURL(), hubURLOf(t)
	}
	features := map[string]*report.Feature{}
	for _, uri := range s.runs.uris {
		f := s.runs.docs[uri].Feature
		if f == nil {
			continue
		}
		rf := &report.Feature{URI: uri, Name: f.Name, Description: f.Description, Tags: tagNames(f.Tags)}
		features[uri] = rf
		run.Features = append(run.Features, rf)
	}
	for _, r := range s.sortedScenarios() {
		if rf := features[r.pickle.Uri]; rf != nil {
			rf.Scenarios = append(rf.Scenarios, s.reportScenario(r))
		}
	}
	return run
}

// sortedScenarios are the recorded scenarios by feature, then line. s.mu must be held.
func (s *Suite) sortedScenarios() []*scenarioRecord {
	order := map[string]int{}
	for i, uri := range s.runs.uris {
		order[uri] = i
	}
	var out []*scenarioRecord
	for _, r := range s.runs.scenarios {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *scenarioRecord) int {
		return cmp.Or(order[a.pickle.Uri]-order[b.pickle.Uri], pickleLine(a.pickle)-pickleLine(b.pickle), cmp.Compare(a.pickle.Name, b.pickle.Name))
	})
	return out
}

// reportScenario is one scenario as the reports show it. s.mu must be held.
func (s *Suite) reportScenario(r *scenarioRecord) *report.Scenario {
	ast := astIndex(s.runs.docs[r.pickle.Uri])
	sc := &report.Scenario{ID: r.pickle.Id, Name: r.pickle.Name, Line: pickleLine(r.pickle), Tags: pickleTagNames(r.pickle),
		Duration: r.duration, Outcome: report.Passed}
	if len(r.pickle.AstNodeIds) > 0 {
		sc.Keyword = ast[r.pickle.AstNodeIds[0]].keyword
	}
	if res := r.result; res != nil {
		sc.Outcome, sc.Reason = report.Outcome(res.Outcome), res.Reason
	}
	for _, ps := range r.pickle.Steps {
		rec := r.step(ps.Id)
		step := &report.Step{Text: ps.Text, Outcome: cmp.Or(rec.status, report.Skipped), Error: rec.err, Duration: rec.duration,
			Location: rec.location, Exchanges: rec.exchanges}
		if len(ps.AstNodeIds) > 0 {
			node := ast[ps.AstNodeIds[0]]
			step.Keyword, step.Line = node.keyword, node.line
		}
		sc.Steps = append(sc.Steps, step)
	}
	return sc
}

// astNode is what the reports need of a node of a parsed feature.
type astNode struct {
	keyword string
	line    int
}

// astIndex maps the ids of a feature's scenarios and steps to their keyword and line.
func astIndex(doc *messages.GherkinDocument) map[string]astNode {
	index := map[string]astNode{}
	if doc == nil || doc.Feature == nil {
		return index
	}
	addSteps := func(steps []*messages.Step) {
		for _, st := range steps {
			index[st.Id] = astNode{keyword: st.Keyword, line: int(st.Location.Line)}
		}
	}
	addScenario := func(sc *messages.Scenario) {
		index[sc.Id] = astNode{keyword: sc.Keyword, line: int(sc.Location.Line)}
		addSteps(sc.Steps)
	}
	for _, child := range doc.Feature.Children {
		switch {
		case child.Background != nil:
			addSteps(child.Background.Steps)
		case child.Scenario != nil:
			addScenario(child.Scenario)
		case child.Rule != nil:
			for _, rc := range child.Rule.Children {
				if rc.Background != nil {
					addSteps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					addScenario(rc.Scenario)
				}
			}
		}
	}
	return index
}

func pickleLine(p *messages.Pickle) int {
	if p.Location == nil {
		return 0
	}
	return int(p.Location.Line)
}

func pickleTagNames(p *messages.Pickle) []string {
	var names []string
	for _, t := range p.Tags {
		names = append(names, t.Name)
	}
	return names
}

func tagNames(tags []*messages.Tag) []string {
	var names []string
	for _, t := range tags {
		names = append(names, t.Name)
	}
	return names
}
