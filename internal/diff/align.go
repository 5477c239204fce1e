package diff

import (
	"strconv"

	"github.com/ytconform/ytconform/report"
)

// scenario is one scenario as the three runs played it, each run's exchanges flattened in order across its
// steps and normalised.
type scenario struct {
	feature   string
	line      int
	name      string
	a1, a2, b []*answer
	// stable is how many of A's first exchanges both A runs agree on (same operations in the same order);
	// learn sets it, and only those are compared with B.
	stable int
}

// align pairs the scenarios of the runs by feature URI, line and name, in the order of A's first run.
// A scenario that one run skipped or lacks is not compared, with why.
func align(a1, a2, b *report.Run) ([]*scenario, []NotCompared) {
	inA2, inB := index(a2), index(b)
	var out []*scenario
	notCompared := []NotCompared{}
	played := map[string]bool{}
	for _, f := range features(a1) {
		for _, sc := range f.Scenarios {
			k := key(f.URI, sc)
			played[k] = true
			nc := NotCompared{Feature: f.URI, Line: sc.Line, Scenario: sc.Name}
			second, other := inA2[k], inB[k]
			switch {
			case sc.Outcome == report.Skipped:
				nc.Reason = skipped("A", sc)
			case second == nil:
				nc.Reason = absent("A's second run", a2)
			case second.Outcome == report.Skipped:
				nc.Reason = skipped("A's second run", second)
			case other == nil:
				nc.Reason = absent("B's run", b)
			case other.Outcome == report.Skipped:
				nc.Reason = skipped("B", other)
			default:
				out = append(out, &scenario{feature: f.URI, line: sc.Line, name: sc.Name,
					a1: answers(a1, sc), a2: answers(a2, second), b: answers(b, other)})
				continue
			}
			notCompared = append(notCompared, nc)
		}
	}
	// B playing a scenario A did not (other tags, another version of the features) is worth a line too.
	for _, f := range features(b) {
		for _, sc := range f.Scenarios {
			if !played[key(f.URI, sc)] && sc.Outcome != report.Skipped {
				notCompared = append(notCompared, NotCompared{Feature: f.URI, Line: sc.Line, Scenario: sc.Name,
					Reason: absent("A's first run", a1)})
			}
		}
	}
	return out, notCompared
}

func features(r *report.Run) []*report.Feature {
	if r == nil {
		return nil
	}
	return r.Features
}

// index is a run's scenarios by key.
func index(r *report.Run) map[string]*report.Scenario {
	m := map[string]*report.Scenario{}
	for _, f := range features(r) {
		for _, sc := range f.Scenarios {
			m[key(f.URI, sc)] = sc
		}
	}
	return m
}

// key identifies a scenario across runs: its feature file, line and name (a Scenario Outline's rows have
// lines of their own). Pickle ids are not used: they are only unique within one run.
func key(uri string, sc *report.Scenario) string {
	return uri + "\x00" + strconv.Itoa(sc.Line) + "\x00" + sc.Name
}

func skipped(side string, sc *report.Scenario) string {
	if sc.Reason == "" {
		return "skipped on " + side
	}
	return "skipped on " + side + ": " + sc.Reason
}

func absent(from string, r *report.Run) string {
	if r != nil && r.Aborted != "" {
		return from + " stopped: " + r.Aborted
	}
	return "absent from " + from
}

// answers are a scenario's exchanges in r, across its steps, normalised.
func answers(r *report.Run, sc *report.Scenario) []*answer {
	var out []*answer
	for _, st := range sc.Steps {
		for _, x := range st.Exchanges {
			out = append(out, normalise(r, x))
		}
	}
	return out
}
