package steps

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps that send requests. Every exchange is checked against openapi.yaml as soon as the answer is in.

func (st *scenario) actorSends(ctx context.Context, actor, method, path string) error {
	authorization, err := st.authorizationOf(actor, path)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, actor, method, path, authorization, nil)
	return err
}

func (st *scenario) clientSendsWith(ctx context.Context, method, path, credentials string) error {
	authorization, err := st.credential(credentials)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, credentials, method, path, authorization, nil)
	return err
}

// serviceIDs looks up each service by its application name ("YouTrack", "Hub"), or its name, as scope
// entries {"id": …}.
func (st *scenario) serviceIDs(ctx context.Context, authorization string, names []string) ([]map[string]string, error) {
	ex, err := st.do(ctx, "the admin's Hub token", http.MethodGet, "/hub/api/rest/services?fields=id,name,applicationName&$top=-1", authorization, nil)
	if err != nil {
		return nil, err
	}
	if ex.status != http.StatusOK {
		return nil, st.errorf("%s: expected status 200 for the services, got %d: %s", ex, ex.status, excerpt(ex.body))
	}
	var scope []map[string]string
	for _, name := range names {
		name = strings.TrimSpace(name)
		id := gjson.GetBytes(ex.body, `services.#(applicationName==`+strconv.Quote(name)+`).id`)
		if !id.Exists() {
			id = gjson.GetBytes(ex.body, `services.#(name==`+strconv.Quote(name)+`).id`)
		}
		if id.Type != gjson.String {
			return nil, st.errorf("%s: no service of application or name %q: %s", ex, name, excerpt(ex.body))
		}
		scope = append(scope, map[string]string{"id": id.String()})
	}
	return scope, nil
}

// browserSendsPreflight sends what a browser sends before a cross-origin request: OPTIONS with the Origin
// (from "every request carries the header"), the method it asks for, and no credentials.
func (st *scenario) browserSendsPreflight(ctx context.Context, method, path string) error {
	saved := st.headers
	st.headers = saved.Clone()
	st.headers.Set("Access-Control-Request-Method", method)
	st.headers.Set("Access-Control-Request-Headers", "authorization")
	defer func() { st.headers = saved }()
	_, err := st.send(ctx, "a browser", http.MethodOptions, path, "", nil)
	return err
}

// adminCreatesToken creates a permanent token for the Hub token's owner, granted for the comma-separated
// services, and remembers it as "the new token". It is revoked after the scenario, whatever its outcome.
// As provisioning scripts do, it finds the services' ids first (GET <hub>/api/rest/services) and scopes
// the token by id.
func (st *scenario) adminCreatesToken(ctx context.Context, name, services string) error {
	if err := st.writesAllowed(); err != nil {
		return err
	}
	hubToken, err := st.hubToken()
	if err != nil {
		return err
	}
	scope, err := st.serviceIDs(ctx, "Bearer "+hubToken, strings.Split(services, ","))
	if err != nil {
		return err
	}
	// A suffix keeps names unique: runs against one server may overlap.
	body, _ := json.Marshal(map[string]any{"name": name + " " + randomLetters(6), "scope": scope})
	const tokens = "/hub/api/rest/users/me/permanenttokens"
	ex, err := st.send(ctx, "the admin's Hub token", http.MethodPost, tokens+"?fields=id,name,token,scope(id)", "Bearer "+hubToken, body)
	if ex != nil && ex.status == http.StatusOK {
		if id := gjson.GetBytes(ex.body, "id").String(); id != "" {
			st.deleteAfterwards("Bearer "+hubToken, tokens+"/"+id)
		}
		st.secrets.Add(gjson.GetBytes(ex.body, "token").String())
	}
	if err != nil {
		return err
	}
	if ex.status != http.StatusOK {
		return st.errorf("%s: expected status 200 for a new token, got %d: %s", ex, ex.status, excerpt(ex.body))
	}
	st.newToken.id = gjson.GetBytes(ex.body, "id").String()
	st.newToken.secret = gjson.GetBytes(ex.body, "token").String()
	switch {
	case st.newToken.id == "":
		return st.errorf("%s: the new token has no id", ex)
	case st.newToken.secret == "":
		return st.errorf("%s: the answer does not show the new token's secret", ex)
	}
	return nil
}
