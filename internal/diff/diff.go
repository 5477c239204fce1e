// Package diff compares what two servers answered to the same scenarios of the suite, the way Twitter's
// Diffy does. The suite runs twice against server A and once against server B; whatever differs between A's
// two runs (ids, times, token secrets) is noise, and is ignored when A's first run is compared with B's.
// What remains is how B answers differently from A: a status, a header, the keys or the JSON types of a
// body, a `$type`, an error code, and, when B serves A's data (Options.Values), a value.
//
//	r := diff.Compare(a1, a2, b, diff.Options{})
//	_ = diff.WriteText(os.Stdout, r)
//	if r.Differs() { os.Exit(1) }
package diff

import "github.com/ytconform/ytconform/report"

// Options says what to compare besides structure.
type Options struct {
	// Values also compares the leaf values of bodies, and the number of items of arrays: only useful when B
	// serves the same data as A, as a mock serving what `ytconform record` read from A does.
	Values bool `json:"values"`
}

// Kind is what a difference is about.
type Kind string

// The kinds, in the order a report lists them: the shape of the conversation first, values last.
const (
	KindRequest     Kind = "request"      // B's scenario sent another request at this point than A's
	KindCount       Kind = "count"        // a scenario sent more or fewer requests on B
	KindStatus      Kind = "status"       // 200 OK vs 400 Bad Request
	KindContentType Kind = "content-type" // the media type, or its parameters but for their case
	KindHeader      Kind = "header"       // a documented header absent on one side, or with another value
	KindKeys        Kind = "keys"         // the keys of the objects at a JSON path
	KindType        Kind = "type"         // the JSON types at a path: number vs string
	KindDollarType  Kind = "$type"        // the `$type` values of the objects at a path
	KindErrorCode   Kind = "error-code"   // the `error` member of an error body
	KindValue       Kind = "value"        // a leaf value, or an array's length (Options.Values only)
)

var kindOrder = []Kind{KindRequest, KindCount, KindStatus, KindContentType, KindHeader, KindKeys, KindType,
	KindDollarType, KindErrorCode, KindValue}

// Result is what Compare found. Its JSON field names are stable: tools read them.
type Result struct {
	Options Options `json:"options"`
	// Differences are distinct (same kind, operation, path, A and B), grouped by operation, the operation
	// with the most differences first, and within one by kind in kindOrder.
	Differences []*Difference `json:"differences"`
	Noise       Noise         `json:"noise"`
	NotCompared []NotCompared `json:"notCompared"`
	Counts      Counts        `json:"counts"`
}

// Difference is one way B answered differently from A, and where it was seen.
type Difference struct {
	Kind Kind `json:"kind"`
	// Operation is the contract's, "GET /api/admin/projects/{id}", or the request's method and path with
	// id-shaped segments as {id} when it matched none.
	Operation string `json:"operation"`
	// Path is where in the answer: "status", "header Server", "body", "body[*].leader", "body.error",
	// "requests" (for a count) or "request".
	Path string `json:"path"`
	// A and B are short renderings of each side: `{login,$type}`, `number`, `"First Project"`, `(absent)`.
	A string `json:"a"`
	B string `json:"b"`
	// Seen lists the exchanges where it was seen, in the order of A's run; never empty.
	Seen []Seen `json:"seen"`
}

// Seen is one exchange where a difference was seen.
type Seen struct {
	Feature  string `json:"feature"` // features/projects.feature
	Line     int    `json:"line"`    // of the scenario
	Scenario string `json:"scenario"`
	Exchange int    `json:"exchange"` // 1 for the scenario's first request
	Request  string `json:"request"`  // as A sent it, normalised: "GET {base}/api/users/me?fields=login"
}

// Noise is what was ignored.
type Noise struct {
	// Rules are the built-in rules that changed or hid something in an answer compared.
	Rules []Rule `json:"rules"`
	// Learned are the (operation, path) pairs whose answers differ between A's two runs, once each, sorted.
	Learned []Learned `json:"learned"`
}

// Rule is one built-in noise rule that fired.
type Rule struct {
	Name      string `json:"name"`      // "token shape → <token>", "JSON key creationTime", "header Date"
	Exchanges int    `json:"exchanges"` // how many compared exchanges it fired in, on any of the three runs
}

// Learned is one path ignored because it differs between A's two runs.
type Learned struct {
	Operation string `json:"operation"` // GET /api/admin/projects/{id}
	Path      string `json:"path"`      // body.id
	Kinds     []Kind `json:"kinds"`     // what differed there: value, type, ...
}

// NotCompared is a scenario that one of the runs did not play.
type NotCompared struct {
	Feature  string `json:"feature"`
	Line     int    `json:"line"`
	Scenario string `json:"scenario"`
	Reason   string `json:"reason"` // "skipped on B: the target file names no restricted user"
}

// Counts sum the result up: its last line.
type Counts struct {
	Differences  int `json:"differences"`  // distinct
	Operations   int `json:"operations"`   // with a difference
	Exchanges    int `json:"exchanges"`    // compared, one per position of a scenario played by all three runs
	IgnoredPaths int `json:"ignoredPaths"` // len(Noise.Learned)
	NotCompared  int `json:"notCompared"`
}

// Differs says whether B answered differently from A in anything that is not noise.
func (r *Result) Differs() bool { return r != nil && len(r.Differences) > 0 }

// Compare compares A's first run with B's, ignoring what differs between A's two runs. Any run may be nil:
// its scenarios are then absent.
func Compare(a1, a2, b *report.Run, opts Options) *Result {
	c := newComparison(opts)
	scenarios, notCompared := align(a1, a2, b)
	// Noise is learned from every exchange before any is compared: an id that varies in one scenario
	// varies in all the others that read the same operation.
	for _, s := range scenarios {
		c.learn(s)
	}
	for _, s := range scenarios {
		c.compare(s)
	}
	return c.result(notCompared)
}
