package diff

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// finding is one way two answers differ, before it is known whether that is noise.
type finding struct {
	kind Kind
	path string
	a, b string
}

// differences are how y differs from x, structure first: once the statuses differ nothing else is
// comparable (a 401's headers and body are not a 200's), and once the media types differ, neither are the
// headers' values nor the bodies.
func differences(x, y *answer, values bool) []finding {
	if x.status != y.status {
		return []finding{{KindStatus, "status", statusText(x.status), statusText(y.status)}}
	}
	if x.status == 0 {
		return nil // neither got an answer
	}
	var out []finding
	if x.media != y.media || x.params != y.params {
		out = append(out, finding{KindContentType, "header Content-Type", orAbsent(x.contentType), orAbsent(y.contentType)})
	}
	sameMedia := x.media == y.media
	for _, name := range documentedOrder {
		vx, inX := x.headers[name]
		vy, inY := y.headers[name]
		if inX != inY || inX && sameMedia && vx != vy {
			out = append(out, finding{KindHeader, "header " + name, orAbsent(vx), orAbsent(vy)})
		}
	}
	if !sameMedia {
		return out
	}
	return append(out, x.body.differences(y.body, values, x.status >= 400)...)
}

func statusText(code int) string {
	if code == 0 {
		return "no answer"
	}
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

func orAbsent(v string) string {
	if v == "" {
		return "(absent)"
	}
	return v
}

// noiseKey is what differs between A's runs: a kind of difference at a path of an operation's answers.
type noiseKey struct {
	op   string
	kind Kind
	path string
}

// comparison accumulates a Result.
type comparison struct {
	opts      Options
	noise     map[noiseKey]bool
	noiseList []noiseKey // in the order learned, for the report
	found     map[string]*Difference
	list      []*Difference
	fired     [ruleCount]int
	exchanges int
}

func newComparison(opts Options) *comparison {
	return &comparison{opts: opts, noise: map[noiseKey]bool{}, found: map[string]*Difference{}}
}

func (c *comparison) addNoise(op string, kind Kind, path string) {
	k := noiseKey{op, kind, path}
	if !c.noise[k] {
		c.noise[k] = true
		c.noiseList = append(c.noiseList, k)
	}
}

// learn takes everything that differs between A's two runs of s as noise, values included whatever the
// options: a value that varies on A is not B's to match. It sets s.stable.
func (c *comparison) learn(s *scenario) {
	n := min(len(s.a1), len(s.a2))
	s.stable = n
	for i := range n {
		x, y := s.a1[i], s.a2[i]
		if x.op != y.op {
			// A's own scenario went another way (it reacts to what it was answered): what follows is not
			// comparable, and neither is the number of requests.
			c.addNoise(x.op, KindRequest, "request")
			s.stable = i
			break
		}
		for _, f := range differences(x, y, true) {
			c.addNoise(x.op, f.kind, f.path)
			if f.kind == KindType {
				c.addNoise(x.op, KindValue, f.path) // values are only compared when the types agree
			}
		}
	}
	if s.stable < max(len(s.a1), len(s.a2)) {
		c.addNoise(firstExtra(s.a1, s.a2, s.stable).op, KindCount, "requests")
	}
}

// compare compares A's first run of s with B's, position by position, as far as A's runs agree.
func (c *comparison) compare(s *scenario) {
	n := min(s.stable, len(s.b))
	for i := range n {
		x, y := s.a1[i], s.b[i]
		if x.op != y.op {
			// B's scenario went another way: report where, and compare nothing after.
			c.report(x.op, finding{KindRequest, "request", x.request, y.request}, s, i, x.request)
			return
		}
		c.exchanges++
		fired := s.a1[i].fired | s.a2[i].fired | y.fired
		for r := range ruleCount {
			if fired.has(r) {
				c.fired[r]++
			}
		}
		for _, f := range differences(x, y, c.opts.Values) {
			c.report(x.op, f, s, i, x.request)
		}
	}
	if s.stable == len(s.a1) && s.stable == len(s.a2) && len(s.b) != s.stable {
		// Named after the first request one side sent and the other did not.
		n := min(len(s.a1), len(s.b))
		extra := firstExtra(s.a1, s.b, n)
		more := len(s.b) - len(s.a1)
		how := fmt.Sprintf("%d (B sent %s more)", len(s.b), plural(more, "request"))
		if more < 0 {
			how = fmt.Sprintf("%d (B sent %s fewer)", len(s.b), plural(-more, "request"))
		}
		c.report(extra.op, finding{KindCount, "requests", strconv.Itoa(len(s.a1)), how}, s, n, extra.request)
	}
}

// firstExtra is the first answer at or after i on the longer of x and y.
func firstExtra(x, y []*answer, i int) *answer {
	if len(x) > i {
		return x[i]
	}
	return y[i]
}

// report adds f, seen at the i-th exchange of s, unless it is noise.
func (c *comparison) report(op string, f finding, s *scenario, i int, request string) {
	if c.noise[noiseKey{op, f.kind, f.path}] {
		return
	}
	a, b := short(f.a), short(f.b)
	k := strings.Join([]string{string(f.kind), op, f.path, a, b}, "\x00")
	d := c.found[k]
	if d == nil {
		d = &Difference{Kind: f.kind, Operation: op, Path: f.path, A: a, B: b}
		c.found[k] = d
		c.list = append(c.list, d)
	}
	d.Seen = append(d.Seen, Seen{Feature: s.feature, Line: s.line, Scenario: s.name, Exchange: i + 1, Request: request})
}

// short cuts a rendering to what fits a line of a report.
func short(s string) string {
	const limit = 120
	if r := []rune(s); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}

// result is the Result: differences grouped, noise that mattered, counts.
func (c *comparison) result(notCompared []NotCompared) *Result {
	r := &Result{Options: c.opts, NotCompared: notCompared}
	r.Differences = []*Difference{}
	gs := groupDifferences(c.list)
	for _, g := range gs {
		r.Differences = append(r.Differences, g.Differences...)
	}
	r.Noise.Rules = []Rule{}
	for rl, n := range c.fired {
		if n > 0 {
			r.Noise.Rules = append(r.Noise.Rules, Rule{Name: ruleNames[rl], Exchanges: n})
		}
	}
	r.Noise.Learned = c.learned()
	r.Counts = Counts{Differences: len(r.Differences), Operations: len(gs), Exchanges: c.exchanges,
		IgnoredPaths: len(r.Noise.Learned), NotCompared: len(notCompared)}
	return r
}

// learned are the learned noise paths, each once with what varied there, leaving out values when values
// are not compared: nothing was ignored there.
func (c *comparison) learned() []Learned {
	out := []Learned{}
	at := map[[2]string]int{}
	for _, k := range c.noiseList {
		if k.kind == KindValue && !c.opts.Values {
			continue
		}
		id := [2]string{k.op, k.path}
		i, ok := at[id]
		if !ok {
			i = len(out)
			at[id] = i
			out = append(out, Learned{Operation: k.op, Path: k.path})
		}
		out[i].Kinds = append(out[i].Kinds, k.kind)
	}
	for i := range out {
		slices.SortFunc(out[i].Kinds, byKind)
	}
	slices.SortFunc(out, func(x, y Learned) int {
		return strings.Compare(x.Operation+"\x00"+x.Path, y.Operation+"\x00"+y.Path)
	})
	return out
}

func byKind(x, y Kind) int { return slices.Index(kindOrder, x) - slices.Index(kindOrder, y) }
