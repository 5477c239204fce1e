package steps

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"time"

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

// newTokenIsRefusedWithinTheGrace follows the revoking DELETE: real servers cache tokens and keep accepting a
// revoked one for a while (~20 s reported on 2026.2), so the step asks again, with backoff, until the token
// is refused, and fails only when it is still accepted past the target's revocation grace. The last
// answer, the refusal, is the one the following steps see; the measured lag joins the run's notes.
func (st *scenario) newTokenIsRefusedWithinTheGrace(ctx context.Context) error {
	revoke, err := st.last()
	if err != nil {
		return err
	}
	if revoke.method != http.MethodDelete || st.newToken.id == "" || lastSegment(revoke.path) != st.newToken.id {
		return fmt.Errorf(`the step follows the DELETE of the new token, not %s`, revoke)
	}
	authorization, err := st.credential("the new token")
	if err != nil {
		return err
	}
	grace := st.target.Grace()
	deadline, wait := revoke.answered.Add(grace), 50*time.Millisecond
	for {
		ex, err := st.send(ctx, "the new token", http.MethodGet, "/api/users/me?fields=login", authorization, nil)
		if err != nil {
			return err
		}
		lag := ex.answered.Sub(revoke.answered).Round(time.Millisecond)
		if ex.status != http.StatusOK {
			st.suite.noteRevocation(lag)
			return nil
		}
		if !ex.answered.Before(deadline) {
			return st.errorf("%s: the revoked token is still accepted %s after the DELETE answered; the target's revocation grace is %s", ex, lag, grace)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(wait, time.Until(deadline)+time.Millisecond)):
		}
		wait = min(2*wait, time.Second)
	}
}
