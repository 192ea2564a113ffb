#!/bin/sh
# Runs every benchmark of tests/bench on a release build (./run bench calls
# this). Figures are CPU times, best of several runs; run on an idle machine.
#
# usage: tests/bench/run-all.sh BUILD_DIR [N]     (N households, default 1000000)
set -eu
build=${1:?usage: run-all.sh BUILD_DIR [N]}
n=${2:-1000000}
py=/usr/bin/python3 # Debian's numpy/pandas live here, whatever python3 is first on PATH
cd "$(dirname "$0")/../.."

section() { printf '\n==== %s ====\n' "$1"; }

section "measures (issue 4): n = 10^6 and 10^7"
$py tests/bench/bench_measures.py --build "$build"
section "scoring (issue 3): $n households, Guangxi-style scorecard"
$py tests/bench/bench_score.py "$n" --bench-exe "$build/tests/bench/bench_score"
section "exit standards (issue 5): $n households, guangxi_2016, village/county roll-up"
$py tests/bench/bench_policy.py "$n" --build "$build"
section "risk (issue 6): $n households, classification, score, matching, CJS"
$py tests/bench/bench_risk.py "$n" --bench-exe "$build/tests/bench/bench_risk"
section "dataset appends: $n households"
"$build/tests/bench/bench_dataset" "$n"
section "I/O (foundation): $n households, JSONL and CSV against pandas"
$py tests/bench/bench_io.py --build "$build" --n "$n"
