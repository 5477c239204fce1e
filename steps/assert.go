package steps

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/stretchr/testify/require"
)

// stepT lets testify's require end a step: a failed assertion records testify's message and panics with
// the stepT, which expect recovers into the step's error.
//
// godog.T(ctx) would do the same, but outside `go test` it also prints every failure to os.Stdout at once:
// that corrupts a report written to stdout (--format junit), bypasses redaction, and repeats what the
// formatter prints anyway.
type stepT struct{ msg string }

func (t *stepT) Errorf(format string, args ...any) { t.msg = fmt.Sprintf(format, args...) }
func (t *stepT) FailNow()                          { panic(t) }
func (t *stepT) Helper()                           {}

// expect runs assertions for a step and turns the first failure into one readable, redacted line.
func (st *scenario) expect(assertions func(t require.TestingT)) (err error) {
	t := &stepT{}
	defer func() {
		if r := recover(); r != nil {
			if r != t {
				panic(r)
			}
			err = errors.New(st.secrets.redact(oneLine(t.msg)))
		}
	}()
	assertions(t)
	return nil
}

var testifyLabel = regexp.MustCompile(`^\t([A-Za-z ]+):\s*\t(.*)$`)

// oneLine turns testify's labelled report ("Error Trace:", "Error:", "Messages:") into
// "<messages>: <error>", dropping the Go stack, which tells a feature reader nothing.
func oneLine(report string) string {
	labels := map[string]*strings.Builder{}
	var current *strings.Builder
	for _, line := range strings.Split(report, "\n") {
		if m := testifyLabel.FindStringSubmatch(line); m != nil {
			current = &strings.Builder{}
			labels[m[1]] = current
			line = m[2]
		}
		if current != nil {
			current.WriteString(" " + line)
		}
	}
	if labels["Error"] == nil { // not testify's format: fold it as it is
		return strings.Join(strings.Fields(report), " ")
	}
	text := strings.Join(strings.Fields(labels["Error"].String()), " ")
	if m := labels["Messages"]; m != nil {
		text = strings.Join(strings.Fields(m.String()), " ") + ": " + text
	}
	return text
}
