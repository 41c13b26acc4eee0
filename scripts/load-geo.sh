#!/usr/bin/env bash
# load-geo.sh: the vector tiles, for docs/performance.md ("Vector tiles").
#   1. Cold z0 country tile: the tracker is restarted LOAD_COLD times; each time the data are
#      loaded first (/api/v1/index), then the z0 tile is timed (curl, the first request for it:
#      PostGIS builds it from the simplified copy, the server gzips and caches it). Its raw and
#      gzip sizes.
#   2. Warm tiles against the ceiling: wrk against the tracker and, right after, against
#      scripts/ceiling (a plain Go handler serving the same gzipped bytes from memory), same
#      connections and duration, LOAD_ROUNDS rounds each, best round kept; then If-None-Match
#      (304) on the z0 tile.
# Uses DATABASE_URL, or the project's local cluster (started if needed). Prints Markdown.
# Environment: LOAD_DURATION (default 5s), LOAD_ROUNDS (3), LOAD_COLD (7), LOAD_CONNECTIONS (8),
# LOAD_PORT (18090), LOAD_CEILING_PORT (18092).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${LOAD_PORT:-18090}
ceiling_port=${LOAD_CEILING_PORT:-18092}
duration=${LOAD_DURATION:-5s}
rounds=${LOAD_ROUNDS:-3}
cold_runs=${LOAD_COLD:-7}
conns=${LOAD_CONNECTIONS:-8}
scripts/deps.sh test >&2
if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" "${TRACKER_PGPORT:-54329}" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:${TRACKER_PGPORT:-54329}/tracker?sslmode=disable"
fi
go build -o bin/tracker ./cmd/tracker
go build -o bin/ceiling ./scripts/ceiling
bin/tracker migrate >/dev/null 2>&1
bin/tracker ingest >/dev/null 2>&1
work=$(mktemp -d)
pid=""
ceiling_pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; [ -n "$ceiling_pid" ] && kill "$ceiling_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start() {
    RATE_LIMIT=0 PORT=$port bin/tracker serve --skip-migrate 2>>"$work/server.log" &
    pid=$!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null || { echo "load-geo.sh: the tracker did not start (is port $port taken?):" >&2; tail -5 "$work/server.log" >&2; exit 1; }
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }
base="http://127.0.0.1:$port"
tile_url() { curl -fsS "$base/tiles/$1.json" | sed -n 's/.*"tiles":\["\([^"]*\)"\].*/\1/p' | sed "s|{z}|$2|; s|{x}|$3|; s|{y}|$4|"; }

times=()
for _ in $(seq 1 "$cold_runs"); do
    start
    curl -fsS -H 'Accept-Encoding: gzip' "$base/api/v1/index" >/dev/null
    url=$(tile_url countries 0 0 0)
    times+=("$(curl -fsS -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$url")")
    stop
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { awk -v s="$1" 'BEGIN {printf "%.1f ms", s * 1000}'; }
start
z0=$(tile_url countries 0 0 0)
raw=$(curl -fsS "$z0" | wc -c)
gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$z0" | wc -c)
echo "### Cold z0 country tile ($cold_runs server starts, data loaded first; curl on the same machine)"
echo
echo "| median | fastest | slowest | raw bytes | gzip bytes |"
echo "|---:|---:|---:|---:|---:|"
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "| $(ms "$(median "${times[@]}")") | $(ms "$(echo "$sorted" | head -1)") | $(ms "$(echo "$sorted" | tail -1)") | $raw | $gz |"
echo

routes=("$z0" "$(tile_url countries 2 2 1)" "$(tile_url countries 4 8 5)" "$(tile_url sites 0 0 0)")
paths=()
for r in "${routes[@]}"; do
    curl -fsS -H 'Accept-Encoding: gzip' "$r" >/dev/null
    paths+=("${r#"$base"}")
done
bin/ceiling -from "$base" -addr "127.0.0.1:$ceiling_port" "${paths[@]}" 2>"$work/ceiling.log" &
ceiling_pid=$!
for _ in $(seq 1 50); do curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$ceiling_port${paths[0]}" >/dev/null 2>&1 && break; sleep 0.1; done
rps() { wrk -t2 -c"$conns" -d"$duration" "${@:2}" -H 'Accept-Encoding: gzip' "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "### Warm tiles against the ceiling (wrk -t2 -c$conns -d$duration, gzip; the same bytes from a plain Go handler)"
echo
echo "Tracker and ceiling alternate, $rounds rounds each; the best round of each is kept."
echo
echo "| tile | gzip bytes | tracker req/s | plain Go handler req/s | share of the ceiling |"
echo "|---|---:|---:|---:|---:|"
for p in "${paths[@]}"; do
    bytes=$(curl -s -H 'Accept-Encoding: gzip' "$base$p" | wc -c)
    t=0 c=0
    for _ in $(seq 1 "$rounds"); do
        t=$(awk -v a="$t" -v b="$(rps "$base$p")" 'BEGIN {print (b > a) ? b : a}')
        c=$(awk -v a="$c" -v b="$(rps "http://127.0.0.1:$ceiling_port$p")" 'BEGIN {print (b > a) ? b : a}')
    done
    echo "| \`${p%%\?*}\` | $bytes | $t | $c | $(awk -v t="$t" -v c="$c" 'BEGIN {printf "%.2f×", t / c}') |"
done
etag=$(curl -fsS -o /dev/null -D - -H 'Accept-Encoding: gzip' "$z0" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
n304=0
for _ in $(seq 1 "$rounds"); do n304=$(awk -v a="$n304" -v b="$(rps "$z0" -H "If-None-Match: $etag")" 'BEGIN {print (b > a) ? b : a}'); done
echo "| \`/tiles/countries/0/0/0.mvt\` with If-None-Match (304) | 0 | $n304 | – | – |"
