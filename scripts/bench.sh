#!/usr/bin/env bash
# Reruns every benchmark and the load program and writes the figures for
# docs/PERFORMANCE.md into an output directory (default: a new temporary
# directory, printed at the end).
# Takes about twelve minutes on a 2-core machine; everything is bounded.
#
#   scripts/bench.sh [OUTDIR]
#
# COUNT (default 5) sets the -count of the Go benchmarks; LOAD_ARGS passes
# extra flags to the load program (go run ./bench -h lists them); COMPARE_APP
# names a second app binary (for example the previous version, built with
# `go build -o FILE .` in a checkout of it) that the load program measures
# side by side with the current one, also in the browser benchmark
# (BROWSER_ROUNDS rounds, default 2; it needs chromium).
set -euo pipefail

cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
count="${COUNT:-5}"
mkdir -p "$out"

{
	echo "nproc: $(nproc)"
	go version
	uname -srm
	date -u +%Y-%m-%dT%H:%M:%SZ
} >"$out/machine.txt"

echo "== Go benchmarks (-count $count)" >&2
# The packages run one after another (-p 1) so they do not compete for CPU.
timeout 500 go test -p 1 -run '^$' -bench . -count "$count" \
	./store ./persontjeneste/helseid ./persontjeneste ./persontjeneste/nhnmock ./feed \
	| tee "$out/go-bench.txt" >&2
# The app's Persontjenesten lookup against the in-process mock.
timeout 120 go test -run '^$' -bench LookupOverhead -benchtime 500x -count "$count" ./app \
	| tee -a "$out/go-bench.txt" >&2
go run ./bench -medians "$out/go-bench.txt" >"$out/go-bench-medians.md"

echo "== load program" >&2
compare=()
if [[ -n "${COMPARE_APP:-}" ]]; then
	compare=(-compare "$COMPARE_APP")
fi
# shellcheck disable=SC2086 # LOAD_ARGS is a list of flags
timeout 600 go run ./bench -deadline 9m "${compare[@]}" ${LOAD_ARGS:-} >"$out/load.md"

echo "== browser benchmark" >&2
# Types the commonest family names into the client list in headless
# Chromium: keystroke to rows on screen, first search after start.

mkdir -p "$out/traces"
timeout 600 go run ./bench -browser -rounds "${BROWSER_ROUNDS:-2}" -deadline 9m -trace "$out/traces" "${compare[@]}" >"$out/browser.md"
uptime >>"$out/machine.txt"

cat "$out/machine.txt" "$out/go-bench-medians.md" "$out/load.md" "$out/browser.md"
echo "figures in $out" >&2
