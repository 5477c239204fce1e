package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ytconform/ytconform/report"
)

func TestCounts(t *testing.T) {
	scenario := func(o report.Outcome) *report.Scenario { return &report.Scenario{Name: string(o), Outcome: o} }
	tests := []struct {
		name string
		run  *report.Run
		want report.Counts
	}{
		{"the sample run", sampleRun(), report.Counts{Total: 5, Passed: 3, Failed: 1, Skipped: 1}},
		{"a run that could not start has no scenarios", abortedRun(), report.Counts{}},
		{
			"an outcome a scenario should not have counts as failed",
			runOf(scenario(report.Passed), scenario(report.Undefined), scenario(report.Pending), scenario("")),
			report.Counts{Total: 4, Passed: 1, Failed: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.run.Counts())
		})
	}
}
