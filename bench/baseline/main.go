// Command baseline is the ceiling bench/load.sh measures the mock against: a bare net/http handler that
// checks for a "Bearer " prefix and returns fixed bytes, the mock's own answer to the benchmarked
// listing. It does none of the mock's work (no token lookup, no visibility, no projection, no access
// log, one header instead of eight), so that the ratio shows what that work costs.
//
//	go run ./bench/baseline -addr 127.0.0.1:0
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"strings"
)

// projects is what `ytconform mock` answers to GET /api/admin/projects?fields=id,name,shortName with
// root's token and the default fixtures.
var projects = []byte(`[{"id":"0-0","name":"First Project","shortName":"FP","$type":"Project"},{"id":"0-1","name":"Second Project","shortName":"SP","$type":"Project"}]`)

var unauthorized = []byte(`{"error":"Unauthorized","error_description":""}`)

func main() {
	addr := flag.String("addr", "127.0.0.1:4020", "address to listen on (`host:port`; port 0 picks a free one)")
	flag.Parse()
	http.HandleFunc("GET /api/admin/projects", func(w http.ResponseWriter, r *http.Request) {
		a := r.Header.Get("Authorization")
		if !strings.HasPrefix(a, "Bearer ") || len(a) == len("Bearer ") {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			w.Header().Set("WWW-Authenticate", `Bearer realm="YouTrack"`)
			w.WriteHeader(http.StatusUnauthorized)
			w.Write(unauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Write(projects)
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("baseline serving http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
