package mockserver

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

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

// teamSize is how many users, admins aside, may read p: the size of its team.
func (s *Store) teamSize(p *project) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := 0
	for _, u := range s.data.users {
		if !u.admin && u.readable.has(p.seedIndex) {
			n++
		}
	}
	return n
}

// The store's refusals of a project change; answerError gives each its answer.
var (
	errDuplicateShortName = errors.New("a project with this short name already exists")
	errUnknownLeader      = errors.New("the leader is not a known user")
	errProjectGone        = errors.New("the project was deleted meanwhile")
)

// projectChange is what a client sets on a project; nil leaves an attribute as it is. Creating a project
// needs name and shortName.
type projectChange struct {
	name, shortName, description *string
	archived                     *bool
	leader                       *userRef
}

// userRef names a user by database id or by login, as a client's body does.
type userRef struct{ id, login string }

// createProject adds a project readable by admins only, the way a freshly created YouTrack project is.
// The leader defaults to its creator.
func (s *Store) createProject(creator *user, c projectChange) (*project, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	id := "0-" + strconv.Itoa(d.nextProject)
	p := &project{seedIndex: -1, id: id, leader: creator, createdBy: creator, startingNumber: 1}
	if err := d.apply(p, c); err != nil {
		return nil, err
	}
	all := append(slices.Clip(d.all), p) // a new array: readers may still hold the old one
	d.addProject(p)
	d.all = sortedByName(all)
	return p, nil
}

// updateProject changes p and returns the changed project, which replaces p everywhere: readers that
// hold p keep an unchanged project.
func (s *Store) updateProject(p *project, c projectChange) (*project, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	if d.projects[p.id] != p {
		return nil, errProjectGone
	}
	q := *p
	if err := d.apply(&q, c); err != nil {
		return nil, err
	}
	delete(d.byShortName, strings.ToUpper(p.shortName))
	d.addProject(&q)
	replace := func(ps []*project) []*project {
		ps = slices.Clone(ps)
		ps[slices.Index(ps, p)] = &q
		return sortedByName(ps)
	}
	d.all = replace(d.all)
	for u, view := range d.views {
		if u.readable.has(p.seedIndex) {
			d.views[u] = replace(view)
		}
	}
	return &q, nil
}

// apply sets what c changes on p, a project no reader holds yet. d's lock must be held.
func (d *storeData) apply(p *project, c projectChange) error {
	if c.shortName != nil && !strings.EqualFold(*c.shortName, p.shortName) && d.byShortName[strings.ToUpper(*c.shortName)] != nil {
		return errDuplicateShortName
	}
	if c.leader != nil {
		leader := d.byUserID[c.leader.id]
		if c.leader.id == "" {
			leader = d.byLogin[c.leader.login]
		}
		if leader == nil || leader.guest {
			return errUnknownLeader
		}
		p.leader = leader
	}
	setIf(&p.name, c.name)
	setIf(&p.shortName, c.shortName)
	setIf(&p.description, c.description)
	setIf(&p.archived, c.archived)
	return nil
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
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
