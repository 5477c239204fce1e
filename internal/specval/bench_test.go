package specval

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The cost of validating one exchange, beside BenchmarkCheckListing (a page of 42 projects): the
// exchanges the suite makes most often. Run: go test -run '^$' -bench . -benchmem ./internal/specval

// BenchmarkCheckSmallListing is the benchmarked listing of bench/load.sh: two projects, three fields.
func BenchmarkCheckSmallListing(b *testing.B) {
	benchmarkCheck(b, "GET", "/api/admin/projects?fields=id,name,shortName", 200, apiJSON,
		`[{"id":"0-0","name":"First Project","shortName":"FP","$type":"Project"},{"id":"0-1","name":"Second Project","shortName":"SP","$type":"Project"}]`)
}

func BenchmarkCheckUnauthorized(b *testing.B) {
	benchmarkCheck(b, "GET", "/api/admin/projects", 401, apiJSON, `{"error":"Unauthorized","error_description":""}`)
}

func BenchmarkCheckLegacyXML(b *testing.B) {
	benchmarkCheck(b, "GET", "/rest/admin/project", 200, legacyXML,
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><projectRefs><project id="FP" url="http://127.0.0.1:8080/rest/admin/project/FP"/></projectRefs>`)
}

func benchmarkCheck(b *testing.B, method, target string, status int, contentType, body string) {
	v := newValidator(b)
	req, err := http.NewRequest(method, baseURL+target, nil)
	require.NoError(b, err)
	req.Header.Set("Authorization", "Bearer perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi")
	header := youTrackHeaders(contentType)
	if status == 401 {
		header.Set("WWW-Authenticate", `Bearer realm="YouTrack"`)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Check(req, nil, status, header, []byte(body)); err != nil {
			b.Fatal(err)
		}
	}
}
