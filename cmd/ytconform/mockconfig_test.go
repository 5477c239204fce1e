package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
)

// TestMockSettings turns flag lines into the mock's options without starting a server.
func TestMockSettings(t *testing.T) {
	defaults := func() mockserver.Options {
		return mockserver.Options{MaxBodyBytes: 1 << 20, MaxFieldsLength: 8192, MaxFieldsDepth: 16,
			JournalSize: mockserver.DefaultJournalSize}
	}
	with := func(change func(*mockserver.Options)) mockserver.Options {
		o := defaults()
		change(&o)
		return o
	}
	cases := []struct {
		name    string
		args    []string
		want    mockserver.Options
		wantErr string
	}{
		{"no flags: the documented defaults", nil, defaults(), ""},
		{"the limits and the public URL", []string{"--max-body-bytes", "100", "--max-fields-length", "50", "--max-fields-depth", "2", "--public-url", "https://x/youtrack"},
			with(func(o *mockserver.Options) {
				o.MaxBodyBytes, o.MaxFieldsLength, o.MaxFieldsDepth, o.BaseURL = 100, 50, 2, "https://x/youtrack"
			}), ""},
		{"a latency with jitter", []string{"--latency", "200ms,100ms"},
			with(func(o *mockserver.Options) {
				o.Faults.Latency, o.Faults.Jitter = 200*time.Millisecond, 100*time.Millisecond
			}), ""},
		{"a fault on a share of two path patterns", []string{"--fault", "reset", "--fault-rate", "0.25", "--fault-path", "/hub, /api/admin/projects/*"},
			with(func(o *mockserver.Options) {
				o.Faults.Kind, o.Faults.Rate, o.Faults.Paths = mockserver.FaultReset, 0.25, []string{"/hub", "/api/admin/projects/*"}
			}), ""},
		{"a fault without a rate hits every request", []string{"--fault", "503"},
			with(func(o *mockserver.Options) { o.Faults.Kind, o.Faults.Rate = mockserver.Fault503, 1 }), ""},
		{"faults on demand and no journal", []string{"--allow-fault-header", "--journal", "0"},
			with(func(o *mockserver.Options) { o.Faults.AllowHeader, o.JournalSize = true, 0 }), ""},
		{"a rate without a fault", []string{"--fault-rate", "0.5"}, mockserver.Options{}, "--fault-rate needs --fault"},
		{"a rate above 1", []string{"--fault", "503", "--fault-rate", "2"}, mockserver.Options{}, "rate must be between 0 and 1, not 2"},
		{"a path without a fault or latency", []string{"--fault-path", "/hub"}, mockserver.Options{}, "--fault-path needs --fault or --latency"},
		{"a malformed path pattern", []string{"--latency", "1ms", "--fault-path", "/api/["}, mockserver.Options{}, `bad path pattern "/api/["`},
		{"a negative journal", []string{"--journal", "-1"}, mockserver.Options{}, "--journal must be at least 0, not -1"},
		{"negative synthetic projects", []string{"--synthetic-projects", "-3"}, mockserver.Options{}, "--synthetic-projects must be at least 0, not -3"},
		{"watching the embedded data", []string{"--watch"}, mockserver.Options{}, "--watch needs --fixtures FILE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c mockConfig
			fs := flag.NewFlagSet("mock", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c.register(fs)
			require.NoError(t, fs.Parse(tc.args))
			got, err := c.settings()
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestMockFlagValuesRefuseWhatTheyCannotRead(t *testing.T) {
	cases := []struct {
		name, flag, value, want string
	}{
		{"a latency that is not a duration", "latency", "slow", `"slow": want a duration such as 300ms, optionally ,JITTER`},
		{"a jitter that is not a duration", "latency", "1s,lots", `"1s,lots": the jitter after the comma is not a duration`},
		{"an unknown fault", "fault", "teapot", `unknown fault "teapot" (want one of 503, 429, reset, empty, garbage)`},
		{"a rate that is not a number", "fault-rate", "half", `"half" is not a number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c mockConfig
			fs := flag.NewFlagSet("mock", flag.ContinueOnError)
			c.register(fs)
			require.EqualError(t, fs.Set(tc.flag, tc.value), tc.want)
		})
	}
}
