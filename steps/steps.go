package steps

import "github.com/cucumber/godog"

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
		{`^the target has switched the legacy API off$`, st.legacyAPIIsOff},
		{`^the target allows a browser origin$`, st.targetAllowsAnOrigin},
		{`^a user whose token has the "(perm:|perm-)" shape$`, st.userWhoseTokenHasShape},
		{`^every request carries the header "([^":]+): ?([^"]*)"$`, st.everyRequestCarries},
		{`^the admin has created (\d+) projects$`, st.adminHasCreatedProjects},

		// Requests. Every exchange is checked against openapi.yaml as soon as the answer is in.
		{`^` + actor + ` sends ` + method + ` "([^"]*)"$`, st.actorSends},
		{`^a client sends ` + method + ` "([^"]*)" with (.+)$`, st.clientSendsWith},
		{`^the admin creates a token named "([^"]*)" for "([^"]*)"$`, st.adminCreatesToken},
		{`^a browser sends a preflight for ` + method + ` "([^"]*)"$`, st.browserSendsPreflight},

		// The answer.
		{`^the status is (\d+)$`, st.statusIs},
		{`^the status is (\d+) or (\d+)$`, st.statusIsOneOf},
		{`^the answer is the YouTrack error "([^"]*)"$`, st.answerIsYouTrackError},
		{`^the answer is a YouTrack error$`, st.answerIsAnyYouTrackError},
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
		{`^the header "([^"]*)" is "([^"]*)" when the target is reached directly$`, st.headerIsWhenDirect},
		{`^the header "([^"]*)" is "([^"]*)", exactly once$`, st.headerIsExactlyOnce},
		{`^the answer has no header "([^"]*)"$`, st.answerHasNoHeader},
		{`^the header "([^"]*)" includes "([^"]*)"$`, st.headerIncludes},
		{`^the content type is (JSON|XML) in UTF-8$`, st.contentTypeIs},
		{`^the body is gzip-compressed$`, st.bodyIsGzipCompressed},
		{`^the body is not compressed$`, st.bodyIsNotCompressed},

		// The legacy API.
		{`^the legacy listing holds exactly (the admin's|the restricted user's) projects$`, st.legacyListingHoldsExactly},
		{`^every legacy project's url points at its short name$`, st.everyLegacyURLPointsAtItsShortName},
		{`^every legacy project's id is its name or its short name$`, st.everyLegacyIDIsNameOrShortName},

		// Tokens made during the scenario.
		{`^the new token has the documented shape$`, st.newTokenHasTheDocumentedShape},
		{`^the list "([^"]*)" holds the new token once, without its secret$`, st.listHoldsTheNewTokenOnce},
		{`^the new token is refused within the revocation grace$`, st.newTokenIsRefusedWithinTheGrace},
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
