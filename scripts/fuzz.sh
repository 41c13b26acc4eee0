#!/usr/bin/env bash
# fuzz.sh [DURATION]: run every go test -fuzz target of the parsers of outside input
# (dates, ISO codes, cursors, bounding boxes, tile addresses, weights, CQL2 filters) for DURATION each (default 3s,
# as make test runs them; make fuzz runs them for 60s). New failing inputs land in
# the package's testdata/fuzz/<target>/ and make the ordinary tests fail until fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-3s}
for target in api:FuzzParseDate api:FuzzParseISO3 api:FuzzOffsetCursor api:FuzzIDCursor \
              geo:FuzzParseBBox geo:FuzzParseTile resemblance:FuzzParseWeights cql2:FuzzParse store:FuzzCQLTranslate; do
    pkg=${target%%:*} name=${target#*:}
    printf 'fuzz %-22s %s ... ' "$name" "$time"
    go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" "./$pkg/" >/tmp/fuzz-$$.log 2>&1 || { echo FAIL; cat /tmp/fuzz-$$.log; rm -f /tmp/fuzz-$$.log; exit 1; }
    grep -o 'execs: [0-9]*' /tmp/fuzz-$$.log | tail -1 || echo ok
done
rm -f /tmp/fuzz-$$.log
