package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/internal/secrets"
	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/steps"
	"github.com/ytconform/ytconform/target"
)

// runSuiteCLI runs `ytconform run args...` in-process and returns its exit status, its stdout, and its
// stderr followed by the line main prints for the error.
func runSuiteCLI(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	return runCommand(t, getenv, "run", args...)
}

// runSuiteCLIAs runs `ytconform command args...` in-process with an empty environment, as runSuiteCLI does.
func runSuiteCLIAs(t *testing.T, command string, args ...string) (int, string, string) {
	t.Helper()
	return runCommand(t, nil, command, args...)
}

func runCommand(t *testing.T, getenv func(string) string, command string, args ...string) (int, string, string) {
	t.Helper()
	stdout, stderr, err := runCLI(t, getenv, append([]string{command}, args...)...)
	if err == nil {
		return 0, stdout, stderr
	}
	var e exitError
	require.True(t, errors.As(err, &e), "%s returned %v, not an exitError", command, err)
	return e.code, stdout, stderr + "ytconform: " + err.Error() + "\n"
}

// serveDefaultMock serves the default mock over real HTTP and returns its target.
func serveDefaultMock(t *testing.T) *target.Target {
	t.Helper()
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	store, err := mockserver.NewStore(f)
	require.NoError(t, err)
	srv := httptest.NewServer(mockserver.New(store, mockserver.Options{}))
	t.Cleanup(srv.Close)
	return target.FromFixtures(f, srv.URL)
}

func TestRunAgainstTheEmbeddedMockWritesMatchingReports(t *testing.T) {
	dir := t.TempDir()
	junit, cucumber, coverage := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cucumber.json"), filepath.Join(dir, "coverage.json")
	code, _, stderr := runSuiteCLI(t, nil, "--format", "progress,junit:"+junit+",cucumber:"+cucumber, "--coverage", coverage)
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "passed, 0 failed, 0 skipped")
	requireCoverageAtLeastTheREADMEs(t, stderr, coverage)

	var report struct {
		Suites []struct {
			Cases []struct {
				Name    string     `xml:"name,attr"`
				Failure *struct{}  `xml:"failure"`
				Errors  []struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(junit)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &report))
	cases := 0
	for _, s := range report.Suites {
		for _, c := range s.Cases {
			cases++
			require.Nil(t, c.Failure, c.Name)
			require.Empty(t, c.Errors, "%s: godog writes skipped steps as errors", c.Name)
		}
	}
	require.GreaterOrEqual(t, cases, 40)

	var features []struct {
		Elements []struct {
			Type string `json:"type"`
		} `json:"elements"`
	}
	data, err = os.ReadFile(cucumber)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &features))
	scenarios := 0
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type == "scenario" {
				scenarios++
			}
		}
	}
	require.Equal(t, cases, scenarios, "junit and cucumber list the same scenarios")
}

func TestRunAgainstAnExternalTargetFile(t *testing.T) {
	tgt := serveDefaultMock(t)
	file := filepath.Join(t.TempDir(), "t.yaml")
	var buf bytes.Buffer
	require.NoError(t, target.Write(&buf, tgt))
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o600))

	code, _, stderr := runSuiteCLI(t, nil, "--target", file, "--format", "progress")
	require.Equal(t, 0, code, stderr)
	// The mock allows guests, so the scenarios for a banned guest are skipped, each with its reason.
	require.Contains(t, stderr, "skipped: features/tokens.feature: without a token a client gets 401 when guest access is banned: /api/users/me: the scenario needs guest access banned; the target's is allowed")
	require.Regexp(t, `\d+ scenarios: \d+ passed, 0 failed, [1-9]\d* skipped`, stderr)
	require.NotContains(t, stderr, tgt.Admin.Token)
}

func TestRunWithOnlyABaseURLAndAToken(t *testing.T) {
	tgt := serveDefaultMock(t)
	getenv := func(name string) string {
		return map[string]string{"YOUTRACK_URL": tgt.BaseURL, "YOUTRACK_TOKEN": tgt.Admin.Token}[name]
	}
	code, _, stderr := runSuiteCLI(t, getenv, "--tags", "@auth", "--format", "progress")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stderr, "the target provides no revoked token")
	require.Contains(t, stderr, "the target names no login for the admin")
	require.NotContains(t, stderr, tgt.Admin.Token)
}

func TestRunExitCodes(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	unreachable := "http://" + closed.Addr().String()
	closed.Close()
	badTarget := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(badTarget, []byte("base_url: nowhere\n"), 0o600))
	mock := serveDefaultMock(t)

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"an unreachable target", []string{"--base-url", unreachable, "--token", "x"}, 2, "ytconform: target " + unreachable + " is unreachable: connect: connection refused\n"},
		{"a token without a server", []string{"--token", "x"}, 2, "a token needs a server"},
		{"a target file that does not parse", []string{"--target", badTarget}, 2, "bad.yaml: base_url: must be an http or https URL"},
		{"an unknown format", []string{"--format", "fancy"}, 2, `unknown output "fancy"`},
		{"a report without a file name", []string{"--format", "junit:"}, 2, "junit needs a file: junit:FILE"},
		{"two live styles", []string{"--format", "pretty,progress"}, 2, "choose one of progress, pretty and quiet"},
		{"a live style with a file", []string{"--format", "pretty:out.txt"}, 2, "pretty prints to the terminal and takes no file"},
		{"no concurrency", []string{"--concurrency", "0"}, 2, "--concurrency must be at least 1"},
		{"an unknown flag", []string{"--colour"}, 2, "flag provided but not defined"},
		{"a failing scenario", []string{"--base-url", mock.BaseURL, "--token", mock.RevokedToken, "--tags", "@projects", "--format", "progress"}, 1, "scenarios failed"},
		{"no scenario matches the tags", []string{"--tags", "@nosuchtag", "--format", "progress"}, 2, `--tags "@nosuchtag" selects no scenario`},
		{"a tag expression that does not parse", []string{"--tags", "@auth and (@hub"}, 2, `--tags: tag expression "@auth and (@hub": unclosed '(' opened at position 11`},
		{"skipped scenarios with --fail-on-skip", []string{"--base-url", mock.BaseURL, "--token", mock.Admin.Token, "--tags", "@auth", "--fail-on-skip"}, 1, "13 of 22 scenarios were skipped for want of what the target file does not provide (--fail-on-skip)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runSuiteCLI(t, nil, c.args...)
			require.Equal(t, c.wantCode, code, stderr)
			require.Contains(t, stderr, c.wantErr)
		})
	}
}

func TestRunListsSteps(t *testing.T) {
	code, stdout, _ := runSuiteCLI(t, nil, "--list-steps")
	require.Equal(t, 0, code)
	require.Contains(t, stdout, "^the status is (\\d+)$\n")
	require.Equal(t, len(steps.Phrases()), strings.Count(stdout, "\n"))
}

func TestRunStopsOnABaseURLThatIsNotYouTracksAPI(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html;charset=UTF-8")
		io.WriteString(w, "<html><body>Loading YouTrack...</body></html>")
	}))
	t.Cleanup(web.Close)
	code, stdout, stderr := runSuiteCLI(t, nil, "--base-url", web.URL, "--token", "perm:x", "--format", "progress")
	require.Equal(t, 2, code, stderr)
	require.Contains(t, stderr, "GET /api/config answered 200 with a web page, not YouTrack's API: the base URL may lack its /youtrack prefix (try "+web.URL+"/youtrack)")
	require.Empty(t, stdout, "no scenario ran")
}

// TestRunTagsSelectExactlyTheExpression checks --tags against lists computed by hand from the tags written
// in features/*.feature: a feature's tag is every one of its scenarios'; hub.feature marks the scenarios
// that create tokens @writes, projects.feature the one at line 70.
func TestRunTagsSelectExactlyTheExpression(t *testing.T) {
	projects := []string{"10", "15", "20", "25", "31", "37", "42", "47", "53", "58", "64", "80", "85", "90", "95", "104", "119", "120"}
	tokens := []string{"20", "21", "30", "31", "32", "34", "40", "54", "55", "65", "66", "75", "76", "77", "78", "79", "80", "81", "82", "83", "84", "86"}
	hubReads := []string{"101", "102", "103", "113", "114"}
	hubWrites := []string{"17", "40", "54", "63", "74", "85"}
	in := func(file string, lines ...[]string) []string {
		var out []string
		for _, ls := range lines {
			for _, l := range ls {
				out = append(out, "features/"+file+":"+l)
			}
		}
		return out
	}
	cases := []struct {
		expr string
		want []string
	}{
		{"not @writes and (@auth or @projects)", append(in("projects.feature", projects), in("tokens.feature", tokens)...)},
		{"@auth or @hub", append(in("hub.feature", hubReads, hubWrites), in("tokens.feature", tokens)...)},
		{"@hub and not @writes", in("hub.feature", hubReads)},
		{"~@writes && @hub", in("hub.feature", hubReads)}, // godog's own syntax still reads
		{"@hub and @writes", in("hub.feature", hubWrites)},
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			cucumber := filepath.Join(t.TempDir(), "cucumber.json")
			code, _, stderr := runSuiteCLI(t, nil, "--tags", c.expr, "--format", "quiet,cucumber:"+cucumber)
			require.Equal(t, 0, code, stderr)
			require.ElementsMatch(t, c.want, scenarioPlaces(t, cucumber))
		})
	}
}

// scenarioPlaces lists the scenarios of a cucumber report as "features/x.feature:LINE".
func scenarioPlaces(t *testing.T, cucumberFile string) []string {
	t.Helper()
	var features []struct {
		URI      string `json:"uri"`
		Elements []struct {
			Line int `json:"line"`
		} `json:"elements"`
	}
	data, err := os.ReadFile(cucumberFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &features))
	var places []string
	for _, f := range features {
		for _, e := range f.Elements {
			places = append(places, fmt.Sprintf("%s:%d", f.URI, e.Line))
		}
	}
	return places
}

// TestRunWritesItsReportsWhenItCannotStart: CI reads the JUnit file whatever happened, so a run that stops
// before any scenario (an unreachable target, tags that select nothing) still writes every report, as one
// errored case that says why, and exits 2.
func TestRunWritesItsReportsWhenItCannotStart(t *testing.T) {
	cases := []struct {
		name, why string
		word      string // of why, as every report shows it, escaped or not
		args      []string
	}{
		{"an unreachable target", "http://127.0.0.1:9 is unreachable", "unreachable", []string{"--base-url", "http://127.0.0.1:9", "--token", "x"}},
		{"tags that select nothing", `--tags "@nosuch" selects no scenario`, "selects no scenario", []string{"--tags", "@nosuch"}},
		{"a tag expression that does not parse", "unclosed '('", "unclosed", []string{"--tags", "(@auth"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			junit, cucumber, html := filepath.Join(dir, "j.xml"), filepath.Join(dir, "c.json"), filepath.Join(dir, "r.html")
			code, _, stderr := runSuiteCLI(t, nil, append(c.args, "--format", "junit:"+junit+",cucumber:"+cucumber+",html:"+html)...)
			require.Equal(t, 2, code, stderr)
			require.Contains(t, stderr, c.why)

			var doc struct {
				Errors int `xml:"errors,attr"`
				Cases  []struct {
					Error struct {
						Message string `xml:"message,attr"`
					} `xml:"error"`
				} `xml:"testsuite>testcase"`
			}
			data, err := os.ReadFile(junit)
			require.NoError(t, err)
			require.NoError(t, xml.Unmarshal(data, &doc))
			require.Equal(t, 1, doc.Errors)
			require.Len(t, doc.Cases, 1)
			require.Contains(t, doc.Cases[0].Error.Message, c.why)
			for _, f := range []string{cucumber, html} {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				require.Contains(t, string(data), c.word, "%s says why", f)
			}
		})
	}
}

// TestReportsHoldEveryExchangeAndNoToken runs the suite against a mock whose tokens are known, and against
// it behind a proxy that echoes each request's token back encoded (percent-encoded in a Location, JSON-escaped
// in a header, percent-encoded without its perm: prefix): every step that sends a request carries its exchange in the cucumber report, and no output
// holds a token in any of these forms, neither a fixture's nor one minted during the run (the token shape
// catches those), not even base64-encoded in the cucumber embeddings.
func TestReportsHoldEveryExchangeAndNoToken(t *testing.T) {
	echo := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, token, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
				quoted, _ := json.Marshal(token)
				w.Header().Set("Location", "/login?token="+url.QueryEscape(token))
				w.Header().Set("X-Echo", strings.ReplaceAll(string(quoted), "/", `\/`))
				w.Header().Set("X-Echo-Path", url.PathEscape(token))
				w.Header().Set("X-Echo-Unprefixed", url.QueryEscape(strings.TrimLeft(token, "perm:-"))) // no shape left
			}
			next.ServeHTTP(w, r)
		})
	}
	for _, server := range []struct {
		name   string
		change func(http.Handler) http.Handler
	}{{"the mock", nil}, {"a proxy that echoes tokens encoded", echo}} {
		t.Run(server.name, func(t *testing.T) {
			fixtures, err := mockserver.DefaultFixtures()
			require.NoError(t, err)
			dir := t.TempDir()
			cucumber, junit, html := filepath.Join(dir, "c.json"), filepath.Join(dir, "j.xml"), filepath.Join(dir, "r.html")
			_, stdout, stderr := runSuiteCLI(t, nil, "--target", serveMockTarget(t, fixtures, server.change),
				"--format", "pretty,cucumber:"+cucumber+",junit:"+junit+",html:"+html)
			texts := append(decodedCucumber(t, cucumber, server.change == nil), stdout, stderr)
			for _, f := range []string{junit, html} {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				texts = append(texts, string(data))
			}
			for _, text := range texts {
				for _, tok := range fixtures.Tokens {
					random := tok.Token[strings.LastIndex(tok.Token, ".")+1:]
					for _, form := range []string{tok.Token, url.QueryEscape(tok.Token), url.PathEscape(tok.Token), random} {
						require.NotContains(t, text, form)
					}
				}
				for _, m := range secrets.TokenShape.FindAllString(text, -1) {
					require.LessOrEqual(t, len(m), len("perm-"), "a token in a report: %q", m)
				}
			}
		})
	}
}

// decodedCucumber is the cucumber report's text and every embedding decoded. With everyRequest, each
// passed step that sends a request must carry its exchange.
func decodedCucumber(t *testing.T, file string, everyRequest bool) []string {
	t.Helper()
	var features []struct {
		Elements []struct {
			Name  string `json:"name"`
			Steps []struct {
				Name       string                  `json:"name"`
				Result     struct{ Status string } `json:"result"`
				Embeddings []struct {
					Data string `json:"data"`
				} `json:"embeddings"`
			} `json:"steps"`
		} `json:"elements"`
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &features))
	texts := []string{string(data)}
	requestStep := regexp.MustCompile(`^(the admin|the restricted user|the banned user|a guest|that user|a client|a browser) sends |^the admin creates a token`)
	requestSteps := 0
	for _, f := range features {
		for _, sc := range f.Elements {
			for _, st := range sc.Steps {
				for _, e := range st.Embeddings {
					decoded, err := base64.StdEncoding.DecodeString(e.Data)
					require.NoError(t, err)
					texts = append(texts, string(decoded))
				}
				if requestStep.MatchString(st.Name) && st.Result.Status == "passed" {
					requestSteps++
					require.True(t, !everyRequest || len(st.Embeddings) > 0, "%s: %s sent a request: its exchange is attached", sc.Name, st.Name)
				}
			}
		}
	}
	require.Greater(t, requestSteps, 50)
	return texts
}

// requireCoverageAtLeastTheREADMEs checks the embedded run's coverage line against the figure the README
// quotes: the same contract declared, and no less of it seen.
func requireCoverageAtLeastTheREADMEs(t *testing.T, stderr, coverageFile string) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	quoted := regexp.MustCompile("<!-- embedded-coverage -->\n```\n(coverage: .*)\n```").FindSubmatch(readme)
	require.NotNil(t, quoted, "README.md quotes the embedded run's coverage")
	line := regexp.MustCompile(`(?m)^coverage: .*$`).FindString(stderr)
	require.NotEmpty(t, line, "the run prints its coverage line")
	figures := regexp.MustCompile(`(\d+)/(\d+) (\w+)`)
	want, got := figures.FindAllStringSubmatch(string(quoted[1]), -1), figures.FindAllStringSubmatch(line, -1)
	require.Len(t, got, len(want), line)
	for i := range want {
		require.Equal(t, want[i][3], got[i][3])
		require.Equal(t, want[i][2], got[i][2], "%s declared: the contract changed; update the README's figure", want[i][3])
		seen, quotedSeen := atoi(got[i][1]), atoi(want[i][1]) // both matched \d+
		require.GreaterOrEqual(t, seen, quotedSeen, "%s exercised fell below the README's figure", want[i][3])
	}
	var written struct {
		Operations struct{ Seen, Declared int } `json:"operations"`
	}
	data, err := os.ReadFile(coverageFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &written))
	require.Equal(t, got[0][1]+"/"+got[0][2], fmt.Sprintf("%d/%d", written.Operations.Seen, written.Operations.Declared), "--coverage writes what the line says")
}

// TestFailOnSkipPassesATargetThatOffersEverything: no target can offer both values of a setting (guest
// access allowed and banned, ...), so --fail-on-skip counts only the skips for something the target file
// does not provide, and a target that provides everything passes.
func TestFailOnSkipPassesATargetThatOffersEverything(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	f.Server.CORSOrigins = []string{"https://app.example.com"}
	code, _, stderr := runSuiteCLI(t, nil, "--target", serveMockTarget(t, f, nil), "--fail-on-skip", "--format", "quiet")
	require.Equal(t, 0, code, stderr)
	require.Regexp(t, `68 scenarios: \d+ passed, 0 failed, [1-9] skipped`, stderr, "the other sides of settings are skipped, and do not count")
}

// TestRunWarnsOfAnAdminTokenThatCannotWork: a secret left unset, or a wrong one, would otherwise show only as
// many skipped or failed scenarios.
func TestRunWarnsOfAnAdminTokenThatCannotWork(t *testing.T) {
	mock := serveDefaultMock(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no token", []string{"--base-url", mock.BaseURL}, "ytconform: warning: the target names no admin token"},
		{"a token the server refuses", []string{"--base-url", mock.BaseURL, "--token", mock.RevokedToken},
			"ytconform: warning: the server refuses the admin's token (GET /api/users/me answered 401)"},
		{"a token that works", []string{"--base-url", mock.BaseURL, "--token", mock.Admin.Token}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, stderr := runSuiteCLI(t, nil, append(c.args, "--tags", "@headers", "--format", "quiet")...)
			if c.want == "" {
				require.NotContains(t, stderr, "warning")
				return
			}
			require.Contains(t, stderr, c.want)
			require.NotContains(t, stderr, mock.RevokedToken)
		})
	}
}

// TestAnUndefinedStepSaysWhereThePhrasesAre: someone running the binary on their own feature file needs the
// phrases there are, not a Go snippet to implement.
func TestAnUndefinedStepSaysWhereThePhrasesAre(t *testing.T) {
	feature := filepath.Join(t.TempDir(), "mine.feature")
	require.NoError(t, os.WriteFile(feature, []byte("Feature: mine\n  Scenario: custom\n    When the admin sends GET \"/api/users/me?fields=login\"\n    Then the answer smells of roses\n"), 0o600))
	code, stdout, stderr := runSuiteCLI(t, nil, "--format", "pretty", feature)
	require.Equal(t, 1, code, stderr)
	require.Contains(t, stderr, `failed: `+feature+`: custom: step "the answer smells of roses" matches no step phrase; 'ytconform run --list-steps' lists them`)
	require.Contains(t, stdout, "  ? Then the answer smells of roses\n")
	require.NotContains(t, stdout+stderr, "func ", "no Go snippet")
}
