package diff

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
)

// WriteText writes r for people, one line per distinct difference, grouped by operation:
//
//	GET /api/users/me  keys body: A {login,$type}, B {id,login,$type}  (3 exchanges)
//
// then the noise rules that fired, the learned noise ignored, the scenarios not compared, and the summary:
//
//	1 difference in 1 operation; 14 exchanges compared, 2 ignored paths
func WriteText(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	for _, g := range groupDifferences(r.Differences) {
		for _, d := range g.Differences {
			fmt.Fprintf(bw, "%s  %s: A %s, B %s  (%s)\n", d.Operation, d.label(), d.A, d.B, plural(len(d.Seen), "exchange"))
		}
	}
	section := func(title string, n int, line func(i int) string) {
		if n == 0 {
			return
		}
		fmt.Fprintf(bw, "\n%s\n", title)
		for i := range n {
			fmt.Fprintf(bw, "  %s\n", line(i))
		}
	}
	section("Noise rules that fired:", len(r.Noise.Rules), func(i int) string {
		rl := r.Noise.Rules[i]
		return fmt.Sprintf("%s  (%s)", rl.Name, plural(rl.Exchanges, "exchange"))
	})
	section("Ignored, as it differs between A's two runs:", len(r.Noise.Learned), func(i int) string {
		l := r.Noise.Learned[i]
		return fmt.Sprintf("%s %s  (%s)", l.Operation, l.Path, kindsText(l.Kinds))
	})
	section("Not compared:", len(r.NotCompared), func(i int) string {
		nc := r.NotCompared[i]
		return fmt.Sprintf("%s:%d %s: %s", nc.Feature, nc.Line, nc.Scenario, nc.Reason)
	})
	fmt.Fprintf(bw, "\n%s\n", summary(r))
	return bw.Flush()
}

// WriteJSON writes r for tools, indented, with the field names of Result.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // "<token>" and "→" stay readable
	return enc.Encode(r)
}

//go:embed diff.html.tmpl
var pageTemplate string

var page = template.Must(template.New("diff").Funcs(template.FuncMap{
	"plural": plural,
	"kinds":  kindsText,
}).Parse(pageTemplate))

// WriteHTML writes r as one self-contained page: no script, no external asset, styles inline.
func WriteHTML(w io.Writer, r *Result) error {
	return page.Execute(w, struct {
		*Result
		Summary string
		Groups  []group
	}{r, summary(r), groupDifferences(r.Differences)})
}
