package steps

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform/mockserver"
)

// Target describes what the suite may assume about a server: where it is, who the suite may act as, and
// which optional parts it serves. A nil section means "not provided": the scenarios needing it are skipped
// with the reason printed, never passed silently and never failed.
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

// Guest says what a request without an Authorization header gets.
type Guest struct {
	Access   string   `yaml:"access"` // GuestAllowed, GuestBanned or GuestUnknown
	Projects []string `yaml:"projects,omitempty,flow"`
}

// The guest settings a target file may state.
const (
	GuestAllowed = "allowed"
	GuestBanned  = "banned"
	GuestUnknown = "unknown"
)

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
	if t.Guest == nil || t.Guest.Access == "" {
		return GuestUnknown
	}
	return t.Guest.Access
}

// secrets lists every token the target holds, so that output can be scrubbed of them.
func (t *Target) secrets() []string {
	var s []string
	for _, id := range []*Identity{t.Admin, t.Restricted, t.Banned} {
		if id != nil {
			s = append(s, id.Token)
		}
	}
	s = append(s, t.RevokedToken, t.HubToken())
	return slices.DeleteFunc(s, func(v string) bool { return v == "" })
}

// LoadTarget reads a target file. Any string in it may name environment variables as ${NAME}, so that
// secrets stay out of the file; getenv looks them up.
func LoadTarget(path string, getenv func(string) string) (*Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load target: %w", err)
	}
	return ParseTarget(path, data, getenv)
}

// ParseTarget decodes and checks target data; name is the file it came from, for error messages.
func ParseTarget(name string, data []byte, getenv func(string) string) (*Target, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("target %s: the file is empty", name)
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		return nil, describeYAMLError(name, err)
	}
	if err := expandEnv(&doc, "", getenv); err != nil {
		return nil, fmt.Errorf("target %s: %w", name, err)
	}
	var t Target
	if err := doc.Load(&t, yaml.WithKnownFields()); err != nil {
		return nil, describeYAMLError(name, err)
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("target %s: %w", name, err)
	}
	return &t, nil
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// describeYAMLError says "target FILE:LINE: reason" in the words of the file, not of Go's types.
func describeYAMLError(name string, err error) error {
	var many *yaml.LoadErrors
	if !errors.As(err, &many) {
		return fmt.Errorf("target %s: %w", name, err)
	}
	var lines []string
	for _, e := range many.Errors {
		lines = append(lines, fmt.Sprintf("%s:%d: %s", name, e.Mark.Line, unknownField.ReplaceAllString(e.Message, `unknown field "$1"`)))
	}
	return errors.New("target " + strings.Join(lines, "; "))
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

// check normalizes the target and rejects what would make scenarios fail for reasons of configuration.
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
		switch t.Guest.Access {
		case "":
			t.Guest.Access = GuestUnknown
		case GuestAllowed, GuestBanned, GuestUnknown:
		default:
			return fmt.Errorf("guest.access: must be %s, %s or %s, not %q", GuestAllowed, GuestBanned, GuestUnknown, t.Guest.Access)
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

// WriteTarget writes t as a target file.
func WriteTarget(w io.Writer, t Target) error {
	var buf bytes.Buffer
	buf.WriteString("# A ytconform target file: what `ytconform run --target` may assume about a server.\n")
	out, err := yaml.Dump(&t, yaml.WithIndent(2))
	if err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	buf.Write(out)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write target: %w", err)
	}
	return nil
}

// TargetFromFixtures describes a mock serving f at baseURL: the identities are the first users of each
// kind that have a live token, so that any fixture file gives a usable target.
func TargetFromFixtures(f *mockserver.Fixtures, baseURL string) Target {
	t := Target{
		BaseURL:   strings.TrimRight(baseURL, "/"),
		Guest:     &Guest{Access: f.Guest.Access, Projects: slices.Clone(f.Guest.Projects)},
		LegacyAPI: true,
		Writes:    true,
	}
	if t.Guest.Access == "" {
		t.Guest.Access = mockserver.GuestAllowed
	}
	var everyProject []string
	for _, p := range f.Projects {
		everyProject = append(everyProject, p.ShortName)
	}
	for _, u := range f.Users {
		switch {
		case u.Banned:
			if tok := liveToken(f, u.Login, nil); t.Banned == nil && tok != "" {
				t.Banned = &Identity{Login: u.Login, Token: tok}
			}
		case u.Admin:
			all := []string{mockserver.ScopeYouTrack, mockserver.ScopeYouTrackAdmin, mockserver.ScopeHub}
			if tok := liveToken(f, u.Login, all); t.Admin == nil && tok != "" {
				t.Admin = &Identity{Login: u.Login, Token: tok, Projects: slices.Clone(everyProject)}
			}
		default:
			if tok := liveToken(f, u.Login, []string{mockserver.ScopeYouTrack}); t.Restricted == nil && tok != "" {
				t.Restricted = &Identity{Login: u.Login, Token: tok, Projects: slices.Clone(u.Projects)}
			}
		}
	}
	for _, tok := range f.Tokens {
		if tok.Revoked {
			t.RevokedToken = tok.Token
			break
		}
	}
	if t.Admin != nil {
		t.Hub = &Hub{Enabled: true, Token: t.Admin.Token}
	}
	return t
}

// liveToken is the first unrevoked token of login granted for every service in scope ("" if none). An
// empty Scope in fixtures means every service.
func liveToken(f *mockserver.Fixtures, login string, scope []string) string {
	for _, tok := range f.Tokens {
		if tok.User != login || tok.Revoked {
			continue
		}
		if len(tok.Scope) == 0 || !slices.ContainsFunc(scope, func(s string) bool { return !slices.Contains(tok.Scope, s) }) {
			return tok.Token
		}
	}
	return ""
}
