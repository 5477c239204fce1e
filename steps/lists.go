package steps

import (
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps about an answer that is a list.

// list parses the last answer as a JSON array.
func (st *scenario) list() (*exchange, []gjson.Result, error) {
	ex, body, err := st.jsonBody()
	if err != nil {
		return nil, nil, err
	}
	if !body.IsArray() {
		return ex, nil, st.errorf("%s: expected a JSON array, got %s", ex, excerpt(ex.body))
	}
	return ex, body.Array(), nil
}

// nonEmptyList is list for a step that proves nothing about an empty list.
func (st *scenario) nonEmptyList() (*exchange, []gjson.Result, error) {
	ex, items, err := st.list()
	if err == nil && len(items) == 0 {
		err = st.errorf("%s: the list is empty, so it proves nothing", ex)
	}
	return ex, items, err
}

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
	if len(items) != n {
		return st.errorf("%s: expected %d items, got %d: %s", ex, n, len(items), excerpt(ex.body))
	}
	return nil
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

// listedShortNamesMatch compares the short names as sets with repetition: the order is another step's.
func (st *scenario) listedShortNamesMatch(want []string) error {
	ex, got, err := st.listedStrings("shortName")
	if err != nil {
		return err
	}
	if !sameElements(want, got) {
		return st.errorf("%s: expected the short names %v, listed %v", ex, sorted(want), sorted(got))
	}
	return nil
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
	if !slices.Contains(got, want) {
		return st.errorf("%s: expected %q among the short names, listed %v", ex, want, got)
	}
	return nil
}

func (st *scenario) everyItemHasExactlyTheFields(fields string) error {
	var want []string
	for _, f := range strings.Split(fields, ",") {
		want = append(want, strings.TrimSpace(f))
	}
	ex, items, err := st.nonEmptyList()
	if err != nil {
		return err
	}
	for i, item := range items {
		var got []string
		item.ForEach(func(key, _ gjson.Result) bool {
			got = append(got, key.String())
			return true
		})
		if !sameElements(want, got) {
			return st.errorf("%s: expected item %d to have exactly the fields %v, got %v", ex, i, sorted(want), sorted(got))
		}
	}
	return nil
}

func (st *scenario) everyItemFieldIs(path, want string) error {
	ex, items, err := st.nonEmptyList()
	if err != nil {
		return err
	}
	for i, item := range items {
		if v := item.Get(path); v.Type != gjson.String || !sameValue(path, v.String(), want) {
			return st.errorf("%s: expected item %d's %q to be %q, got %s", ex, i, path, want, orMissing(v))
		}
	}
	return nil
}

// listedValuesAreInAlphabeticalOrder accepts byte order or case-insensitive order: which collation a real
// YouTrack uses is not documented.
func (st *scenario) listedValuesAreInAlphabeticalOrder(field string) error {
	ex, values, err := st.listedStrings(field)
	if err != nil {
		return err
	}
	if len(values) < 2 {
		return st.errorf("%s: fewer than two items prove no order", ex)
	}
	folded := func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) }
	if !slices.IsSorted(values) && !slices.IsSortedFunc(values, folded) {
		return st.errorf("%s: expected the %q values in alphabetical order, got %q", ex, field, values)
	}
	return nil
}

// sameElements reports whether a and b hold the same strings, each as often, in any order.
func sameElements(a, b []string) bool { return slices.Equal(sorted(a), sorted(b)) }

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
