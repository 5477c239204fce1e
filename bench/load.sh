#!/usr/bin/env bash
# bench/load.sh: throughput of `ytconform mock` against a bare net/http handler (bench/baseline), and the
# cost of a listing with 100,000 projects. Runs are alternated (A/B, B/A, ...) because shared machines are
# noisy; every figure is a median, and the ratios compare runs made in the same round.
#
#   bench/load.sh [--rounds N] [--duration SECONDS] [--prism] [--no-scale]
#
#   --rounds N        A/B rounds (default 3)
#   --duration S      seconds per wrk run (default 4)
#   --prism           add Prism (npx @stoplight/prism-cli@5.14.2 mock openapi.yaml) as a third column
#   --no-scale        skip the 100,000-project figures
#
# Loopback only; everything it starts is stopped on exit. Needs Go, curl and wrk (installed from
# Debian's packages with apt-get when missing). The mock runs with its access log on, written to a file.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3 duration=4 prism=0 scale=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --prism) prism=1; shift ;;
    --no-scale) scale=0; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "load.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

TOKEN='perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi' # root's token in the default fixtures (public test data)
QUERY='/api/admin/projects?fields=id,name,shortName'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ytconform-load.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v wrk >/dev/null; then
  echo "wrk is missing: installing it from Debian's packages" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y wrk >"$tmp/apt.log" 2>&1 ||
    { $sudo apt-get update >>"$tmp/apt.log" 2>&1 && $sudo apt-get install -y wrk >>"$tmp/apt.log" 2>&1; } ||
    { echo "could not install wrk: $(tail -1 "$tmp/apt.log")" >&2; exit 1; }
fi

go build -o "$tmp/ytconform" ./cmd/ytconform
go build -o "$tmp/baseline" ./bench/baseline

# start NAME OUTFILE CMD...: runs CMD in its own process group (so that cleanup reaches its children)
start() {
  local out=$2; shift 2
  setsid "$@" >"$out" 2>"$out.err" &
  pids+=("$!")
}
# url_of FILE: waits up to 10 s for a line "... serving http://host:port" in FILE and for that server to
# answer HTTP at all, then prints the URL
url_of() {
  for _ in $(seq 1000); do
    local u; u=$(grep -o 'serving http://[0-9.:]*' "$1" 2>/dev/null | head -1 | cut -d' ' -f2) || true
    if [ -n "$u" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$u/api/config")" != 000 ]; then echo "$u"; return 0; fi
    sleep 0.01
  done
  echo "load.sh: server did not come up: $(tail -2 "$1" "$1.err")" >&2; return 1
}
# rss_mib PID
rss_mib() { echo $(($(ps -o rss= -p "$1") / 1024)); }
# run URL [SECONDS]: prints "requests/s p99-ms"; fails on any non-2xx answer or socket error
run() {
  local out
  out=$(wrk -t2 -c32 -d"${2:-$duration}s" --latency --timeout 5s -H "Authorization: Bearer $TOKEN" "$1")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "load.sh: errors under load from $1: $(grep -E 'Non-2xx|Socket errors' <<<"$out")" >&2; return 1
  fi
  awk '/Requests\/sec/ { rps = $2 }
       / 99%/ { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
                p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v }
       END { printf "%d %.2f\n", rps, p99 }' <<<"$out"
}
median() { python3 -c 'import statistics,sys; print(round(statistics.median(map(float, sys.argv[1:])), 3))' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.3f}")' "$1" "$2"; }

start mock "$tmp/mock.out" "$tmp/ytconform" mock --addr 127.0.0.1:0 # stderr, the access log, goes to mock.out.err
start baseline "$tmp/baseline.out" "$tmp/baseline" -addr 127.0.0.1:0
mock=$(url_of "$tmp/mock.out")
base=$(url_of "$tmp/baseline.out")
mock_pid=${pids[0]}
targets=("mock $mock$QUERY" "baseline $base/api/admin/projects")
if [ "$prism" = 1 ]; then
  pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "starting Prism 5.14.2 with npx (the first run downloads it)..." >&2
  start prism "$tmp/prism.out" timeout 900 npx -y @stoplight/prism-cli@5.14.2 mock -h 127.0.0.1 -p "$pport" openapi.yaml
  for _ in $(seq 1200); do
    curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$pport$QUERY" && break
    sleep 0.1
  done
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$pport$QUERY" ||
    { echo "load.sh: Prism did not come up: $(tail -3 "$tmp/prism.out" "$tmp/prism.out.err")" >&2; exit 1; }
  targets+=("prism http://127.0.0.1:$pport$QUERY")
fi

echo "machine: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go env GOVERSION), load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
echo "wrk -t2 -c32 -d${duration}s --latency, $rounds alternating rounds, GET $QUERY with root's token; the mock's access log is on (to a file)"
for t in "${targets[@]}"; do run "${t#* }" 1 >/dev/null; done # warm-up
declare -A rps p99
printf '%-6s' round; for t in "${targets[@]}"; do printf ' %14s %9s' "${t%% *} req/s" "p99 ms"; done; printf ' %8s\n' ratio
ratios=()
for i in $(seq "$rounds"); do
  order=("${targets[@]}")
  if [ $((i % 2)) = 0 ]; then # B before A every other round, so that a drift favours neither
    order=(); for ((k = ${#targets[@]} - 1; k >= 0; k--)); do order+=("${targets[$k]}"); done
  fi
  declare -A now=()
  for t in "${order[@]}"; do now[${t%% *}]=$(run "${t#* }"); done
  printf '%-6s' "$i"
  for t in "${targets[@]}"; do
    n=${t%% *}; read -r r p <<<"${now[$n]}"
    rps[$n]="${rps[$n]:-} $r"; p99[$n]="${p99[$n]:-} $p"
    printf ' %14s %9s' "$r" "$p"
  done
  read -r mr _ <<<"${now[mock]}"; read -r br _ <<<"${now[baseline]}"
  ratios+=("$(ratio "$mr" "$br")"); printf ' %8s\n' "${ratios[-1]}"
done
printf '%-6s' median
for t in "${targets[@]}"; do n=${t%% *}; printf ' %14.0f %9.2f' "$(median ${rps[$n]})" "$(median ${p99[$n]})"; done
printf ' %8s\n' "$(median "${ratios[@]}")"
mock_p99=$(median ${p99[mock]}); base_p99=$(median ${p99[baseline]})
echo "mock/baseline: throughput ratio $(median "${ratios[@]}") (median of the rounds' ratios), p99 ratio $(ratio "$mock_p99" "$base_p99")"
if [ "$prism" = 1 ]; then
  echo "prism/baseline: throughput ratio $(ratio "$(median ${rps[prism]})" "$(median ${rps[baseline]})") (ratio of medians)"
fi
echo "mock: RSS $(rss_mib "$mock_pid") MiB after the runs; access log $(wc -l <"$tmp/mock.out.err") lines"

[ "$scale" = 1 ] || exit 0
t0=$(date +%s%N)
start big "$tmp/big.out" "$tmp/ytconform" mock --addr 127.0.0.1:0 --synthetic-projects 100000 --target-out "$tmp/big-target.yaml"
big=$(url_of "$tmp/big.out")
startup_ms=$((($(date +%s%N) - t0) / 1000000))
big_pid=${pids[-1]}
sleep 0.5
big_rss=$(rss_mib "$big_pid")
MID='/api/admin/projects?fields=id,name,shortName&$top=2&$skip=50000'
run "$big$MID" 1 >/dev/null
scales=()
printf '%-6s %22s %22s %8s\n' round "100k mid-page req/s" "2-project list req/s" ratio
for i in $(seq "$rounds"); do
  if [ $((i % 2)) = 1 ]; then b=$(run "$big$MID"); s=$(run "$mock$QUERY")
  else s=$(run "$mock$QUERY"); b=$(run "$big$MID"); fi
  b=${b%% *} s=${s%% *}
  scales+=("$(ratio "$b" "$s")")
  printf '%-6s %22s %22s %8s\n' "$i" "$b" "$s" "${scales[-1]}"
done
echo "100,000 projects: start-up ${startup_ms} ms (to the first answer of /api/config; target file written), RSS ${big_rss} MiB;" \
  "\$top=2&\$skip=50000 at $(median "${scales[@]}") x the 2-project listing (median of the rounds' ratios)"
