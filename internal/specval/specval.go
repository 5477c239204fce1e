// Package specval checks HTTP exchanges against the project's contract, openapi.yaml.
//
// The document is loaded and validated once per process. A Validator binds it to one server's base URL and
// checks each exchange — the request and the response together — returning nil or one readable line that
// names every violation:
//
//	GET /api/admin/projects -> 200: body[0].$type: property "$type" is missing
package specval

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/ytconform/ytconform"
)

// methodNotAllowedResponse names the response in components.responses that applies to a known path asked
// with a method the contract does not list for it. No operation can declare it, since the operation does not
// exist, so Check applies it itself.
const methodNotAllowedResponse = "MethodNotAllowed"

func init() {
	// The legacy API answers XML; the contract types that body as a string, so hand it over as the raw text.
	// kin-openapi keeps its decoders in a process-wide registry, hence init.
	openapi3filter.RegisterBodyDecoder("application/xml", openapi3filter.PlainBodyDecoder)
}

var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(ytconform.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate openapi.yaml: %w", err)
	}
	return doc, nil
})

// Spec returns the contract, loaded and validated once per process. The document is shared: callers must not
// modify it.
func Spec() (*openapi3.T, error) {
	return loadSpec()
}

// Validator checks exchanges with one server against the contract. It is safe for concurrent use.
type Validator struct {
	// hubURL is where the server's Hub is, when not at <base URL>/hub; "" otherwise. A request under it is
	// checked as the contract's /hub/... path of the base URL.
	hubURL, hubAsBase string
	router            routers.Router
	options           *openapi3filter.Options
	// methodNotAllowed is the operation Check validates a 405 against when the path is known but the method is not.
	methodNotAllowed *openapi3.Operation
	spec             *openapi3.T
}

// New returns a Validator for the server at baseURL (scheme, host, optional path prefix, e.g.
// "http://127.0.0.1:8080" or "https://example.com/youtrack") whose Hub is at hubURL ("https://example.com/hub"
// in the Cloud layout; "" for <base URL>/hub). Requests given to Check must be addressed to one of them.
func New(baseURL, hubURL string) (*Validator, error) {
	doc, err := Spec()
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", baseURL, err)
	}
	if (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: want http(s)://host[:port][/prefix]", baseURL)
	}
	methodNotAllowed := doc.Components.Responses[methodNotAllowedResponse]
	if methodNotAllowed == nil {
		return nil, fmt.Errorf("openapi.yaml: components.responses has no %s", methodNotAllowedResponse)
	}

	// The router matches the host and path prefix of the document's servers, so the shared document is copied
	// with the target as its only server; paths and components stay shared and read-only.
	target := *doc
	target.Servers = openapi3.Servers{{URL: strings.TrimSuffix(baseURL, "/")}}
	router, err := gorillamux.NewRouter(&target)
	if err != nil {
		return nil, fmt.Errorf("route openapi.yaml for %s: %w", baseURL, err)
	}
	v := &Validator{
		router: router,
		options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
			// The suite observes exchanges; it must not rewrite them with the defaults of the contract.
			SkipSettingDefaults: true,
			// Authentication is a subject of the suite's own scenarios, not of the schema check.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
		methodNotAllowed: &openapi3.Operation{
			Responses: openapi3.NewResponses(openapi3.WithStatus(http.StatusMethodNotAllowed, methodNotAllowed)),
		},
		spec: &target,
	}
	if hubURL = strings.TrimSuffix(hubURL, "/"); hubURL != "" && hubURL != strings.TrimSuffix(baseURL, "/")+"/hub" {
		v.hubURL, v.hubAsBase = hubURL, strings.TrimSuffix(baseURL, "/")+"/hub"
	}
	return v, nil
}

// asContractRequest is req as the contract's paths see it: a request to a Hub that is not under the base
// URL is moved there, and a request to <base URL>/hub, where that Hub is not, is to no path of the contract.
func (v *Validator) asContractRequest(req *http.Request) (*http.Request, bool) {
	if v.hubURL == "" {
		return req, true
	}
	full := *req.URL // a server-side request has only a path; its Host says where it went
	if full.Host == "" {
		full.Scheme, full.Host = "http", req.Host
		if req.TLS != nil {
			full.Scheme = "https"
		}
	}
	if under(full.String(), v.hubAsBase) {
		return req, false
	}
	rest, ok := strings.CutPrefix(full.String(), v.hubURL)
	if !ok || !under(full.String(), v.hubURL) {
		return req, true
	}
	moved, err := url.Parse(v.hubAsBase + rest)
	if err != nil {
		return req, true
	}
	c := *req
	c.URL, c.Host = moved, moved.Host
	return &c, true
}

// under reports whether u is prefix or below it.
func under(u, prefix string) bool {
	rest, ok := strings.CutPrefix(u, prefix)
	return ok && (rest == "" || rest[0] == '/' || rest[0] == '?')
}

// Operation is the contract's operation that req is addressed to, as "METHOD /path/{template}" ("GET
// /api/admin/projects/{id}"), or "" when the contract lists none. Reports and coverage name exchanges by it.
func (v *Validator) Operation(req *http.Request) string {
	req, inContract := v.asContractRequest(req)
	if !inContract {
		return ""
	}
	route, _, err := v.router.FindRoute(req)
	if err != nil {
		return ""
	}
	return route.Method + " " + route.Path
}

// Check validates one exchange: req as sent (its body is taken from reqBody, since a sent request's body is
// consumed), and the response's status, header and body. Bodies must be given decoded: a gzip-encoded
// response body must be decompressed first.
//
// It returns nil when the exchange conforms, otherwise an error whose text is one line:
//
//	METHOD PATH -> STATUS: FIELD: REASON; FIELD: REASON
//
// A request the contract forbids (a non-integer $top, a body without a required name) is a violation only
// when the server accepted it (a status below 400): an error answer is the server rejecting it, and then only
// the response is checked. A path, or a method on a path, that the contract does not list is a violation,
// except that a 405 answer to a known path is checked against the contract's MethodNotAllowed response.
// The error wraps kin-openapi's errors, so errors.Is(err, routers.ErrPathNotFound) tells an unknown route.
func (v *Validator) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	// The exchange is over: validation must not depend on whether the request's context was cancelled since.
	ctx := context.Background()
	asked := req // what the messages name
	req, inContract := v.asContractRequest(req)
	if !inContract {
		return newCheckError(asked, status, []string{"route: the Hub is not under the base URL here"}, routers.ErrPathNotFound)
	}
	sent := *req
	sent.Body = io.NopCloser(bytes.NewReader(reqBody))

	route, pathParams, err := v.router.FindRoute(&sent)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed) && status == http.StatusMethodNotAllowed:
		// Only the response is checked below (405 is an error status), so the route needs no path item.
		route = &routers.Route{Spec: v.spec, Path: req.URL.Path, Method: req.Method, Operation: v.methodNotAllowed}
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return newCheckError(asked, status, []string{"route: the contract lists no " + req.Method + " for this path"}, err)
	case err != nil:
		return newCheckError(asked, status, []string{"route: the contract lists no such path"}, err)
	}

	requestInput := &openapi3filter.RequestValidationInput{
		Request:    &sent,
		PathParams: pathParams,
		Route:      route,
		Options:    v.options,
	}
	var violations []string
	var causes []error
	if accepted := status < 400; accepted {
		if err := openapi3filter.ValidateRequest(ctx, requestInput); err != nil {
			violations = append(violations, describe(err)...)
			causes = append(causes, err)
		}
	}
	responseInput := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: requestInput,
		Status:                 status,
		Header:                 header,
		Options:                v.options,
	}
	responseInput.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, responseInput); err != nil {
		violations = append(violations, describe(err)...)
		causes = append(causes, err)
	}
	if len(violations) == 0 {
		return nil
	}
	return newCheckError(asked, status, violations, causes...)
}

// checkError is a failed Check: one line for people, kin-openapi's errors for errors.Is and errors.As.
type checkError struct {
	line   string
	causes []error
}

func newCheckError(req *http.Request, status int, violations []string, causes ...error) *checkError {
	return &checkError{
		line:   fmt.Sprintf("%s %s -> %d: %s", req.Method, req.URL.Path, status, strings.Join(violations, "; ")),
		causes: causes,
	}
}

func (e *checkError) Error() string   { return e.line }
func (e *checkError) Unwrap() []error { return e.causes }

// describe turns one kin-openapi validation error into "field: reason" violations.
func describe(err error) []string {
	switch err := err.(type) {
	case openapi3.MultiError:
		var violations []string
		for _, e := range err {
			violations = append(violations, describe(e)...)
		}
		return violations
	case *openapi3filter.RequestError:
		return describeRequestError(err)
	case *openapi3filter.ResponseError:
		return describeResponseError(err)
	default:
		return []string{oneLine(err.Error())}
	}
}

func describeRequestError(err *openapi3filter.RequestError) []string {
	field := "request"
	switch {
	case err.Parameter != nil:
		field = err.Parameter.In + "." + err.Parameter.Name
	case err.RequestBody != nil:
		field = "request body"
	}
	if err.Err == nil {
		return []string{field + ": " + oneLine(err.Reason)}
	}
	return schemaViolations(field, err.Err)
}

func describeResponseError(err *openapi3filter.ResponseError) []string {
	reason := err.Reason
	switch {
	case reason == "status is not supported":
		return []string{"status: not declared for this operation"}
	case strings.HasPrefix(reason, "response header Content-Type has unexpected value"):
		return []string{describeContentType(err.Input)}
	case reason == "failed to decode response body":
		return []string{"body: cannot be decoded: " + oneLine(errors.Unwrap(err).Error())}
	case strings.HasPrefix(reason, "response body doesn't match schema") && err.Err != nil:
		return schemaViolations("body", err.Err)
	}
	// Header violations: `response header "Allow" missing`, `response header "X" doesn't match schema`.
	if rest, ok := strings.CutPrefix(reason, "response header "); ok {
		if quoted, qerr := strconv.QuotedPrefix(rest); qerr == nil {
			name, _ := strconv.Unquote(quoted)
			field := "header " + name
			if err.Err != nil {
				return schemaViolations(field, err.Err)
			}
			return []string{field + ": " + strings.TrimSpace(rest[len(quoted):])}
		}
	}
	return []string{oneLine(err.Error())}
}

// describeContentType names the media type the response has and the ones the contract declares for its status.
func describeContentType(input *openapi3filter.ResponseValidationInput) string {
	responses := input.RequestValidationInput.Route.Operation.Responses
	response := responses.Status(input.Status)
	if response == nil {
		response = responses.Default()
	}
	var declared []string
	if response != nil && response.Value != nil {
		for mediaType := range response.Value.Content {
			declared = append(declared, mediaType)
		}
	}
	slices.Sort(declared)
	return fmt.Sprintf("header Content-Type: %q is not declared (declared: %s)",
		input.Header.Get("Content-Type"), strings.Join(declared, ", "))
}

// schemaViolations renders schema errors as "field.path: reason", e.g. body[0].leader.id. An allOf mismatch is
// replaced by the mismatches inside it, which name the property; oneOf and anyOf mismatches stay whole, since
// listing every alternative's complaints would bury the point.
func schemaViolations(field string, err error) []string {
	if multi, ok := err.(openapi3.MultiError); ok {
		var violations []string
		for _, e := range multi {
			violations = append(violations, schemaViolations(field, e)...)
		}
		return violations
	}
	var schemaErr *openapi3.SchemaError
	if !errors.As(err, &schemaErr) {
		return []string{field + ": " + oneLine(err.Error())}
	}
	var inner openapi3.MultiError
	if schemaErr.SchemaField == "allOf" && errors.As(schemaErr.Origin, &inner) {
		return schemaViolations(field, inner)
	}
	reason := schemaErr.Reason
	if reason == "" && schemaErr.Origin != nil {
		reason = schemaErr.Origin.Error()
	}
	if reason == "" {
		reason = fmt.Sprintf("does not match %q", schemaErr.SchemaField)
	}
	return []string{jsonPath(field, schemaErr.JSONPointer()) + ": " + oneLine(reason)}
}

// jsonPath renders a JSON pointer after field the way people read it: body[0].leader.login.
func jsonPath(field string, pointer []string) string {
	var b strings.Builder
	b.WriteString(field)
	for _, token := range pointer {
		if _, err := strconv.Atoi(token); err == nil {
			b.WriteString("[" + token + "]")
			continue
		}
		b.WriteString("." + token)
	}
	return b.String()
}

// oneLine folds whitespace runs, newlines included, to single spaces: a violation is always one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
