package mockserver

import "strconv"

// Every kind of entity the mock writes, each as a table of the attributes a `fields` projection may ask
// for. The names and types follow YouTrack's published spec (<base>/api/openapi.json) and the Hub REST
// docs; the projection itself is in fields.go.

// Property writers shared by the kinds.

func appendNullableString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, s)
}

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

var idOnly = []field{{name: "id"}}

var projectKind = &entityKind[*project]{
	typeName: "Project",
	defaults: idOnly,
	props: map[string]func([]byte, *project, []field) []byte{
		"id":             func(b []byte, p *project, _ []field) []byte { return appendJSONString(b, p.id) },
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
}

var userKind = &entityKind[*user]{typeName: "User", defaults: idOnly, props: userProps}

// meKind is the current user: a User with its own $type and the user's tags (none in the mock).
var meKind = &entityKind[*user]{typeName: "Me", defaults: idOnly, props: withProps(userProps, map[string]func([]byte, *user, []field) []byte{
	"tags": func(b []byte, _ *user, _ []field) []byte { return append(b, "[]"...) },
})}

func withProps[T any](base, extra map[string]func([]byte, T, []field) []byte) map[string]func([]byte, T, []field) []byte {
	out := make(map[string]func([]byte, T, []field) []byte, len(base)+len(extra))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// The Hub's entities carry no $type.

var tokenKind = &entityKind[*token]{
	props: map[string]func([]byte, *token, []field) []byte{
		"id":   func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.id) },
		"name": func(b []byte, t *token, _ []field) []byte { return appendJSONString(b, t.name) },
		"scope": func(b []byte, t *token, sub []field) []byte {
			b = append(b, '[')
			for i, name := range t.scope.names() {
				if i > 0 {
					b = append(b, ',')
				}
				b = scopeKind.appendObject(b, name, sub)
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
	},
	defaults: []field{{name: "id"}, {name: "name"}, {name: "scope"}, {name: "user"}, {name: "author"},
		{name: "creationTime"}, {name: "lastAccessTime"}},
}

var scopeKind = &entityKind[string]{
	props: map[string]func([]byte, string, []field) []byte{
		"key":  func(b []byte, name string, _ []field) []byte { return appendJSONString(b, name) },
		"name": func(b []byte, name string, _ []field) []byte { return appendJSONString(b, name) },
	},
	defaults: []field{{name: "key"}, {name: "name"}},
}

var hubUserKind = &entityKind[*user]{
	props: map[string]func([]byte, *user, []field) []byte{
		"id":    func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.id) },
		"login": func(b []byte, u *user, _ []field) []byte { return appendJSONString(b, u.login) },
	},
	defaults: []field{{name: "id"}, {name: "login"}},
}

// appConfig is GET /api/config: facts about the server, the same for every caller.
type appConfig struct{}

var configKind = &entityKind[appConfig]{
	typeName: "AppConfig",
	defaults: []field{},
	props: map[string]func([]byte, appConfig, []field) []byte{
		"version": func(b []byte, _ appConfig, _ []field) []byte { return appendJSONString(b, modelledVersion) },
		"build":   func(b []byte, _ appConfig, _ []field) []byte { return appendJSONString(b, mockBuild) },
	},
}
