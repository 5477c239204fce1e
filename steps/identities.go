package steps

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/target"
)

// Features never hold tokens: they name identities ("the admin", "the restricted user") and credentials
// ("an unknown token", "the admin's token with an edited login segment"), and this file resolves the names
// from the target, so that secrets stay in the target file and out of every report. Each family of names
// is a table: a name the features may use, and how to resolve it.

// unknownToken has the documented shape but was never issued: login "ytconform.nobody", name "never issued".
const unknownToken = "perm:eXRjb25mb3JtLm5vYm9keQ==.bmV2ZXIgaXNzdWVk.Zx0Qw3RtYpL8vN2kJ5sHc7dBf4GaEu"

// roles are the identities a target may provide, by the name the features use.
var roles = map[string]func(*target.Target) *target.Identity{
	"the admin":           func(t *target.Target) *target.Identity { return t.Admin },
	"the restricted user": func(t *target.Target) *target.Identity { return t.Restricted },
	"the banned user":     func(t *target.Target) *target.Identity { return t.Banned },
}

// identity resolves a role or "that user", skipping the scenario when the target does not provide it.
func (st *scenario) identity(role string) (*target.Identity, error) {
	if role == "that user" {
		if st.thatUser == nil {
			return nil, fmt.Errorf(`no user was chosen: start the scenario with "Given a user whose token has the ... shape"`)
		}
		return st.thatUser, nil
	}
	of, known := roles[role]
	if !known {
		return nil, fmt.Errorf("unknown identity %q", role)
	}
	id := of(st.target)
	if id == nil {
		return nil, st.skip("the target provides no %s", strings.TrimPrefix(role, "the "))
	}
	return id, nil
}

// projectsOf is the exact list of short names an identity (or "the guest") may read.
func (st *scenario) projectsOf(role string) ([]string, error) {
	if role == "the guest" {
		if st.target.GuestAccess() != mockserver.GuestAllowed {
			return nil, st.skip("the target does not say that guest access is allowed")
		}
		return st.target.Guest.Projects, nil
	}
	id, err := st.identity(role)
	if err != nil {
		return nil, err
	}
	if len(id.Projects) == 0 {
		return nil, st.skip("the target does not list the projects of %s", role)
	}
	return id.Projects, nil
}

// authorizationOf is the Authorization header an actor sends: none for a guest. On the Hub API the admin
// uses the target's Hub token.
func (st *scenario) authorizationOf(actor, path string) (string, error) {
	if actor == "a guest" {
		return "", nil
	}
	if actor == "the admin" && strings.HasPrefix(path, "/hub/") {
		tok, err := st.hubToken()
		return "Bearer " + tok, err
	}
	id, err := st.identity(actor)
	if err != nil {
		return "", err
	}
	return "Bearer " + id.Token, nil
}

func (st *scenario) hubToken() (string, error) {
	tok := st.target.HubToken()
	if tok == "" {
		return "", st.skip("the target does not offer the Hub token API")
	}
	return tok, nil
}

// credentials are what "a client sends ... with <credentials>" understands, each resolved to the
// Authorization header it stands for. `the admin's token after the scheme "<scheme>"` is matched apart,
// by schemePhrase.
var credentials = []struct {
	name    string
	resolve func(st *scenario) (string, error)
}{
	{"an unknown token", func(*scenario) (string, error) { return "Bearer " + unknownToken, nil }},
	{"the admin's token with an edited login segment", adminTokenWith(func(st *scenario, tok string) (string, error) {
		edited, ok := editLoginSegment(tok)
		if !ok {
			return "", st.skip("the admin's token has no login segment to edit (not of the perm: or perm- shape)")
		}
		return "Bearer " + edited, nil
	})},
	{"the admin's token truncated by one character", adminTokenWith(func(_ *scenario, tok string) (string, error) {
		return "Bearer " + tok[:len(tok)-1], nil
	})},
	{"the admin's token with one character added", adminTokenWith(func(_ *scenario, tok string) (string, error) {
		return "Bearer " + tok + "A", nil
	})},
	{"an empty token", func(*scenario) (string, error) { return "Bearer ", nil }},
	{"the word Bearer alone", func(*scenario) (string, error) { return "Bearer", nil }},
	{"Basic credentials", func(st *scenario) (string, error) {
		login := "root"
		if st.target.Admin != nil && st.target.Admin.Login != "" {
			login = st.target.Admin.Login
		}
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":not-the-password")), nil
	}},
	{"the admin's token under the Token scheme", adminTokenWith(func(_ *scenario, tok string) (string, error) {
		return "Token " + tok, nil
	})},
	{"the banned user's token", func(st *scenario) (string, error) {
		id, err := st.identity("the banned user")
		if err != nil {
			return "", err
		}
		return "Bearer " + id.Token, nil
	}},
	{"the revoked token", func(st *scenario) (string, error) {
		if st.target.RevokedToken == "" {
			return "", st.skip("the target provides no revoked token")
		}
		return "Bearer " + st.target.RevokedToken, nil
	}},
	{"the new token", func(st *scenario) (string, error) {
		if st.newToken.secret == "" {
			return "", fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
		}
		return "Bearer " + st.newToken.secret, nil
	}},
}

// adminTokenWith resolves a credential made from the admin's token.
func adminTokenWith(derive func(st *scenario, tok string) (string, error)) func(*scenario) (string, error) {
	return func(st *scenario) (string, error) {
		id, err := st.identity("the admin")
		if err != nil {
			return "", err
		}
		return derive(st, id.Token)
	}
}

var schemePhrase = regexp.MustCompile(`^the admin's token after the scheme "([^"]+)"$`)

// credential resolves a named credential to its Authorization header. Every derived value joins the
// secrets, so that no report shows even a truncated token.
func (st *scenario) credential(name string) (string, error) {
	header, err := st.resolveCredential(name)
	if err == nil {
		_, secret, _ := strings.Cut(header, " ")
		st.secrets.Add(secret)
	}
	return header, err
}

func (st *scenario) resolveCredential(name string) (string, error) {
	if m := schemePhrase.FindStringSubmatch(name); m != nil {
		return adminTokenWith(func(_ *scenario, tok string) (string, error) { return m[1] + " " + tok, nil })(st)
	}
	for _, c := range credentials {
		if c.name == name {
			return c.resolve(st)
		}
	}
	known := []string{`the admin's token after the scheme "<scheme>"`}
	for _, c := range credentials {
		known = append(known, c.name)
	}
	return "", fmt.Errorf("unknown credentials %q; the features may use: %s", name, strings.Join(known, "; "))
}

// editLoginSegment changes the login a token of the documented shape names (perm:LOGIN.NAME.SECRET): the
// result must be a different, unknown token, since a server may not trust what a token says of itself.
func editLoginSegment(tok string) (string, bool) {
	prefix, rest := tok[:min(len(tok), 5)], tok[min(len(tok), 5):]
	parts := strings.Split(rest, ".")
	if (prefix != "perm:" && prefix != "perm-") || len(parts) != 3 {
		return "", false
	}
	login, err := base64.StdEncoding.DecodeString(parts[0])
	if err != nil {
		login = []byte(parts[0])
	}
	parts[0] = base64.StdEncoding.EncodeToString(append(login, []byte(".edited")...))
	return prefix + strings.Join(parts, "."), true
}

var placeholder = regexp.MustCompile(`\{([^{}]+)\}`)

// placeholders are the {placeholders} that paths and quoted values may use. "{the <field> of the last
// answer}" and "{<role>'s login}" are matched apart, by lastAnswerField and loginOf.
var placeholders = map[string]func(st *scenario) (string, error){
	"base URL": func(st *scenario) (string, error) { return st.target.BaseURL, nil },
	"new token id": func(st *scenario) (string, error) {
		if st.newToken.id == "" {
			return "", fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
		}
		return st.newToken.id, nil
	},
	"the allowed origin": func(st *scenario) (string, error) {
		if st.target.CORSOrigin == "" {
			return "", st.skip("the target names no allowed browser origin (cors_origin)")
		}
		return st.target.CORSOrigin, nil
	},
	// anotherOrigin is no server's allowed origin: the example domain of RFC 2606.
	"another origin":                         func(*scenario) (string, error) { return "https://ytconform.example", nil },
	"a project of the admin":                 firstProjectOf("the admin"),
	"a project the restricted user can read": firstProjectOf("the restricted user"),
	"a project hidden from the restricted user": func(st *scenario) (string, error) {
		all, err := st.projectsOf("the admin")
		if err != nil {
			return "", err
		}
		readable, err := st.projectsOf("the restricted user")
		if err != nil {
			return "", err
		}
		for _, p := range all {
			if !slices.ContainsFunc(readable, func(r string) bool { return strings.EqualFold(r, p) }) {
				return p, nil
			}
		}
		return "", st.skip("the restricted user may read every project of the admin")
	},
}

func firstProjectOf(role string) func(*scenario) (string, error) {
	return func(st *scenario) (string, error) {
		projects, err := st.projectsOf(role)
		if err != nil {
			return "", err
		}
		return projects[0], nil
	}
}

var lastAnswerField = regexp.MustCompile(`^the (\S+) of the last answer$`)

// expand replaces the {placeholders} of a path or value with what the target and the scenario know.
func (st *scenario) expand(s string) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(s, func(ref string) string {
		v, err := st.placeholderValue(ref[1 : len(ref)-1])
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	return out, firstErr
}

func (st *scenario) placeholderValue(name string) (string, error) {
	if m := lastAnswerField.FindStringSubmatch(name); m != nil {
		ex, err := st.last()
		if err != nil {
			return "", err
		}
		v := gjson.GetBytes(ex.body, m[1])
		if v.Type != gjson.String && v.Type != gjson.Number {
			return "", fmt.Errorf("%s: the answer has no %q to reuse: %s", ex, m[1], excerpt(ex.body))
		}
		return v.String(), nil
	}
	if role, ok := strings.CutSuffix(name, "'s login"); ok {
		return st.loginOf(role)
	}
	if resolve, ok := placeholders[name]; ok {
		return resolve(st)
	}
	known := []string{"the <field> of the last answer", "<role>'s login"}
	for name := range placeholders {
		known = append(known, name)
	}
	slices.Sort(known)
	return "", fmt.Errorf("unknown placeholder {%s}; known: {%s}", name, strings.Join(known, "}, {"))
}

// loginOf is {<role>'s login}, skipping the scenario when the target names no login for the role.
func (st *scenario) loginOf(role string) (string, error) {
	id, err := st.identity(role)
	if err != nil {
		return "", err
	}
	if id.Login == "" {
		return "", st.skip("the target names no login for %s", role)
	}
	return id.Login, nil
}
