package mockserver

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// queryValue returns the first value of key in a raw query string. Keys and values may be raw or
// percent-encoded (`$top` or `%24top`); malformed percent-encoding is an error rather than a value
// silently dropped, as url.Query would.
func queryValue(rawQuery, key string) (value string, found bool, err error) {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, v, _ := strings.Cut(pair, "=")
		if k, err = unescapeQuery(k); err != nil {
			return "", false, err
		}
		if k != key {
			continue
		}
		if v, err = unescapeQuery(v); err != nil {
			return "", false, err
		}
		return v, true, nil
	}
	return "", false, nil
}

func unescapeQuery(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	u, err := url.QueryUnescape(s)
	if err != nil {
		return "", fmt.Errorf("the query string has malformed percent-encoding near %q", quoteForMessage(s))
	}
	return u, nil
}

// page is a window of a listing: skip entries, then at most top (-1: all).
type page struct{ skip, top int }

// defaultTop is how many entities YouTrack returns when the client does not say.
const defaultTop = 42

// parsePage reads $skip and $top. $top=-1 means all, as JetBrains' own client sends it; any other
// negative or non-integer value is an error. Values too large for an int mean "as many as there are".
func parsePage(rawQuery string, defaultLimit int) (page, error) {
	skip, err := pageParam(rawQuery, "$skip", 0, 0)
	if err != nil {
		return page{}, err
	}
	top, err := pageParam(rawQuery, "$top", -1, defaultLimit)
	if err != nil {
		return page{}, err
	}
	return page{skip: skip, top: top}, nil
}

// pageParam reads one paging parameter: an integer of at least min, or def when it is absent.
func pageParam(rawQuery, name string, min, def int) (int, error) {
	raw, found, err := queryValue(rawQuery, name)
	if err != nil || !found {
		return def, err
	}
	n, err := strconv.Atoi(raw)
	if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-") {
		n, err = math.MaxInt, nil
	}
	if err != nil {
		return 0, fmt.Errorf("%s must be an integer, not %q", name, quoteForMessage(raw))
	}
	if n < min {
		return 0, fmt.Errorf("%s must be at least %d, not %d", name, min, n)
	}
	return n, nil
}

// window returns the part of a list the page selects, without copying it.
func window[T any](list []T, p page) []T {
	if p.skip >= len(list) {
		return list[:0]
	}
	list = list[p.skip:]
	if p.top >= 0 && p.top < len(list) {
		list = list[:p.top]
	}
	return list
}
