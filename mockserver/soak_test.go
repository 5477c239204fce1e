package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ytconform/ytconform/mockserver"
)

// The soak benchmark is a load generator kept beside the tests and run on demand, never in CI:
//
//	go test ./mockserver -run Soak -soak=30s -v
var soakFor = flag.Duration("soak", 0, "run TestSoak for this long, e.g. 30s (0: skip it)")

const (
	soakConnections = 64
	soakWarmUp      = 5 * time.Second // memory is compared with what it was after this long
	soakMaxGrowth   = 0.20
)

// soakOp is one kind of traffic: a request (or a short sequence) and the statuses it must get.
type soakOp struct {
	name   string
	weight int
	run    func(c *soakClient) []int // the statuses it got, in order
	want   []int
}

type soakClient struct {
	base string
	http *http.Client
}

// do sends one request and drains the answer; a transport failure is reported as status 0.
func (c *soakClient) do(method, path string, body io.Reader, headers ...string) (int, []byte) {
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		return 0, nil
	}
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Add(name, value)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

func soakGet(path string, headers ...string) func(c *soakClient) []int {
	return func(c *soakClient) []int {
		status, _ := c.do("GET", path, nil, headers...)
		return []int{status}
	}
}

func soakSend(method, path, body string, headers ...string) func(c *soakClient) []int {
	return func(c *soakClient) []int {
		status, _ := c.do(method, path, strings.NewReader(body), headers...)
		return []int{status}
	}
}

// createUseRevoke is the token lifecycle: create a token over the Hub API, use it, revoke it, use it again.
func createUseRevoke(c *soakClient) []int {
	const tokens = "/hub/api/rest/users/me/permanenttokens"
	status, body := c.do("POST", tokens, strings.NewReader(`{"name":"soak","scope":[{"key":"YouTrack"},{"key":"Hub"}]}`), rootAuth)
	var tok struct{ ID, Token string }
	if status != 200 || json.Unmarshal(body, &tok) != nil {
		return []int{status}
	}
	use, _ := c.do("GET", "/api/users/me?fields=id,login", nil, "Authorization: Bearer "+tok.Token)
	revoke, _ := c.do("DELETE", tokens+"/"+tok.ID, nil, rootAuth)
	after, _ := c.do("GET", "/api/users/me?fields=id,login", nil, "Authorization: Bearer "+tok.Token)
	return []int{status, use, revoke, after}
}

func soakOps() []soakOp {
	jane := "Authorization: Bearer " + restrictedToken
	big := `{"name":"` + strings.Repeat("x", 1<<20) + `","shortName":"BIG"}`
	return []soakOp{
		// valid listings
		{"admin lists projects", 20, soakGet("/api/admin/projects?fields=id,name,shortName,leader(login)", rootAuth), []int{200}},
		{"restricted user lists projects", 10, soakGet("/api/admin/projects?fields=id,shortName&$top=10", jane), []int{200}},
		{"guest reads itself", 5, soakGet("/api/users/me?fields=id,login,guest"), []int{200}},
		{"admin reads a project", 5, soakGet("/api/admin/projects/FP?fields=id,name", rootAuth), []int{200}},
		{"legacy JSON listing", 3, soakGet("/rest/admin/project", rootAuth, "Accept: application/json"), []int{200}},
		{"legacy XML listing, gzip", 3, soakGet("/rest/admin/project", rootAuth, "Accept-Encoding: gzip"), []int{200}},
		{"Hub token listing", 3, soakGet("/hub/api/rest/users/me/permanenttokens", rootAuth), []int{200}},
		{"config probe", 3, soakGet("/api/config?fields=version"), []int{200}},
		// bad tokens
		{"unknown token", 5, soakGet("/api/admin/projects", "Authorization: Bearer "+unknownToken), []int{401}},
		{"revoked token", 5, soakGet("/api/admin/projects", "Authorization: Bearer "+revokedToken), []int{401}},
		{"banned user's token", 3, soakGet("/api/users/me", "Authorization: Bearer "+bannedToken), []int{401}},
		{"Basic scheme", 2, soakGet("/rest/admin/project", "Authorization: Basic cm9vdDpyb290"), []int{401}},
		{"two Authorization headers", 2, soakGet("/api/admin/projects", rootAuth, rootAuth), []int{401}},
		{"restricted user reads a hidden project", 2, soakGet("/api/admin/projects/FP", jane), []int{404}},
		// token lifecycle
		{"create, use, revoke, refuse a token", 5, createUseRevoke, []int{200, 200, 200, 401}},
		// hostile input
		{"fields nested 20,000 deep", 2, soakGet("/api/admin/projects?fields="+nested(20000), rootAuth), []int{400}},
		{"fields nested too deep", 2, soakGet("/api/admin/projects?fields="+strings.Repeat("a(", 17)+strings.Repeat(")", 17), rootAuth), []int{400}},
		{"negative $top", 2, soakGet("/api/admin/projects?$top=-2", rootAuth), []int{400}},
		{"$top not a number", 2, soakGet("/api/admin/projects?$top=ten", rootAuth), []int{400}},
		{"bad percent-encoding", 2, soakGet("/api/admin/projects?fields=%zz", rootAuth), []int{400}},
		{"100,000-character id", 1, soakGet("/api/admin/projects/"+strings.Repeat("X", 100000), rootAuth), []int{404}},
		{"double-encoded id", 2, soakGet("/api/admin/projects/%2530-0", rootAuth), []int{404}},
		{"broken JSON", 2, soakSend("POST", "/api/admin/projects", `{"name":`, rootAuth), []int{400}},
		{"wrong JSON types", 2, soakSend("POST", "/api/admin/projects", `{"name":7,"shortName":[]}`, rootAuth), []int{400}},
		{"empty Hub POST", 2, soakSend("POST", "/hub/api/rest/users/me/permanenttokens", "", rootAuth), []int{400}},
		{"wrong method", 2, soakSend("PUT", "/api/admin/projects", "{}", rootAuth), []int{405}},
		{"unknown path", 2, soakGet("/api/nothing/here", rootAuth), []int{404}},
		{"body over the limit", 1, soakSend("POST", "/api/admin/projects", big, rootAuth), []int{413}},
	}
}

// memSample is the process's memory at a quiet moment: no request in flight, after a full GC.
type memSample struct {
	heap, rss  uint64
	goroutines int
}

func sampleMemory() memSample {
	runtime.GC()
	runtime.GC() // a second cycle frees what the first one's finalizers released
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSample{heap: ms.HeapAlloc, rss: residentSetSize(), goroutines: runtime.NumGoroutine()}
}

// residentSetSize reads VmRSS from /proc; 0 where there is no /proc.
func residentSetSize() uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func growth(before, after uint64) float64 {
	if before == 0 {
		return 0
	}
	return float64(after)/float64(before) - 1
}

func TestSoak(t *testing.T) {
	if *soakFor <= 0 {
		t.Skip("the soak benchmark runs on demand: go test ./mockserver -run Soak -soak=30s -v")
	}
	if *soakFor < 2*soakWarmUp {
		t.Fatalf("-soak must be at least %s: memory is compared with the sample taken after %s", 2*soakWarmUp, soakWarmUp)
	}
	f, err := mockserver.DefaultFixtures()
	if err != nil {
		t.Fatal(err)
	}
	store, err := mockserver.NewStore(f)
	if err != nil {
		t.Fatal(err)
	}
	// The production set-up: DefaultServerLimits, default Options, an access log (written nowhere).
	srv := httptest.NewUnstartedServer(mockserver.New(store, mockserver.Options{AccessLog: io.Discard}))
	lim := mockserver.DefaultServerLimits()
	srv.Config.ReadHeaderTimeout, srv.Config.ReadTimeout = lim.ReadHeaderTimeout, lim.ReadTimeout
	srv.Config.WriteTimeout, srv.Config.IdleTimeout = lim.WriteTimeout, lim.IdleTimeout
	srv.Config.MaxHeaderBytes = lim.MaxHeaderBytes
	srv.Start()
	defer srv.Close()

	var deck []soakOp // each op as often as its weight
	for _, op := range soakOps() {
		for range op.weight {
			deck = append(deck, op)
		}
	}

	var (
		requests, fiveXX, unexpected atomic.Int64
		mu                           sync.Mutex
		samples                      = map[string]int{} // unexpected outcomes, by op and statuses
		quiet                        sync.RWMutex       // workers hold it shared per op; a memory sample takes it whole
	)
	ctx, cancel := context.WithTimeout(context.Background(), *soakFor)
	defer cancel()
	sampled := make(chan struct{}) // closed after the last sample: until then the connections stay open
	var wg sync.WaitGroup
	for w := range soakConnections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			transport := &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1, DisableCompression: true}
			defer func() { <-sampled; transport.CloseIdleConnections() }()
			c := &soakClient{base: srv.URL, http: &http.Client{Transport: transport, Timeout: 10 * time.Second}}
			for i := w * 7; ctx.Err() == nil; i++ {
				op := deck[i%len(deck)]
				quiet.RLock()
				got := op.run(c)
				quiet.RUnlock()
				requests.Add(int64(len(got)))
				for _, s := range got {
					if s >= 500 {
						fiveXX.Add(1)
					}
				}
				if !slices.Equal(got, op.want) && ctx.Err() == nil {
					unexpected.Add(1)
					mu.Lock()
					samples[fmt.Sprintf("%s: got %v, want %v", op.name, got, op.want)]++
					mu.Unlock()
				}
			}
		}()
	}

	start := time.Now()
	time.Sleep(soakWarmUp)
	quiet.Lock()
	early, earlyRequests := sampleMemory(), requests.Load()
	quiet.Unlock()
	<-ctx.Done()
	quiet.Lock() // wait for the ops in flight, then keep the workers out
	late, total := sampleMemory(), requests.Load()
	elapsed := time.Since(start)
	quiet.Unlock()
	close(sampled)
	wg.Wait()

	var report bytes.Buffer
	fmt.Fprintf(&report, "soak: %d connections for %s: %d requests (%.0f/s; %d in the first %s), %d 5xx, %d unexpected statuses\n",
		soakConnections, elapsed.Round(time.Second), total, float64(total)/elapsed.Seconds(), earlyRequests, soakWarmUp, fiveXX.Load(), unexpected.Load())
	fmt.Fprintf(&report, "soak: live heap %.1f MiB at %s, %.1f MiB at the end (%+.1f%%); RSS %.1f MiB, then %.1f MiB (%+.1f%%); goroutines %d, then %d\n",
		mib(early.heap), soakWarmUp, mib(late.heap), 100*growth(early.heap, late.heap),
		mib(early.rss), mib(late.rss), 100*growth(early.rss, late.rss), early.goroutines, late.goroutines)
	for s, n := range samples {
		fmt.Fprintf(&report, "soak: unexpected, %d times: %s\n", n, s)
	}
	t.Log("\n" + report.String())

	if fiveXX.Load() != 0 {
		t.Errorf("%d answers were 5xx", fiveXX.Load())
	}
	if unexpected.Load() != 0 {
		t.Errorf("%d operations got an unexpected status", unexpected.Load())
	}
	if g := growth(early.heap, late.heap); g > soakMaxGrowth {
		t.Errorf("the live heap grew by %.1f%% (limit %.0f%%)", 100*g, 100*soakMaxGrowth)
	}
	if g := growth(early.rss, late.rss); g > soakMaxGrowth {
		t.Errorf("the resident set grew by %.1f%% (limit %.0f%%)", 100*g, 100*soakMaxGrowth)
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
