package mockserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// The hot paths of the mock, measured with allocations. Large stores are built once per benchmark,
// before b.Loop, so their cost stays out of the figures (BenchmarkNewStore measures it on its own).
// Run: go test -run '^$' -bench . -benchmem ./mockserver

const benchRootToken = "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"

// benchStore is the default data plus synthetic projects up to about n projects in all.
func benchStore(b *testing.B, n int) *Store {
	b.Helper()
	f, err := DefaultFixtures()
	if err != nil {
		b.Fatal(err)
	}
	f.AddSyntheticProjects(n - len(f.Projects))
	s, err := NewStore(f)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// discardWriter is the least a ResponseWriter can cost: net/http's own allocates a header map per
// request too, so clearing one here keeps the comparison fair.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func BenchmarkAuthenticate(b *testing.B) {
	s := benchStore(b, 2)
	b.ReportAllocs()
	for b.Loop() {
		if s.authenticate(benchRootToken, time.Now()) == nil {
			b.Fatal("root's token was refused")
		}
	}
}

func BenchmarkBearerToken(b *testing.B) {
	h := http.Header{"Authorization": {"Bearer " + benchRootToken}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := bearerToken(h); !ok {
			b.Fatal("not a bearer token")
		}
	}
}

const benchFields = "id,name,shortName,description,archived,leader(id,login,fullName),createdBy(login)"

func BenchmarkParseFields(b *testing.B) {
	lim := fieldLimits{maxLength: 8192, maxDepth: 16}
	b.Run("uncached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := parseFields(benchFields, lim); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		var c fieldsCache
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.parse(benchFields, lim); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEncodePage is the projection and JSON encoding of a default page (42 projects).
func BenchmarkEncodePage(b *testing.B) {
	s := benchStore(b, 1000)
	fields, err := parseFields(benchFields, fieldLimits{maxLength: 8192, maxDepth: 16})
	if err != nil {
		b.Fatal(err)
	}
	root := s.data.byLogin["root"]
	pg := window(s.visibleProjects(root), page{top: defaultTop})
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf = projectKind.appendArray(buf[:0], pg, fields)
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkListing is GET /api/admin/projects through the whole handler (routing, authentication,
// visibility, paging, projection, headers, access log to io.Discard) as root.
func BenchmarkListing(b *testing.B) {
	for _, n := range []int{2, 10_000, 100_000} {
		s := benchStore(b, n)
		for _, q := range []struct{ name, query string }{
			{"first-page", "fields=id,name,shortName"},
			{"mid-page-of-2", "fields=id,name,shortName&$top=2&$skip=" + strconv.Itoa(n/2)},
		} {
			b.Run(strconv.Itoa(n)+"-projects/"+q.name, func(b *testing.B) {
				h := New(s, Options{AccessLog: io.Discard})
				r := httptest.NewRequest("GET", "/api/admin/projects?"+q.query, nil)
				r.Header.Set("Authorization", "Bearer "+benchRootToken)
				serveRepeatedly(b, h, r, http.StatusOK)
			})
		}
	}
}

// BenchmarkListingRestricted is the same listing as a user who reads a quarter of 100,000 projects.
func BenchmarkListingRestricted(b *testing.B) {
	s := benchStore(b, 100_000)
	h := New(s, Options{AccessLog: io.Discard})
	r := httptest.NewRequest("GET", "/api/admin/projects?fields=id,name,shortName&$top=2&$skip=12000", nil)
	r.Header.Set("Authorization", "Bearer perm-amFuZS5yb2U=.NDEtMQ==.rER8oiShCtPGQJF8l4CS0epHvvUbSQ")
	serveRepeatedly(b, h, r, http.StatusOK)
}

// serveRepeatedly is the benchmark loop: the same request through the handler, answered with want each time.
func serveRepeatedly(b *testing.B, h http.Handler, r *http.Request, want int) {
	b.Helper()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
		if w.status != want {
			b.Fatalf("status %d, want %d", w.status, want)
		}
	}
}

func BenchmarkUnauthorized(b *testing.B) {
	h := New(benchStore(b, 2), Options{AccessLog: io.Discard})
	r := httptest.NewRequest("GET", "/api/admin/projects?fields=id,name,shortName", nil)
	r.Header.Set("Authorization", "Bearer perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	serveRepeatedly(b, h, r, http.StatusUnauthorized)
}

// BenchmarkNewStore is the start-up cost of 100,000 projects: the fixture check and the views.
func BenchmarkNewStore(b *testing.B) {
	f, err := DefaultFixtures()
	if err != nil {
		b.Fatal(err)
	}
	f.AddSyntheticProjects(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewStore(f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddSyntheticProjects(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		f := &Fixtures{Users: []User{{Login: "root", Admin: true}, {Login: "jane"}}}
		f.AddSyntheticProjects(100_000)
	}
}
