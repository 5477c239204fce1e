package report_test

import (
	"os"
	"time"

	"github.com/ytconform/ytconform/report"
)

// A run of one feature: one scenario passed, one failed on the answer of its last request, and one the
// target could not offer. CI readers get the counts from the attributes and the cases, and show the
// failure's text: the step, its error, and the exchange.
func ExampleWriteJUnit() {
	run := &report.Run{
		Target:   "http://127.0.0.1:8080 (from --target t.yaml)",
		Started:  time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC),
		Duration: 1500 * time.Millisecond,
		Features: []*report.Feature{{
			URI:  "features/projects.feature",
			Name: "Listing projects",
			Scenarios: []*report.Scenario{
				{Name: "the admin lists every project", Line: 6, Outcome: report.Passed, Duration: 120 * time.Millisecond},
				{
					Name: "a guest is refused", Line: 11, Outcome: report.Failed, Duration: 80 * time.Millisecond,
					Steps: []*report.Step{
						{Keyword: "When ", Text: `a guest sends GET "/api/admin/projects"`, Line: 12, Outcome: report.Passed,
							Exchanges: []*report.Exchange{{
								Role: "a guest", Method: "GET", URL: "http://127.0.0.1:8080/api/admin/projects",
								Status: 200, ResponseHeaders: []report.Header{{Name: "Content-Type", Value: "application/json"}},
								Body: `[]`,
							}}},
						{Keyword: "Then ", Text: "the status is 401", Line: 13, Outcome: report.Failed,
							Error: "expected status 401, got 200"},
					},
				},
				{Name: "the legacy listing", Line: 16, Outcome: report.Skipped,
					Reason: "the target does not serve the legacy API"},
			},
		}},
	}
	if err := report.WriteJUnit(os.Stdout, run); err != nil {
		panic(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="ytconform" tests="3" failures="1" errors="0" skipped="1" time="1.500">
	//   <testsuite name="Listing projects" tests="3" failures="1" errors="0" skipped="1" time="0.200" timestamp="2026-03-14T09:26:53Z">
	//     <properties>
	//       <property name="target" value="http://127.0.0.1:8080 (from --target t.yaml)"></property>
	//     </properties>
	//     <testcase name="the admin lists every project" classname="features/projects.feature" file="features/projects.feature" line="6" time="0.120"></testcase>
	//     <testcase name="a guest is refused" classname="features/projects.feature" file="features/projects.feature" line="11" time="0.080">
	//       <failure message="expected status 401, got 200" type="step"><![CDATA[Then the status is 401 (features/projects.feature:13)
	// expected status 401, got 200
	//
	// The last exchange of the scenario:
	// # as a guest
	// GET http://127.0.0.1:8080/api/admin/projects
	//
	// HTTP 200
	// Content-Type: application/json
	//
	// []
	// ]]></failure>
	//     </testcase>
	//     <testcase name="the legacy listing" classname="features/projects.feature" file="features/projects.feature" line="16" time="0.000">
	//       <skipped message="the target does not serve the legacy API"></skipped>
	//     </testcase>
	//   </testsuite>
	// </testsuites>
}
