package mockserver

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Fixtures is the mock's data as written in a fixture file: users, their tokens, projects, who may read
// which project, and the guest account. It holds tokens in the clear because it is configuration; the
// Store built from it keeps only their digests.
type Fixtures struct {
	Guest    Guest     `yaml:"guest"`
	Users    []User    `yaml:"users"`
	Tokens   []Token   `yaml:"tokens"`
	Projects []Project `yaml:"projects"`
}

// Guest describes the account a request without an Authorization header runs as.
type Guest struct {
	Access   string   `yaml:"access"` // GuestAllowed or GuestBanned
	Login    string   `yaml:"login"`
	Projects []string `yaml:"projects"` // short names guest may read
}

// The two guest settings a fixture file may choose.
const (
	GuestAllowed = "allowed"
	GuestBanned  = "banned"
)

// User is one account. An admin reads every project; anyone else reads exactly Projects.
type User struct {
	ID       string   `yaml:"id"`
	Login    string   `yaml:"login"`
	FullName string   `yaml:"fullName"`
	Email    string   `yaml:"email"`
	Admin    bool     `yaml:"admin"`
	Banned   bool     `yaml:"banned"`
	Projects []string `yaml:"projects"`
}

// Token is a permanent token of a user. Scope names the services it is granted for; empty means all.
type Token struct {
	ID      string   `yaml:"id"`
	Token   string   `yaml:"token"`
	User    string   `yaml:"user"` // login
	Name    string   `yaml:"name"`
	Scope   []string `yaml:"scope"`
	Revoked bool     `yaml:"revoked"`
}

// Project is one project. Leader and CreatedBy are logins.
type Project struct {
	ID             string `yaml:"id"`
	Name           string `yaml:"name"`
	ShortName      string `yaml:"shortName"`
	Description    string `yaml:"description"`
	Archived       bool   `yaml:"archived"`
	Template       bool   `yaml:"template"`
	Leader         string `yaml:"leader"`
	CreatedBy      string `yaml:"createdBy"`
	StartingNumber int64  `yaml:"startingNumber"`
	FromEmail      string `yaml:"fromEmail"`
	ReplyToEmail   string `yaml:"replyToEmail"`
	IconURL        string `yaml:"iconUrl"`
}

// The services a token can be granted for.
const (
	ScopeYouTrack      = "YouTrack"
	ScopeYouTrackAdmin = "YouTrack Administration"
	ScopeHub           = "Hub"
)

var allScopes = []string{ScopeYouTrack, ScopeYouTrackAdmin, ScopeHub}

//go:embed fixtures/default.yaml
var defaultFixtures []byte

// DefaultFixtures returns a fresh copy of the embedded default data, which reproduces the reference exchange.
func DefaultFixtures() (*Fixtures, error) {
	return ParseFixtures("fixtures/default.yaml", defaultFixtures)
}

// LoadFixtures reads and checks a fixture file.
func LoadFixtures(path string) (*Fixtures, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load fixtures: %w", err)
	}
	return ParseFixtures(path, data)
}

// ParseFixtures decodes and checks fixture data. Every error names the file, the line and the field.
func ParseFixtures(name string, data []byte) (*Fixtures, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the fixture file is empty", name)
	}
	var f Fixtures
	if err := yaml.Load(data, &f, yaml.WithKnownFields()); err != nil {
		return nil, describeYAMLError(name, err)
	}
	var root yaml.Node
	if err := yaml.Load(data, &root); err != nil {
		return nil, describeYAMLError(name, err)
	}
	if err := f.check(lineFinder{&root}); err != nil {
		return nil, fmt.Errorf("%s:%w", name, err)
	}
	return &f, nil
}

var unknownFieldMessage = regexp.MustCompile(`^field (\S+) not found in type \S+$`)

// describeYAMLError turns the YAML library's messages, which speak of Go types, into "file:line: reason".
func describeYAMLError(name string, err error) error {
	var many *yaml.LoadErrors
	if errors.As(err, &many) {
		lines := make([]string, 0, len(many.Errors))
		for _, e := range many.Errors {
			msg := e.Message
			if m := unknownFieldMessage.FindStringSubmatch(msg); m != nil {
				msg = fmt.Sprintf("unknown field %q", m[1])
			}
			lines = append(lines, fmt.Sprintf("%s:%d: %s", name, e.Mark.Line, msg))
		}
		return errors.New(strings.Join(lines, "; "))
	}
	var one *yaml.LoadError
	if errors.As(err, &one) {
		return fmt.Errorf("%s:%d: %s", name, one.Mark.Line, one.Message)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// fixtureError is a semantic problem at a line of the file.
type fixtureError struct {
	line  int
	field string
	msg   string
}

func (e *fixtureError) Error() string {
	if e.line == 0 {
		return fmt.Sprintf("%s: %s", e.field, e.msg)
	}
	return fmt.Sprintf("%d: %s: %s", e.line, e.field, e.msg)
}

// lineFinder locates entries of the decoded document so that semantic errors can name their line.
// Without a document (fixtures built in code) every line is 0, unknown.
type lineFinder struct{ doc *yaml.Node }

// line returns the line of section[index].field, falling back to the entry, then the section.
func (lf lineFinder) line(section string, index int, field string) int {
	if lf.doc == nil {
		return 0
	}
	top := lf.doc
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = top.Content[0]
	}
	sec := mappingValue(top, section)
	if sec == nil {
		return top.Line
	}
	if index < 0 || sec.Kind != yaml.SequenceNode || index >= len(sec.Content) {
		if v := mappingValue(sec, field); v != nil {
			return v.Line
		}
		return sec.Line
	}
	entry := sec.Content[index]
	if v := mappingValue(entry, field); v != nil {
		return v.Line
	}
	return entry.Line
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

var (
	projectIDPattern = regexp.MustCompile(`^0-[0-9]+$`)
	userIDPattern    = regexp.MustCompile(`^1-[0-9]+$`)
	shortNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,49}$`)
	tokenPattern     = regexp.MustCompile(`^[A-Za-z0-9\-._~+/:=]{8,512}$`)
)

// addNew adds key to set and reports whether it was new: one map operation rather than two.
func addNew(set map[string]bool, key string) bool {
	n := len(set)
	set[key] = true
	return len(set) > n
}

// isShortName is shortNamePattern without the regexp machinery: a fixture may hold 100,000 projects.
func isShortName(s string) bool {
	if len(s) == 0 || len(s) > 50 || !(s[0] >= 'A' && s[0] <= 'Z' || s[0] >= 'a' && s[0] <= 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// isProjectID is projectIDPattern without the regexp machinery.
func isProjectID(s string) bool {
	digits, ok := strings.CutPrefix(s, "0-")
	if !ok || digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// check fills defaults and rejects what the mock could not serve faithfully.
func (f *Fixtures) check(lf lineFinder) error {
	at := func(section string, i int, field, format string, args ...any) error {
		name := section
		if i >= 0 {
			name = fmt.Sprintf("%s[%d]", section, i)
		}
		if field != "" {
			name += "." + field
		}
		return &fixtureError{line: lf.line(section, i, field), field: name, msg: fmt.Sprintf(format, args...)}
	}

	switch f.Guest.Access {
	case "":
		f.Guest.Access = GuestAllowed
	case GuestAllowed, GuestBanned:
	default:
		return at("guest", -1, "access", "must be %q or %q, not %q", GuestAllowed, GuestBanned, f.Guest.Access)
	}
	if f.Guest.Login == "" {
		f.Guest.Login = "guest"
	}

	logins := map[string]bool{f.Guest.Login: true}
	userIDs := map[string]bool{}
	for i := range f.Users {
		u := &f.Users[i]
		if u.Login == "" {
			return at("users", i, "login", "is required")
		}
		if logins[u.Login] {
			return at("users", i, "login", "duplicate login %q", u.Login)
		}
		logins[u.Login] = true
		if u.ID == "" {
			u.ID = fmt.Sprintf("1-%d", i+1)
		}
		if !userIDPattern.MatchString(u.ID) {
			return at("users", i, "id", "must look like 1-N, not %q", u.ID)
		}
		if userIDs[u.ID] {
			return at("users", i, "id", "duplicate id %q", u.ID)
		}
		userIDs[u.ID] = true
	}

	shortNames := make(map[string]bool, len(f.Projects))
	projectIDs := make(map[string]bool, len(f.Projects))
	for i := range f.Projects {
		p := &f.Projects[i]
		if p.Name == "" {
			return at("projects", i, "name", "is required")
		}
		if !isShortName(p.ShortName) {
			return at("projects", i, "shortName", "must be a letter then letters, digits or _ (at most 50), not %q", p.ShortName)
		}
		if !addNew(shortNames, strings.ToUpper(p.ShortName)) {
			return at("projects", i, "shortName", "duplicate short name %q", p.ShortName)
		}
		if p.ID == "" {
			p.ID = fmt.Sprintf("0-%d", i)
		}
		if !isProjectID(p.ID) {
			return at("projects", i, "id", "must look like 0-N, not %q", p.ID)
		}
		if !addNew(projectIDs, p.ID) {
			return at("projects", i, "id", "duplicate id %q", p.ID)
		}
		if p.Leader != "" && !logins[p.Leader] {
			return at("projects", i, "leader", "unknown user %q", p.Leader)
		}
		if p.CreatedBy != "" && !logins[p.CreatedBy] {
			return at("projects", i, "createdBy", "unknown user %q", p.CreatedBy)
		}
	}

	for _, sn := range f.Guest.Projects {
		if !shortNames[strings.ToUpper(sn)] {
			return at("guest", -1, "projects", "unknown project %q", sn)
		}
	}
	for i, u := range f.Users {
		for _, sn := range u.Projects {
			if !shortNames[strings.ToUpper(sn)] {
				return at("users", i, "projects", "unknown project %q", sn)
			}
		}
	}

	tokens := map[string]bool{}
	tokenIDs := map[string]bool{}
	for i := range f.Tokens {
		t := &f.Tokens[i]
		// The token itself never goes into an error: fixture files are often pasted into CI logs.
		if !tokenPattern.MatchString(t.Token) {
			return at("tokens", i, "token", "must be 8 to 512 characters of A-Z a-z 0-9 - . _ ~ + / : =")
		}
		if tokens[t.Token] {
			return at("tokens", i, "token", "duplicate token (the same secret appears twice)")
		}
		tokens[t.Token] = true
		if t.User == f.Guest.Login || !logins[t.User] {
			return at("tokens", i, "user", "unknown user %q", t.User)
		}
		if t.ID == "" {
			t.ID = fmt.Sprintf("41-%d", i)
		}
		if tokenIDs[t.ID] {
			return at("tokens", i, "id", "duplicate id %q", t.ID)
		}
		tokenIDs[t.ID] = true
		if len(t.Scope) == 0 {
			t.Scope = append([]string(nil), allScopes...)
		}
		for _, s := range t.Scope {
			if s != ScopeYouTrack && s != ScopeYouTrackAdmin && s != ScopeHub {
				return at("tokens", i, "scope", "unknown service %q (want %s)", s, strings.Join(allScopes, ", "))
			}
		}
	}
	return nil
}
