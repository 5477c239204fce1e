package steps

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/internal/specval"
	"github.com/ytconform/ytconform/mockserver"
)

// stepDef is one step phrase and the method that does it.
type stepDef struct {
	expr string
	fn   any
}

const (
	actor  = `(the admin|the restricted user|the banned user|a guest|that user)`
	method = `(GET|POST|PUT|PATCH|DELETE|HEAD)`
	whose  = `(the admin's|the restricted user's|the guest's)`
)

// definitions is the whole phrase family, in the order `ytconform run --list-steps` prints it.
func (st *scenario) definitions() []stepDef {
	return []stepDef{
		// What the target must offer. A scenario that needs something the target lacks is skipped, with the reason.
		{`^the target serves the legacy API$`, st.targetServesLegacyAPI},
		{`^the target serves the Hub token API$`, st.targetServesHubAPI},
		{`^the suite may create and delete data on the target$`, st.writesAllowed},
		{`^guest access is (allowed|banned)$`, st.guestAccessIs},
		{`^a user whose token has the "(perm:|perm-)" shape$`, st.userWhoseTokenHasShape},
		{`^every request carries the header "([^":]+): ?([^"]*)"$`, st.everyRequestCarries},
		{`^the admin has created (\d+) projects$`, st.adminHasCreatedProjects},

		// Requests. Every exchange is checked against openapi.yaml as soon as the answer is in.
		{`^` + actor + ` sends ` + method + ` "([^"]*)"$`, st.actorSends},
		{`^a client sends ` + method + ` "([^"]*)" with (.+)$`, st.clientSendsWith},
		{`^the admin creates a token named "([^"]*)" for "([^"]*)"$`, st.adminCreatesToken},

		// The answer.
		{`^the status is (\d+)$`, st.statusIs},
		{`^the status is (\d+) or (\d+)$`, st.statusIsOneOf},
		{`^the answer is the YouTrack error "([^"]*)"$`, st.answerIsYouTrackError},
		{`^the answer is the Hub error "([^"]*)" with code (\d+)$`, st.answerIsHubError},
		{`^the answer is a Hub error with code (\d+)$`, st.answerIsAnyHubError},
		{`^the answer is a Hub error whose code is the status$`, st.answerIsHubErrorWithTheStatus},
		{`^the answer is a legacy error$`, st.answerIsLegacyError},
		{`^the field "([^"]*)" is "([^"]*)"$`, st.fieldIs},
		{`^the field "([^"]*)" is (true|false|null)$`, st.fieldIsLiteral},
		{`^the field "([^"]*)" is a non-empty string$`, st.fieldIsNonEmptyString},
		{`^the answer has no field "([^"]*)"$`, st.answerHasNoField},

		// Lists.
		{`^the answer lists (\d+) items?$`, st.answerLists},
		{`^the answer is an empty list$`, st.answerIsEmptyList},
		{`^the listed short names are exactly ` + whose + ` projects$`, st.listedShortNamesAreExactly},
		{`^the listed short names are the admin's projects and the created ones$`, st.listedShortNamesAreAdminsAndCreated},
		{`^the listed short names include "([^"]*)"$`, st.listedShortNamesInclude},
		{`^every listed item has exactly the fields "([^"]*)"$`, st.everyItemHasExactlyTheFields},
		{`^every listed item's "([^"]*)" is "([^"]*)"$`, st.everyItemFieldIs},
		{`^the listed "([^"]*)" values are in alphabetical order$`, st.listedValuesAreInAlphabeticalOrder},

		// Comparing the last answer with the one before.
		{`^the answer lists fewer items than the one before$`, st.answerListsFewerItemsThanTheOneBefore},
		{`^the answer is the one before without its first item$`, st.answerIsTheOneBeforeWithoutItsFirstItem},
		{`^the answer is the same JSON as the one before$`, st.answerIsTheSameJSONAsTheOneBefore},
		{`^the last two answers are identical$`, st.lastTwoAnswersAreIdentical},
		{`^the last two answers are the same error apart from the project they name$`, st.lastTwoAnswersAreTheSameErrorApartFromTheProject},

		// Headers.
		{`^the header "([^"]*)" is "([^"]*)"$`, st.headerIs},
		{`^the header "([^"]*)" includes "([^"]*)"$`, st.headerIncludes},
		{`^the content type is (JSON|XML) in UTF-8$`, st.contentTypeIs},
		{`^the body is gzip-compressed$`, st.bodyIsGzipCompressed},
		{`^the body is not compressed$`, st.bodyIsNotCompressed},

		// The legacy API.
		{`^the legacy listing holds exactly (the admin's|the restricted user's) projects$`, st.legacyListingHoldsExactly},
		{`^every legacy project's url is "([^"]*)" followed by its short name$`, st.everyLegacyURLIs},
		{`^every legacy project's id is its name or its short name$`, st.everyLegacyIDIsNameOrShortName},

		// Tokens made during the scenario.
		{`^the new token has the documented shape$`, st.newTokenHasTheDocumentedShape},
		{`^the list "([^"]*)" holds the new token once, without its secret$`, st.listHoldsTheNewTokenOnce},
	}
}

// Phrases lists every step phrase (a regular expression), for `ytconform run --list-steps`.
func Phrases() []string {
	var exprs []string
	for _, d := range (&scenario{}).definitions() {
		exprs = append(exprs, d.expr)
	}
	return exprs
}

func (st *scenario) registerSteps(sc *godog.ScenarioContext) {
	for _, d := range st.definitions() {
		sc.Step(d.expr, d.fn)
	}
}

// --- what the target offers ---

func (st *scenario) targetServesLegacyAPI() error {
	if !st.target.LegacyAPI {
		return st.skip("the target does not serve the legacy API (legacy_api is not true)")
	}
	return nil
}

func (st *scenario) targetServesHubAPI() error {
	_, err := st.hubToken()
	return err
}

func (st *scenario) writesAllowed() error {
	if !st.target.Writes {
		return st.skip("the target does not allow the suite to create and delete data (writes is not true)")
	}
	return nil
}

// guestAccessIs runs the embedded mock with the guest setting the scenario needs; against an external
// target, it skips unless the target file states that setting.
func (st *scenario) guestAccessIs(setting string) error {
	if st.mock != nil {
		if st.mock.fixtures.Guest.Access == setting {
			return nil
		}
		return st.startMock(func(f *mockserver.Fixtures) { f.Guest.Access = setting })
	}
	if got := st.target.GuestAccess(); got != setting {
		return st.skip("the scenario needs guest access %s; the target's is %s", setting, got)
	}
	return nil
}

func (st *scenario) userWhoseTokenHasShape(prefix string) error {
	for _, id := range []*Identity{st.target.Admin, st.target.Restricted} {
		if id != nil && strings.HasPrefix(id.Token, prefix) {
			st.thatUser = id
			return nil
		}
	}
	return st.skip("neither the admin's nor the restricted user's token has the %s shape", prefix)
}

func (st *scenario) everyRequestCarries(name, value string) {
	st.headers.Add(name, value)
}

// adminHasCreatedProjects creates n projects with names no one else uses. Each is deleted after the
// scenario, whatever its outcome: the cleanup is registered before anything else can fail.
func (st *scenario) adminHasCreatedProjects(ctx context.Context, n int) error {
	if err := st.writesAllowed(); err != nil {
		return err
	}
	admin, err := st.identity("the admin")
	if err != nil {
		return err
	}
	tag := randomLetters(4)
	for i := 1; i <= n; i++ {
		project := map[string]any{
			"name":      fmt.Sprintf("ytconform %s %02d", tag, i),
			"shortName": fmt.Sprintf("YC%s%02d", tag, i),
		}
		if admin.Login != "" { // a real YouTrack needs a leader
			project["leader"] = map[string]string{"login": admin.Login}
		}
		body, _ := json.Marshal(project)
		ex, err := st.do(ctx, http.MethodPost, "/api/admin/projects?fields=id,shortName", "Bearer "+admin.Token, body)
		if ex != nil && ex.status == http.StatusOK {
			id := cmp.Or(gjson.GetBytes(ex.body, "id").String(), project["shortName"].(string))
			st.deleteAfterwards("Bearer "+admin.Token, "/api/admin/projects/"+id)
		}
		if err != nil {
			return err
		}
		if ex.status != http.StatusOK {
			return st.errorf("%s: creating project %d of %d failed: %s", ex, i, n, excerpt(ex.body))
		}
		st.created = append(st.created, project["shortName"].(string))
	}
	return nil
}

// deleteAfterwards registers the removal of something the scenario created. Already gone is fine.
func (st *scenario) deleteAfterwards(authorization, path string) {
	st.cleanups = append(st.cleanups, func(ctx context.Context) error {
		ex, err := st.do(ctx, http.MethodDelete, path, authorization, nil)
		if err != nil {
			return err
		}
		if ex.status != http.StatusOK && ex.status != http.StatusNotFound {
			return st.errorf("%s: %s", ex, excerpt(ex.body))
		}
		return nil
	})
}

// randomLetters returns n characters of A-Z and 2-7, fit for names and short names.
func randomLetters(n int) string {
	return rand.Text()[:n]
}

// --- requests ---

func (st *scenario) actorSends(ctx context.Context, actor, method, path string) error {
	authorization, err := st.authorizationOf(actor, path)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, method, path, authorization, nil)
	return err
}

func (st *scenario) clientSendsWith(ctx context.Context, method, path, credentials string) error {
	authorization, err := st.credential(credentials)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, method, path, authorization, nil)
	return err
}

// adminCreatesToken creates a permanent token for the Hub token's owner, granted for the comma-separated
// services, and remembers it as "the new token". It is revoked after the scenario, whatever its outcome.
func (st *scenario) adminCreatesToken(ctx context.Context, name, services string) error {
	if err := st.writesAllowed(); err != nil {
		return err
	}
	hubToken, err := st.hubToken()
	if err != nil {
		return err
	}
	var scope []map[string]string
	for _, s := range strings.Split(services, ",") {
		scope = append(scope, map[string]string{"key": strings.TrimSpace(s)})
	}
	// A suffix keeps names unique: runs against one server may overlap.
	body, _ := json.Marshal(map[string]any{"name": name + " " + randomLetters(6), "scope": scope})
	const tokens = "/hub/api/rest/users/me/permanenttokens"
	ex, err := st.send(ctx, http.MethodPost, tokens+"?fields=id,name,token,scope(key)", "Bearer "+hubToken, body)
	if ex != nil && ex.status == http.StatusOK {
		if id := gjson.GetBytes(ex.body, "id").String(); id != "" {
			st.deleteAfterwards("Bearer "+hubToken, tokens+"/"+id)
		}
		st.secrets.add(gjson.GetBytes(ex.body, "token").String())
	}
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, http.StatusOK, ex.status, "%s: creating a token: %s", ex, excerpt(ex.body))
		st.newToken.id = gjson.GetBytes(ex.body, "id").String()
		st.newToken.secret = gjson.GetBytes(ex.body, "token").String()
		require.NotEmpty(t, st.newToken.id, "%s: the new token has no id", ex)
		require.NotEmpty(t, st.newToken.secret, "%s: the answer does not show the new token's secret", ex)
	})
}

// send makes the step's request, keeps its answer for the following steps, and checks the exchange
// against the contract.
func (st *scenario) send(ctx context.Context, method, path, authorization string, body []byte) (*exchange, error) {
	ex, err := st.do(ctx, method, path, authorization, body)
	if ex != nil {
		st.exchanges = append(st.exchanges, ex)
	}
	return ex, err
}

// do makes one request and checks the exchange against openapi.yaml. The exchange is returned whenever an
// answer came, even one that violates the contract, so that callers can clean up what it created.
func (st *scenario) do(ctx context.Context, method, path, authorization string, body []byte) (*exchange, error) {
	path, err := st.expand(path)
	if err != nil {
		return nil, err
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, st.target.BaseURL+path, reader)
	if err != nil {
		return nil, st.errorf("%s %s: %v", method, path, err)
	}
	for name, values := range st.headers {
		req.Header[name] = values
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	ex, err := roundTrip(st.suite.client, req, path)
	if err != nil {
		return nil, st.errorf("%v", err)
	}
	if err := st.validator.Check(req, body, ex.status, ex.header, ex.body); err != nil {
		return ex, st.errorf("contract: %v", err)
	}
	return ex, nil
}

// errorf is the only way a step fails with its own words: the text is scrubbed of every known secret.
func (st *scenario) errorf(format string, args ...any) error {
	return fmt.Errorf("%s", st.secrets.redact(fmt.Sprintf(format, args...)))
}

func (st *scenario) last() (*exchange, error) {
	if len(st.exchanges) == 0 {
		return nil, fmt.Errorf("no request was sent yet")
	}
	return st.exchanges[len(st.exchanges)-1], nil
}

func (st *scenario) lastTwo() (before, last *exchange, err error) {
	if len(st.exchanges) < 2 {
		return nil, nil, fmt.Errorf("the step compares two answers, but %d request(s) were sent", len(st.exchanges))
	}
	return st.exchanges[len(st.exchanges)-2], st.exchanges[len(st.exchanges)-1], nil
}

// useTarget points the scenario at a server and at a validator for it.
func (st *scenario) useTarget(t *Target) error {
	v, err := specval.New(t.BaseURL)
	if err != nil {
		return err
	}
	st.target, st.validator = t, v
	st.secrets.add(t.secrets()...)
	return nil
}

// --- the answer ---

// json parses the last answer's body, failing the step with an excerpt when it is not JSON.
func (st *scenario) jsonBody() (*exchange, gjson.Result, error) {
	ex, err := st.last()
	if err != nil {
		return nil, gjson.Result{}, err
	}
	if !gjson.ValidBytes(ex.body) {
		return ex, gjson.Result{}, st.errorf("%s: the body is not JSON: %q", ex, excerpt(ex.body))
	}
	return ex, gjson.ParseBytes(ex.body), nil
}

// statusIsOneOf is for the few answers where servers may differ: both statuses are exact, no other passes.
func (st *scenario) statusIsOneOf(a, b int) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Contains(t, []int{a, b}, ex.status, "%s: status (body: %s)", ex, excerpt(ex.body))
	})
}

func (st *scenario) statusIs(want int) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, want, ex.status, "%s: status (body: %s)", ex, excerpt(ex.body))
	})
}

// answerIsYouTrackError checks YouTrack's error shape: a JSON object with the string "error" and a string
// "error_description" (clients tell YouTrack's errors from a proxy's by exactly this).
func (st *scenario) answerIsYouTrackError(name string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.True(t, body.IsObject(), "%s: the body is not a JSON object: %s", ex, excerpt(ex.body))
		require.Equal(t, gjson.String, body.Get("error").Type, `%s: "error" is not a string: %s`, ex, excerpt(ex.body))
		require.Equal(t, name, body.Get("error").String(), `%s: "error"`, ex)
		require.Equal(t, gjson.String, body.Get("error_description").Type, `%s: "error_description" is not a string: %s`, ex, excerpt(ex.body))
	})
}

func (st *scenario) answerIsHubError(name string, code int) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	if err := st.answerIsAnyHubError(code); err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, name, body.Get("error").String(), `%s: "error"`, ex)
	})
}

// answerIsAnyHubError checks the Hub's error shape: "error" and "error_description" strings beside a
// numeric "error_code".
// answerIsHubErrorWithTheStatus is for answers whose status the contract leaves open (403 or 404).
func (st *scenario) answerIsHubErrorWithTheStatus() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.answerIsAnyHubError(ex.status)
}

func (st *scenario) answerIsAnyHubError(code int) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.True(t, body.IsObject(), "%s: the body is not a JSON object: %s", ex, excerpt(ex.body))
		require.Equal(t, gjson.String, body.Get("error").Type, `%s: "error" is not a string: %s`, ex, excerpt(ex.body))
		require.Equal(t, gjson.Number, body.Get("error_code").Type, `%s: "error_code" is not a number: %s`, ex, excerpt(ex.body))
		require.EqualValues(t, code, body.Get("error_code").Int(), `%s: "error_code"`, ex)
		require.Equal(t, gjson.String, body.Get("error_description").Type, `%s: "error_description" is not a string: %s`, ex, excerpt(ex.body))
	})
}

func (st *scenario) answerIsLegacyError() error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.True(t, body.IsObject(), "%s: the body is not a JSON object: %s", ex, excerpt(ex.body))
		require.Equal(t, gjson.String, body.Get("value").Type, `%s: "value" is not a string: %s`, ex, excerpt(ex.body))
	})
}

func (st *scenario) fieldIs(path, want string) error {
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		v := body.Get(path)
		require.Equal(t, gjson.String, v.Type, "%s: %q is not a string: %s", ex, path, excerpt(ex.body))
		require.Equal(t, want, v.String(), "%s: %q", ex, path)
	})
}

func (st *scenario) fieldIsLiteral(path, literal string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		v := body.Get(path)
		require.True(t, v.Exists(), "%s: there is no %q: %s", ex, path, excerpt(ex.body))
		require.Equal(t, literal, v.Raw, "%s: %q", ex, path)
	})
}

func (st *scenario) fieldIsNonEmptyString(path string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		v := body.Get(path)
		require.Equal(t, gjson.String, v.Type, "%s: %q is not a string: %s", ex, path, excerpt(ex.body))
		require.NotEmpty(t, v.String(), "%s: %q is empty", ex, path)
	})
}

// answerHasNoField accepts null: an unset optional property is null under `fields` projection.
func (st *scenario) answerHasNoField(path string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		v := body.Get(path)
		require.True(t, !v.Exists() || v.Type == gjson.Null, "%s: the answer carries %q", ex, path)
	})
}

// --- lists ---

// list parses the last answer as a JSON array.
func (st *scenario) list() (*exchange, []gjson.Result, error) {
	ex, body, err := st.jsonBody()
	if err != nil {
		return nil, nil, err
	}
	if !body.IsArray() {
		return ex, nil, st.errorf("%s: the body is not a JSON array: %s", ex, excerpt(ex.body))
	}
	return ex, body.Array(), nil
}

// strings collects a string property of every item, failing when an item lacks it.
// listedStrings is the string field of every item of the listed answer; an item without it fails the step.
func (st *scenario) listedStrings(field string) (*exchange, []string, error) {
	ex, items, err := st.list()
	if err != nil {
		return nil, nil, err
	}
	values := make([]string, 0, len(items))
	for i, item := range items {
		v := item.Get(field)
		if v.Type != gjson.String {
			return nil, nil, st.errorf("%s: item %d has no string %q: %s", ex, i, field, excerpt([]byte(item.Raw)))
		}
		values = append(values, v.String())
	}
	return ex, values, nil
}

func (st *scenario) answerLists(n int) error {
	ex, items, err := st.list()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Len(t, items, n, "%s: number of items", ex)
	})
}

func (st *scenario) answerIsEmptyList() error { return st.answerLists(0) }

func (st *scenario) listedShortNamesAreExactly(owner string) error {
	want, err := st.projectsOf(strings.TrimSuffix(owner, "'s"))
	if err != nil {
		return err
	}
	return st.listedShortNamesMatch(want)
}

func (st *scenario) listedShortNamesAreAdminsAndCreated() error {
	admins, err := st.projectsOf("the admin")
	if err != nil {
		return err
	}
	return st.listedShortNamesMatch(slices.Concat(admins, st.created))
}

func (st *scenario) listedShortNamesMatch(want []string) error {
	ex, got, err := st.listedStrings("shortName")
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.ElementsMatch(t, want, got, "%s: short names listed", ex)
	})
}

func (st *scenario) listedShortNamesInclude(want string) error {
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	ex, got, err := st.listedStrings("shortName")
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Contains(t, got, want, "%s: short names listed", ex)
	})
}

func (st *scenario) everyItemHasExactlyTheFields(fields string) error {
	var want []string
	for _, f := range strings.Split(fields, ",") {
		want = append(want, strings.TrimSpace(f))
	}
	ex, items, err := st.list()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.NotEmpty(t, items, "%s: the list is empty, so it proves nothing", ex)
		for i, item := range items {
			var got []string
			item.ForEach(func(key, _ gjson.Result) bool {
				got = append(got, key.String())
				return true
			})
			require.ElementsMatch(t, want, got, "%s: the fields of item %d", ex, i)
		}
	})
}

func (st *scenario) everyItemFieldIs(path, want string) error {
	ex, items, err := st.list()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.NotEmpty(t, items, "%s: the list is empty, so it proves nothing", ex)
		for i, item := range items {
			v := item.Get(path)
			require.Equal(t, gjson.String, v.Type, "%s: item %d has no string %q: %s", ex, i, path, excerpt([]byte(item.Raw)))
			require.Equal(t, want, v.String(), "%s: item %d's %q", ex, i, path)
		}
	})
}

// listedValuesAreInAlphabeticalOrder accepts byte order or case-insensitive order: which collation a real
// YouTrack uses is not documented.
func (st *scenario) listedValuesAreInAlphabeticalOrder(field string) error {
	ex, values, err := st.listedStrings(field)
	if err != nil {
		return err
	}
	folded := func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
	return st.expect(func(t require.TestingT) {
		require.GreaterOrEqual(t, len(values), 2, "%s: fewer than two items prove no order", ex)
		require.True(t, slices.IsSorted(values) || slices.IsSortedFunc(values, folded),
			"%s: %q values are not in alphabetical order: %q", ex, field, values)
	})
}

// --- comparing answers ---

func (st *scenario) answerListsFewerItemsThanTheOneBefore() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	a, b := gjson.ParseBytes(before.body), gjson.ParseBytes(last.body)
	return st.expect(func(t require.TestingT) {
		require.True(t, a.IsArray() && b.IsArray(), "%s and %s: both bodies must be JSON arrays", before, last)
		require.Less(t, len(b.Array()), len(a.Array()), "%s lists no fewer items than %s", last, before)
	})
}

func (st *scenario) answerIsTheOneBeforeWithoutItsFirstItem() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	a, b := gjson.ParseBytes(before.body), gjson.ParseBytes(last.body)
	return st.expect(func(t require.TestingT) {
		require.True(t, a.IsArray() && b.IsArray(), "%s and %s: both bodies must be JSON arrays", before, last)
		items := a.Array()
		require.NotEmpty(t, items, "%s: the list is empty, so it proves nothing", before)
		rest := "[" + strings.Join(raws(items[1:]), ",") + "]"
		require.JSONEq(t, rest, b.Raw, "%s is not %s without its first item", last, before)
	})
}

func raws(items []gjson.Result) []string {
	out := make([]string, len(items))
	for i, item := range items {
		out[i] = item.Raw
	}
	return out
}

func (st *scenario) answerIsTheSameJSONAsTheOneBefore() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.True(t, json.Valid(before.body) && json.Valid(last.body), "%s and %s: both bodies must be JSON", before, last)
		require.JSONEq(t, string(before.body), string(last.body), "%s differs from %s", last, before)
	})
}

// lastTwoAnswersAreIdentical compares status, every header but Date, and the body byte for byte: nothing
// may tell the two requests apart.
func (st *scenario) lastTwoAnswersAreIdentical() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	headers := func(h http.Header) http.Header {
		h = h.Clone()
		h.Del("Date")
		return h
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, before.status, last.status, "%s and %s: status", before, last)
		require.Equal(t, headers(before.header), headers(last.header), "%s and %s: headers", before, last)
		require.Equal(t, string(before.raw), string(last.raw), "%s and %s: body", before, last)
	})
}

// lastTwoAnswersAreTheSameErrorApartFromTheProject compares two error answers about two projects: an
// unknown project and one the user may not see must be indistinguishable but for the id each names.
func (st *scenario) lastTwoAnswersAreTheSameErrorApartFromTheProject() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	normalized := func(ex *exchange) string {
		id := lastSegment(ex.path)
		return strings.ReplaceAll(string(ex.body), id, "{id}")
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, before.status, last.status, "%s and %s: status", before, last)
		require.Equal(t, normalized(before), normalized(last), "%s and %s: body, apart from the project id", before, last)
	})
}

func lastSegment(label string) string {
	path, _, _ := strings.Cut(label, "?")
	return path[strings.LastIndex(path, "/")+1:]
}

// --- headers ---

// headerValue joins a header's lines, as a list-valued header may arrive split.
func headerValue(h http.Header, name string) (string, bool) {
	values := h.Values(name)
	return strings.Join(values, ", "), len(values) > 0
}

func (st *scenario) headerIs(name, want string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		got, ok := headerValue(ex.header, name)
		require.True(t, ok, "%s: there is no %s header", ex, name)
		require.Equal(t, want, got, "%s: header %s", ex, name)
	})
}

func (st *scenario) headerIncludes(name, item string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		got, ok := headerValue(ex.header, name)
		require.True(t, ok, "%s: there is no %s header", ex, name)
		found := slices.ContainsFunc(strings.Split(got, ","), func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), item) })
		require.True(t, found, "%s: header %s is %q, without %q", ex, name, got, item)
	})
}

// contentTypeIs compares the media type and charset without regard to case: YouTrack itself writes
// utf-8 under /api and UTF-8 under /rest.
func (st *scenario) contentTypeIs(kind string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	want := map[string]string{"JSON": "application/json", "XML": "application/xml"}[kind]
	return st.expect(func(t require.TestingT) {
		got := ex.header.Get("Content-Type")
		mediaType, params, err := mime.ParseMediaType(got)
		require.NoError(t, err, "%s: Content-Type %q", ex, got)
		require.Equal(t, want, mediaType, "%s: Content-Type %q", ex, got)
		require.True(t, strings.EqualFold(params["charset"], "utf-8"), "%s: Content-Type %q names no UTF-8 charset", ex, got)
	})
}

func (st *scenario) bodyIsGzipCompressed() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.Equal(t, "gzip", ex.header.Get("Content-Encoding"), "%s: Content-Encoding", ex)
		require.True(t, bytes.HasPrefix(ex.raw, []byte{0x1f, 0x8b}), "%s: the body is not gzip data", ex)
	})
}

func (st *scenario) bodyIsNotCompressed() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		encoding := ex.header.Get("Content-Encoding")
		require.True(t, encoding == "" || strings.EqualFold(encoding, "identity"), "%s: Content-Encoding is %q", ex, encoding)
	})
}

// --- the legacy API ---

// legacyProject is one entry of GET /rest/admin/project, in JSON or XML.
type legacyProject struct {
	ID  string `json:"id" xml:"id,attr"`
	URL string `json:"url" xml:"url,attr"`
}

// parseLegacyProjects reads JSON ([{"id","url"}]) or XML (<projectRefs><project id url/></projectRefs>),
// as the answer's Content-Type says.
func parseLegacyProjects(ex *exchange) ([]legacyProject, error) {
	mediaType, _, _ := mime.ParseMediaType(ex.header.Get("Content-Type"))
	var projects []legacyProject
	switch mediaType {
	case "application/json":
		if err := json.Unmarshal(ex.body, &projects); err != nil {
			return nil, fmt.Errorf("the body is not a JSON list of projects: %v", err)
		}
	case "application/xml":
		var refs struct {
			XMLName  xml.Name        `xml:"projectRefs"`
			Projects []legacyProject `xml:"project"`
		}
		if err := xml.Unmarshal(ex.body, &refs); err != nil {
			return nil, fmt.Errorf("the body is not a <projectRefs> document: %v", err)
		}
		projects = refs.Projects
	default:
		return nil, fmt.Errorf("Content-Type %q is neither JSON nor XML", ex.header.Get("Content-Type"))
	}
	return projects, nil
}

var legacyShortName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// legacyListing parses the last answer as a legacy project list and returns each project's short name,
// taken from its url, which must be <base URL>/rest/admin/project/<short name>.
func (st *scenario) legacyListing() (*exchange, []legacyProject, []string, error) {
	ex, err := st.last()
	if err != nil {
		return nil, nil, nil, err
	}
	projects, err := parseLegacyProjects(ex)
	if err != nil {
		return ex, nil, nil, st.errorf("%s: %v: %s", ex, err, excerpt(ex.body))
	}
	prefix := st.target.BaseURL + "/rest/admin/project/"
	var shortNames []string
	for _, p := range projects {
		short, ok := strings.CutPrefix(p.URL, prefix)
		if !ok || !legacyShortName.MatchString(short) {
			return ex, nil, nil, st.errorf("%s: project %q has the url %q, not %s<short name>", ex, p.ID, p.URL, prefix)
		}
		shortNames = append(shortNames, short)
	}
	return ex, projects, shortNames, nil
}

func (st *scenario) legacyListingHoldsExactly(owner string) error {
	want, err := st.projectsOf(strings.TrimSuffix(owner, "'s"))
	if err != nil {
		return err
	}
	ex, _, got, err := st.legacyListing()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.ElementsMatch(t, want, got, "%s: short names in the project urls", ex)
	})
}

func (st *scenario) everyLegacyURLIs(prefix string) error {
	prefix, err := st.expand(prefix)
	if err != nil {
		return err
	}
	ex, projects, shortNames, err := st.legacyListing()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		require.NotEmpty(t, projects, "%s: the list is empty, so it proves nothing", ex)
		for i, p := range projects {
			require.Equal(t, prefix+shortNames[i], p.URL, "%s: url of project %q", ex, p.ID)
		}
	})
}

// everyLegacyIDIsNameOrShortName accepts either: the documented sample shows the name, the documented
// XML the short name. The names come from the current API, asked as the admin.
func (st *scenario) everyLegacyIDIsNameOrShortName(ctx context.Context) error {
	ex, projects, shortNames, err := st.legacyListing()
	if err != nil {
		return err
	}
	admin, err := st.identity("the admin")
	if err != nil {
		return err
	}
	names, err := st.do(ctx, http.MethodGet, "/api/admin/projects?fields=name,shortName&$top=-1", "Bearer "+admin.Token, nil)
	if err != nil {
		return err
	}
	if names.status != http.StatusOK {
		return st.errorf("%s: the project names are needed to check the legacy ids: %s", names, excerpt(names.body))
	}
	nameOf := map[string]string{}
	for _, p := range gjson.ParseBytes(names.body).Array() {
		nameOf[p.Get("shortName").String()] = p.Get("name").String()
	}
	return st.expect(func(t require.TestingT) {
		require.NotEmpty(t, projects, "%s: the list is empty, so it proves nothing", ex)
		for i, p := range projects {
			short := shortNames[i]
			require.Contains(t, []string{short, nameOf[short]}, p.ID, "%s: id of the project at %s", ex, p.URL)
		}
	})
}

// --- tokens made during the scenario ---

var documentedTokenShape = regexp.MustCompile(`^perm[:-][A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9]{30}$`)

func (st *scenario) newTokenHasTheDocumentedShape() error {
	if st.newToken.secret == "" {
		return fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
	}
	return st.expect(func(t require.TestingT) {
		// The token itself never goes into the message.
		require.True(t, documentedTokenShape.MatchString(st.newToken.secret),
			"the new token is not perm: or perm- + base64(login) + . + base64(name or id) + . + 30 letters and digits")
	})
}

func (st *scenario) listHoldsTheNewTokenOnce(field string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	return st.expect(func(t require.TestingT) {
		list := body.Get(field)
		require.True(t, list.IsArray(), "%s: %q is not a list: %s", ex, field, excerpt(ex.body))
		seen := 0
		for i, item := range list.Array() {
			if item.Get("id").String() == st.newToken.id {
				seen++
			}
			secret := item.Get("token")
			require.True(t, !secret.Exists() || secret.Type == gjson.Null, "%s: item %d of %q shows a token's secret", ex, i, field)
		}
		require.Equal(t, 1, seen, "%s: times the new token is listed in %q", ex, field)
	})
}
