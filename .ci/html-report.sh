#!/usr/bin/env bash
# Opens the HTML report of a run with failures in headless Chromium (Debian's chromium, installed when
# missing) and checks what its reader sees: the scenario count, and a failed step's exchange unfolded.
# The report, the DOM Chromium rendered and a screenshot stay in $YTCONFORM_ARTIFACTS (default: a new
# temporary directory), whose path is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
	echo "installing Debian's chromium"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y --no-install-recommends chromium >/dev/null ||
		{ $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends chromium >/dev/null; }
fi

out=${YTCONFORM_ARTIFACTS:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
mock=""
trap '[ -n "$mock" ] && kill "$mock" 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/ytconform" ./cmd/ytconform
"$work/ytconform" mock --addr 127.0.0.1:0 --target-out "$work/target.yaml" --quiet >/dev/null &
mock=$!
for _ in $(seq 100); do [ -s "$work/target.yaml" ] && break; sleep 0.1; done
# A target file that claims a project the server does not have: the admin's listing fails, with its exchange.
sed 's/^  projects: \[FP, SP\]$/  projects: [FP, SP, XX]/' "$work/target.yaml" >"$work/wrong.yaml"
grep -q 'XX' "$work/wrong.yaml" || { echo "html-report: could not plant the wrong project in the target file"; exit 1; }

status=0
"$work/ytconform" run --target "$work/wrong.yaml" --format "quiet,html:$out/report.html" 2>"$work/run.log" || status=$?
[ "$status" = 1 ] || { cat "$work/run.log"; echo "html-report: the run should fail with status 1, not $status"; exit 1; }
total=$(sed -n 's/^\([0-9]*\) scenarios: .*/\1/p' "$work/run.log")

browse=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run
	--user-data-dir="$work/profile" --window-size=1280,2400)
"${browse[@]}" --dump-dom "file://$out/report.html" >"$out/report.dom.html" 2>"$work/chromium.log" ||
	{ cat "$work/chromium.log"; exit 1; }
"${browse[@]}" --screenshot="$out/report.png" "file://$out/report.html" 2>>"$work/chromium.log" ||
	{ cat "$work/chromium.log"; exit 1; }

fail() { echo "html-report: $1 (rendered DOM: $out/report.dom.html)"; exit 1; }
grep -q "<span data-count=\"total\">$total</span> scenarios" "$out/report.dom.html" || fail "the page does not show the run's $total scenarios"
grep -q 'data-count="failed">[1-9]' "$out/report.dom.html" || fail "the page does not count the failed scenarios"
grep -Eq '<details class="exchange" open=""><summary>GET http://127\.0\.0\.1:[0-9]+/api/admin/projects\?[^<]* -&gt; 200</summary>' "$out/report.dom.html" ||
	fail "no failed step's exchange is unfolded"
grep -q 'expected the short names \[FP SP XX\], listed \[FP SP\]' "$out/report.dom.html" || fail "the failed step's error is missing"
[ -s "$out/report.png" ] || fail "Chromium drew no screenshot"
echo "html-report: Chromium rendered $total scenarios and the failed step's exchange; screenshot: $out/report.png"
