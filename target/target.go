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

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform/internal/yamlerr"
	"github.com/ytconform/ytconform/mockserver"
)

// Target describes a server under test. A nil section means "not provided": the scenarios needing it are
// skipped with the reason printed, never passed silently and never failed.
type Target struct {
	BaseURL string `yaml:"base_url"`
	// Admin sees every project. Projects, when given, are the exact short names the admin may read.
	Admin *Identity `yaml:"admin,omitempty"`
	// Restricted is a user who may read exactly Projects, fewer than the admin.
	Restricted *Identity `yaml:"restricted,omitempty"`
	// Banned is a banned user with a token that would otherwise be valid.
	Banned *Identity `yaml:"banned,omitempty"`
	// RevokedToken is a token that was valid once and has been revoked.
	RevokedToken string `yaml:"revoked_token,omitempty"`
	Guest        *Guest `yaml:"guest,omitempty"`
	// LegacyAPI says the server is expected to serve the /rest API of YouTrack up to 2021.2.
	LegacyAPI bool `yaml:"legacy_api,omitempty"`
	Hub       *Hub `yaml:"hub,omitempty"`
	// Writes allows scenarios that create projects and tokens (and delete them afterwards).
	Writes bool `yaml:"writes,omitempty"`
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

// Hub says whether the Hub permanent-token API may be used, and with which token of the admin.
type Hub struct {
	Enabled bool   `yaml:"enabled"`
	Token   string `yaml:"token,omitempty"` // empty: the admin's token
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

// Secrets lists every token the target holds, so that output can be scrubbed of them.
func (t *Target) Secrets() []string {
	var s []string
	for _, id := range []*Identity{t.Admin, t.Restricted, t.Banned} {
		if id != nil {
			s = append(s, id.Token)
		}
	}
	s = append(s, t.RevokedToken, t.HubToken())
	return slices.DeleteFunc(s, func(v string) bool { return v == "" })
}

// Load reads a target file; getenv resolves its ${NAME} references.
func Load(path string, getenv func(string) string) (*Target, error) {
	t, err := decodeFile(path, getenv)
	if err != nil {
		return nil, err
	}
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

// Resolve applies the target rules shared by `ytconform run`, `go test ./steps` and godog's CLI. A target
// file comes first; baseURL and token override its URL and the admin's token. Without a file, the
// environment's YOUTRACK_URL and YOUTRACK_TOKEN stand in for absent flags, and the token is the admin's
// while every other identity is absent. Nil, nil means the embedded mock.
func Resolve(file, baseURL, token string, getenv func(string) string) (*Target, error) {
	t, name := &Target{}, "given by flags or environment"
	if file != "" {
		decoded, err := decodeFile(file, getenv)
		if err != nil {
			return nil, err
		}
		t, name = decoded, file
	} else {
		baseURL = cmp.Or(baseURL, getenv("YOUTRACK_URL"))
		token = cmp.Or(token, getenv("YOUTRACK_TOKEN"))
		if baseURL == "" {
			if token != "" {
				return nil, errors.New("a token needs a server: give --base-url (or YOUTRACK_URL) or --target")
			}
			return nil, nil
		}
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
	return t, t.finish(name)
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
// gives a usable target, and the scenarios it cannot serve are skipped.
func FromFixtures(f *mockserver.Fixtures, baseURL string) *Target {
	t := &Target{
		BaseURL:   strings.TrimRight(baseURL, "/"),
		Guest:     &Guest{Access: cmp.Or(f.Guest.Access, mockserver.GuestAllowed), Projects: slices.Clone(f.Guest.Projects)},
		LegacyAPI: true,
		Writes:    true,
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
