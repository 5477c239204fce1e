package steps

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// The steps about an answer's headers and encoding.

// headerValue joins a header's lines, as a list-valued header may arrive split.
func headerValue(h http.Header, name string) (string, bool) {
	values := h.Values(name)
	return strings.Join(values, ", "), len(values) > 0
}

func (st *scenario) headerIs(name, want string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	got, ok := headerValue(ex.header, name)
	if !ok || got != want {
		return st.errorf("%s: expected the header %s: %s, got %s", ex, name, want, headerOrNone(got, ok))
	}
	return nil
}

// headerIsWhenDirect checks a header only a server reached directly sends as it is: a proxy in front
// (nginx, a gateway) replaces Server with its own, and then the step has nothing to check.
func (st *scenario) headerIsWhenDirect(name, want string) error {
	if !st.target.Direct {
		return nil
	}
	return st.headerIs(name, want)
}

// headerIsExactlyOnce is for a header that must not be repeated: two Access-Control-Allow-Origin values,
// one a proxy added, break every browser client.
func (st *scenario) headerIsExactlyOnce(name, want string) error {
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	ex, err := st.last()
	if err != nil {
		return err
	}
	values := ex.header.Values(name)
	if len(values) != 1 || strings.Contains(values[0], ",") || values[0] != want {
		return st.errorf("%s: expected one %s: %s, got %q", ex, name, want, values)
	}
	return nil
}

func (st *scenario) answerHasNoHeader(name string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	if values := ex.header.Values(name); len(values) > 0 {
		return st.errorf("%s: expected no %s, got %q", ex, name, values)
	}
	return nil
}

func (st *scenario) headerIncludes(name, item string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	got, ok := headerValue(ex.header, name)
	found := slices.ContainsFunc(strings.Split(got, ","), func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), item) })
	if !ok || !found {
		return st.errorf("%s: expected the header %s to include %q, got %s", ex, name, item, headerOrNone(got, ok))
	}
	return nil
}

// contentTypeIs compares the media type and charset without regard to case: YouTrack itself writes
// utf-8 under /api and UTF-8 under /rest.
func (st *scenario) contentTypeIs(kind string) error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	want := map[string]string{"JSON": "application/json", "XML": "application/xml"}[kind]
	got := ex.header.Get("Content-Type")
	mediaType, params, err := mime.ParseMediaType(got)
	if err != nil || mediaType != want || !strings.EqualFold(params["charset"], "utf-8") {
		return st.errorf("%s: expected Content-Type %s;charset=utf-8 (in any case), got %q", ex, want, got)
	}
	return nil
}

func (st *scenario) bodyIsGzipCompressed() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	if got := ex.header.Get("Content-Encoding"); got != "gzip" {
		return st.errorf("%s: expected Content-Encoding: gzip, got %q", ex, got)
	}
	if !bytes.HasPrefix(ex.raw, []byte{0x1f, 0x8b}) {
		return st.errorf("%s: Content-Encoding is gzip but the body is not gzip data", ex)
	}
	return nil
}

func (st *scenario) bodyIsNotCompressed() error {
	ex, err := st.last()
	if err != nil {
		return err
	}
	if encoding := ex.header.Get("Content-Encoding"); encoding != "" && !strings.EqualFold(encoding, "identity") {
		return st.errorf("%s: expected no Content-Encoding, got %q", ex, encoding)
	}
	return nil
}

func headerOrNone(value string, present bool) string {
	if !present {
		return "none"
	}
	return fmt.Sprintf("%q", value)
}
