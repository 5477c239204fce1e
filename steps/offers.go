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
	switch st.target.LegacyAPI {
	case target.LegacyDisabled:
		return st.skipOtherSide("the target switched the legacy API off (legacy_api is disabled)")
	case target.LegacyServed:
		return nil
	}
	return st.skip("the target does not serve the legacy API (legacy_api is not served)")
}

// legacyAPIIsOff runs the embedded mock with the legacy API switched off; against an external target, it
// skips unless the target file says the server switched it off.
func (st *scenario) legacyAPIIsOff() error {
	if st.mock != nil {
		return st.restartMockUnless(st.mock.fixtures.Server.LegacyAPI == mockserver.LegacyDisabled,
			func(f *mockserver.Fixtures) { f.Server.LegacyAPI = mockserver.LegacyDisabled })
	}
	switch st.target.LegacyAPI {
	case target.LegacyServed:
		return st.skipOtherSide("the target serves the legacy API (legacy_api is served)")
	case target.LegacyDisabled:
		return nil
	}
	return st.skip("the target does not say it switched the legacy API off (legacy_api is not disabled)")
}

// embeddedOrigin is the browser origin the embedded mock allows when a scenario needs one.
const embeddedOrigin = "https://app.example.com"

// targetAllowsAnOrigin runs the embedded mock with an allowed CORS origin; against an external target, it
// skips unless the target file names one.
func (st *scenario) targetAllowsAnOrigin() error {
	if st.mock != nil {
		return st.restartMockUnless(st.target.CORSOrigin != "",
			func(f *mockserver.Fixtures) { f.Server.CORSOrigins = []string{embeddedOrigin} })
	}
	if st.target.CORSOrigin == "" {
		return st.skip("the target names no allowed browser origin (cors_origin)")
	}
	return nil
}

// restartMockUnless restarts the embedded mock with adjust applied, unless it already serves what the
// scenario needs.
func (st *scenario) restartMockUnless(done bool, adjust func(*mockserver.Fixtures)) error {
	if done {
		return nil
	}
	return st.startMock(adjust)
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
		return st.restartMockUnless(st.mock.fixtures.Guest.Access == setting,
			func(f *mockserver.Fixtures) { f.Guest.Access = setting })
	}
	switch got := st.target.GuestAccess(); {
	case got == target.GuestUnknown:
		return st.skip("the scenario needs guest access %s; the target's is %s", setting, got)
	case got != setting:
		return st.skipOtherSide("the scenario needs guest access %s; the target's is %s", setting, got)
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
	return st.skipOtherSide("neither the admin's nor the restricted user's token has the %s shape", prefix)
}

func (st *scenario) everyRequestCarries(name, value string) error {
	value, err := st.expand(value)
	if err != nil {
		return err
	}
	st.headers.Add(name, value)
	return nil
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
		ex, err := st.do(ctx, "the admin", http.MethodPost, "/api/admin/projects?fields=id,shortName", "Bearer "+admin.Token, body)
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
		ex, err := st.do(ctx, "the cleanup", http.MethodDelete, path, authorization, nil)
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
