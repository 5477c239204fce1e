package mockserver

import "slices"

// Roles names who is who in a fixture set, for everything that must act as someone: the test server's
// tokens, the target file of `ytconform mock --target-out`, and the mock's start-up banner. A role the
// fixtures cannot fill is nil ("" for RevokedToken).
type Roles struct {
	// Admin is the first admin with a live token granted for every service.
	Admin *Role
	// Restricted is the first user, neither admin nor banned, with a live token granted for YouTrack.
	Restricted *Role
	// Banned is the first banned user with a live token.
	Banned *Role
	// RevokedToken is the first revoked token.
	RevokedToken string
}

// Role is a user and one live token of theirs.
type Role struct {
	Login string
	Token string
	// Projects are the short names the user may read, in fixture order: every project for an admin, none
	// for a banned user.
	Projects []string
}

// Roles finds the roles in f. A token without a scope counts as granted for every service, as in a file.
func (f *Fixtures) Roles() Roles {
	var r Roles
	everyProject := make([]string, len(f.Projects))
	for i, p := range f.Projects {
		everyProject[i] = p.ShortName
	}
	for _, u := range f.Users {
		switch {
		case u.Banned:
			if tok := f.liveToken(u.Login); r.Banned == nil && tok != "" {
				r.Banned = &Role{Login: u.Login, Token: tok} // reads nothing: every token is refused
			}
		case u.Admin:
			if tok := f.liveToken(u.Login, allScopes...); r.Admin == nil && tok != "" {
				r.Admin = &Role{Login: u.Login, Token: tok, Projects: slices.Clone(everyProject)}
			}
		default:
			if tok := f.liveToken(u.Login, ScopeYouTrack); r.Restricted == nil && tok != "" {
				r.Restricted = &Role{Login: u.Login, Token: tok, Projects: slices.Clone(u.Projects)}
			}
		}
	}
	for _, t := range f.Tokens {
		if t.Revoked {
			r.RevokedToken = t.Token
			break
		}
	}
	return r
}

// liveToken is the first unrevoked token of login granted for every service named ("" if none).
func (f *Fixtures) liveToken(login string, services ...string) string {
	for _, t := range f.Tokens {
		if t.User != login || t.Revoked {
			continue
		}
		if len(t.Scope) == 0 || !slices.ContainsFunc(services, func(s string) bool { return !slices.Contains(t.Scope, s) }) {
			return t.Token
		}
	}
	return ""
}
