package steps

import (
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"

	"github.com/cucumber/godog"
)

// stepDef is one step phrase and the method that does it, as a method expression.
type stepDef struct {
	expr string
	fn   any // func(*scenario, ...) error
}

const (
	actor  = `(the admin|the restricted user|the banned user|a guest|that user)`
	method = `(GET|POST|PUT|PATCH|DELETE|HEAD)`
	whose  = `(the admin's|the restricted user's|the guest's)`
)

// definitions is the whole phrase family, in the order `ytconform run --list-steps` prints it. Each
// method is given as a method expression, (*scenario).name, and bound to a scenario's state when the
// scenario starts: unlike a bound method value, a method expression knows the file and line it is
// declared at, which the reports give as the step's location.
var definitions = []stepDef{
	// What the target must offer. A scenario that needs something the target lacks is skipped, with the reason.
	{`^the target serves the legacy API$`, (*scenario).targetServesLegacyAPI},
	{`^the target serves the Hub token API$`, (*scenario).targetServesHubAPI},
	{`^the suite may create and delete data on the target$`, (*scenario).writesAllowed},
	{`^guest access is (allowed|banned)$`, (*scenario).guestAccessIs},
	{`^the target has switched the legacy API off$`, (*scenario).legacyAPIIsOff},
	{`^the target allows a browser origin$`, (*scenario).targetAllowsAnOrigin},
	{`^a user whose token has the "(perm:|perm-)" shape$`, (*scenario).userWhoseTokenHasShape},
	{`^every request carries the header "([^":]+): ?([^"]*)"$`, (*scenario).everyRequestCarries},
	{`^the admin has created (\d+) projects$`, (*scenario).adminHasCreatedProjects},

	// Requests. Every exchange is checked against openapi.yaml as soon as the answer is in.
	{`^` + actor + ` sends ` + method + ` "([^"]*)"$`, (*scenario).actorSends},
	{`^a client sends ` + method + ` "([^"]*)" with (.+)$`, (*scenario).clientSendsWith},
	{`^the admin creates a token named "([^"]*)" for "([^"]*)"$`, (*scenario).adminCreatesToken},
	{`^a browser sends a preflight for ` + method + ` "([^"]*)"$`, (*scenario).browserSendsPreflight},

	// The answer.
	{`^the status is (\d+)$`, (*scenario).statusIs},
	{`^the status is (\d+) or (\d+)$`, (*scenario).statusIsOneOf},
	{`^the answer is the YouTrack error "([^"]*)"$`, (*scenario).answerIsYouTrackError},
	{`^the answer is a YouTrack error$`, (*scenario).answerIsAnyYouTrackError},
	{`^the answer is the Hub error "([^"]*)" with code (\d+)$`, (*scenario).answerIsHubError},
	{`^the answer is a Hub error with code (\d+)$`, (*scenario).answerIsAnyHubError},
	{`^the answer is a Hub error whose code is the status$`, (*scenario).answerIsHubErrorWithTheStatus},
	{`^the answer is a legacy error$`, (*scenario).answerIsLegacyError},
	{`^the field "([^"]*)" is "([^"]*)"$`, (*scenario).fieldIs},
	{`^the field "([^"]*)" is (true|false|null)$`, (*scenario).fieldIsLiteral},
	{`^the field "([^"]*)" is a non-empty string$`, (*scenario).fieldIsNonEmptyString},
	{`^the answer has no field "([^"]*)"$`, (*scenario).answerHasNoField},

	// Lists.
	{`^the answer lists (\d+) items?$`, (*scenario).answerLists},
	{`^the answer is an empty list$`, (*scenario).answerIsEmptyList},
	{`^the listed short names are exactly ` + whose + ` projects$`, (*scenario).listedShortNamesAreExactly},
	{`^the listed short names are the admin's projects and the created ones$`, (*scenario).listedShortNamesAreAdminsAndCreated},
	{`^the listed short names include "([^"]*)"$`, (*scenario).listedShortNamesInclude},
	{`^every listed item has exactly the fields "([^"]*)"$`, (*scenario).everyItemHasExactlyTheFields},
	{`^every listed item's "([^"]*)" is "([^"]*)"$`, (*scenario).everyItemFieldIs},
	{`^the listed "([^"]*)" values are in alphabetical order$`, (*scenario).listedValuesAreInAlphabeticalOrder},

	// Comparing the last answer with the one before.
	{`^the answer lists fewer items than the one before$`, (*scenario).answerListsFewerItemsThanTheOneBefore},
	{`^the answer is the one before without its first item$`, (*scenario).answerIsTheOneBeforeWithoutItsFirstItem},
	{`^the answer is the same JSON as the one before$`, (*scenario).answerIsTheSameJSONAsTheOneBefore},
	{`^the last two answers are identical$`, (*scenario).lastTwoAnswersAreIdentical},
	{`^the last two answers are the same error apart from the project they name$`, (*scenario).lastTwoAnswersAreTheSameErrorApartFromTheProject},

	// Headers.
	{`^the header "([^"]*)" is "([^"]*)"$`, (*scenario).headerIs},
	{`^the header "([^"]*)" is "([^"]*)" when the target is reached directly$`, (*scenario).headerIsWhenDirect},
	{`^the header "([^"]*)" is "([^"]*)", exactly once$`, (*scenario).headerIsExactlyOnce},
	{`^the answer has no header "([^"]*)"$`, (*scenario).answerHasNoHeader},
	{`^the header "([^"]*)" includes "([^"]*)"$`, (*scenario).headerIncludes},
	{`^the content type is (JSON|XML) in UTF-8$`, (*scenario).contentTypeIs},
	{`^the body is gzip-compressed$`, (*scenario).bodyIsGzipCompressed},
	{`^the body is not compressed$`, (*scenario).bodyIsNotCompressed},

	// The legacy API.
	{`^the legacy listing holds exactly (the admin's|the restricted user's) projects$`, (*scenario).legacyListingHoldsExactly},
	{`^every legacy project's url points at its short name$`, (*scenario).everyLegacyURLPointsAtItsShortName},
	{`^every legacy project's id is its name or its short name$`, (*scenario).everyLegacyIDIsNameOrShortName},

	// Tokens made during the scenario.
	{`^the new token has the documented shape$`, (*scenario).newTokenHasTheDocumentedShape},
	{`^the list "([^"]*)" holds the new token once, without its secret$`, (*scenario).listHoldsTheNewTokenOnce},
	{`^the new token is refused within the revocation grace$`, (*scenario).newTokenIsRefusedWithinTheGrace},
}

// Phrases lists every step phrase (a regular expression), for `ytconform run --list-steps`.
func Phrases() []string {
	var exprs []string
	for _, d := range definitions {
		exprs = append(exprs, d.expr)
	}
	return exprs
}

func (st *scenario) registerSteps(sc *godog.ScenarioContext) {
	for _, d := range definitions {
		sc.Step(d.expr, bind(st, d.fn))
	}
}

// bind is the method expression fn, func(*scenario, args...), as the step function godog calls,
// func(args...), acting on st.
func bind(st *scenario, fn any) any {
	method := reflect.ValueOf(fn)
	t := method.Type()
	in := make([]reflect.Type, t.NumIn()-1)
	for i := range in {
		in[i] = t.In(i + 1)
	}
	out := make([]reflect.Type, t.NumOut())
	for i := range out {
		out[i] = t.Out(i)
	}
	receiver := reflect.ValueOf(st)
	return reflect.MakeFunc(reflect.FuncOf(in, out, false), func(args []reflect.Value) []reflect.Value {
		results := method.Call(append([]reflect.Value{receiver}, args...))
		if last := len(results) - 1; last >= 0 && st.suite.cfg.KeepGoing {
			if err, _ := results[last].Interface().(error); st.keepGoing(err) {
				results[last] = reflect.Zero(t.Out(last))
			}
		}
		return results
	}).Interface()
}

// stepLocations maps each phrase to where its method is declared, "steps/answer.go:27".
var stepLocations = sync.OnceValue(func() map[string]string {
	locations := map[string]string{}
	for _, d := range definitions {
		fn := runtime.FuncForPC(reflect.ValueOf(d.fn).Pointer())
		file, line := fn.FileLine(fn.Entry())
		locations[d.expr] = fmt.Sprintf("%s/%s:%d", filepath.Base(filepath.Dir(file)), filepath.Base(file), line)
	}
	return locations
})
