package steps

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/target"
)

// The steps that say what a scenario needs of the target, or set it up: a scenario that needs what the
// target lacks is skipped with the reason.

func (st *scenario) targetServesLegacyAPI() error {
	if st.target.LegacyAPI != target.LegacyServed {
		return st.skip("the target does not serve the legacy API (legacy_api is not served)")
	}
	return nil
}

func (st *scenario) targetServesHubAPI() error {
	_, err := st.hubToken()
	return err
}

func (st *scenario) writesAllowed() error {
	if !st.target.Writes {
		return st.skip("the target does not allow the suite to create and delete data (writes is not true)")
	}
	return nil
}

// guestAccessIs runs the embedded mock with the guest setting the scenario needs; against an external
// target, it skips unless the target file states that setting.
func (st *scenario) guestAccessIs(setting string) error {
	if st.mock != nil {
		if st.mock.fixtures.Guest.Access == setting {
			return nil
		}
		return st.startMock(func(f *mockserver.Fixtures) { f.Guest.Access = setting })
	}
	if got := st.target.GuestAccess(); got != setting {
		return st.skip("the scenario needs guest access %s; the target's is %s", setting, got)
	}
	return nil
}

func (st *scenario) userWhoseTokenHasShape(prefix string) error {
	for _, id := range []*target.Identity{st.target.Admin, st.target.Restricted} {
		if id != nil && strings.HasPrefix(id.Token, prefix) {
			st.thatUser = id
			return nil
		}
	}
	return st.skip("neither the admin's nor the restricted user's token has the %s shape", prefix)
}

func (st *scenario) everyRequestCarries(name, value string) {
	st.headers.Add(name, value)
}

// adminHasCreatedProjects creates n projects with names no one else uses. Each is deleted after the
// scenario, whatever its outcome: the cleanup is registered before anything else can fail.
func (st *scenario) adminHasCreatedProjects(ctx context.Context, n int) error {
	if err := st.writesAllowed(); err != nil {
		return err
	}
	admin, err := st.identity("the admin")
	if err != nil {
		return err
	}
	tag := randomLetters(4)
	for i := 1; i <= n; i++ {
		project := map[string]any{
			"name":      fmt.Sprintf("ytconform %s %02d", tag, i),
			"shortName": fmt.Sprintf("YC%s%02d", tag, i),
		}
		if admin.Login != "" { // a real YouTrack needs a leader
			project["leader"] = map[string]string{"login": admin.Login}
		}
		body, _ := json.Marshal(project)
		ex, err := st.do(ctx, http.MethodPost, "/api/admin/projects?fields=id,shortName", "Bearer "+admin.Token, body)
		if ex != nil && ex.status == http.StatusOK {
			id := cmp.Or(gjson.GetBytes(ex.body, "id").String(), project["shortName"].(string))
			st.deleteAfterwards("Bearer "+admin.Token, "/api/admin/projects/"+id)
		}
		if err != nil {
			return err
		}
		if ex.status != http.StatusOK {
			return st.errorf("%s: creating project %d of %d failed: %s", ex, i, n, excerpt(ex.body))
		}
		st.created = append(st.created, project["shortName"].(string))
	}
	return nil
}

// deleteAfterwards registers the removal of something the scenario created. Already gone is fine.
func (st *scenario) deleteAfterwards(authorization, path string) {
	st.cleanups = append(st.cleanups, func(ctx context.Context) error {
		ex, err := st.do(ctx, http.MethodDelete, path, authorization, nil)
		if err != nil {
			return err
		}
		if ex.status != http.StatusOK && ex.status != http.StatusNotFound {
			return st.errorf("%s: %s", ex, excerpt(ex.body))
		}
		return nil
	})
}

// randomLetters returns n characters of A-Z and 2-7, fit for names and short names.
func randomLetters(n int) string {
	return rand.Text()[:n]
}
