#!/usr/bin/env bash
# load-ogc.sh: OGC API Features under load, for docs/performance.md ("OGC API Features").
#   1. Uncached items: GET /ogc/collections/sites/items?limit=100&bbox=… with a bbox never asked
#      before on every request (scripts/load-ogc-bbox.lua), at 1 connection (latency) and at 8
#      (throughput), the figures pg_featureserv was measured with (437 req/s at 8 connections).
#      With PG_FEATURESERV=/path/to/pg_featureserv, the same requests against pg_featureserv on
#      the same database and pool size, in the same run.
#   2. Cached: whole collections and pages from the response cache against scripts/ceiling (a
#      plain Go handler serving the same gzipped bytes), at 8 connections, best of LOAD_ROUNDS.
# Uses DATABASE_URL, or the project's local cluster (started if needed). Prints Markdown.
# Environment: LOAD_DURATION (default 10s), LOAD_ROUNDS (3), LOAD_PORT (18095),
# LOAD_CEILING_PORT (18096), PGFS_PORT (18097), DB_MAX_CONNS (8, for both servers).
# LOAD_SYNTHETIC_SITES=N runs everything on a throwaway database (created on the same cluster,
# dropped at exit) holding the shipped data plus N synthetic sites (copies of real sites at
# random points, named "benchmark point … (synthetic)"), the size pg_featureserv was measured
# with (7,024 points); nothing synthetic ever reaches the database you pointed it at.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${LOAD_PORT:-18095}
ceiling_port=${LOAD_CEILING_PORT:-18096}
pgfs_port=${PGFS_PORT:-18097}
duration=${LOAD_DURATION:-10s}
rounds=${LOAD_ROUNDS:-3}
pool=${DB_MAX_CONNS:-8}
scripts/deps.sh test >&2
if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" "${TRACKER_PGPORT:-54329}" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:${TRACKER_PGPORT:-54329}/tracker?sslmode=disable"
fi
work=$(mktemp -d)
bench_db="" admin_url=$DATABASE_URL
pid="" ceiling_pid="" pgfs_pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "$ceiling_pid" ] && kill "$ceiling_pid" 2>/dev/null || true
    [ -n "$pgfs_pid" ] && kill "$pgfs_pid" 2>/dev/null || true
    rm -rf "$work"
    if [ -n "$bench_db" ]; then sleep 0.5; psql -qX "$admin_url" -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null || true; fi
}
trap cleanup EXIT
if [ -n "${LOAD_SYNTHETIC_SITES:-}" ]; then
    bench_db="ogc_bench_$$"
    psql -qX "$admin_url" -c "CREATE DATABASE $bench_db" >/dev/null
    DATABASE_URL=$(echo "$admin_url" | sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\1/$bench_db#")
    export DATABASE_URL
fi
go build -o "$work/tracker" ./cmd/tracker
go build -o "$work/ceiling" ./scripts/ceiling
"$work/tracker" migrate >/dev/null 2>&1
"$work/tracker" ingest >/dev/null 2>&1
if [ -n "$bench_db" ]; then
    psql -qX "$DATABASE_URL" -c "INSERT INTO site (country, name, capability, status, geom, precision, vendor, vendor_country,
        financier, valid_from, valid_from_precision, valid_to, confidence, content_hash)
      SELECT s.country, 'benchmark point ' || g || ' (synthetic)', s.capability, s.status,
             ST_SetSRID(ST_MakePoint(-170 + random() * 340, -55 + random() * 125), 4326), s.precision, s.vendor, s.vendor_country,
             s.financier, s.valid_from, s.valid_from_precision, s.valid_to, s.confidence, md5('bench' || g)
      FROM generate_series(1, ${LOAD_SYNTHETIC_SITES}) g
      CROSS JOIN LATERAL (SELECT * FROM site WHERE g > 0 AND name NOT LIKE 'benchmark point %' ORDER BY random() LIMIT 1) s" >/dev/null
    psql -qX "$DATABASE_URL" -c "ANALYZE site" >/dev/null
fi
DB_MAX_CONNS=$pool RATE_LIMIT=0 LOG_LEVEL=warn ADDR=127.0.0.1:$port "$work/tracker" serve --skip-migrate 2>"$work/server.log" &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null || { echo "load-ogc.sh: the tracker did not start:" >&2; tail -5 "$work/server.log" >&2; exit 1; }
curl -fsS "http://127.0.0.1:$port/ogc/collections/sites/items?limit=1" >/dev/null # load the snapshot

base="http://127.0.0.1:$port"
sites=$(curl -fsS "$base/ogc/collections/sites/items?limit=1" | sed -n 's/.*"numberMatched":\([0-9]*\).*/\1/p')
# wrk's summary: requests/s, p50, p99, non-2xx
measure() { # URL CONNECTIONS ITEMS_PATH
    local out
    out=$(ITEMS_PATH=$3 wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"$duration" --latency -s scripts/load-ogc-bbox.lua "$1")
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="50%" {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}') $(echo "$out" | awk '/Non-2xx/ {print $NF}')"
}

echo "### Uncached items: sites, bbox + limit=100, a new bbox on every request ($sites sites; wrk -d$duration, gzip; pool $pool)"
echo
echo "| server | connections | req/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
for c in 1 8; do
    read -r r p50 p99 bad <<<"$(measure "$base" "$c" /ogc/collections/sites/items)"
    echo "| tracker \`/ogc/collections/sites/items\` | $c | $r | $p50 | $p99 | ${bad:-0} |"
done
if [ -n "${PG_FEATURESERV:-}" ]; then
    PGFS_SERVER_HTTPHOST=127.0.0.1 PGFS_SERVER_HTTPPORT=$pgfs_port PGFS_DATABASE_DBPOOLMAXCONNS=$pool \
        "$PG_FEATURESERV" >"$work/pgfs.log" 2>&1 &
    pgfs_pid=$!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$pgfs_port/collections" >/dev/null 2>&1 && break; sleep 0.1; done
    for c in 1 8; do
        read -r r p50 p99 bad <<<"$(measure "http://127.0.0.1:$pgfs_port" "$c" /collections/public.site/items)"
        echo "| pg_featureserv \`/collections/public.site/items\` | $c | $r | $p50 | $p99 | ${bad:-0} |"
    done
    kill "$pgfs_pid" 2>/dev/null || true
    pgfs_pid=""
fi

routes=("/ogc/collections/countries/items?limit=1000" "/ogc/collections/countries/items?limit=1000&resolution=110m"
        "/ogc/collections/sites/items?limit=1000" "/ogc/collections/sites/items?limit=100&bbox=-20,-40,60,40"
        "/ogc/collections/countries/items/KEN" "/ogc/collections")
for r in "${routes[@]}"; do curl -fsS -H 'Accept-Encoding: gzip' "$base$r" >/dev/null; done
"$work/ceiling" -from "$base" -addr "127.0.0.1:$ceiling_port" "${routes[@]}" 2>"$work/ceiling.log" &
ceiling_pid=$!
for _ in $(seq 1 50); do curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$ceiling_port/ogc/collections" >/dev/null 2>&1 && break; sleep 0.1; done
rps() { wrk -t2 -c8 -d"$duration" -H 'Accept-Encoding: gzip' "$1" | awk '/Requests\/sec/ {print $2}'; }
echo
echo "### Cached OGC responses against the ceiling (wrk -t2 -c8 -d$duration, gzip; best of $rounds alternating rounds)"
echo
echo "| route | gzip bytes | tracker req/s | plain Go handler req/s | share of the ceiling |"
echo "|---|---:|---:|---:|---:|"
for r in "${routes[@]}"; do
    bytes=$(curl -s -H 'Accept-Encoding: gzip' "$base$r" | wc -c)
    t=0 c=0
    for _ in $(seq 1 "$rounds"); do
        t=$(awk -v a="$t" -v b="$(rps "$base$r")" 'BEGIN {print (b > a) ? b : a}')
        c=$(awk -v a="$c" -v b="$(rps "http://127.0.0.1:$ceiling_port$r")" 'BEGIN {print (b > a) ? b : a}')
    done
    echo "| \`$r\` | $bytes | $t | $c | $(awk -v t="$t" -v c="$c" 'BEGIN {printf "%.2f×", t / c}') |"
done
