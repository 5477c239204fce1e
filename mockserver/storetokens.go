package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"slices"
	"strconv"
	"strings"
	"time"
)

// digestOf hashes a token without allocating: a token of ordinary length is copied to the stack
// rather than converted to a heap []byte.
func digestOf(secret string) [sha256.Size]byte {
	var buf [128]byte
	if len(secret) > len(buf) {
		return sha256.Sum256([]byte(secret))
	}
	return sha256.Sum256(buf[:copy(buf[:], secret)])
}

// authenticate finds the token with this secret that still works at now: a live one, or one revoked less
// than the revocation delay ago. The map is keyed by digest, so the secret is never compared byte by byte;
// the final comparison of digests is constant-time all the same.
func (s *Store) authenticate(secret string, now time.Time) *token {
	digest := digestOf(secret)
	s.mu.RLock()
	t := s.data.tokens[digest]
	delay := s.data.settings.RevocationDelay
	revokedAt := int64(0)
	if t != nil {
		revokedAt = t.revokedAt
	}
	s.mu.RUnlock()
	if t == nil || subtle.ConstantTimeCompare(t.digest[:], digest[:]) != 1 {
		return nil
	}
	if revokedAt != 0 && now.UnixMilli() >= revokedAt+delay.Milliseconds() {
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

// revokeToken revokes the token at now. It is gone from the owner's tokens at once. Without a revocation
// delay it is refused at once too: the write lock is held, so once revokeToken returns no request can
// authenticate with it, before the DELETE is answered. With a delay it keeps working until the delay is
// over, as behind a real server's token cache; tokens whose delay is over are dropped here.
func (s *Store) revokeToken(t *token, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.data
	delete(d.tokenByID, t.id)
	delay := d.settings.RevocationDelay.Milliseconds()
	if delay <= 0 {
		delete(d.tokens, t.digest)
		return
	}
	t.revokedAt = now.UnixMilli()
	for digest, old := range d.tokens {
		if old.revokedAt != 0 && t.revokedAt >= old.revokedAt+delay {
			delete(d.tokens, digest)
		}
	}
}

// isKnownToken reports a secret that authenticates a token of the store now, for the journal's redaction.
func (s *Store) isKnownToken(secret string) bool { return s.authenticate(secret, time.Now()) != nil }
