package steps

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps about one answer: its status, its error shape, its fields. Each failure is one line: the
// request, what was expected, and what came back.

// statusIsOneOf is for the few answers where servers may differ: both statuses are exact, no other passes.
func (st *scenario) statusIsOneOf(a, b int) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	if ex.status != a && ex.status != b {
		return st.errorf("%s: expected status %d or %d, got %d (body: %s)", ex, a, b, ex.status, excerpt(ex.body))
	}
	return nil
}

func (st *scenario) statusIs(want int) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	if ex.status != want {
		return st.errorf("%s: expected status %d, got %d (body: %s)", ex, want, ex.status, excerpt(ex.body))
	}
	return nil
}

// answerIsYouTrackError checks YouTrack's error shape: a JSON object with the string "error" and a string
// "error_description" (clients tell YouTrack's errors from a proxy's by exactly this).
func (st *scenario) answerIsYouTrackError(name string) error {
	ex, body, err := st.jsonObject()
	if err != nil {
		return err
	}
	if err := st.stringFields(ex, body, "error", "error_description"); err != nil {
		return err
	}
	if got := body.Get("error").String(); got != name {
		return st.errorf(`%s: expected the error %q, got %q: %s`, ex, name, got, excerpt(ex.body))
	}
	return nil
}

// answerIsAnyYouTrackError is for errors whose code servers word differently ("bad_request" on current
// servers, "invalid_properties" for a body, the reason phrase elsewhere): any non-empty string "error" passes.
func (st *scenario) answerIsAnyYouTrackError() error {
	ex, body, err := st.jsonObject()
	if err != nil {
		return err
	}
	if err := st.stringFields(ex, body, "error", "error_description"); err != nil {
		return err
	}
	if body.Get("error").String() == "" {
		return st.errorf(`%s: expected a non-empty "error": %s`, ex, excerpt(ex.body))
	}
	return nil
}

func (st *scenario) answerIsHubError(name string, code int) error {
	if err := st.answerIsAnyHubError(code); err != nil {
		return err
	}
	ex, body, _ := st.jsonObject()
	if got := body.Get("error").String(); got != name {
		return st.errorf(`%s: expected the Hub error %q, got %q: %s`, ex, name, got, excerpt(ex.body))
	}
	return nil
}

// answerIsHubErrorWithTheStatus is for answers whose status the contract leaves open (403 or 404).
func (st *scenario) answerIsHubErrorWithTheStatus() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	return st.answerIsAnyHubError(ex.status)
}

// answerIsAnyHubError checks the Hub's error shape: "error" and "error_description" strings beside a
// numeric "error_code" equal to code.
func (st *scenario) answerIsAnyHubError(code int) error {
	ex, body, err := st.jsonObject()
	if err != nil {
		return err
	}
	if err := st.stringFields(ex, body, "error", "error_description"); err != nil {
		return err
	}
	if c := body.Get("error_code"); c.Type != gjson.Number || c.Int() != int64(code) {
		return st.errorf(`%s: expected "error_code" %d, got %s: %s`, ex, code, orMissing(c), excerpt(ex.body))
	}
	return nil
}

func (st *scenario) answerIsLegacyError() error {
	ex, body, err := st.jsonObject()
	if err != nil {
		return err
	}
	return st.stringFields(ex, body, "value")
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
	if v := body.Get(path); v.Type != gjson.String || !sameValue(path, v.String(), want) {
		return st.errorf("%s: expected %q to be %q, got %s: %s", ex, path, want, orMissing(v), excerpt(ex.body))
	}
	return nil
}

// sameValue compares a string attribute with what a step expects. A $type may be qualified, as 2018-2019
// servers wrote it: "jetbrains.charisma.persistent.Project" is a Project.
func sameValue(path, got, want string) bool {
	if path == "$type" || strings.HasSuffix(path, ".$type") {
		return got == want || strings.HasSuffix(got, "."+want)
	}
	return got == want
}

func (st *scenario) fieldIsLiteral(path, literal string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	if v := body.Get(path); v.Raw != literal {
		return st.errorf("%s: expected %q to be %s, got %s: %s", ex, path, literal, orMissing(v), excerpt(ex.body))
	}
	return nil
}

func (st *scenario) fieldIsNonEmptyString(path string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	if v := body.Get(path); v.Type != gjson.String || v.String() == "" {
		return st.errorf("%s: expected %q to be a non-empty string, got %s: %s", ex, path, orMissing(v), excerpt(ex.body))
	}
	return nil
}

// answerHasNoField accepts null: an unset optional property is null under `fields` projection.
func (st *scenario) answerHasNoField(path string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	if v := body.Get(path); v.Exists() && v.Type != gjson.Null {
		return st.errorf("%s: expected no %q, got %s", ex, path, v.Raw)
	}
	return nil
}

// jsonObject is jsonBody for an answer that must be a JSON object.
func (st *scenario) jsonObject() (*exchange, gjson.Result, error) {
	ex, body, err := st.jsonBody()
	if err != nil {
		return ex, body, err
	}
	if !body.IsObject() {
		return ex, body, st.errorf("%s: expected a JSON object, got %s", ex, excerpt(ex.body))
	}
	return ex, body, nil
}

// stringFields requires each named field of body to be a string.
func (st *scenario) stringFields(ex *exchange, body gjson.Result, names ...string) error {
	for _, name := range names {
		if v := body.Get(name); v.Type != gjson.String {
			return st.errorf("%s: expected %q to be a string, got %s: %s", ex, name, orMissing(v), excerpt(ex.body))
		}
	}
	return nil
}

// orMissing shows a JSON value as it came, or says it is not there.
func orMissing(v gjson.Result) string {
	if !v.Exists() {
		return "nothing"
	}
	return fmt.Sprint(v.Raw)
}
