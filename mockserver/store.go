package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
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
	guest        *user
	guestAllowed bool
	users        []*user
	byLogin      map[string]*user
	byUserID     map[string]*user

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

type project struct {
	seedIndex                        int // position in the fixtures; -1 for a project a client created
	id, name, shortName, description string
	archived, template               bool
	leader, createdBy                *user
	startingNumber                   int64
	fromEmail, replyToEmail, iconURL string
}

type scopeSet uint8

const (
	scopeYouTrack scopeSet = 1 << iota
	scopeYouTrackAdmin
	scopeHub
)

func (s scopeSet) names() []string {
	var out []string
	for i, name := range allScopes {
		if s&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

func parseScope(name string) (scopeSet, bool) {
	for i, n := range allScopes {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

type token struct {
	id, name      string
	digest        [sha256.Size]byte
	owner, author *user
	scope         scopeSet
	created       int64        // Unix milliseconds
	lastAccess    atomic.Int64 // Unix milliseconds; 0 = never used
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
		byLogin:     map[string]*user{},
		byUserID:    map[string]*user{},
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
	d.guest = &user{id: "1-0", login: f.Guest.Login, fullName: "Guest", guest: true}
	d.guest.ringID = ringID(d.guest.login)
	d.guestAllowed = f.Guest.Access != GuestBanned
	d.byLogin[d.guest.login] = d.guest
	for _, fu := range f.Users {
		u := &user{id: fu.ID, login: fu.Login, fullName: fu.FullName, email: fu.Email, admin: fu.Admin,
			banned: fu.Banned, ringID: ringID(fu.Login)}
		d.users = append(d.users, u)
		d.byLogin[u.login] = u
		d.byUserID[u.id] = u
	}
}

// addProjects adds the fixture projects, grants them to their readers, and builds each user's view.
func (d *storeData) addProjects(f *Fixtures) {
	slab := make([]project, len(f.Projects)) // one allocation for all of them
	for i, fp := range f.Projects {
		p := &slab[i]
		*p = project{seedIndex: i, id: fp.ID, name: fp.Name, shortName: fp.ShortName, description: fp.Description,
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
		t := &token{id: ft.ID, name: ft.Name, digest: digests[i], owner: owner, author: owner, created: now}
		for _, name := range ft.Scope {
			bit, _ := parseScope(name)
			t.scope |= bit
		}
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

// ringID is a stable Hub id for a login, shaped like the UUIDs a real Hub assigns.
func ringID(login string) string {
	sum := sha256.Sum256([]byte("ring:" + login))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// digestOf hashes a token without allocating: a token of ordinary length is copied to the stack
// rather than converted to a heap []byte.
func digestOf(secret string) [sha256.Size]byte {
	var buf [128]byte
	if len(secret) > len(buf) {
		return sha256.Sum256([]byte(secret))
	}
	return sha256.Sum256(buf[:copy(buf[:], secret)])
}

// authenticate finds the live token with this secret. The map is keyed by digest, so the secret is never
// compared byte by byte; the final comparison of digests is constant-time all the same.
func (s *Store) authenticate(secret string) *token {
	digest := digestOf(secret)
	s.mu.RLock()
	t := s.data.tokens[digest]
	s.mu.RUnlock()
	if t == nil || subtle.ConstantTimeCompare(t.digest[:], digest[:]) != 1 {
		return nil
	}
	return t
}

// touch records a use of the token, at most once a second so that hot tokens do not contend.
func (t *token) touch(now time.Time) {
	ms := now.UnixMilli()
	if ms-t.lastAccess.Load() >= 1000 {
		t.lastAccess.Store(ms)
	}
}

func (s *Store) guest() (*user, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.guest, s.data.guestAllowed
}

// visibleProjects is the name-sorted list of projects u may read. The caller must not modify it.
func (s *Store) visibleProjects(u *user) []*project {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u.admin {
		return s.data.all
	}
	return s.data.views[u]
}

func canRead(u *user, p *project) bool { return u.admin || u.readable.has(p.seedIndex) }

// findProject looks a project up by database id or short name, as YouTrack does. An invisible
// project is reported exactly like a missing one.
func (s *Store) findProject(u *user, idOrShortName string) *project {
	s.mu.RLock()
	p := s.data.projects[idOrShortName]
	if p == nil {
		p = s.data.byShortName[strings.ToUpper(idOrShortName)]
	}
	s.mu.RUnlock()
	if p == nil || !canRead(u, p) {
		return nil
	}
	return p
}

// newProject is what a client may set when it creates a project.
type newProject struct {
	name, shortName, description string
	leaderID, leaderLogin        string
}

// createProject adds a project readable by admins only, the way a freshly created YouTrack project is.
func (s *Store) createProject(creator *user, np newProject) (*project, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	if d.byShortName[strings.ToUpper(np.shortName)] != nil {
		return nil, errDuplicateShortName
	}
	leader := creator
	switch {
	case np.leaderID != "":
		leader = d.byUserID[np.leaderID]
	case np.leaderLogin != "":
		leader = d.byLogin[np.leaderLogin]
	}
	if leader == nil || leader.guest {
		return nil, errUnknownLeader
	}
	p := &project{seedIndex: -1, id: "0-" + strconv.Itoa(d.nextProject), name: np.name, shortName: np.shortName,
		description: np.description, leader: leader, createdBy: creator, startingNumber: 1}
	all := append(slices.Clip(d.all), p) // a new array: readers may still hold the old one
	d.addProject(p)
	d.all = sortedByName(all)
	return p, nil
}

// deleteProject removes a project from every view.
func (s *Store) deleteProject(p *project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	if d.projects[p.id] != p {
		return
	}
	delete(d.projects, p.id)
	delete(d.byShortName, strings.ToUpper(p.shortName))
	without := func(ps []*project) []*project {
		return slices.DeleteFunc(slices.Clone(ps), func(q *project) bool { return q == p })
	}
	d.all = without(d.all)
	for u, view := range d.views {
		if u.readable.has(p.seedIndex) {
			d.views[u] = without(view)
		}
	}
}

// userByRef resolves a Hub {userId}: "me", a user id or a login.
func (s *Store) userByRef(me *user, ref string) *user {
	if ref == "me" {
		return me
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.data.byUserID[ref]; u != nil {
		return u
	}
	if u := s.data.byLogin[ref]; u != nil && !u.guest {
		return u
	}
	return nil
}

// tokensOf lists a user's live tokens in creation order.
func (s *Store) tokensOf(u *user) []*token {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*token
	for _, t := range s.data.tokenByID {
		if t.owner == u {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *token) int {
		if c := a.created - b.created; c != 0 {
			return int(c)
		}
		return strings.Compare(a.id, b.id)
	})
	return out
}

func (s *Store) tokenOf(u *user, id string) *token {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.data.tokenByID[id]; t != nil && t.owner == u {
		return t
	}
	return nil
}

// issueToken creates a token in the modern shape (MintToken) whose middle segment is its id, as servers
// since about 2025 issue them. The secret is returned once and kept only as its digest.
func (s *Store) issueToken(owner, author *user, name string, scope scopeSet, now time.Time) (*token, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	id := "41-" + strconv.Itoa(d.nextToken)
	secret, err := MintToken(owner.login, id)
	if err != nil {
		return nil, "", err
	}
	d.nextToken++
	t := &token{id: id, name: name, digest: sha256.Sum256([]byte(secret)), owner: owner, author: author,
		scope: scope, created: now.UnixMilli()}
	d.tokens[t.digest] = t
	d.tokenByID[id] = t
	return t, secret, nil
}

// revokeToken removes the token. It holds the write lock, so once it returns no request can
// authenticate with the token any more: revocation takes effect before the DELETE is answered.
func (s *Store) revokeToken(t *token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.data.tokens, t.digest)
	delete(s.data.tokenByID, t.id)
}

// isKnownToken reports a secret that authenticates a live token of the store.
func (s *Store) isKnownToken(secret string) bool { return s.authenticate(secret) != nil }
