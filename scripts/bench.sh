#!/usr/bin/env bash
# bench.sh: the figures in docs/performance.md (run by `make bench`). Prints Markdown.
#   1. Go micro-benchmarks (the index, a whole time-slider step, snapshot indexes, weights parsing;
#      with TRACKER_TEST_DATABASE_URL also the cost and allocations of a response-cache hit).
#   2. Payload sizes of the main reads.
#   3. scripts/load.sh: cached reads against a plain-Go-handler ceiling, and the public read mix
#      at 256 connections (p50, p99, errors, peak RSS).
#   4. scripts/load-geo.sh: the cold z0 country tile (latency, size) and warm tiles against the ceiling.
# Uses the local cluster (started if needed) or DATABASE_URL. On a shared machine, run it as
# `nice -n -19 make bench` (root) so the other work there disturbs it less.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/deps.sh test >&2
if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" "${TRACKER_PGPORT:-54329}" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:${TRACKER_PGPORT:-54329}/tracker?sslmode=disable"
fi
echo "## Go micro-benchmarks"
echo
echo '```'
go test -run '^$' -bench . -benchmem -count 3 ./resemblance/ ./readmodel/ | grep -E '^Benchmark'
if [ -n "${TRACKER_TEST_DATABASE_URL:-}" ]; then # the fixed cost of a response-cache hit through the router
    go test -run '^$' -bench CachedRead -benchmem -count 3 ./api/ | grep -E '^Benchmark'
fi
echo '```'
echo
port=${BENCH_PORT:-18094}
bin/tracker ingest >/dev/null 2>&1
RATE_LIMIT=0 PORT=$port bin/tracker serve --skip-migrate >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"
echo "## Payload sizes"
echo
echo "| resource | identity bytes | gzip bytes |"
echo "|---|---:|---:|"
for path in "/api/v1/geo/countries.geojson?resolution=110m" "/api/v1/geo/countries.geojson?resolution=50m" "/api/v1/index" "/api/v1/countries/CHN"; do
    plain=$(curl -s "$base$path" | wc -c)
    gz=$(curl -s -H 'Accept-Encoding: gzip' "$base$path" | wc -c)
    echo "| \`$path\` | $plain | $gz |"
done
kill $pid
echo
scripts/load.sh
echo
scripts/load-geo.sh
