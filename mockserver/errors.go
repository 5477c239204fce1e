package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// apiError is an answer a handler gives up with: the status, YouTrack's error code ("" for the status's
// reason phrase, which is what YouTrack writes for most errors), and the description. Handlers return it;
// answerError writes it, so that a request is answered exactly once.
type apiError struct {
	status      int
	code        string
	description string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.status, e.description) }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, description: fmt.Sprintf(format, args...)}
}

// badRequest is a 400 for a parameter the client got wrong; the text is the parser's.
func badRequest(err error) *apiError {
	return &apiError{status: http.StatusBadRequest, description: err.Error()}
}

// The store's errors, and the answer each gets. Every error a Store method returns is listed here.
var (
	errDuplicateShortName = errors.New("a project with this short name already exists")
	errUnknownLeader      = errors.New("the leader is not a known user")
	errNoRandomness       = errors.New("no randomness available to issue a token")
)

var storeErrorStatus = map[error]int{
	errDuplicateShortName: http.StatusBadRequest,
	errUnknownLeader:      http.StatusBadRequest,
	errNoRandomness:       http.StatusServiceUnavailable,
}

// answerError writes the answer for a handler's error. An error that is neither an apiError nor a store
// error is a bug in the mock: it gets a 500, as a panic does.
func answerError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	if errors.As(err, &e) {
		writeError(w, r, e.status, e.code, e.description)
		return
	}
	for known, status := range storeErrorStatus {
		if errors.Is(err, known) {
			writeError(w, r, status, "", known.Error())
			return
		}
	}
	writeError(w, r, errInternal.status, "", errInternal.description)
}

// errInternal is the answer to a bug in the mock: an unexpected error or a panic.
var errInternal = &apiError{status: http.StatusInternalServerError,
	description: "The mock failed to answer this request; this is a bug in ytconform"}

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

// writeError is the one place that answers an error, in the shape of the request's API family. code ""
// stands for the reason phrase of the status. A 401 carries WWW-Authenticate, and on the legacy API says
// "You are not logged in.", as youtrack-idea-plugin#83 shows YouTrack 2017 did.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, description string) {
	if code == "" {
		code = http.StatusText(status)
	}
	body := getBody()
	defer putBody(body)
	b := *body
	contentType := jsonType
	switch familyOf(r.URL.Path) {
	case familyLegacy:
		contentType = legacyJSONType
		if status == http.StatusUnauthorized {
			description = "You are not logged in."
		}
		b = append(b, `{"value":`...)
		b = appendJSONString(b, description)
		b = append(b, '}')
	case familyHub:
		b = append(b, `{"error":`...)
		b = appendJSONString(b, code)
		b = append(b, `,"error_code":`...)
		b = strconv.AppendInt(b, int64(status), 10)
		b = append(b, `,"error_description":`...)
		b = appendJSONString(b, description)
		b = append(b, '}')
	default:
		b = append(b, `{"error":`...)
		b = appendJSONString(b, code)
		b = append(b, `,"error_description":`...)
		b = appendJSONString(b, description)
		b = append(b, '}')
	}
	*body = b
	if status == http.StatusUnauthorized {
		w.Header()["Www-Authenticate"] = wwwAuthenticateBody
	}
	send(w, r, status, contentType, b)
}

// errUnauthorized is the single answer to every failed authentication, so that an unknown, revoked,
// malformed or banned token cannot be told apart by status, headers or body.
var errUnauthorized = &apiError{status: http.StatusUnauthorized}
