package steps

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps that send requests. Every exchange is checked against openapi.yaml as soon as the answer is in.

func (st *scenario) actorSends(ctx context.Context, actor, method, path string) error {
	authorization, err := st.authorizationOf(actor, path)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, method, path, authorization, nil)
	return err
}

func (st *scenario) clientSendsWith(ctx context.Context, method, path, credentials string) error {
	authorization, err := st.credential(credentials)
	if err != nil {
		return err
	}
	_, err = st.send(ctx, method, path, authorization, nil)
	return err
}

// adminCreatesToken creates a permanent token for the Hub token's owner, granted for the comma-separated
// services, and remembers it as "the new token". It is revoked after the scenario, whatever its outcome.
func (st *scenario) adminCreatesToken(ctx context.Context, name, services string) error {
	if err := st.writesAllowed(); err != nil {
		return err
	}
	hubToken, err := st.hubToken()
	if err != nil {
		return err
	}
	var scope []map[string]string
	for _, s := range strings.Split(services, ",") {
		scope = append(scope, map[string]string{"key": strings.TrimSpace(s)})
	}
	// A suffix keeps names unique: runs against one server may overlap.
	body, _ := json.Marshal(map[string]any{"name": name + " " + randomLetters(6), "scope": scope})
	const tokens = "/hub/api/rest/users/me/permanenttokens"
	ex, err := st.send(ctx, http.MethodPost, tokens+"?fields=id,name,token,scope(key)", "Bearer "+hubToken, body)
	if ex != nil && ex.status == http.StatusOK {
		if id := gjson.GetBytes(ex.body, "id").String(); id != "" {
			st.deleteAfterwards("Bearer "+hubToken, tokens+"/"+id)
		}
		st.secrets.add(gjson.GetBytes(ex.body, "token").String())
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
