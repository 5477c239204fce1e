#!/usr/bin/env bash
# Runs third-party YouTrack clients against `ytconform mock`: builds the CLI, starts the mock with the
# default fixtures on a free loopback port, waits until it answers, then runs each client's tests.
# Needs Go, Node 20+ and npm (which must reach the npm registry, or a mirror, for `npm ci`).
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

for tool in go node npm; do
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

echo "== youtrack-rest-client@1.6.0 against $base_url"
# Installed in the scratch directory, so that the tree stays clean (no node_modules under ./... for go).
cp -R clients/youtrack-rest-client "$work/client"
cd "$work/client"
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
node --test test/
