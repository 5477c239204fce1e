// Package target reads and writes the target file: what the conformance suite may assume about a server
// (where it is, who the suite may act as, and which optional parts it serves). `ytconform run --target`
// reads one; `ytconform mock --target-out` writes one that describes the running mock.
//
// A file is parsed, checked and normalised once (Parse, Load, Resolve); the *Target they return is ready
// for the suite. Any string in a file may name an environment variable as ${NAME}, so that tokens stay out
// of files. Errors name the file, the line or field, and never a token.
package target

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform/internal/yamlerr"
	"github.com/ytconform/ytconform/mockserver"
)

// Target describes a server under test. A nil section means "not provided": the scenarios needing it are
// skipped with the reason printed, never passed silently and never failed.
type Target struct {
	// BaseURL is where the suite reaches YouTrack, with any path prefix (https://x/youtrack).
	BaseURL string `yaml:"base_url"`
	// PublicURL is the server's own configured address, when the suite reaches it by another (a proxy that
	// rewrites Host): the links the server writes use it. Empty: the same as BaseURL, or unknown.
	PublicURL string `yaml:"public_url,omitempty"`
	// Direct says the suite talks to YouTrack itself, with no proxy in between: only then is
	// "Server: YouTrack" expected, since proxies replace that header with their own.
	Direct bool `yaml:"direct,omitempty"`
	// Admin sees every project. Projects, when given, are the exact short names the admin may read.
	Admin *Identity `yaml:"admin,omitempty"`
	// Restricted is a user who may read exactly Projects, fewer than the admin.
	Restricted *Identity `yaml:"restricted,omitempty"`
	// Banned is a banned user with a token that would otherwise be valid.
	Banned *Identity `yaml:"banned,omitempty"`
	// RevokedToken is a token that was valid once and has been revoked.
	RevokedToken string `yaml:"revoked_token,omitempty"`
	Guest        *Guest `yaml:"guest,omitempty"`
	// LegacyAPI says what the /rest API of YouTrack up to 2021.2 does on this server: LegacyServed, or
	// LegacyDisabled (2021.3 and later answer 400 "Deprecated REST API is disabled"). Empty: not expected,
	// and its scenarios are skipped. The booleans of older target files still read: true is served.
	LegacyAPI LegacyAPI `yaml:"legacy_api,omitempty"`
	Hub       *Hub      `yaml:"hub,omitempty"`
	// Writes allows scenarios that create projects and tokens (and delete them afterwards).
	Writes bool `yaml:"writes,omitempty"`
	// RevocationGrace is how long a revoked token may still work: real servers cache tokens (~20 s was
	// reported on 2026.2). Nil: DefaultRevocationGrace; the mock writes 0s.
	RevocationGrace *time.Duration `yaml:"revocation_grace,omitempty"`
	// CORSOrigin is an origin the server allows browsers to call it from, if it has one.
	CORSOrigin string `yaml:"cors_origin,omitempty"`

	// Source says where the target came from, for the first line of a run: "--target t.yaml",
	// "YOUTRACK_URL and YOUTRACK_TOKEN", "the embedded mock". Not part of the file.
	Source string `yaml:"-"`
}

// DefaultRevocationGrace bounds how long the suite waits for a revoked token to be refused when the target
// file does not say: three times the longest delay reported of a real server.
const DefaultRevocationGrace = 60 * time.Second

// Grace is the target's revocation grace.
func (t *Target) Grace() time.Duration {
	if t.RevocationGrace == nil {
		return DefaultRevocationGrace
	}
	return *t.RevocationGrace
}

// LinkBase is the address the server writes into links: its public URL, or the base URL.
func (t *Target) LinkBase() string { return cmp.Or(t.PublicURL, t.BaseURL) }

// LegacyAPI is the target's legacy API setting.
type LegacyAPI string

// The legacy API settings a target file may state.
const (
	LegacyServed   LegacyAPI = "served"
	LegacyDisabled LegacyAPI = "disabled"
)

// UnmarshalYAML reads served, disabled, or the true and false of older target files.
func (l *LegacyAPI) UnmarshalYAML(n *yaml.Node) error {
	switch n.Value {
	case "true", string(LegacyServed):
		*l = LegacyServed
	case "false", "":
		*l = ""
	case string(LegacyDisabled):
		*l = LegacyDisabled
	default:
		return fmt.Errorf("line %d: legacy_api: must be %s or %s, not %q", n.Line, LegacyServed, LegacyDisabled, n.Value)
	}
	return nil
}

// Identity is a user the suite can act as.
type Identity struct {
	Login    string   `yaml:"login,omitempty"`
	Token    string   `yaml:"token"`
	Projects []string `yaml:"projects,omitempty,flow"`
}

// Guest says what a request without an Authorization header gets: Access is mockserver.GuestAllowed,
// mockserver.GuestBanned or GuestUnknown; Projects are the short names guest may read.
type Guest struct {
	Access   string   `yaml:"access"`
	Projects []string `yaml:"projects,omitempty,flow"`
}

// GuestUnknown is the guest setting of a target that does not say whether guest access is allowed: the
// scenarios that depend on it are skipped.
const GuestUnknown = "unknown"

// Hub says whether the Hub permanent-token API may be used, with which token of the admin, and where.
type Hub struct {
	Enabled bool   `yaml:"enabled"`
	Token   string `yaml:"token,omitempty"` // empty: the admin's token
	// URL is the Hub's base URL (https://x/hub), when ring.url of /api/config is not to be trusted. Empty:
	// from /api/config, else <base URL>/hub.
	URL string `yaml:"url,omitempty"`
}

// HubToken is the admin's token for the Hub API, or "" when the target does not offer that API.
func (t *Target) HubToken() string {
	switch {
	case t.Hub == nil || !t.Hub.Enabled:
		return ""
	case t.Hub.Token != "":
		return t.Hub.Token
	case t.Admin != nil:
		return t.Admin.Token
	}
	return ""
}

// GuestAccess is the target's guest setting, GuestUnknown when the target does not say.
func (t *Target) GuestAccess() string {
	if t.Guest == nil {
		return GuestUnknown
	}
	return t.Guest.Access
}

// Secrets lists every token the target holds, and any password in its URLs, so that output can be
// scrubbed of them.
func (t *Target) Secrets() []string {
	var s []string
	for _, id := range []*Identity{t.Admin, t.Restricted, t.Banned} {
		if id != nil {
			s = append(s, id.Token)
		}
	}
	s = append(s, t.RevokedToken, t.HubToken())
	for _, raw := range []string{t.BaseURL, t.PublicURL} { // a password in a URL: https://user:secret@host
		if u, err := url.Parse(raw); err == nil && u.User != nil {
			password, _ := u.User.Password()
			s = append(s, password)
		}
	}
	return slices.DeleteFunc(s, func(v string) bool { return v == "" })
}

// DisplayURL is the base URL as output may show it: any password in it replaced by "xxxxx".
func (t *Target) DisplayURL() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return t.BaseURL
	}
	return u.Redacted()
}

// Load reads a target file; getenv resolves its ${NAME} references.
func Load(path string, getenv func(string) string) (*Target, error) {
	t, err := decodeFile(path, getenv)
	if err != nil {
		return nil, err
	}
	t.Source = "target file " + path
	return t, t.finish(path)
}

// Parse decodes and checks target data; name is the file it came from, for error messages.
func Parse(name string, data []byte, getenv func(string) string) (*Target, error) {
	t, err := decode(name, data, getenv)
	if err != nil {
		return nil, err
	}
	return t, t.finish(name)
}

// Resolve applies the target rules of `ytconform run`. A target file comes first; baseURL and token
// override its URL and the admin's token. Without a file, the environment's YOUTRACK_URL and
// YOUTRACK_TOKEN stand in for absent flags, and the token is the admin's while every other identity is
// absent. Nil, nil means the embedded mock. The Target's Source names the flags, file and variables used.
func Resolve(file, baseURL, token string, getenv func(string) string) (*Target, error) {
	t, name := &Target{}, "given by flags or environment"
	var from []string
	if file != "" {
		decoded, err := decodeFile(file, getenv)
		if err != nil {
			return nil, err
		}
		t, name = decoded, file
		from = append(from, "--target "+file)
	} else {
		baseURL, from = flagOrEnv(baseURL, "--base-url", "YOUTRACK_URL", getenv, from)
		token, from = flagOrEnv(token, "--token", "YOUTRACK_TOKEN", getenv, from)
		if baseURL == "" {
			if token != "" {
				return nil, errors.New("a token needs a server: give --base-url (or YOUTRACK_URL) or --target")
			}
			return nil, nil
		}
	}
	if file != "" && baseURL != "" {
		from = append(from, "--base-url")
	}
	if file != "" && token != "" {
		from = append(from, "--token")
	}
	if baseURL != "" {
		t.BaseURL = baseURL
	}
	if token != "" {
		if t.Admin == nil {
			t.Admin = &Identity{}
		}
		t.Admin.Token = token
	}
	t.Source = strings.Join(from, " and ")
	return t, t.finish(name)
}

// flagOrEnv is the flag's value, or else the environment variable's, with the name of the one used
// appended to from.
func flagOrEnv(value, flagName, envName string, getenv func(string) string, from []string) (string, []string) {
	switch {
	case value != "":
		return value, append(from, flagName)
	case getenv(envName) != "":
		return getenv(envName), append(from, envName)
	}
	return "", from
}

func decodeFile(path string, getenv func(string) string) (*Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load target: %w", err)
	}
	return decode(path, data, getenv)
}

// decode reads the YAML and resolves ${NAME} references, without checking what it read.
func decode(name string, data []byte, getenv func(string) string) (*Target, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("target %s: the file is empty", name)
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		return nil, fmt.Errorf("target %w", yamlerr.Describe(name, err))
	}
	if err := expandEnv(&doc, "", getenv); err != nil {
		return nil, fmt.Errorf("target %s: %w", name, err)
	}
	var t Target
	if err := doc.Load(&t, yaml.WithKnownFields()); err != nil {
		return nil, fmt.Errorf("target %w", yamlerr.Describe(name, err))
	}
	return &t, nil
}

var envReference = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${NAME} in every scalar of the document. An unset or empty variable is an error
// naming the field: an empty token would otherwise make scenarios fail for a reason far from its cause.
func expandEnv(n *yaml.Node, field string, getenv func(string) string) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var missing []string
		n.Value = envReference.ReplaceAllStringFunc(n.Value, func(ref string) string {
			name := envReference.FindStringSubmatch(ref)[1]
			v := getenv(name)
			if v == "" {
				missing = append(missing, name)
			}
			return v
		})
		if len(missing) > 0 {
			return fmt.Errorf("%s: environment variable %s is not set", field, strings.Join(missing, ", "))
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := expandEnv(n.Content[i+1], joinField(field, n.Content[i].Value), getenv); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if err := expandEnv(item, fmt.Sprintf("%s[%d]", field, i), getenv); err != nil {
				return err
			}
		}
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := expandEnv(c, field, getenv); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// finish normalises the target (base URL without a trailing slash, guest access stated) and rejects what
// would make scenarios fail for reasons of configuration. name is the file, for the message.
func (t *Target) finish(name string) error {
	if err := t.check(); err != nil {
		return fmt.Errorf("target %s: %w", name, err)
	}
	return nil
}

func (t *Target) check() error {
	base, err := checkBaseURL(t.BaseURL)
	if err != nil {
		return fmt.Errorf("base_url: %w", err)
	}
	t.BaseURL = base
	for _, u := range []struct {
		field string
		value *string
	}{{"public_url", &t.PublicURL}, {"hub.url", t.hubURL()}} {
		if *u.value == "" {
			continue
		}
		if *u.value, err = checkBaseURL(*u.value); err != nil {
			return fmt.Errorf("%s: %w", u.field, err)
		}
	}
	if t.RevocationGrace != nil && *t.RevocationGrace < 0 {
		return fmt.Errorf("revocation_grace: must not be negative, not %s", *t.RevocationGrace)
	}
	if o := t.CORSOrigin; o != "" {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			return fmt.Errorf("cors_origin: must be an origin such as https://app.example.com, not %q", o)
		}
	}
	for _, section := range []struct {
		field string
		id    *Identity
	}{{"admin", t.Admin}, {"restricted", t.Restricted}, {"banned", t.Banned}} {
		if section.id != nil && section.id.Token == "" {
			return fmt.Errorf("%s.token: is required when %s is given", section.field, section.field)
		}
	}
	if t.Guest != nil {
		t.Guest.Access = cmp.Or(t.Guest.Access, GuestUnknown)
		if a := t.Guest.Access; a != mockserver.GuestAllowed && a != mockserver.GuestBanned && a != GuestUnknown {
			return fmt.Errorf("guest.access: must be %s, %s or %s, not %q", mockserver.GuestAllowed, mockserver.GuestBanned, GuestUnknown, a)
		}
	}
	if t.Hub != nil && t.Hub.Enabled && t.HubToken() == "" {
		return errors.New("hub.token: is required when hub is enabled and there is no admin")
	}
	return nil
}

// hubURL points at the Hub's URL field, or at an empty string when there is no hub section.
func (t *Target) hubURL() *string {
	if t.Hub == nil {
		return new(string)
	}
	return &t.Hub.URL
}

func checkBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("is required")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("must be an http or https URL such as https://youtrack.example.com, not %q", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("must not carry a query or fragment: %q", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// Write writes t as a target file, under a comment that says what it is.
func Write(w io.Writer, t *Target) error {
	var buf bytes.Buffer
	buf.WriteString("# A ytconform target file: what `ytconform run --target` may assume about a server.\n")
	out, err := yaml.Dump(t, yaml.WithIndent(2))
	if err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	buf.Write(out)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	return nil
}

// FromFixtures describes a mock serving f at baseURL, with the identities of f.Roles(): any fixture set
// gives a usable target, and the scenarios it cannot serve are skipped. The suite talks to the mock
// directly, at its public URL; its revocation grace is the fixtures' delay.
func FromFixtures(f *mockserver.Fixtures, baseURL string) *Target {
	grace := f.Server.RevocationDelay
	t := &Target{
		BaseURL:         strings.TrimRight(baseURL, "/"),
		PublicURL:       strings.TrimRight(baseURL, "/"),
		Direct:          true,
		Guest:           &Guest{Access: cmp.Or(f.Guest.Access, mockserver.GuestAllowed), Projects: slices.Clone(f.Guest.Projects)},
		LegacyAPI:       LegacyServed,
		Writes:          true,
		RevocationGrace: &grace,
		Source:          "the embedded mock",
	}
	if f.Server.LegacyAPI == mockserver.LegacyDisabled {
		t.LegacyAPI = LegacyDisabled
	}
	if len(f.Server.CORSOrigins) > 0 {
		t.CORSOrigin = f.Server.CORSOrigins[0]
	}
	roles := f.Roles()
	identity := func(r *mockserver.Role) *Identity {
		if r == nil {
			return nil
		}
		return &Identity{Login: r.Login, Token: r.Token, Projects: r.Projects}
	}
	t.Admin, t.Restricted, t.Banned = identity(roles.Admin), identity(roles.Restricted), identity(roles.Banned)
	t.RevokedToken = roles.RevokedToken
	if t.Admin != nil {
		t.Hub = &Hub{Enabled: true, Token: t.Admin.Token}
	}
	return t
}
