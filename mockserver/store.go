package mockserver

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Store is the mock's state: users, projects, and tokens held only as SHA-256 digests. It is safe for
// concurrent use. Listings read precomputed, name-sorted views, one per user, so a page costs O(page)
// however many projects there are. Views are replaced, never modified in place, so a reader may keep
// the slice it got after releasing the lock.
type Store struct {
	mu   sync.RWMutex
	seed seed
	data *storeData
}

type storeData struct {
	settings     Server // of the fixtures, defaults filled
	guest        *user
	guestAllowed bool
	users        []*user // in fixture order
	byLogin      map[string]*user
	byUserID     map[string]*user
	byRingID     map[string]*user

	projects    map[string]*project // by id
	byShortName map[string]*project // by upper-cased short name
	all         []*project          // every project, sorted by name: the admin's view
	views       map[*user][]*project
	nextProject int

	tokens    map[[sha256.Size]byte]*token
	tokenByID map[string]*token
	nextToken int
}

type user struct {
	id, login, fullName, email, ringID string
	admin, banned, guest               bool
	readable                           bitset // by project.seedIndex; unused for an admin
}

// name is the user's display name, YouTrack's User.name: the full name, or the login without one.
func (u *user) name() string {
	if u.fullName != "" {
		return u.fullName
	}
	return u.login
}

// project is never modified once a reader may hold it: an update replaces it with a changed copy.
type project struct {
	seedIndex                        int // position in the fixtures; -1 for a project a client created
	id, ringID                       string
	name, shortName, description     string
	archived, template               bool
	leader, createdBy                *user
	startingNumber                   int64
	fromEmail, replyToEmail, iconURL string
	teamSize                         int // the users, admins aside, who may read it
}

type token struct {
	id, name      string
	digest        [sha256.Size]byte
	owner, author *user
	scope         scopeSet
	created       int64        // Unix milliseconds
	lastAccess    atomic.Int64 // Unix milliseconds; 0 = never used
	revokedAt     int64        // Unix milliseconds; 0 = live. Set under the store's write lock.
}

// seed is what Reset returns to: the fixtures, with each token replaced by its digest.
type seed struct {
	fixtures Fixtures
	digests  [][sha256.Size]byte
}

// NewStore builds the state the fixtures describe. The tokens' clear text is not kept. Fixtures built
// or changed in code are checked here as a file is by ParseFixtures.
func NewStore(f *Fixtures) (*Store, error) {
	sd, data, err := newSeed(f)
	if err != nil {
		return nil, err
	}
	return &Store{seed: sd, data: data}, nil
}

// newSeed checks the fixtures, keeps them with each token replaced by its digest, and builds their state.
func newSeed(f *Fixtures) (seed, *storeData, error) {
	if err := f.check(nil); err != nil {
		return seed{}, nil, fmt.Errorf("fixtures: %w", err)
	}
	sd := seed{fixtures: *f}
	sd.fixtures.Tokens = make([]Token, len(f.Tokens))
	for i, t := range f.Tokens {
		sd.digests = append(sd.digests, sha256.Sum256([]byte(t.Token)))
		t.Token = ""
		sd.fixtures.Tokens[i] = t
	}
	data, err := build(&sd)
	if err != nil {
		return seed{}, nil, err
	}
	return sd, data, nil
}

// Reset returns the store to its fixtures: created projects and tokens are gone, revoked ones are back.
func (s *Store) Reset() {
	s.mu.RLock()
	sd := s.seed // Replace may swap the seed; a seed itself is never modified
	s.mu.RUnlock()
	data, err := build(&sd)
	if err != nil { // the seed was built once already, so this cannot fail
		panic(err)
	}
	s.mu.Lock()
	s.data = data
	s.mu.Unlock()
}

// Replace swaps in new fixtures, as if the store had been made from them: what Reset returns to
// changes too. Invalid fixtures are refused and the store keeps its data.
func (s *Store) Replace(f *Fixtures) error {
	sd, data, err := newSeed(f)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seed, s.data = sd, data
	s.mu.Unlock()
	return nil
}

// build makes the state the seed describes: users, projects with the views of who reads them, and tokens.
func build(sd *seed) (*storeData, error) {
	f := &sd.fixtures
	d := &storeData{
		settings:    f.Server,
		byLogin:     map[string]*user{},
		byUserID:    map[string]*user{},
		byRingID:    map[string]*user{},
		projects:    make(map[string]*project, len(f.Projects)), // sized once: fixtures may hold 100,000 projects
		byShortName: make(map[string]*project, len(f.Projects)),
		all:         make([]*project, 0, len(f.Projects)),
		tokens:      map[[sha256.Size]byte]*token{},
		tokenByID:   map[string]*token{},
	}
	d.addUsers(f)
	d.addProjects(f)
	if err := d.addTokens(f, sd.digests); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *storeData) addUsers(f *Fixtures) {
	// YouTrack's guest is named after its login: a real server answers "name":"guest", which JetBrains' IDE
	// plugin reads as "not logged in".
	d.guest = &user{id: "1-0", login: f.Guest.Login, fullName: f.Guest.Login, guest: true, ringID: ringID("", f.Guest.Login)}
	d.guestAllowed = f.Guest.Access != GuestBanned
	d.byLogin[d.guest.login] = d.guest
	for _, fu := range f.Users {
		u := &user{id: fu.ID, login: fu.Login, fullName: fu.FullName, email: fu.Email, admin: fu.Admin,
			banned: fu.Banned, ringID: fu.RingID}
		d.users = append(d.users, u)
		d.byLogin[u.login] = u
		d.byUserID[u.id] = u
		d.byRingID[u.ringID] = u
	}
}

// addProjects adds the fixture projects, grants them to their readers, and builds each user's view.
func (d *storeData) addProjects(f *Fixtures) {
	slab := make([]project, len(f.Projects)) // one allocation for all of them
	for i, fp := range f.Projects {
		p := &slab[i]
		*p = project{seedIndex: i, id: fp.ID, ringID: fp.RingID, name: fp.Name, shortName: fp.ShortName, description: fp.Description,
			archived: fp.Archived, template: fp.Template, leader: d.byLogin[fp.Leader], createdBy: d.byLogin[fp.CreatedBy],
			startingNumber: fp.StartingNumber, fromEmail: fp.FromEmail, replyToEmail: fp.ReplyToEmail, iconURL: fp.IconURL}
		d.addProject(p)
		d.all = append(d.all, p)
	}
	grant := func(u *user, shortNames []string) {
		for _, sn := range shortNames {
			if p := d.byShortName[strings.ToUpper(sn)]; p != nil {
				u.readable.add(p.seedIndex)
			}
		}
	}
	grant(d.guest, f.Guest.Projects)
	for i, fu := range f.Users {
		grant(d.users[i], fu.Projects)
	}
	for _, u := range d.users {
		if !u.admin {
			for i := range slab {
				if u.readable.has(i) {
					slab[i].teamSize++
				}
			}
		}
	}
	d.all = sortedByName(d.all)
	d.rebuildViews()
}

// addTokens adds the live fixture tokens, each held by its digest.
func (d *storeData) addTokens(f *Fixtures, digests [][sha256.Size]byte) error {
	now := time.Now().UnixMilli()
	for i, ft := range f.Tokens {
		if ft.Revoked {
			continue
		}
		owner := d.byLogin[ft.User]
		if owner == nil {
			return fmt.Errorf("token %s: unknown user %q", ft.ID, ft.User)
		}
		t := &token{id: ft.ID, name: ft.Name, digest: digests[i], owner: owner, author: owner, created: now,
			scope: scopeOf(ft.Scope)}
		d.tokens[t.digest] = t
		d.tokenByID[t.id] = t
	}
	d.nextToken = len(f.Tokens)
	return nil
}

func (d *storeData) addProject(p *project) {
	d.projects[p.id] = p
	d.byShortName[strings.ToUpper(p.shortName)] = p
	if n, err := strconv.Atoi(strings.TrimPrefix(p.id, "0-")); err == nil && n >= d.nextProject {
		d.nextProject = n + 1
	}
}

func sortedByName(ps []*project) []*project {
	slices.SortStableFunc(ps, compareByName)
	return ps
}

// compareByName is the listing order: by name, as in every documented sample, then by short name so
// that equal names still list in a stable order.
func compareByName(a, b *project) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	return strings.Compare(a.shortName, b.shortName)
}

func (d *storeData) rebuildViews() {
	d.views = make(map[*user][]*project, len(d.users)+1)
	for _, u := range append([]*user{d.guest}, d.users...) {
		if u.admin {
			continue
		}
		view := make([]*project, 0, u.readable.count())
		for _, p := range d.all {
			if u.readable.has(p.seedIndex) {
				view = append(view, p)
			}
		}
		d.views[u] = view
	}
}

// ringID is a stable Hub id for a name of a kind ("" for a user's login, "project:" for a project's id),
// shaped like the UUIDs a real Hub assigns.
func ringID(kind, name string) string { return string(appendRingID(nil, kind, name)) }

// appendRingID appends ringID(kind, name) without allocating: a listing of projects derives theirs as it
// writes them, rather than 100,000 fixture projects keeping one each.
func appendRingID(b []byte, kind, name string) []byte {
	var buf [128]byte
	sum := sha256.Sum256(append(append(append(buf[:0], "ring:"...), kind...), name...))
	var h [32]byte
	hex.Encode(h[:], sum[:16])
	b = append(b, h[0:8]...)
	b = append(append(b, '-'), h[8:12]...)
	b = append(append(b, '-'), h[12:16]...)
	b = append(append(b, '-'), h[16:20]...)
	return append(append(b, '-'), h[20:32]...)
}
