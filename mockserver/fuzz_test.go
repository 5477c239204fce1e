package mockserver

// Fuzz targets for the mock's parsers. Their seed corpora are in testdata/fuzz/<FuzzName>/; `go test` runs
// the seeds (and any crasher saved there) as ordinary tests, and CI fuzzes each target for a few seconds:
//
//	go test -run '^$' -fuzz '^FuzzBearerToken$' -fuzztime 10s ./mockserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzBearerToken: the Authorization parser never panics, and what it accepts is one Bearer credential
// of token characters, taken from the header as sent.
func FuzzBearerToken(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string, second string, twoHeaders bool) {
		h := http.Header{"Authorization": {value}}
		if twoHeaders {
			h["Authorization"] = append(h["Authorization"], second)
		}
		secret, present, ok := bearerToken(h)
		if !present {
			t.Fatal("a request with an Authorization header must not run as guest")
		}
		if !ok {
			if secret != "" {
				t.Fatalf("a refused credential returned the secret %q", secret)
			}
			return
		}
		if twoHeaders {
			t.Fatal("two Authorization headers must be refused")
		}
		if secret == "" || len(secret) > maxTokenLength || !isTokenText(secret) {
			t.Fatalf("accepted a secret that is not token text: %q", secret)
		}
		if !strings.Contains(value, secret) || !strings.EqualFold(value[:len("Bearer")], "Bearer") {
			t.Fatalf("accepted %q from %q", secret, value)
		}
		if _, present, _ := bearerToken(http.Header{}); present {
			t.Fatal("no header must mean guest")
		}
	})
}

// FuzzFields: the fields parser never panics and respects its limits, and whatever it accepts every
// kind of entity renders as valid JSON carrying its $type, and its id exactly when asked for (a Hub token:
// also when nothing is asked, its defaults hold the id), whatever text the entity holds.
func FuzzFields(f *testing.F) {
	lim := fieldLimits{maxLength: 8192, maxDepth: 16}
	f.Fuzz(func(t *testing.T, fields string, text string) {
		parsed, err := parseFields(fields, lim)
		if err != nil {
			if parsed != nil {
				t.Fatal("an error came with a result")
			}
			return
		}
		if len(fields) > lim.maxLength {
			t.Fatalf("accepted %d characters, beyond the limit", len(fields))
		}
		if d := fieldsDepth(parsed); d > lim.maxDepth {
			t.Fatalf("accepted nesting %d, beyond the limit", d)
		}
		var cache fieldsCache
		if cached, err := cache.parse(fields, lim); err != nil || fieldsDepth(cached) != fieldsDepth(parsed) || len(cached) != len(parsed) {
			t.Fatalf("the cache parsed differently: %v", err)
		}

		u := &user{id: "1-1", login: text, fullName: text, email: text, ringID: text}
		p := &project{id: "0-0", name: text, shortName: "FP", description: text, leader: u, fromEmail: text, iconURL: text}
		tok := &token{id: "41-0", name: text, owner: u, author: u, scope: scopeYouTrack | scopeHub}

		askedID := containsField(parsed, "id")
		check := func(what, typeName string, b []byte) {
			t.Helper()
			var obj map[string]any
			if err := json.Unmarshal(b, &obj); err != nil {
				t.Fatalf("%s under fields %q is not a JSON object: %v\n%s", what, fields, err, b)
			}
			wantID := askedID || typeName == "" && len(parsed) == 0
			if _, hasID := obj["id"]; hasID != wantID {
				t.Fatalf("%s under fields %q: id written %v, asked %v: %s", what, fields, hasID, wantID, b)
			}
			if typeName != "" && obj["$type"] != typeName {
				t.Fatalf("%s under fields %q has $type %v: %s", what, fields, obj["$type"], b)
			}
			if !utf8.Valid(b) {
				t.Fatalf("%s under fields %q is not UTF-8", what, fields)
			}
		}
		check("a project", "Project", projectKind.appendObject(nil, p, parsed))
		check("a user", "User", userKind.appendObject(nil, u, parsed))
		check("the current user", "Me", meKind.appendObject(nil, u, parsed))
		check("a token", "", tokenKind.appendObject(nil, tok, parsed))
		check("a new token", "", appendNewToken(nil, tok, "perm-"+text, parsed))
		if b := projectKind.appendArray(nil, []*project{p, p}, parsed); !json.Valid(b) {
			t.Fatalf("a list under fields %q is not JSON: %s", fields, b)
		}
		if b := configKind.appendObject(nil, frontendConfig{hubURL: text}, parsed); !json.Valid(b) {
			t.Fatalf("the config under fields %q is not JSON: %s", fields, b)
		}
	})
}

func fieldsDepth(fs []field) int {
	deepest := 0
	for _, f := range fs {
		if f.sub != nil {
			deepest = max(deepest, 1+fieldsDepth(f.sub))
		}
	}
	return deepest
}

// FuzzParseFixtures: the fixture loader answers an error or fixtures the mock can serve; it never panics.
func FuzzParseFixtures(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fx, err := ParseFixtures("fuzz.yaml", data)
		if err != nil {
			if fx != nil {
				t.Fatal("an error came with fixtures")
			}
			return
		}
		store, err := NewStore(fx)
		if err != nil {
			t.Fatalf("ParseFixtures accepted fixtures that NewStore refuses: %v", err)
		}
		h := New(store, Options{})
		req := httptest.NewRequest("GET", "/api/admin/projects?fields=id,name,shortName,leader(login),createdBy(id)&$top=-1", nil)
		for _, tk := range fx.Tokens {
			if !tk.Revoked {
				req.Header.Set("Authorization", "Bearer "+tk.Token)
				break
			}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && rec.Code != http.StatusUnauthorized {
			t.Fatalf("listing projects answered %d: %s", rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("listing projects answered invalid JSON: %s", rec.Body)
		}
	})
}

// FuzzQuery: query parsing never panics, agrees with net/url wherever net/url accepts the query, a page it
// accepts is one the listing can cut without going out of range, and the users' and services' query
// matchers take any query.
func FuzzQuery(f *testing.F) {
	users := []*user{{login: "root", fullName: "Root", email: "root@example.com"}, {login: "guest", guest: true}}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		if q, _, err := queryValue(rawQuery, "query"); err == nil {
			if got := matchingUsers(users, q); len(got) > len(users) {
				t.Fatalf("query %q matched more users than there are", q)
			}
			if got := matchingServices(q); len(got) > len(services) {
				t.Fatalf("query %q matched more services than there are", q)
			}
		}
		std, stdErr := url.ParseQuery(rawQuery)
		for _, key := range []string{"fields", "$top", "$skip", "query"} {
			v, found, err := queryValue(rawQuery, key)
			if err != nil || stdErr != nil {
				continue
			}
			if want, ok := std[key]; ok != found || (found && v != want[0]) {
				t.Fatalf("%s in %q: got %q (found %v), net/url says %q", key, rawQuery, v, found, want)
			}
		}
		pg, err := parsePage(rawQuery, defaultTop)
		if err != nil {
			if !strings.Contains(err.Error(), "$top") && !strings.Contains(err.Error(), "$skip") && !strings.Contains(err.Error(), "percent-encoding") {
				t.Fatalf("an error that names nothing: %v", err)
			}
			return
		}
		if pg.skip < 0 || pg.top < -1 {
			t.Fatalf("accepted page %+v from %q", pg, rawQuery)
		}
		list := []int{1, 2, 3, 4, 5}
		got := window(list, pg)
		if pg.top >= 0 && len(got) > pg.top {
			t.Fatalf("page %+v gave %d entries", pg, len(got))
		}
		if pg.skip < len(list) && len(got) > 0 && got[0] != list[pg.skip] {
			t.Fatalf("page %+v starts at %d", pg, got[0])
		}
	})
}
