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
