package steps

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps that compare the last answer with the one before.

func (st *scenario) answerListsFewerItemsThanTheOneBefore() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	a, b := gjson.ParseBytes(before.body), gjson.ParseBytes(last.body)
	if !a.IsArray() || !b.IsArray() {
		return st.errorf("%s and %s: expected two JSON arrays", before, last)
	}
	if len(b.Array()) >= len(a.Array()) {
		return st.errorf("%s: expected fewer items than the %d of %s, got %d", last, len(a.Array()), before, len(b.Array()))
	}
	return nil
}

func (st *scenario) answerIsTheOneBeforeWithoutItsFirstItem() error {
	before, last, err := st.lastTwo()
	if err != nil {
		return err
	}
	a, b := gjson.ParseBytes(before.body), gjson.ParseBytes(last.body)
	if !a.IsArray() || !b.IsArray() {
		return st.errorf("%s and %s: expected two JSON arrays", before, last)
	}
	items := a.Array()
	if len(items) == 0 {
		return st.errorf("%s: the list is empty, so it proves nothing", before)
	}
	rest := "[" + strings.Join(raws(items[1:]), ",") + "]"
	if !sameJSON([]byte(rest), []byte(b.Raw)) {
		return st.errorf("%s: expected %s without its first item, %s, got %s", last, before, excerpt([]byte(rest)), excerpt(last.body))
	}
	return nil
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
	if !sameJSON(before.body, last.body) {
		return st.errorf("%s: expected the JSON of %s, %s, got %s", last, before, excerpt(before.body), excerpt(last.body))
	}
	return nil
}

// sameJSON reports whether a and b are valid JSON with the same value, whatever their spacing and key order.
func sameJSON(a, b []byte) bool {
	var va, vb any
	return json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil && reflect.DeepEqual(va, vb)
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
	switch {
	case before.status != last.status:
		return st.errorf("%s and %s: expected the same status", before, last)
	case !reflect.DeepEqual(headers(before.header), headers(last.header)):
		return st.errorf("%s and %s: expected the same headers, got %v and %v", before, last, headers(before.header), headers(last.header))
	case string(before.raw) != string(last.raw):
		return st.errorf("%s and %s: expected the same body, got %s and %s", before, last, excerpt(before.body), excerpt(last.body))
	}
	return nil
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
	switch {
	case before.status != last.status:
		return st.errorf("%s and %s: expected the same status", before, last)
	case normalized(before) != normalized(last):
		return st.errorf("%s and %s: expected the same body apart from the project id, got %s and %s",
			before, last, excerpt(before.body), excerpt(last.body))
	}
	return nil
}

func lastSegment(label string) string {
	path, _, _ := strings.Cut(label, "?")
	return path[strings.LastIndex(path, "/")+1:]
}
