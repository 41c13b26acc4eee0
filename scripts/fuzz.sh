#!/usr/bin/env bash
# fuzz.sh [BUDGET]: run every go test -fuzz target of the parsers of outside input
# (dates, ISO codes, cursors, bounding boxes, tile addresses, weights, CQL2 filters).
#
#   fuzz.sh            a fixed number of executions per target (what make test runs):
#                      about 3 s each on an idle machine, longer on a busy one, never flaky
#   fuzz.sh 60s        that long per target (make fuzz; FUZZTIME=10m make fuzz)
#   fuzz.sh 200000x    that many executions per target
#
# Why counts in make test: with a duration, go1.26's fuzz coordinator can report
# "context deadline exceeded" as a failure when the deadline fires while a worker is
# still busy (go.dev/issue/75804, fixed in go1.27), which a shared, busy machine hits.
# A count has no deadline. With a duration, a failure that wrote no failing input
# and says only "context deadline exceeded" is that race, reported and not counted.
# Real failing inputs land in the package's testdata/fuzz/<target>/ and make the
# ordinary tests fail until fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-}
# target and its execution count when no budget is given (the api targets build a
# gin context per input and run ~2k/s; the pure parsers run ~20-50k/s)
targets="api:FuzzParseDate:8000 api:FuzzParseISO3:8000 api:FuzzOffsetCursor:8000 api:FuzzIDCursor:8000
         geo:FuzzParseBBox:100000 geo:FuzzParseTile:100000 resemblance:FuzzParseWeights:100000
         cql2:FuzzParse:50000 store:FuzzCQLTranslate:50000"
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in $targets; do
    IFS=: read -r pkg name count <<<"$target"
    this=${budget:-${count}x}
    corpus="$pkg/testdata/fuzz/$name"
    before=$(inputs "$corpus")
    printf 'fuzz %-22s %-8s ... ' "$name" "$this"
    if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$this" "./$pkg/" >"$log" 2>&1; then
        grep -o 'execs: [0-9]*' "$log" | tail -1 || echo ok
        continue
    fi
    after=$(inputs "$corpus")
    if [[ $this != *x ]] && [ "$after" = "$before" ] &&
       grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "stopped by the toolchain's deadline race (go.dev/issue/75804), no failing input: $(grep -o 'execs: [0-9]*' "$log" | tail -1)"
        continue
    fi
    echo FAIL
    cat "$log"
    exit 1
done
