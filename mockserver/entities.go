package mockserver

import "strconv"

// Every kind of entity the mock writes, each as a table of the attributes a `fields` projection may ask
// for. YouTrack's kinds know every attribute that YouTrack's published spec (<base>/api/openapi.json)
// gives Project, User and Me, and User's `name`, which servers send though the entity page omits it (docs
// samples: leader(login,name), users/me?fields=id,login,name,email). The Hub's kinds follow the Hub REST
// docs. The projection itself is in fields.go.

// idOnly is what a YouTrack answer carries when the client sends no `fields`: the id (and $type).
var idOnly = []field{{name: "id"}}

func appendNullableString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, s)
}

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

// appendEmptyList writes an attribute the mock models with no members: tags, saved queries, issues.
func appendEmptyList[T any](b []byte, _ T, _ []field) []byte { return append(b, "[]"...) }

var projectKind = &entityKind[*project]{
	typeKey: "$type", typeName: "Project",
	props: map[string]func([]byte, *project, []field) []byte{
		"id": func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, p.id) },
		"ringId": func(b []byte, p *project, _ []field) []byte {
			if p.ringID != "" {
				return appendJSONString(b, p.ringID)
			}
			return append(appendRingID(append(b, '"'), "project:", p.id), '"')
		},
		"name":           func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, p.name) },
		"shortName":      func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, p.shortName) },
		"description":    func(b []byte, p *project, _ []field) []byte { return appendNullableString(b, p.description) },
		"archived":       func(b []byte, p *project, _ []field) []byte { return appendBool(b, p.archived) },
		"template":       func(b []byte, p *project, _ []field) []byte { return appendBool(b, p.template) },
		"startingNumber": func(b []byte, p *project, _ []field) []byte { return strconv.AppendInt(b, p.startingNumber, 10) },
		"fromEmail":      func(b []byte, p *project, _ []field) []byte { return appendNullableString(b, p.fromEmail) },
		"replyToEmail":   func(b []byte, p *project, _ []field) []byte { return appendNullableString(b, p.replyToEmail) },
		"iconUrl":        func(b []byte, p *project, _ []field) []byte { return appendNullableString(b, p.iconURL) },
		"leader":         func(b []byte, p *project, sub []field) []byte { return appendUser(b, p.leader, sub) },
		"createdBy":      func(b []byte, p *project, sub []field) []byte { return appendUser(b, p.createdBy, sub) },
		"team":           func(b []byte, p *project, sub []field) []byte { return teamKind.appendObject(b, p, sub) },
		// Real servers send customFields as an array, although the published spec types it an object.
		"customFields": appendEmptyList[*project],
		"issues":       appendEmptyList[*project],
	},
}

// teamKind is a project's team (ProjectTeam, a UserGroup): here, the users who may read the project.
var teamKind = &entityKind[*project]{
	typeKey: "$type", typeName: "ProjectTeam",
	props: map[string]func([]byte, *project, []field) []byte{
		"id":   func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, "3-"+p.id[len("0-"):]) },
		"name": func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, p.name+" Team") },
		"ringId": func(b []byte, p *project, _ []field) []byte {
			return append(appendRingID(append(b, '"'), "team:", p.id), '"')
		},
		"usersCount":    func(b []byte, p *project, _ []field) []byte { return strconv.AppendInt(b, int64(p.teamSize), 10) },
		"icon":          func(b []byte, _ *project, _ []field) []byte { return append(b, "null"...) },
		"allUsersGroup": func(b []byte, _ *project, _ []field) []byte { return append(b, "false"...) },
	},
}

func appendUser(b []byte, u *user, fields []field) []byte {
	if u == nil {
		return append(b, "null"...)
	}
	return userKind.appendObject(b, u, fields)
}

var userProps = map[string]func([]byte, *user, []field) []byte{
	"id":       func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.id) },
	"login":    func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.login) },
	"fullName": func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.fullName) },
	"name":     func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.name()) },
	"email":    func(b []byte, u *user, _ []field) []byte { return appendNullableString(b, u.email) },
	"ringId":   func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.ringID) },
	"guest":    func(b []byte, u *user, _ []field) []byte { return appendBool(b, u.guest) },
	"online":   func(b []byte, u *user, _ []field) []byte { return appendBool(b, !u.guest) },
	"banned":   func(b []byte, u *user, _ []field) []byte { return appendBool(b, u.banned) },
	"avatarUrl": func(b []byte, u *user, _ []field) []byte {
		b = append(b, `"/hub/api/rest/avatar/`...)
		start := len(b) // the ring id, escaped like any string, without its own quotes (found by FuzzFields)
		b = appendJSONString(b, u.ringID)
		b = append(b[:start], b[start+1:len(b)-1]...)
		return append(b, `?dpr=1&size=48"`...)
	},
	"tags":         appendEmptyList[*user],
	"savedQueries": appendEmptyList[*user],
	"profiles":     func(b []byte, u *user, sub []field) []byte { return profilesKind.appendObject(b, u, sub) },
}

var userKind = &entityKind[*user]{typeKey: "$type", typeName: "User", props: userProps}

// meKind is the current user: a User with its own $type.
var meKind = &entityKind[*user]{typeKey: "$type", typeName: "Me", props: userProps}

// profilesKind is a user's settings (UserProfiles): the mock keeps none but the id they belong to.
var profilesKind = &entityKind[*user]{
	typeKey: "$type", typeName: "UserProfiles",
	props: map[string]func([]byte, *user, []field) []byte{
		"id": func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.id) },
	},
}

// The Hub's entities: tagged "type" where the Hub was seen to tag them (users, services), not tagged
// where no capture says how (permanent tokens).

// hubUserKind is a Hub user, whose id is the YouTrack user's ringId.
var hubUserKind = &entityKind[*user]{
	typeKey: "type", typeName: "user",
	props: map[string]func([]byte, *user, []field) []byte{
		"id":     func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.ringID) },
		"login":  func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.login) },
		"name":   func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.name()) },
		"guest":  func(b []byte, u *user, _ []field) []byte { return appendBool(b, u.guest) },
		"banned": func(b []byte, u *user, _ []field) []byte { return appendBool(b, u.banned) },
	},
	defaults: []field{{name: "id"}, {name: "login"}, {name: "name"}, {name: "guest"}, {name: "banned"}},
}

// serviceKind is a Hub service: the ones a token's scope names.
var serviceKind = &entityKind[service]{
	typeKey: "type", typeName: "service",
	props: map[string]func([]byte, service, []field) []byte{
		"id":              func(b []byte, s service, _ []field) []byte { return appendJSONString(b, s.id) },
		"key":             func(b []byte, s service, _ []field) []byte { return appendJSONString(b, s.key) },
		"name":            func(b []byte, s service, _ []field) []byte { return appendJSONString(b, s.name) },
		"applicationName": func(b []byte, s service, _ []field) []byte { return appendJSONString(b, s.applicationName) },
		"vendor":          func(b []byte, _ service, _ []field) []byte { return appendJSONString(b, "JetBrains") },
		"trusted":         func(b []byte, _ service, _ []field) []byte { return append(b, "true"...) },
	},
	defaults: []field{{name: "id"}, {name: "key"}, {name: "name"}, {name: "applicationName"}},
}

var tokenKind = &entityKind[*token]{
	props: map[string]func([]byte, *token, []field) []byte{
		"id":   func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.id) },
		"name": func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.name) },
		"scope": func(b []byte, t *token, sub []field) []byte {
			b = append(b, '[')
			for i, s := range t.scope.services() {
				if i > 0 {
					b = append(b, ',')
				}
				b = scopeKind.appendObject(b, s, sub)
			}
			return append(b, ']')
		},
		"user":         func(b []byte, t *token, sub []field) []byte { return hubUserKind.appendObject(b, t.owner, sub) },
		"author":       func(b []byte, t *token, sub []field) []byte { return hubUserKind.appendObject(b, t.author, sub) },
		"creationTime": func(b []byte, t *token, _ []field) []byte { return strconv.AppendInt(b, t.created, 10) },
		"lastAccessTime": func(b []byte, t *token, _ []field) []byte {
			if ms := t.lastAccess.Load(); ms != 0 {
				return strconv.AppendInt(b, ms, 10)
			}
			return append(b, "null"...)
		},
		"aliases": func(b []byte, _ *token, _ []field) []byte { return append(b, "null"...) }, // as in the docs samples
	},
	defaults: []field{{name: "id"}, {name: "name"}, {name: "scope"}, {name: "user"}, {name: "author"},
		{name: "creationTime"}, {name: "lastAccessTime"}},
}

// scopeKind is a service as a token's scope lists it: untagged, like the token.
var scopeKind = &entityKind[service]{
	props:    serviceKind.props,
	defaults: []field{{name: "id"}, {name: "key"}, {name: "name"}},
}

// frontendConfig is GET /api/config: facts about the server, the same for every caller.
type frontendConfig struct {
	hubURL string // ring.url: "/hub", or an absolute URL when a proxy puts the mock under a path
}

var configKind = &entityKind[frontendConfig]{
	typeKey: "$type", typeName: "FrontendConfig",
	props: map[string]func([]byte, frontendConfig, []field) []byte{
		"version": func(b []byte, _ frontendConfig, _ []field) []byte { return appendJSONString(b, modelledVersion) },
		"build":   func(b []byte, _ frontendConfig, _ []field) []byte { return appendJSONString(b, mockBuild) },
		"uuid":    func(b []byte, _ frontendConfig, _ []field) []byte { return appendJSONString(b, installationUUID) },
		"ring":    func(b []byte, c frontendConfig, sub []field) []byte { return ringKind.appendObject(b, c, sub) },
	},
}

// ringKind is where the Hub is (RingFrontendConfig): clients read ring.url first (YouTrackSharp,
// youtrack-mobile) and resolve a relative one against the origin.
var ringKind = &entityKind[frontendConfig]{
	typeKey: "$type", typeName: "RingFrontendConfig",
	props: map[string]func([]byte, frontendConfig, []field) []byte{
		"url":            func(b []byte, c frontendConfig, _ []field) []byte { return appendJSONString(b, c.hubURL) },
		"serviceId":      func(b []byte, _ frontendConfig, _ []field) []byte { return appendJSONString(b, youTrackServiceID) },
		"enabled":        func(b []byte, _ frontendConfig, _ []field) []byte { return append(b, "true"...) },
		"hasEmbeddedHub": func(b []byte, _ frontendConfig, _ []field) []byte { return append(b, "true"...) },
	},
}
