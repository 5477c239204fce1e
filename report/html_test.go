package report_test

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/report"
)

func TestWriteHTML(t *testing.T) {
	tests := []struct {
		name  string
		run   *report.Run
		check func(t *testing.T, page string)
	}{
		{
			name: "the summary counts the scenarios each way",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.Equal(t, map[string]string{"total": "5", "passed": "3", "failed": "1", "skipped": "1"}, dataCounts(page))
				assert.Equal(t, "5 scenarios: 3 passed, 1 failed, 1 skipped", text(t, page, `(?s)<p id="summary">(.*?)</p>`))
			},
		},
		{
			name: "the header names the target, the start and the duration",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.Contains(t, page, "http://127.0.0.1:8080 (from --target t.yaml)")
				assert.Contains(t, page, `<time datetime="2026-03-14T09:26:53Z">2026-03-14 09:26:53 UTC</time>`)
				assert.Contains(t, page, "3.25s")
			},
		},
		{
			name: "a failed step's exchange is open, titled by its request, and shows its transcript",
			run:  runOf(failingWithItsOwnExchange()),
			check: func(t *testing.T, page string) {
				step := match(t, page, `(?s)<li class="step failed">.*?</li>`)
				assert.Contains(t, step, `<details class="exchange" open><summary>GET http://127.0.0.1:8080/api/users/me -&gt; 500</summary>`)
				assert.Equal(t, serverError().Transcript(report.BodyLimit), text(t, step, `(?s)<pre>(.*?)</pre>`))
				assert.Contains(t, step, `<p class="error">expected status 200, got 500</p>`)
			},
		},
		{
			name: "the last exchange of a failed scenario is open, though an earlier step sent it",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.Contains(t, page, `<details class="exchange" open><summary>DELETE http://127.0.0.1:8080/hub/api/rest/users/me/permanenttokens/1-2 -&gt; 200</summary>`)
				assert.Equal(t, 1, strings.Count(page, `<details class="exchange" open>`), "the others are folded")
				assert.Contains(t, page, `<details class="scenario failed" open>`)
			},
		},
		{
			name: "markup in a body is shown, never run",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.NotContains(t, page, "<script")
				assert.Contains(t, page, "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;")
			},
		},
		{
			name: "the page loads nothing from elsewhere",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				for _, external := range []string{
					`(?i)\b(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?//`,
					`(?i)url\(\s*["']?\s*(https?:)?//`,
					`(?i)@import`,
					`(?i)<(script|link|img|iframe|object|embed)\b`,
				} {
					assert.NotRegexp(t, external, page)
				}
			},
		},
		{
			name: "scenarios carry their outcome as a class, skipped ones with their reason",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.Equal(t, 3, strings.Count(page, `<details class="scenario passed">`))
				skipped := match(t, page, `(?s)<details class="scenario skipped">.*?</ol>`)
				assert.Equal(t, legacySkip, text(t, skipped, `(?s)<p class="reason">(.*?)</p>`))
				assert.Contains(t, skipped, `<li class="step skipped">`)
			},
		},
		{
			name: "scenarios are grouped by feature, in order",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				tokens, legacy := strings.Index(page, "<h2>Permanent tokens</h2>"), strings.Index(page, "<h2>The legacy /rest API</h2>")
				require.Positive(t, tokens)
				require.Positive(t, legacy)
				revoked, reference := strings.Index(page, "a revoked token is refused"), strings.Index(page, "the reference exchange of the help page")
				assert.True(t, tokens < revoked && revoked < legacy && legacy < reference)
			},
		},
		{
			name: "the coverage shows seen of declared with a percentage, and folds what was never exercised",
			run:  sampleRun(),
			check: func(t *testing.T, page string) {
				assert.Contains(t, page, `<tr><th scope="row">Operations</th><td class="num">3</td><td class="num">4</td><td class="num">75%</td></tr>`)
				assert.Contains(t, page, `<details class="never"><summary>Operations never exercised (1)</summary>`)
				assert.Contains(t, page, `<li><code>GET /api/users/{id}</code></li>`)
				assert.NotContains(t, page, "Parameters never exercised", "nothing to fold")
				project, user := strings.Index(page, "<code>Project</code>"), strings.Index(page, "<code>User</code>")
				assert.True(t, 0 < project && project < user, "entities by name")
			},
		},
		{
			name: "a run without coverage has no coverage section",
			run:  runOf(passedScenario("p", 3)),
			check: func(t *testing.T, page string) {
				assert.NotContains(t, page, `class="coverage"`)
			},
		},
		{
			name: "a run that could not start says why, prominently",
			run:  abortedRun(),
			check: func(t *testing.T, page string) {
				assert.Equal(t, "The run could not start\n"+abortedRun().Aborted, strings.TrimSpace(text(t, page, `(?s)<section id="aborted" role="alert">(.*?)</section>`)))
				assert.Equal(t, map[string]string{"total": "0", "passed": "0", "failed": "0", "skipped": "0"}, dataCounts(page))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, report.WriteHTML(&out, tt.run))
			tt.check(t, out.String())
		})
	}
}

func serverError() *report.Exchange {
	return &report.Exchange{
		Role: "the restricted user", Method: "GET", URL: "http://127.0.0.1:8080/api/users/me",
		RequestHeaders: []report.Header{{Name: "Authorization", Value: "Bearer <token>"}},
		Status:         500, Body: `{"error":"server_error","error_description":"a & b < c"}`,
	}
}

func failingWithItsOwnExchange() *report.Scenario {
	sc := passedScenario("the restricted user sees themself", 4)
	sc.Outcome = report.Failed
	sc.Steps[0].Outcome, sc.Steps[0].Error = report.Failed, "expected status 200, got 500"
	sc.Steps[0].Exchanges = []*report.Exchange{serverError()}
	sc.Steps[1].Outcome = report.Skipped
	return sc
}

var dataCount = regexp.MustCompile(`<span data-count="(\w+)">(\d+)</span>`)

// dataCounts reads the summary's counts as a script would.
func dataCounts(page string) map[string]string {
	counts := map[string]string{}
	for _, m := range dataCount.FindAllStringSubmatch(page, -1) {
		counts[m[1]] = m[2]
	}
	return counts
}

// match is the first match of pattern in page.
func match(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindString(page)
	require.NotEmpty(t, m, "no match for %s", pattern)
	return m
}

// text is what a browser shows of pattern's first group: without tags, unescaped.
func text(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(page)
	require.Len(t, m, 2, "no match for %s", pattern)
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], ""))
}
