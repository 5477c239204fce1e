package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"

	"github.com/ytconform/ytconform/mockserver"
)

const recordUsage = `Usage: ytconform record --base-url URL --token TOKEN --out FILE [flags]

Reads a YouTrack server (or a mock, or a proxy in front of either) and writes a fixture file that
'ytconform mock --fixtures FILE' serves:
  - every project the token may read, all pages, with every field the mock models (id, name, shortName,
    description, archived, template, startingNumber, fromEmail, replyToEmail, iconUrl, leader, createdBy);
  - the token's owner as an admin user (who therefore reads all of them), and each project's leader and
    creator as users who read the projects they lead or created;
  - whether guest access is allowed, and which of these projects guest may read.

The token given is never written: record mints a fresh token (crypto/rand) for each user, in the perm-…
shape, but the owner's in the shape of the token given, and prints them. The file holds those tokens, so it is written with mode 0600.

YOUTRACK_URL and YOUTRACK_TOKEN are read when --base-url and --token are absent (prefer the variable
for the token: command lines are visible to other users of the machine).

Flags:
`

// recordUserFields and recordProjectFields ask for every user and project property the mock models.
const (
	recordUserFields    = "id,login,fullName,name,email,ringId"
	recordProjectFields = "id,ringId,name,shortName,description,archived,template,startingNumber,fromEmail,replyToEmail,iconUrl," +
		"leader(" + recordUserFields + "),createdBy(" + recordUserFields + ")"
)

func runRecord(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := commandFlags("record", recordUsage, stderr)
	baseURL := fs.String("base-url", "", "the server's base `URL` (default $YOUTRACK_URL)")
	token := fs.String("token", "", "a permanent `token` to read the server with (default $YOUTRACK_TOKEN); never written to the file")
	out := fs.String("out", "", "the fixture `file` to write (required)")
	pageSize := fs.Int("page-size", 100, "projects per request (`N`, $top)")
	timeout := fs.Duration("timeout", 30*time.Second, "time allowed for each request")
	if stop, err := parseFlags(fs, args, false, stdout); stop {
		return err
	}
	if *baseURL == "" {
		*baseURL = getenv("YOUTRACK_URL")
	}
	if *token == "" {
		*token = getenv("YOUTRACK_TOKEN")
	}
	switch {
	case *baseURL == "":
		return exitError{code: 2, err: errors.New("record needs --base-url URL (or YOUTRACK_URL)")}
	case *token == "":
		return exitError{code: 2, err: errors.New("record needs --token TOKEN (or YOUTRACK_TOKEN)")}
	case *out == "":
		return exitError{code: 2, err: errors.New("record needs --out FILE")}
	case *pageSize < 1:
		return exitError{code: 2, err: fmt.Errorf("--page-size must be at least 1, not %d", *pageSize)}
	}

	r := &reader{base: strings.TrimRight(*baseURL, "/"), token: *token, pageSize: *pageSize,
		client: &http.Client{Timeout: *timeout}, progress: stderr}
	return r.recordTo(ctx, *out, stdout, stderr)
}

// recordTo reads the server and writes what it read to the fixture file out, which must load as
// `ytconform mock --fixtures` will load it.
func (r *reader) recordTo(ctx context.Context, out string, stdout, stderr io.Writer) error {
	rec, err := r.record(ctx)
	if err != nil {
		return exitError{code: 2, err: fmt.Errorf("record %s: %w", r.base, err)}
	}
	f, minted, skipped, err := rec.fixtures()
	if err != nil {
		return exitError{code: 2, err: fmt.Errorf("record %s: %w", r.base, err)}
	}
	for _, s := range skipped {
		fmt.Fprintf(stderr, "skipped %s\n", s)
	}
	data, err := encodeRecording(f, r.base, rec.owner.Login)
	if err != nil {
		return err
	}
	if leaksToken(data, r.token) {
		return errors.New("record: refusing to write a file that contains the token it was made with") // cannot happen; checked anyway
	}
	if _, err := mockserver.ParseFixtures(out, data); err != nil {
		return fmt.Errorf("record: the recording would not load: %w", err)
	}
	if err := os.WriteFile(out, data, 0o600); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	fmt.Fprintf(stdout, "recorded %s as %s: %d projects, %d users, guest %s\n", r.base, rec.owner.Login, len(f.Projects), len(f.Users), f.Guest.Access)
	fmt.Fprintf(stdout, "wrote %s; serve it with: ytconform mock --fixtures %s\n", out, out)
	fmt.Fprintln(stdout, "fresh tokens (the token used to record is not in the file):")
	for _, t := range minted {
		fmt.Fprintf(stdout, "  %-10s %s\n", t.User, t.Token)
	}
	return nil
}

// leaksToken reports data holding the token, or the random part that makes it secret.
func leaksToken(data []byte, token string) bool {
	if bytes.Contains(data, []byte(token)) {
		return true
	}
	secret := token[strings.LastIndexAny(token, ".:")+1:]
	return len(secret) >= 8 && bytes.Contains(data, []byte(secret))
}

// ytUser and ytProject are the server's JSON, as asked for by recordProjectFields.
type ytUser struct {
	ID       string `json:"id"`
	Login    string `json:"login"`
	FullName string `json:"fullName"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	RingID   string `json:"ringId"`
	Guest    bool   `json:"guest"`
}

type ytProject struct {
	ID             string  `json:"id"`
	RingID         string  `json:"ringId"`
	Name           string  `json:"name"`
	ShortName      string  `json:"shortName"`
	Description    string  `json:"description"`
	Archived       bool    `json:"archived"`
	Template       bool    `json:"template"`
	StartingNumber int64   `json:"startingNumber"`
	FromEmail      string  `json:"fromEmail"`
	ReplyToEmail   string  `json:"replyToEmail"`
	IconURL        string  `json:"iconUrl"`
	Leader         *ytUser `json:"leader"`
	CreatedBy      *ytUser `json:"createdBy"`
}

type reader struct {
	base, token string
	pageSize    int
	client      *http.Client
	progress    io.Writer
}

// recording is what was read from the server.
type recording struct {
	owner         ytUser
	ownerLegacy   bool // the owner's token has the perm: shape of servers before about 2025
	projects      []ytProject
	guestAllowed  bool
	guestProjects []string // short names
}

func (r *reader) record(ctx context.Context) (*recording, error) {
	var rec recording
	if err := r.get(ctx, "/api/users/me?fields="+recordUserFields+",guest", true, &rec.owner); err != nil {
		return nil, err
	}
	if rec.owner.Guest || rec.owner.Login == "" {
		return nil, errors.New("the token acts as the guest account; give a user's token")
	}
	rec.ownerLegacy = strings.HasPrefix(r.token, "perm:")
	projects, err := r.allProjects(ctx, recordProjectFields, true, true)
	if err != nil {
		return nil, err
	}
	rec.projects = projects

	// Guest: one request without a token says whether guest access is on.
	var guest ytUser
	err = r.get(ctx, "/api/users/me?fields=id,login,guest", false, &guest)
	if err == nil && guest.Guest {
		visible, err := r.allProjects(ctx, "id,shortName", false, false)
		if err != nil {
			fmt.Fprintf(r.progress, "guest access recorded as banned: listing guest's projects failed: %v\n", err)
			return &rec, nil
		}
		rec.guestAllowed = true
		for _, p := range visible {
			rec.guestProjects = append(rec.guestProjects, p.ShortName)
		}
	} else if err != nil && !errors.Is(err, errUnauthorized) {
		fmt.Fprintf(r.progress, "guest access recorded as banned: %v\n", err)
	}
	return &rec, nil
}

// allProjects reads every page of the project list.
func (r *reader) allProjects(ctx context.Context, fields string, withToken, showProgress bool) ([]ytProject, error) {
	var all []ytProject
	seen := map[string]bool{}
	for {
		var page []ytProject
		path := "/api/admin/projects?fields=" + fields + "&$skip=" + strconv.Itoa(len(all)) + "&$top=" + strconv.Itoa(r.pageSize)
		if err := r.get(ctx, path, withToken, &page); err != nil {
			return nil, err
		}
		fresh := 0
		for _, p := range page {
			if !seen[p.ID] {
				seen[p.ID] = true
				all = append(all, p)
				fresh++
			}
		}
		if len(page) < r.pageSize {
			break
		}
		if fresh == 0 {
			return nil, fmt.Errorf("the server answered the same projects for $skip=%d: it does not page", len(all))
		}
		if showProgress {
			fmt.Fprintf(r.progress, "recorded %d projects…\n", len(all))
		}
	}
	if showProgress && len(all) >= r.pageSize {
		fmt.Fprintf(r.progress, "recorded %d projects\n", len(all))
	}
	return all, nil
}

var errUnauthorized = errors.New("401 Unauthorized")

// get reads one JSON answer. Errors name the request and the server's own description, never the token.
func (r *reader) get(ctx context.Context, path string, withToken bool, dst any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", r.base+path, nil)
	if err != nil {
		return fmt.Errorf("bad base URL: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ytconform-record")
	if withToken {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		var uerr interface{ Unwrap() error }
		if errors.As(err, &uerr) { // *url.Error repeats the URL, which is fine: it holds no token
			return fmt.Errorf("GET %s: %w", path, uerr.Unwrap())
		}
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode == http.StatusUnauthorized {
		if withToken {
			return fmt.Errorf("GET %s: %w: the token was refused", path, errUnauthorized)
		}
		return errUnauthorized
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		json.Unmarshal(body, &e)
		msg := strings.TrimSpace(e.Error + ": " + e.Description)
		if e.Error == "" {
			msg = "no YouTrack error body"
		}
		return fmt.Errorf("GET %s: %s (%s)", path, resp.Status, msg)
	}
	if err := json.Unmarshal(body, dst); err != nil {
		return fmt.Errorf("GET %s: the answer is not the expected JSON: %w", path, err)
	}
	return nil
}

// fixtures turns the recording into fixture data with freshly minted tokens. Projects the mock could
// not serve (a short name it does not accept, no name) are left out and listed in skipped.
func (rec *recording) fixtures() (f *mockserver.Fixtures, minted []mockserver.Token, skipped []string, err error) {
	b := fixtureBuilder{
		f:         &mockserver.Fixtures{Guest: mockserver.Guest{Access: mockserver.GuestBanned, Login: "guest"}},
		userIndex: map[string]int{}, userIDs: map[string]bool{}, projectIDs: map[string]bool{}, shortNames: map[string]bool{},
		ringIDs: map[string]bool{},
	}
	if rec.guestAllowed {
		b.f.Guest.Access = mockserver.GuestAllowed
	}
	b.addUser(&rec.owner, true)
	for _, p := range rec.projects {
		if reason := b.addProject(p); reason != "" {
			skipped = append(skipped, reason)
		}
	}
	b.freshIDs()
	for _, sn := range rec.guestProjects {
		if b.shortNames[strings.ToUpper(sn)] {
			b.f.Guest.Projects = append(b.f.Guest.Projects, sn)
		}
	}
	minted, err = b.mintTokens(rec.ownerLegacy)
	return b.f, minted, skipped, err
}

// fixtureBuilder collects what a recording becomes, keeping ids and short names unique.
type fixtureBuilder struct {
	f                   *mockserver.Fixtures
	userIndex           map[string]int // login → index in f.Users
	userIDs, projectIDs map[string]bool
	ringIDs             map[string]bool // Hub ids of users and projects: one namespace
	shortNames          map[string]bool // upper-cased
}

// addUser adds a recorded user once and returns the login, or "" for none or the guest. An id in a shape
// the mock does not accept is left empty for freshIDs.
func (b *fixtureBuilder) addUser(u *ytUser, admin bool) string {
	if u == nil || u.Login == "" || u.Guest || u.Login == b.f.Guest.Login {
		return ""
	}
	if _, ok := b.userIndex[u.Login]; ok {
		return u.Login
	}
	id := u.ID
	if !mockserver.IsUserID(id) || b.userIDs[id] {
		id = ""
	} else {
		b.userIDs[id] = true
	}
	b.userIndex[u.Login] = len(b.f.Users)
	// A server without a full name still has a display name (User.name), which the mock derives from fullName.
	b.f.Users = append(b.f.Users, mockserver.User{ID: id, Login: u.Login, RingID: b.uniqueRingID(u.RingID),
		FullName: cmp.Or(u.FullName, u.Name), Email: u.Email, Admin: admin})
	return u.Login
}

// addProject adds a recorded project, its leader and creator as users who read it; it returns why the
// project was left out, or "".
func (b *fixtureBuilder) addProject(p ytProject) string {
	switch {
	case p.Name == "":
		return fmt.Sprintf("project %s: it has no name", p.ID)
	case !mockserver.IsShortName(p.ShortName):
		return fmt.Sprintf("project %q: the mock does not accept the short name %q", p.Name, p.ShortName)
	case b.shortNames[strings.ToUpper(p.ShortName)]:
		return fmt.Sprintf("project %q: short name %q appears twice", p.Name, p.ShortName)
	}
	b.shortNames[strings.ToUpper(p.ShortName)] = true
	id := p.ID
	if !mockserver.IsProjectID(id) || b.projectIDs[id] {
		id = ""
	} else {
		b.projectIDs[id] = true
	}
	fp := mockserver.Project{ID: id, RingID: b.uniqueRingID(p.RingID), Name: p.Name, ShortName: p.ShortName, Description: p.Description,
		Archived: p.Archived, Template: p.Template, StartingNumber: p.StartingNumber, FromEmail: p.FromEmail,
		ReplyToEmail: p.ReplyToEmail, IconURL: p.IconURL, Leader: b.addUser(p.Leader, false), CreatedBy: b.addUser(p.CreatedBy, false)}
	for _, login := range []string{fp.Leader, fp.CreatedBy} {
		if i, ok := b.userIndex[login]; ok && !b.f.Users[i].Admin && !containsString(b.f.Users[i].Projects, fp.ShortName) {
			b.f.Users[i].Projects = append(b.f.Users[i].Projects, fp.ShortName)
		}
	}
	b.f.Projects = append(b.f.Projects, fp)
	return ""
}

// uniqueRingID keeps a recorded Hub id once; a repeated one is left for the mock to derive.
func (b *fixtureBuilder) uniqueRingID(id string) string {
	if id == "" || b.ringIDs[id] {
		return ""
	}
	b.ringIDs[id] = true
	return id
}

// freshIDs gives the ids the server used in shapes the mock does not accept fresh ones that collide with
// none, now that every recorded id is known.
func (b *fixtureBuilder) freshIDs() {
	for i := range b.f.Projects {
		if b.f.Projects[i].ID == "" {
			b.f.Projects[i].ID = freshID("0-", 0, b.projectIDs)
		}
	}
	for i := range b.f.Users {
		if b.f.Users[i].ID == "" {
			b.f.Users[i].ID = freshID("1-", 1, b.userIDs) // 1-0 is the guest
		}
	}
}

// mintTokens gives every user a fresh token for every service. The owner's (the first user) has the shape
// of the token recorded with, so that a suite choosing a user by token shape chooses the same user on the
// server and on its recording.
func (b *fixtureBuilder) mintTokens(ownerLegacy bool) ([]mockserver.Token, error) {
	for i, u := range b.f.Users {
		id := "41-" + strconv.Itoa(i) // the id the mock gives the i-th fixture token, and the token's middle segment
		secret, err := mockserver.MintToken(u.Login, id)
		if i == 0 && ownerLegacy {
			secret, err = mockserver.MintLegacyToken(u.Login, "recorded")
		}
		if err != nil {
			return nil, err
		}
		b.f.Tokens = append(b.f.Tokens, mockserver.Token{ID: id, Token: secret, User: u.Login, Name: "recorded",
			Scope: []string{mockserver.ScopeYouTrack, mockserver.ScopeYouTrackAdmin, mockserver.ScopeHub}})
	}
	return b.f.Tokens, nil
}

func freshID(prefix string, from int, used map[string]bool) string {
	for n := from; ; n++ {
		id := prefix + strconv.Itoa(n)
		if !used[id] {
			used[id] = true
			return id
		}
	}
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// encodeRecording writes the fixtures as YAML under a comment saying where they came from.
func encodeRecording(f *mockserver.Fixtures, base, login string) ([]byte, error) {
	data, err := yaml.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("record: encode fixtures: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Recorded by 'ytconform record' from %s as %s, %s.\n", base, login, time.Now().UTC().Format(time.RFC3339))
	b.WriteString("# Serve it with: ytconform mock --fixtures FILE\n")
	b.WriteString("# The tokens below were minted for this file; the token used to record is not here.\n\n")
	b.Write(data)
	return b.Bytes(), nil
}
