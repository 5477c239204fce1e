package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// apiError is an answer a handler gives up with. Handlers return it; answerError writes it, so that a
// request is answered exactly once.
type apiError struct {
	status int
	// code is YouTrack's "error": "" for the status's reason phrase, which YouTrack writes for most errors
	// ("Not Found"), or its own code ("bad_request", "invalid_properties", the Hub's "invalid_token").
	code        string
	description string
	// developerMessage is written as error_developer_message when not "".
	developerMessage string
	// children are YouTrack's error_children: one per invalid property of a body.
	children []*apiError
	// modernShape writes the error in /api's shape whatever the path's API.
	modernShape bool
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.description) }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, description: fmt.Sprintf(format, args...)}
}

// badRequest is a 400 for a parameter or a body the client got wrong; the text is the parser's. YouTrack
// says "bad_request" (docs: api-troubleshoot-ring-id).
func badRequest(err error) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", description: err.Error()}
}

// invalidProperties is YouTrack's 400 for a body that does not validate: "invalid_properties", with one
// child per property, {"error":"Project.name-is-invalid","error_description":"Property Project.name is
// invalid","error_developer_message":…} (docs: api-troubleshoot-create-user-endpoint).
func invalidProperties(children ...*apiError) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_properties",
		description: children[0].description, children: children}
}

func invalidProperty(entity, property, why string) *apiError {
	return &apiError{code: entity + "." + property + "-is-invalid",
		description: "Property " + entity + "." + property + " is invalid", developerMessage: why}
}

// The store's errors, and the answer each gets. Every error a Store method returns is listed here.
var errNoRandomness = errors.New("no randomness available to issue a token")

var storeErrors = map[error]*apiError{
	errDuplicateShortName: invalidProperties(invalidProperty("Project", "shortName", errDuplicateShortName.Error())),
	errUnknownLeader:      invalidProperties(invalidProperty("Project", "leader", errUnknownLeader.Error())),
	errProjectGone:        errorf(http.StatusNotFound, "%s", errProjectGone.Error()),
	errNoRandomness:       errorf(http.StatusServiceUnavailable, "%s", errNoRandomness.Error()),
}

// errInternal is the answer to a bug in the mock: an unexpected error or a panic.
var errInternal = &apiError{status: http.StatusInternalServerError,
	description: "The mock failed to answer this request; this is a bug in ytconform"}

// errUnauthorized is the single answer to every failed authentication, so that an unknown, revoked,
// malformed or banned token cannot be told apart by status, headers or body.
var errUnauthorized = &apiError{status: http.StatusUnauthorized}

// answerError writes the answer for a handler's error. An error that is neither an apiError nor a store
// error is a bug in the mock: it gets a 500, as a panic does.
func answerError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if errors.As(err, &e) {
		writeError(w, r, e)
		return
	}
	for known, answer := range storeErrors {
		if errors.Is(err, known) {
			writeError(w, r, answer)
			return
		}
	}
	writeError(w, r, errInternal)
}

// The API families answer errors in their own shapes.
type apiFamily int

const (
	familyYouTrack apiFamily = iota // /api and anything unknown: {"error","error_description"}
	familyLegacy                    // /rest: {"value"}
	familyHub                       // /hub/api/rest: {"error","error_code","error_description"}
)

func familyOf(path string) apiFamily {
	switch {
	case strings.HasPrefix(path, "/rest/"):
		return familyLegacy
	case strings.HasPrefix(path, "/hub/"):
		return familyHub
	}
	return familyYouTrack
}

// writeError is the one place that answers an error, in the shape of the request's API family. A 401
// carries WWW-Authenticate, and on the legacy API says "You are not logged in.", as youtrack-idea-plugin#83
// shows YouTrack 2017 did.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	body := getBody()
	defer putBody(body)
	b := *body
	contentType := jsonType
	family := familyOf(r.URL.Path)
	if e.modernShape {
		family = familyYouTrack
	}
	switch family {
	case familyLegacy:
		contentType = legacyJSONType
		description := e.description
		if e.status == http.StatusUnauthorized {
			description = "You are not logged in."
		}
		b = append(b, `{"value":`...)
		b = appendJSONString(b, description)
		b = append(b, '}')
	case familyHub:
		b = appendErrorMembers(append(b, '{'), e, true)
		b = append(b, '}')
	default:
		b = appendErrorMembers(append(b, '{'), e, false)
		b = append(b, '}')
	}
	*body = b
	if e.status == http.StatusUnauthorized {
		w.Header()["Www-Authenticate"] = wwwAuthenticateBody
	}
	send(w, r, e.status, contentType, b)
}

// appendErrorMembers writes error, the Hub's error_code, error_description, and the optional members.
func appendErrorMembers(b []byte, e *apiError, hub bool) []byte {
	code := e.code
	if code == "" {
		code = http.StatusText(e.status)
	}
	b = append(b, `"error":`...)
	b = appendJSONString(b, code)
	if hub {
		b = append(b, `,"error_code":`...)
		b = strconv.AppendInt(b, int64(e.status), 10)
	}
	b = append(b, `,"error_description":`...)
	b = appendJSONString(b, e.description)
	if e.developerMessage != "" {
		b = append(b, `,"error_developer_message":`...)
		b = appendJSONString(b, e.developerMessage)
	}
	if len(e.children) > 0 {
		b = append(b, `,"error_children":[`...)
		for i, c := range e.children {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendErrorMembers(append(b, '{'), c, false), '}')
		}
		b = append(b, ']')
	}
	return b
}
