package steps

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"
)

// The steps about the legacy /rest API's project list.

// legacyProject is one entry of GET /rest/admin/project, in JSON or XML.
type legacyProject struct {
	ID  string `json:"id" xml:"id,attr"`
	URL string `json:"url" xml:"url,attr"`
}

// parseLegacyProjects reads JSON ([{"id","url"}]) or XML (<projectRefs><project id url/></projectRefs>),
// as the answer's Content-Type says.
func parseLegacyProjects(ex *exchange) ([]legacyProject, error) {
	mediaType, _, _ := mime.ParseMediaType(ex.header.Get("Content-Type"))
	var projects []legacyProject
	switch mediaType {
	case "application/json":
		if err := json.Unmarshal(ex.body, &projects); err != nil {
			return nil, fmt.Errorf("the body is not a JSON list of projects: %v", err)
		}
	case "application/xml":
		var refs struct {
			XMLName  xml.Name        `xml:"projectRefs"`
			Projects []legacyProject `xml:"project"`
		}
		if err := xml.Unmarshal(ex.body, &refs); err != nil {
			return nil, fmt.Errorf("the body is not a <projectRefs> document: %v", err)
		}
		projects = refs.Projects
	default:
		return nil, fmt.Errorf("Content-Type %q is neither JSON nor XML", ex.header.Get("Content-Type"))
	}
	return projects, nil
}

var legacyShortName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// legacyListing parses the last answer as a legacy project list and returns each project's short name,
// taken from its url: an absolute URL ending in /rest/admin/project/<short name>. The server writes its own
// configured address there, not the Host a proxy sent it, so the rest of the URL is the target's public URL
// when the target file names it, and any address otherwise.
func (st *scenario) legacyListing() (*exchange, []legacyProject, []string, error) {
	ex, err := st.last()
	if err != nil {
		return nil, nil, nil, err
	}
	projects, err := parseLegacyProjects(ex)
	if err != nil {
		return ex, nil, nil, st.errorf("%s: %v: %s", ex, err, excerpt(ex.body))
	}
	const tail = "/rest/admin/project/"
	var shortNames []string
	for _, p := range projects {
		u, err := url.Parse(p.URL)
		i := strings.LastIndex(p.URL, tail)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || i < 0 || !legacyShortName.MatchString(p.URL[i+len(tail):]) {
			return ex, nil, nil, st.errorf("%s: project %q has the url %q, not an absolute URL ending in %s<short name>", ex, p.ID, p.URL, tail)
		}
		if public := st.target.PublicURL; public != "" && p.URL[:i] != public {
			return ex, nil, nil, st.errorf("%s: project %q has the url %q, not the target's public URL %s%s<short name>", ex, p.ID, p.URL, public, tail)
		}
		shortNames = append(shortNames, p.URL[i+len(tail):])
	}
	return ex, projects, shortNames, nil
}

func (st *scenario) legacyListingHoldsExactly(owner string) error {
	want, err := st.projectsOf(strings.TrimSuffix(owner, "'s"))
	if err != nil {
		return err
	}
	ex, _, got, err := st.legacyListing()
	if err != nil {
		return err
	}
	if !sameElements(want, got) {
		return st.errorf("%s: expected the projects %v in the urls, got %v", ex, sorted(want), sorted(got))
	}
	return nil
}

// everyLegacyURLPointsAtItsShortName: legacyListing checks every url; this step insists there is one.
func (st *scenario) everyLegacyURLPointsAtItsShortName() error {
	ex, projects, _, err := st.legacyListing()
	if err != nil {
		return err
	}
	if len(projects) == 0 {
		return st.errorf("%s: the list is empty, so it proves nothing", ex)
	}
	return nil
}

// everyLegacyIDIsNameOrShortName accepts either: the documented sample shows the name, the documented
// XML the short name. The names come from the current API, asked as the admin.
func (st *scenario) everyLegacyIDIsNameOrShortName(ctx context.Context) error {
	ex, projects, shortNames, err := st.legacyListing()
	if err != nil {
		return err
	}
	admin, err := st.identity("the admin")
	if err != nil {
		return err
	}
	names, err := st.do(ctx, "the admin", http.MethodGet, "/api/admin/projects?fields=name,shortName&$top=-1", "Bearer "+admin.Token, nil)
	if err != nil {
		return err
	}
	if names.status != http.StatusOK {
		return st.errorf("%s: the project names are needed to check the legacy ids: %s", names, excerpt(names.body))
	}
	nameOf := map[string]string{}
	for _, p := range gjson.ParseBytes(names.body).Array() {
		nameOf[p.Get("shortName").String()] = p.Get("name").String()
	}
	if len(projects) == 0 {
		return st.errorf("%s: the list is empty, so it proves nothing", ex)
	}
	for i, p := range projects {
		if short := shortNames[i]; p.ID != short && p.ID != nameOf[short] {
			return st.errorf("%s: expected the id of the project at %s to be %q or %q, got %q", ex, p.URL, short, nameOf[short], p.ID)
		}
	}
	return nil
}
