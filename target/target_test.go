package target_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/target"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestParseTarget(t *testing.T) {
	cases := []struct {
		name    string
		yaml    string
		env     map[string]string
		want    *target.Target
		wantErr string
	}{
		{
			name: "a complete file with tokens from the environment",
			yaml: `
base_url: https://${YT_HOST}/youtrack/
admin: {login: root, token: "${YT_ADMIN}", projects: [FP, SP]}
restricted: {login: jane, token: "${YT_JANE}", projects: [SP]}
banned: {login: mallory, token: perm:bWFsbG9yeQ==.eA==.xxx}
revoked_token: perm:old
guest: {access: banned}
legacy_api: true
hub: {enabled: true}
writes: true
`,
			env: map[string]string{"YT_HOST": "yt.example.com", "YT_ADMIN": "perm:admin", "YT_JANE": "perm-jane"},
			want: &target.Target{
				BaseURL:      "https://yt.example.com/youtrack",
				Admin:        &target.Identity{Login: "root", Token: "perm:admin", Projects: []string{"FP", "SP"}},
				Restricted:   &target.Identity{Login: "jane", Token: "perm-jane", Projects: []string{"SP"}},
				Banned:       &target.Identity{Login: "mallory", Token: "perm:bWFsbG9yeQ==.eA==.xxx"},
				RevokedToken: "perm:old",
				Guest:        &target.Guest{Access: mockserver.GuestBanned},
				LegacyAPI:    target.LegacyServed,
				Hub:          &target.Hub{Enabled: true},
				Writes:       true,
			},
		},
		{
			name: "only a base URL and an admin",
			yaml: "base_url: http://127.0.0.1:8080\nadmin: {token: perm:x}\n",
			want: &target.Target{BaseURL: "http://127.0.0.1:8080", Admin: &target.Identity{Token: "perm:x"}},
		},
		{
			name: "a guest section without access means unknown",
			yaml: "base_url: http://h\nguest: {projects: [SP]}\n",
			want: &target.Target{BaseURL: "http://h", Guest: &target.Guest{Access: target.GuestUnknown, Projects: []string{"SP"}}},
		},
		{
			name: "the keys of a deployment behind a proxy",
			yaml: `
base_url: https://gw.example.com/youtrack
public_url: https://youtrack.example.com/
legacy_api: disabled
hub: {enabled: true, token: perm:hub, url: https://gw.example.com/hub/}
revocation_grace: 20s
cors_origin: https://app.example.com
`,
			want: &target.Target{BaseURL: "https://gw.example.com/youtrack", PublicURL: "https://youtrack.example.com",
				LegacyAPI: target.LegacyDisabled, Hub: &target.Hub{Enabled: true, Token: "perm:hub", URL: "https://gw.example.com/hub"},
				RevocationGrace: durationOf(20 * time.Second), CORSOrigin: "https://app.example.com"},
		},
		{name: "legacy_api: false of an older file means not expected", yaml: "base_url: http://h\nlegacy_api: false\n",
			want: &target.Target{BaseURL: "http://h"}},
		{name: "an unknown legacy_api setting", yaml: "base_url: http://h\nlegacy_api: maybe\n", wantErr: `legacy_api: must be served or disabled, not "maybe"`},
		{name: "a negative revocation grace", yaml: "base_url: http://h\nrevocation_grace: -1s\n", wantErr: "revocation_grace: must not be negative"},
		{name: "a CORS origin with a path", yaml: "base_url: http://h\ncors_origin: https://app.example.com/x\n", wantErr: "cors_origin: must be an origin"},
		{name: "a public URL that is no URL", yaml: "base_url: http://h\npublic_url: yt.example.com\n", wantErr: "public_url: must be an http or https URL"},
		{name: "an empty file", yaml: "\n", wantErr: "t.yaml: the file is empty"},
		{name: "no base URL", yaml: "admin: {token: x}\n", wantErr: "t.yaml: base_url: is required"},
		{name: "a base URL without scheme", yaml: "base_url: youtrack.example.com\n", wantErr: "base_url: must be an http or https URL"},
		{name: "a base URL with a query", yaml: "base_url: http://h/?a=b\n", wantErr: "base_url: must not carry a query"},
		{name: "an unset environment variable", yaml: "base_url: http://h\nadmin: {token: \"${YT_NOPE}\"}\n",
			wantErr: "t.yaml: admin.token: environment variable YT_NOPE is not set"},
		{name: "an identity without token", yaml: "base_url: http://h\nrestricted: {login: jane}\n",
			wantErr: "restricted.token: is required when restricted is given"},
		{name: "an unknown guest setting", yaml: "base_url: http://h\nguest: {access: maybe}\n",
			wantErr: `guest.access: must be allowed, banned or unknown, not "maybe"`},
		{name: "a Hub without any token", yaml: "base_url: http://h\nhub: {enabled: true}\n",
			wantErr: "hub.token: is required when hub is enabled and there is no admin"},
		{name: "a misspelt section", yaml: "base_url: http://h\nadmn: {token: x}\n", wantErr: `unknown field "admn"`},
		{name: "not YAML", yaml: "base_url: [\n", wantErr: "t.yaml:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := target.Parse("t.yaml", []byte(c.yaml), env(c.env))
			if c.wantErr != "" {
				require.ErrorContains(t, err, c.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}

func TestTargetErrorsNeverShowTokens(t *testing.T) {
	_, err := target.Parse("t.yaml", []byte("base_url: nope\nadmin: {token: perm:secret}\n"), env(nil))
	require.Error(t, err)
	require.NotContains(t, err.Error(), "perm:secret")
}

func TestTargetFromFixturesDescribesTheDefaultMock(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	got := target.FromFixtures(f, "http://127.0.0.1:8080/")

	root := "perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi"
	noGrace := time.Duration(0)
	require.Equal(t, &target.Target{
		BaseURL:         "http://127.0.0.1:8080",
		PublicURL:       "http://127.0.0.1:8080",
		Direct:          true,
		RevocationGrace: &noGrace,
		Source:          "the embedded mock",
		Admin:           &target.Identity{Login: "root", Token: root, Projects: []string{"FP", "SP"}},
		Restricted:      &target.Identity{Login: "jane.roe", Token: "perm-amFuZS5yb2U=.NDEtMQ==.rER8oiShCtPGQJF8l4CS0epHvvUbSQ", Projects: []string{"SP"}},
		Banned:          &target.Identity{Login: "mallory", Token: "perm-bWFsbG9yeQ==.NDEtMg==.ksjl8SmooJ9QSp6w1gOR9DXEht9Mu2"},
		RevokedToken:    "perm:cm9vdA==.b2xkIGxhcHRvcA==.oP7D0miCSQwILqrxp5fkTIXhNhsiiw",
		Guest:           &target.Guest{Access: "allowed", Projects: []string{"SP"}},
		LegacyAPI:       target.LegacyServed,
		Hub:             &target.Hub{Enabled: true, Token: root},
		Writes:          true,
	}, got)
}

func TestTargetFromFixturesPicksUsableIdentities(t *testing.T) {
	f := &mockserver.Fixtures{
		Guest: mockserver.Guest{Access: "banned"},
		Users: []mockserver.User{
			{Login: "narrow-admin", Admin: true},
			{Login: "admin", Admin: true},
			{Login: "tokenless"},
			{Login: "dev", Projects: []string{"P"}},
		},
		Tokens: []mockserver.Token{
			{Token: "perm:narrow", User: "narrow-admin", Scope: []string{"YouTrack"}},
			{Token: "perm:old", User: "admin", Revoked: true},
			{Token: "perm:admin", User: "admin"}, // no scope: every service
			{Token: "perm:dev", User: "dev", Scope: []string{"YouTrack"}},
		},
		Projects: []mockserver.Project{{Name: "P", ShortName: "P"}, {Name: "Q", ShortName: "Q"}},
	}
	got := target.FromFixtures(f, "http://h")
	require.Equal(t, &target.Identity{Login: "admin", Token: "perm:admin", Projects: []string{"P", "Q"}}, got.Admin, "the first admin with a live token for every service")
	require.Equal(t, &target.Identity{Login: "dev", Token: "perm:dev", Projects: []string{"P"}}, got.Restricted, "the first non-admin with a live token")
	require.Nil(t, got.Banned, "no banned user")
	require.Equal(t, "perm:old", got.RevokedToken)
	require.Equal(t, "banned", got.Guest.Access)
}

func TestWriteTargetRoundTrips(t *testing.T) {
	f, err := mockserver.DefaultFixtures()
	require.NoError(t, err)
	want := target.FromFixtures(f, "http://127.0.0.1:8080")

	var buf bytes.Buffer
	require.NoError(t, target.Write(&buf, want))
	path := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	got, err := target.Load(path, env(nil))
	require.NoError(t, err)
	require.Equal(t, "target file "+path, got.Source)
	want.Source = got.Source // where it came from is not part of the file
	require.Equal(t, want, got)
}

func TestResolveTarget(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t.yaml")
	require.NoError(t, os.WriteFile(file, []byte("base_url: http://file\nadmin: {login: root, token: perm:file}\n"), 0o600))
	cases := []struct {
		name                 string
		file, baseURL, token string
		env                  map[string]string
		wantURL, wantToken   string
		wantSource           string
		wantEmbedded         bool
		wantErr              string
	}{
		{name: "nothing given: the embedded mock", wantEmbedded: true},
		{name: "flags", baseURL: "http://flag/", token: "perm:flag", wantURL: "http://flag", wantToken: "perm:flag",
			wantSource: "--base-url and --token"},
		{name: "the environment when the flags are absent", env: map[string]string{"YOUTRACK_URL": "http://env", "YOUTRACK_TOKEN": "perm:env"},
			wantURL: "http://env", wantToken: "perm:env", wantSource: "YOUTRACK_URL and YOUTRACK_TOKEN"},
		{name: "flags before the environment", baseURL: "http://flag", env: map[string]string{"YOUTRACK_URL": "http://env", "YOUTRACK_TOKEN": "perm:env"},
			wantURL: "http://flag", wantToken: "perm:env", wantSource: "--base-url and YOUTRACK_TOKEN"},
		{name: "a base URL without token", baseURL: "http://flag", wantURL: "http://flag", wantSource: "--base-url"},
		{name: "a target file", file: file, wantURL: "http://file", wantToken: "perm:file", wantSource: "--target " + file},
		{name: "a target file with its URL and token overridden", file: file, baseURL: "http://flag", token: "perm:flag",
			wantURL: "http://flag", wantToken: "perm:flag", wantSource: "--target " + file + " and --base-url and --token"},
		{name: "a target file ignores YOUTRACK_URL", file: file, env: map[string]string{"YOUTRACK_URL": "http://env"},
			wantURL: "http://file", wantToken: "perm:file", wantSource: "--target " + file},
		{name: "a token without a server", token: "perm:x", wantErr: "a token needs a server"},
		{name: "a bad base URL", baseURL: "ftp://x", wantErr: "base_url: must be an http or https URL"},
		{name: "a missing target file", file: "/nonexistent/t.yaml", wantErr: "load target"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := target.Resolve(c.file, c.baseURL, c.token, env(c.env))
			if c.wantErr != "" {
				require.ErrorContains(t, err, c.wantErr)
				return
			}
			require.NoError(t, err)
			if c.wantEmbedded {
				require.Nil(t, got)
				return
			}
			require.Equal(t, c.wantURL, got.BaseURL)
			require.Equal(t, c.wantSource, got.Source, "where the target came from, for the run's first line")
			if c.wantToken == "" {
				require.Nil(t, got.Admin)
			} else {
				require.Equal(t, c.wantToken, got.Admin.Token)
			}
			require.Nil(t, got.Restricted, "other identities are absent without a file that names them")
		})
	}
}

func ExampleWrite() {
	t := &target.Target{
		BaseURL: "https://youtrack.example.com",
		Admin:   &target.Identity{Login: "root", Token: "${YOUTRACK_TOKEN}", Projects: []string{"FP", "SP"}},
		Guest:   &target.Guest{Access: target.GuestUnknown},
	}
	var buf strings.Builder
	if err := target.Write(&buf, t); err != nil {
		panic(err)
	}
	fmt.Print(buf.String())
	// Output:
	// # A ytconform target file: what `ytconform run --target` may assume about a server.
	// base_url: https://youtrack.example.com
	// admin:
	//   login: root
	//   token: ${YOUTRACK_TOKEN}
	//   projects: [FP, SP]
	// guest:
	//   access: unknown
}

func ExampleParse() {
	file := []byte(`
base_url: https://youtrack.example.com
admin: {login: root, token: "${YOUTRACK_TOKEN}", projects: [FP, SP]}
`)
	t, err := target.Parse("target.yaml", file, env(map[string]string{"YOUTRACK_TOKEN": "perm:..."}))
	if err != nil {
		panic(err)
	}
	fmt.Println(t.BaseURL, t.Admin.Login, t.Admin.Projects, t.GuestAccess(), t.HubToken() == "")
	// Output: https://youtrack.example.com root [FP SP] unknown true
}

func durationOf(d time.Duration) *time.Duration { return &d }
