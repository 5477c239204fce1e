package report_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"github.com/ytconform/ytconform/report"
)

func TestTranscript(t *testing.T) {
	tests := []struct {
		name     string
		exchange *report.Exchange
		limit    int
		want     string
	}{
		{
			name:     "a request without a body, and its answer",
			exchange: listing(),
			limit:    report.BodyLimit,
			want: "# as the admin\n" +
				"GET http://127.0.0.1:8080/api/admin/projects?fields=id,name\n" +
				"Accept: application/json\n" +
				"Authorization: Bearer <token>\n" +
				"\n" +
				"HTTP 200\n" +
				"Content-Type: application/json;charset=UTF-8\n" +
				"\n" +
				`[{"id":"0-0","name":"Demo"}]` + "\n",
		},
		{
			name: "a request with a body, and an answer without one",
			exchange: &report.Exchange{
				Method: "POST", URL: "http://h/hub/api/rest/users/me/permanenttokens",
				RequestHeaders: []report.Header{{Name: "Content-Type", Value: "application/json"}},
				RequestBody:    `{"name":"ci"}`,
				Status:         204,
			},
			limit: report.BodyLimit,
			want: "POST http://h/hub/api/rest/users/me/permanenttokens\n" +
				"Content-Type: application/json\n" +
				"\n" +
				`{"name":"ci"}` + "\n" +
				"\n" +
				"HTTP 204\n",
		},
		{
			name:     "a body over the limit is cut, saying how much is left out",
			exchange: &report.Exchange{Method: "GET", URL: "http://h/", Status: 200, Body: "0123456789"},
			limit:    4,
			want:     "GET http://h/\n\nHTTP 200\n\n0123\n… (6 more bytes)\n",
		},
		{
			name:     "a body is never cut inside a character",
			exchange: &report.Exchange{Method: "GET", URL: "http://h/", Status: 200, Body: "abcé!"},
			limit:    4, // é is bytes 3 and 4
			want:     "GET http://h/\n\nHTTP 200\n\nabc\n… (3 more bytes)\n",
		},
		{
			name:     "a limit of 0 shows bodies whole",
			exchange: &report.Exchange{Method: "GET", URL: "http://h/", Status: 200, Body: "0123456789\n"},
			want:     "GET http://h/\n\nHTTP 200\n\n0123456789\n",
		},
		{
			name: "no answer says why",
			exchange: &report.Exchange{Role: "a guest", Method: "GET", URL: "http://127.0.0.1:9/api/config",
				Error: "connection refused"},
			limit: report.BodyLimit,
			want:  "# as a guest\nGET http://127.0.0.1:9/api/config\n\n# no answer: connection refused\n",
		},
		{
			name: "an answer that came but was unusable says why after it",
			exchange: &report.Exchange{Method: "GET", URL: "http://h/", Status: 200,
				ResponseHeaders: []report.Header{{Name: "Content-Encoding", Value: "gzip"}},
				Error:           "Content-Encoding is gzip but the body does not decode"},
			limit: report.BodyLimit,
			want:  "GET http://h/\n\nHTTP 200\nContent-Encoding: gzip\n# Content-Encoding is gzip but the body does not decode\n",
		},
		{
			name:     "binary and control characters show as replacement marks",
			exchange: &report.Exchange{Method: "GET", URL: "http://h/", Status: 200, Body: "\x00\x1b[0m\xff\tok\r\n"},
			limit:    report.BodyLimit,
			want:     "GET http://h/\n\nHTTP 200\n\n\uFFFD\uFFFD[0m\uFFFD\tok\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.exchange.Transcript(tt.limit))
		})
	}
}

func TestTranscriptShowsAtMostBodyLimitOfABody(t *testing.T) {
	got := revocation().Transcript(report.BodyLimit)
	body := got[strings.Index(got, "\n\n[")+2 : strings.Index(got, "\n… (")]
	assert.Len(t, body, report.BodyLimit)
	assert.True(t, strings.HasPrefix(bigBody, body))
	assert.Contains(t, got, "… (3548 more bytes)")
	assert.True(t, utf8.ValidString(got))
}

func TestTitle(t *testing.T) {
	tests := []struct {
		name     string
		exchange *report.Exchange
		want     string
	}{
		{"an answered request", listing(), "GET http://127.0.0.1:8080/api/admin/projects?fields=id,name -> 200"},
		{"an unanswered request", &report.Exchange{Method: "GET", URL: "http://127.0.0.1:9/"}, "GET http://127.0.0.1:9/ -> no answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.exchange.Title())
		})
	}
}

// TestTranscriptCountsTheBytesNotKept: a body the run kept only the start of says how much more there was.
func TestTranscriptCountsTheBytesNotKept(t *testing.T) {
	ex := &report.Exchange{Method: "GET", URL: "http://yt.test/api/admin/projects", Status: 200, Body: "[{", BodyOmitted: 5 << 20}
	assert.Contains(t, ex.Transcript(report.BodyLimit), "[{\n… (5242880 more bytes)\n")
}
