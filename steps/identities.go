package steps

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// Features never hold tokens: they name identities ("the admin", "the restricted user") and credentials
// ("an unknown token", "the admin's token with an edited login segment"), and this file resolves the names
// from the target, so that secrets stay in the target file and out of every report.

// unknownToken has the documented shape but was never issued: login "ytconform.nobody", name "never issued".
const unknownToken = "perm:eXRjb25mb3JtLm5vYm9keQ==.bmV2ZXIgaXNzdWVk.Zx0Qw3RtYpL8vN2kJ5sHc7dBf4GaEu"

// identity resolves "the admin", "the restricted user", "the banned user" and "that user", skipping the
// scenario when the target does not provide that identity.
func (st *scenario) identity(role string) (*Identity, error) {
	var id *Identity
	switch role {
	case "the admin":
		id = st.target.Admin
	case "the restricted user":
		id = st.target.Restricted
	case "the banned user":
		id = st.target.Banned
	case "that user":
		if st.thatUser == nil {
			return nil, fmt.Errorf(`no user was chosen: start the scenario with "Given a user whose token has the ... shape"`)
		}
		return st.thatUser, nil
	default:
		return nil, fmt.Errorf("unknown identity %q", role)
	}
	if id == nil {
		return nil, st.skip("the target provides no %s", strings.TrimPrefix(role, "the "))
	}
	return id, nil
}

// projectsOf is the exact list of short names an identity (or "the guest") may read.
func (st *scenario) projectsOf(role string) ([]string, error) {
	if role == "the guest" {
		if st.target.GuestAccess() != GuestAllowed {
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

var schemePhrase = regexp.MustCompile(`^the admin's token after the scheme "([^"]+)"$`)

// credentialNames are the credentials "a client sends ... with <credentials>" understands.
var credentialNames = []string{
	"an unknown token",
	"the admin's token with an edited login segment",
	"the admin's token truncated by one character",
	"the admin's token with one character added",
	"an empty token",
	"the word Bearer alone",
	"Basic credentials",
	"the admin's token under the Token scheme",
	`the admin's token after the scheme "<scheme>"`,
	"the banned user's token",
	"the revoked token",
	"the new token",
}

// credential resolves a named credential to the Authorization header it stands for. Every derived value
// joins the secrets, so that no report shows even a truncated token.
func (st *scenario) credential(name string) (string, error) {
	header, err := st.resolveCredential(name)
	if err == nil {
		_, secret, _ := strings.Cut(header, " ")
		st.secrets.add(secret)
	}
	return header, err
}

func (st *scenario) resolveCredential(name string) (string, error) {
	adminToken := func() (string, error) {
		id, err := st.identity("the admin")
		if err != nil {
			return "", err
		}
		return id.Token, nil
	}
	if m := schemePhrase.FindStringSubmatch(name); m != nil {
		tok, err := adminToken()
		return m[1] + " " + tok, err
	}
	switch name {
	case "an unknown token":
		return "Bearer " + unknownToken, nil
	case "an empty token":
		return "Bearer ", nil
	case "the word Bearer alone":
		return "Bearer", nil
	case "Basic credentials":
		login := "root"
		if st.target.Admin != nil && st.target.Admin.Login != "" {
			login = st.target.Admin.Login
		}
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":not-the-password")), nil
	case "the revoked token":
		if st.target.RevokedToken == "" {
			return "", st.skip("the target provides no revoked token")
		}
		return "Bearer " + st.target.RevokedToken, nil
	case "the banned user's token":
		id, err := st.identity("the banned user")
		if err != nil {
			return "", err
		}
		return "Bearer " + id.Token, nil
	case "the new token":
		if st.newToken.secret == "" {
			return "", fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
		}
		return "Bearer " + st.newToken.secret, nil
	}
	tok, err := adminToken()
	if err != nil {
		return "", err
	}
	switch name {
	case "the admin's token with an edited login segment":
		edited, ok := editLoginSegment(tok)
		if !ok {
			return "", st.skip("the admin's token has no login segment to edit (not of the perm: or perm- shape)")
		}
		return "Bearer " + edited, nil
	case "the admin's token truncated by one character":
		return "Bearer " + tok[:len(tok)-1], nil
	case "the admin's token with one character added":
		return "Bearer " + tok + "A", nil
	case "the admin's token under the Token scheme":
		return "Token " + tok, nil
	}
	return "", fmt.Errorf("unknown credentials %q; the features may use: %s", name, strings.Join(credentialNames, "; "))
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
var lastAnswerField = regexp.MustCompile(`^the (\S+) of the last answer$`)

// placeholderNames are the {placeholders} that paths and quoted values may use.
var placeholderNames = []string{
	"base URL", "the admin's login", "the restricted user's login", "that user's login", "new token id",
	"a project of the admin", "a project the restricted user can read", "a project hidden from the restricted user",
	"the <field> of the last answer",
}

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
		id, err := st.identity(role)
		if err != nil {
			return "", err
		}
		if id.Login == "" {
			return "", st.skip("the target names no login for %s", role)
		}
		return id.Login, nil
	}
	switch name {
	case "base URL":
		return st.target.BaseURL, nil
	case "new token id":
		if st.newToken.id == "" {
			return "", fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
		}
		return st.newToken.id, nil
	case "a project of the admin":
		projects, err := st.projectsOf("the admin")
		if err != nil {
			return "", err
		}
		return projects[0], nil
	case "a project the restricted user can read":
		projects, err := st.projectsOf("the restricted user")
		if err != nil {
			return "", err
		}
		return projects[0], nil
	case "a project hidden from the restricted user":
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
	}
	return "", fmt.Errorf("unknown placeholder {%s}; known: {%s}", name, strings.Join(placeholderNames, "}, {"))
}
