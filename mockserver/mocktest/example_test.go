package mocktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/ytconform/ytconform/mockserver"
	"github.com/ytconform/ytconform/mockserver/mocktest"
)

// projectShortNames is the client code under test in these examples: it lists the projects a token may
// read, the way any YouTrack client does.
func projectShortNames(client *http.Client, baseURL, token string) ([]string, error) {
	req, err := http.NewRequest("GET", baseURL+"/api/admin/projects?fields=id,shortName&$top=-1", nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&e)
		return nil, fmt.Errorf("%d %s", resp.StatusCode, e.Error)
	}
	var projects []struct {
		ShortName string `json:"shortName"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&projects); err != nil {
		return nil, err
	}
	names := make([]string, len(projects))
	for i, p := range projects {
		names[i] = p.ShortName
	}
	return names, nil
}

// A client's test starts its own mock YouTrack, with the default fixtures, and uses its tokens. The
// mock is closed when the test ends. In your package this is the body of func TestXxx(t *testing.T).
func ExampleNewTestServer() {
	var t *testing.T // the test's own t

	ts := mocktest.NewTestServer(t)

	got, err := projectShortNames(http.DefaultClient, ts.URL, ts.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[FP SP]" {
		t.Errorf("root sees %v, want [FP SP]", got)
	}
	got, _ = projectShortNames(http.DefaultClient, ts.URL, ts.RestrictedToken)
	if fmt.Sprint(got) != "[SP]" {
		t.Errorf("jane.roe sees %v, want [SP]", got)
	}
}

// A test of how a client copes with failures forces one fault per request with the X-Ytmock-Fault
// header, and reads the journal to see what the client sent.
func ExampleNewTestServer_faults() {
	var t *testing.T // the test's own t

	ts := mocktest.NewTestServer(t, mocktest.WithFaults(mockserver.Faults{AllowHeader: true}))

	req, _ := http.NewRequest("GET", ts.URL+"/api/admin/projects", nil)
	req.Header.Set("Authorization", "Bearer "+ts.AdminToken)
	req.Header.Set(mockserver.FaultHeader, string(mockserver.Fault429))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("got %s, want 429 with Retry-After", resp.Status)
	}

	requests, err := ts.Requests()
	if err != nil {
		t.Fatal(err)
	}
	if len(requests) != 1 || requests[0].Status != 429 {
		t.Errorf("journal: %+v", requests)
	}
}

// Without a testing.TB (in TestMain, or here), StartTestServer starts the same server and the caller
// closes it.
func ExampleStartTestServer() {
	ts, err := mocktest.StartTestServer()
	if err != nil {
		panic(err)
	}
	defer ts.Close()

	admin, _ := projectShortNames(ts.Client(), ts.URL, ts.AdminToken)
	restricted, _ := projectShortNames(ts.Client(), ts.URL, ts.RestrictedToken)
	guest, _ := projectShortNames(ts.Client(), ts.URL, "")
	_, err = projectShortNames(ts.Client(), ts.URL, "perm:bm9ib2R5.eA==.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	fmt.Println("root:", admin)
	fmt.Println("jane.roe:", restricted)
	fmt.Println("guest:", guest)
	fmt.Println("unknown token:", err)
	// Output:
	// root: [FP SP]
	// jane.roe: [SP]
	// guest: [SP]
	// unknown token: 401 Unauthorized
}

// The journal shows each request's method, path, query, status and user, never its token.
func ExampleTestServer_Requests() {
	ts, err := mocktest.StartTestServer()
	if err != nil {
		panic(err)
	}
	defer ts.Close()

	projectShortNames(ts.Client(), ts.URL, ts.AdminToken)
	requests, _ := ts.Requests()
	for _, r := range requests {
		fmt.Println(r.Method, r.Path, r.Query, r.Status, *r.Login)
	}
	// Output:
	// GET /api/admin/projects fields=id,shortName&$top=-1 200 root
}
