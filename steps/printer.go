package steps

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ytconform/ytconform/report"
)

// printer prints a run as it goes, in one Style. Scenarios run at once, so a scenario is printed whole, when
// it ends, under a lock: its lines never mix with another's.
type printer struct {
	mu    sync.Mutex
	w     io.Writer
	style Style
	steps int // progress characters printed so far
}

// progressWidth is how many progress characters make a line, followed by the count so far.
const progressWidth = 70

func newPrinter(w io.Writer, style Style) *printer { return &printer{w: w, style: style} }

// step prints a step's character in the progress style.
func (p *printer) step(status report.Outcome) {
	if p.style != Progress {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, progressMark[status])
	p.steps++
	if p.steps%progressWidth == 0 {
		fmt.Fprintf(p.w, " %d\n", p.steps)
	}
}

var progressMark = map[report.Outcome]string{
	report.Passed: ".", report.Failed: "F", report.Skipped: "-", report.Undefined: "U", report.Pending: "P",
}

// scenario prints an ended scenario in the pretty style: its name and place, each step with its mark, the
// failing step's error, and the reason it did not pass.
func (p *printer) scenario(uri string, sc *report.Scenario) {
	if p.style != Pretty {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s  # %s:%d\n", sc.Keyword, sc.Name, uri, sc.Line)
	told := false // whether a step's error already says why the scenario did not pass
	for _, st := range sc.Steps {
		fmt.Fprintf(&b, "  %s %s%s\n", prettyMark[st.Outcome], st.Keyword, st.Text)
		if st.Error != "" {
			fmt.Fprintf(&b, "      %s\n", report.OneLine(st.Error))
			told = told || st.Error == sc.Reason
		}
	}
	if sc.Outcome != report.Passed && !told {
		fmt.Fprintf(&b, "  %s: %s\n", sc.Outcome, report.OneLine(sc.Reason))
	}
	b.WriteString("\n")
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, b.String())
}

var prettyMark = map[report.Outcome]string{
	report.Passed: "✓", report.Failed: "✗", report.Skipped: "-", report.Undefined: "?", report.Pending: "…",
}

// end finishes the live output: the progress line is closed, so that the summary starts on its own.
func (p *printer) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.style == Progress && p.steps%progressWidth != 0 {
		fmt.Fprintf(p.w, " %d\n", p.steps)
	}
}
