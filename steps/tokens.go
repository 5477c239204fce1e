package steps

import (
	"fmt"
	"regexp"

	"github.com/tidwall/gjson"
)

// The steps about tokens made during the scenario.

var documentedTokenShape = regexp.MustCompile(`^perm[:-][A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9]{30}$`)

func (st *scenario) newTokenHasTheDocumentedShape() error {
	if st.newToken.secret == "" {
		return fmt.Errorf(`no token was created: use "the admin creates a token named ..." first`)
	}
	if !documentedTokenShape.MatchString(st.newToken.secret) { // the token itself never goes into the message
		return st.errorf("expected the new token to be perm: or perm- + base64(login) + . + base64(name or id) + . + 30 letters and digits; it is not")
	}
	return nil
}

func (st *scenario) listHoldsTheNewTokenOnce(field string) error {
	ex, body, err := st.jsonBody()
	if err != nil {
		return err
	}
	list := body.Get(field)
	if !list.IsArray() {
		return st.errorf("%s: expected %q to be a list, got %s", ex, field, excerpt(ex.body))
	}
	seen := 0
	for i, item := range list.Array() {
		if item.Get("id").String() == st.newToken.id {
			seen++
		}
		if secret := item.Get("token"); secret.Exists() && secret.Type != gjson.Null {
			return st.errorf("%s: item %d of %q shows a token's secret", ex, i, field)
		}
	}
	if seen != 1 {
		return st.errorf("%s: expected the new token %s once in %q, got it %d times", ex, st.newToken.id, field, seen)
	}
	return nil
}
