#!/usr/bin/env bash
# Runs third-party YouTrack clients against `ytconform mock`: builds the CLI, starts the mock with the
# default fixtures on a free loopback port, waits until it answers, then runs each client's tests, each
# from the fixtures: youtrack-rest-client/ and youtrack-client/ (npm packages pinned with lock files).
# Needs Go, Node 20+, npm (which must reach the npm registry, or a mirror, for `npm ci`) and curl.
#   bash clients/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
mock_pid=""
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for tool in go node npm curl; do
  command -v "$tool" >/dev/null || { echo "clients/run.sh: $tool is not installed" >&2; exit 2; }
done

go build -o "$work/ytconform" ./cmd/ytconform
# Port 0: the kernel picks a free port, and the target file tells us which.
"$work/ytconform" mock --addr 127.0.0.1:0 --target-out "$work/target.yaml" --quiet >"$work/mock.out" 2>&1 &
mock_pid=$!

base_url=""
for _ in $(seq 100); do
  if [ -s "$work/target.yaml" ]; then
    base_url=$(sed -n 's/^base_url: *//p' "$work/target.yaml" | tr -d '"'"'")
    if [ -n "$base_url" ] && curl -fsS "$base_url/api/config" >/dev/null 2>&1; then break; fi
  fi
  if ! kill -0 "$mock_pid" 2>/dev/null; then echo "the mock stopped:" >&2; cat "$work/mock.out" >&2; exit 1; fi
  base_url=""
  sleep 0.1
done
[ -n "$base_url" ] || { echo "the mock did not come up:" >&2; cat "$work/mock.out" >&2; exit 1; }

# root's token: public test data of the default fixtures, printed by the mock at start-up.
export YT_BASE_URL=$base_url
export YT_TOKEN='perm:cm9vdA==.dG9rZW4=.rNZ38ije7uiWwnUTRDdyFDdUkoPUPi'

# run_client <package>: clients/<package>/ tests the npm package of that name, pinned in its package.json.
# Installed in the scratch directory, so that the tree stays clean (no node_modules under ./... for go).
run_client() {
  local pkg=$1 version
  version=$(node -p "require('./clients/$pkg/package.json').dependencies['$pkg']") || return
  echo "== $pkg@$version against $base_url"
  # Back to the fixtures: what one client created does not change what the next one sees.
  curl -fsS -X POST "$base_url/__ytmock/reset" >/dev/null || return
  cp -R "clients/$pkg" "$work/$pkg" || return
  (cd "$work/$pkg" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && node --test test/)
}

# Every client runs even when an earlier one fails; the exit status says whether all passed.
failed=()
for pkg in youtrack-rest-client youtrack-client; do
  run_client "$pkg" || failed+=("$pkg")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "clients/run.sh: failed: ${failed[*]}" >&2
  exit 1
fi
