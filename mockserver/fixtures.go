package mockserver

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform/internal/yamlerr"
)

// Fixtures is the mock's data as written in a fixture file: users, their tokens, projects, who may read
// which project, the guest account, and the server's own settings. It holds tokens in the clear because it
// is configuration; the Store built from it keeps only their digests.
type Fixtures struct {
	Server   Server    `yaml:"server,omitempty"`
	Guest    Guest     `yaml:"guest"`
	Users    []User    `yaml:"users"`
	Tokens   []Token   `yaml:"tokens"`
	Projects []Project `yaml:"projects"`
}

// Server holds the settings of the server that a fixture file may choose, each modelled on YouTrack's own.
type Server struct {
	// LegacyAPI is LegacyEnabled (the default: the reference exchange of 2017.2) or LegacyDisabled, as
	// YouTrack 2021.3 and later, which answer every /rest path 400 "Deprecated REST API is disabled".
	LegacyAPI string `yaml:"legacyApi,omitempty"`
	// CORSOrigins are the origins allowed to call the API from a browser (YouTrack's "Allowed origins"):
	// the answer echoes an allowed Origin in Access-Control-Allow-Origin, once; any other gets none.
	CORSOrigins []string `yaml:"corsOrigins,omitempty,flow"`
	// RevocationDelay is how long a revoked token keeps working, as a real server's token cache lets it
	// (up to ~20 s was reported on 2026.2). 0, the default, refuses it at once. The Hub's DELETE and its
	// listings show the token gone at once either way.
	RevocationDelay time.Duration `yaml:"revocationDelay,omitempty"`
}

// The legacy API settings a fixture file may choose.
const (
	LegacyEnabled  = "enabled"
	LegacyDisabled = "disabled"
)

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
	RingID   string   `yaml:"ringId,omitempty"` // the user's Hub id; default: a UUID derived from the login
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
	RingID         string `yaml:"ringId,omitempty"` // the project's Hub id; default: a UUID derived from its id
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

// The service names a fixture token's scope may list. "YouTrack Administration" is the name the Hub
// service (id 0-0-0-0-0) has when YouTrack runs its built-in Hub, as on every current server; "Hub" is its
// application name, and means the same service.
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

// ParseFixtures decodes and checks fixture data. Every error names the file, the line and the field:
// "team.yaml:6: projects[0].leader: unknown user \"rooot\"".
func ParseFixtures(name string, data []byte) (*Fixtures, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the fixture file is empty", name)
	}
	var doc yaml.Node
	if err := yaml.Load(data, &doc); err != nil {
		return nil, yamlerr.Describe(name, err)
	}
	var f Fixtures
	if err := doc.Load(&f, yaml.WithKnownFields()); err != nil {
		return nil, yamlerr.Describe(name, err)
	}
	if err := f.check(&doc); err != nil {
		return nil, fmt.Errorf("%s:%w", name, err)
	}
	return &f, nil
}

// fixtureError is a semantic problem at a line of the file (0: fixtures built in code, no line).
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

// IsShortName reports a project short name the mock accepts: a letter, then letters, digits or _, at most
// 50 in all. Written by hand rather than as a regexp: a fixture may hold 100,000 projects.
func IsShortName(s string) bool {
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

// IsProjectID reports a project id in YouTrack's shape, 0-N.
func IsProjectID(s string) bool { return isEntityID(s, "0-") }

// IsUserID reports a user id in YouTrack's shape, 1-N.
func IsUserID(s string) bool { return isEntityID(s, "1-") }

func isEntityID(s, prefix string) bool {
	digits, ok := strings.CutPrefix(s, prefix)
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

// isFixtureToken is the text a fixture's token may have: 8 to 512 token characters.
func isFixtureToken(s string) bool { return len(s) >= 8 && len(s) <= 512 && isTokenText(s) }

// check fills the defaults, then rejects what the mock could not serve faithfully, section by section.
// doc, the decoded file, gives errors their lines; it is nil for fixtures built in code.
func (f *Fixtures) check(doc *yaml.Node) error {
	f.fillDefaults()
	c := fixtureChecker{f: f, doc: doc}
	for _, section := range []func() error{c.server, c.guest, c.users, c.projects, c.readers, c.tokens} {
		if err := section(); err != nil {
			return err
		}
	}
	return nil
}

// fillDefaults gives every optional field its documented default: the legacy API enabled, guest access
// allowed as "guest", ids by position (users 1-(i+1), projects 0-i, tokens 41-i), users' Hub ids derived
// from the login (projects derive theirs as they are written), and a token's scope every service.
func (f *Fixtures) fillDefaults() {
	if f.Server.LegacyAPI == "" {
		f.Server.LegacyAPI = LegacyEnabled
	}
	if f.Guest.Access == "" {
		f.Guest.Access = GuestAllowed
	}
	if f.Guest.Login == "" {
		f.Guest.Login = "guest"
	}
	for i := range f.Users { // with ifs, not cmp.Or, which would build every default: a fixture may hold 100,000 projects
		if u := &f.Users[i]; u.ID == "" {
			u.ID = "1-" + strconv.Itoa(i+1)
		}
		if u := &f.Users[i]; u.RingID == "" {
			u.RingID = ringID("", u.Login)
		}
	}
	for i := range f.Projects {
		if f.Projects[i].ID == "" {
			f.Projects[i].ID = "0-" + strconv.Itoa(i)
		}
	}
	for i := range f.Tokens {
		if f.Tokens[i].ID == "" {
			f.Tokens[i].ID = "41-" + strconv.Itoa(i)
		}
		if len(f.Tokens[i].Scope) == 0 {
			f.Tokens[i].Scope = slices.Clone(allScopes)
		}
	}
}

// fixtureChecker checks one section of the fixtures at a time; what a section learns (the logins, the
// short names) the later ones use.
type fixtureChecker struct {
	f          *Fixtures
	doc        *yaml.Node
	logins     map[string]bool
	ringIDs    map[string]bool // of users and projects: one Hub namespace
	shortNames map[string]bool // upper-cased
}

// at is the error for section[i].field (i < 0: section.field), at its line in the file.
func (c *fixtureChecker) at(section string, i int, field, format string, args ...any) error {
	name, path := section, []string{section}
	if i >= 0 {
		name, path = fmt.Sprintf("%s[%d]", section, i), append(path, fmt.Sprintf("[%d]", i))
	}
	if field != "" {
		name, path = name+"."+field, append(path, field)
	}
	return &fixtureError{line: yamlerr.Line(c.doc, path...), field: name, msg: fmt.Sprintf(format, args...)}
}

func (c *fixtureChecker) server() error {
	s := c.f.Server
	if s.LegacyAPI != LegacyEnabled && s.LegacyAPI != LegacyDisabled {
		return c.at("server", -1, "legacyApi", "must be %q or %q, not %q", LegacyEnabled, LegacyDisabled, s.LegacyAPI)
	}
	for i, o := range s.CORSOrigins {
		if err := CheckOrigin(o); err != nil {
			return c.at("server", -1, "corsOrigins", "[%d]: %v", i, err)
		}
	}
	if s.RevocationDelay < 0 {
		return c.at("server", -1, "revocationDelay", "must not be negative, not %s", s.RevocationDelay)
	}
	return nil
}

// CheckOrigin accepts an origin as browsers send it: scheme://host[:port], nothing after.
func CheckOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return fmt.Errorf("must be an origin such as https://app.example.com, not %q", o)
	}
	return nil
}

func (c *fixtureChecker) guest() error {
	if a := c.f.Guest.Access; a != GuestAllowed && a != GuestBanned {
		return c.at("guest", -1, "access", "must be %q or %q, not %q", GuestAllowed, GuestBanned, a)
	}
	return nil
}

func (c *fixtureChecker) users() error {
	c.logins = map[string]bool{c.f.Guest.Login: true}
	c.ringIDs = map[string]bool{ringID("", c.f.Guest.Login): true}
	ids := map[string]bool{}
	for i, u := range c.f.Users {
		switch {
		case u.Login == "":
			return c.at("users", i, "login", "is required")
		case !addNew(c.logins, u.Login):
			return c.at("users", i, "login", "duplicate login %q", u.Login)
		case !IsUserID(u.ID):
			return c.at("users", i, "id", "must look like 1-N, not %q", u.ID)
		case !addNew(ids, u.ID):
			return c.at("users", i, "id", "duplicate id %q", u.ID)
		case !addNew(c.ringIDs, u.RingID):
			return c.at("users", i, "ringId", "duplicate Hub id %q", u.RingID)
		}
	}
	return nil
}

func (c *fixtureChecker) projects() error {
	c.shortNames = make(map[string]bool, len(c.f.Projects))
	ids := make(map[string]bool, len(c.f.Projects))
	for i, p := range c.f.Projects {
		switch {
		case p.Name == "":
			return c.at("projects", i, "name", "is required")
		case !IsShortName(p.ShortName):
			return c.at("projects", i, "shortName", "must be a letter then letters, digits or _ (at most 50), not %q", p.ShortName)
		case !addNew(c.shortNames, strings.ToUpper(p.ShortName)):
			return c.at("projects", i, "shortName", "duplicate short name %q", p.ShortName)
		case !IsProjectID(p.ID):
			return c.at("projects", i, "id", "must look like 0-N, not %q", p.ID)
		case !addNew(ids, p.ID):
			return c.at("projects", i, "id", "duplicate id %q", p.ID)
		case p.RingID != "" && !addNew(c.ringIDs, p.RingID):
			return c.at("projects", i, "ringId", "duplicate Hub id %q", p.RingID)
		case p.Leader != "" && !c.logins[p.Leader]:
			return c.at("projects", i, "leader", "unknown user %q", p.Leader)
		case p.CreatedBy != "" && !c.logins[p.CreatedBy]:
			return c.at("projects", i, "createdBy", "unknown user %q", p.CreatedBy)
		}
	}
	return nil
}

// readers checks that guest and every user may read only projects that exist.
func (c *fixtureChecker) readers() error {
	for _, sn := range c.f.Guest.Projects {
		if !c.shortNames[strings.ToUpper(sn)] {
			return c.at("guest", -1, "projects", "unknown project %q", sn)
		}
	}
	for i, u := range c.f.Users {
		for _, sn := range u.Projects {
			if !c.shortNames[strings.ToUpper(sn)] {
				return c.at("users", i, "projects", "unknown project %q", sn)
			}
		}
	}
	return nil
}

func (c *fixtureChecker) tokens() error {
	secrets := map[string]bool{}
	ids := map[string]bool{}
	for i, t := range c.f.Tokens {
		// The token itself never goes into an error: fixture files are often pasted into CI logs.
		switch {
		case !isFixtureToken(t.Token):
			return c.at("tokens", i, "token", "must be 8 to 512 characters of A-Z a-z 0-9 - . _ ~ + / : =")
		case !addNew(secrets, t.Token):
			return c.at("tokens", i, "token", "duplicate token (the same secret appears twice)")
		case t.User == c.f.Guest.Login || !c.logins[t.User]:
			return c.at("tokens", i, "user", "unknown user %q", t.User)
		case !addNew(ids, t.ID):
			return c.at("tokens", i, "id", "duplicate id %q", t.ID)
		}
		for _, s := range t.Scope {
			if _, known := serviceNamed(s); !known {
				return c.at("tokens", i, "scope", "unknown service %q (want %s)", s, strings.Join(allScopes, ", "))
			}
		}
	}
	return nil
}

// addNew adds key to set and reports whether it was new: one map operation rather than two.
func addNew(set map[string]bool, key string) bool {
	n := len(set)
	set[key] = true
	return len(set) > n
}
