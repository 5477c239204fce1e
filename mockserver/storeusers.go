package mockserver

import (
	"slices"
	"strings"
)

func (s *Store) guest() (*user, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.guest, s.data.guestAllowed
}

// settings are the server settings of the fixtures served.
func (s *Store) settings() Server {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data.settings
}

// visibleUsers lists the users caller may read, by login: every user, guest included, for a signed-in
// user; only guest for guest. YouTrack grants Read User Basic to every user by default (docs:
// "Requires permissions: Read User Basic"); what guest may read of other users the docs do not say, and
// the mock answers as little as it can.
func (s *Store) visibleUsers(caller *user) []*user {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if caller.guest {
		return []*user{caller}
	}
	all := append([]*user{s.data.guest}, s.data.users...)
	slices.SortFunc(all, func(a, b *user) int { return strings.Compare(a.login, b.login) })
	return all
}

// findUser resolves a YouTrack {id}: a database id or a login ("me" has its own route); nil when caller
// may not read the user.
func (s *Store) findUser(caller *user, ref string) *user {
	s.mu.RLock()
	u := s.data.byUserID[ref]
	if u == nil {
		u = s.data.byLogin[ref]
	}
	if u == nil && ref == s.data.guest.id {
		u = s.data.guest
	}
	s.mu.RUnlock()
	if u == nil || caller.guest && u != caller {
		return nil
	}
	return u
}

// hubUser resolves a Hub {id}: the Hub id (a YouTrack user's ringId), a login, or "me". Guest has no
// Hub account the API serves.
func (s *Store) hubUser(me *user, ref string) *user {
	if ref == "me" {
		return me
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.data.byRingID[ref]; u != nil {
		return u
	}
	if u := s.data.byLogin[ref]; u != nil && !u.guest {
		return u
	}
	return nil
}
