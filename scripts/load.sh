#!/usr/bin/env bash
# load.sh: the read path under load, for docs/performance.md ("Read path under load").
#   1. Cached reads against the machine's ceiling: for each route, wrk against the tracker and,
#      right after, against scripts/ceiling (a plain Go handler serving the same gzipped bytes
#      from memory), same connections and duration; the ratio is the share of the ceiling.
#   2. The public read mix (scripts/load-mix.lua, ~30 % never-seen as_of/weights combinations)
#      at 256 connections: p50, p99, errors, peak RSS of the server, and the server's own log
#      counts of 5xx and 499 (clients that went away).
#   3. The same mix at fixed arrival rates (scripts/openloop, open loop: latency from when each
#      request was due) at OPEN_FRACTIONS (default 0.25 0.5 0.75) of the closed-loop rate.
# Uses DATABASE_URL, or the project's local cluster (started if needed). Prints Markdown.
# Environment: LOAD_DURATION (default 5s per round), LOAD_ROUNDS (3), MIX_DURATION (default 30s),
# LOAD_CONNECTIONS (default 32), MIX_CONNECTIONS (default 256), OPEN_DURATION (20s), OPEN_FRACTIONS, LOAD_ROUTES (space-separated
# paths of the cached routes to measure instead of the default list).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${LOAD_PORT:-18090}
ceiling_port=${LOAD_CEILING_PORT:-18092}
metrics_port=${LOAD_METRICS_PORT:-18093}
duration=${LOAD_DURATION:-5s}
rounds=${LOAD_ROUNDS:-3}
mix_duration=${MIX_DURATION:-30s}
conns=${LOAD_CONNECTIONS:-32}
mix_conns=${MIX_CONNECTIONS:-256}
scripts/deps.sh test >&2
if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" "${TRACKER_PGPORT:-54329}" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:${TRACKER_PGPORT:-54329}/tracker?sslmode=disable"
fi
[ -x bin/tracker ] || go build -o bin/tracker ./cmd/tracker
go build -o bin/ceiling ./scripts/ceiling
bin/tracker ingest >/dev/null 2>&1
work=$(mktemp -d)
RATE_LIMIT=0 PORT=$port METRICS_ADDR=127.0.0.1:$metrics_port bin/tracker serve --skip-migrate 2>"$work/server.log" &
pid=$!
ceiling_pid=""
cleanup() { kill "$pid" 2>/dev/null || true; [ -n "$ceiling_pid" ] && kill "$ceiling_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 0.5
kill -0 "$pid" 2>/dev/null || { echo "load.sh: the tracker did not start (is port $port or $metrics_port taken?):" >&2; tail -5 "$work/server.log" >&2; exit 1; }

routes=("/api/v1/geo/countries.geojson" "/api/v1/index" "/api/v1/countries/VEN" "/api/v1/countries/CHN" "/api/v1/countries" "/api/v1/sites"
        "/api/v1/diffusion/curves?capability=surveillance.cctv_network" "/api/v1/diffusion/neighbours?capability=surveillance.cctv_network"
        "/api/v1/diffusion/moran" "/api/v1/diffusion/flows")
if [ -n "${LOAD_ROUTES:-}" ]; then read -r -a routes <<<"$LOAD_ROUTES"; fi
for r in "${routes[@]}"; do curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port$r" >/dev/null; done
bin/ceiling -from "http://127.0.0.1:$port" -addr "127.0.0.1:$ceiling_port" "${routes[@]}" 2>"$work/ceiling.log" &
ceiling_pid=$!
for _ in $(seq 1 50); do curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$ceiling_port/api/v1/index" >/dev/null 2>&1 && break; sleep 0.1; done

rps() { wrk -t2 -c"$conns" -d"$duration" -H 'Accept-Encoding: gzip' "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "### Cached reads against the ceiling (wrk -t2 -c$conns -d$duration, gzip; the same bytes from a plain Go handler)"
echo
echo "Tracker and ceiling alternate, $rounds rounds each; the best round of each is kept (the machine is shared,"
echo "so the best round is the least disturbed one)."
echo
echo "| route | gzip bytes | tracker req/s | plain Go handler req/s | share of the ceiling |"
echo "|---|---:|---:|---:|---:|"
for r in "${routes[@]}"; do
    bytes=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port$r" | wc -c)
    t=0 c=0
    for _ in $(seq 1 "$rounds"); do
        t=$(awk -v a="$t" -v b="$(rps "http://127.0.0.1:$port$r")" 'BEGIN {print (b > a) ? b : a}')
        c=$(awk -v a="$c" -v b="$(rps "http://127.0.0.1:$ceiling_port$r")" 'BEGIN {print (b > a) ? b : a}')
    done
    echo "| \`$r\` | $bytes | $t | $c | $(awk -v t="$t" -v c="$c" 'BEGIN {printf "%.2f×", t / c}') |"
done
kill "$ceiling_pid" 2>/dev/null || true
ceiling_pid=""

echo
echo "### The public read mix (wrk -t2 -c$mix_conns -d$mix_duration -s scripts/load-mix.lua, ~30 % uncached)"
echo
out=$(wrk -t2 -c"$mix_conns" -d"$mix_duration" --latency -s scripts/load-mix.lua "http://127.0.0.1:$port")
sleep 1
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
sockerr=$(echo "$out" | awk '/Socket errors/ {print $0}')
hwm=$(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")
rss=$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status")
s5xx=$(grep -c '"status":5' "$work/server.log" || true)
s499=$(grep -c '"status":499' "$work/server.log" || true)
echo "| requests/s | p50 | p99 | non-2xx | socket errors | server 5xx logged | server 499 logged | peak RSS | RSS after |"
echo "|---:|---:|---:|---:|---|---:|---:|---:|---:|"
echo "| $rate | $p50 | $p99 | ${non2xx:-0} | ${sockerr:-none} | $s5xx | $s499 | $hwm | $rss |"
echo
echo "Response cache after the mix: $(curl -s "http://127.0.0.1:$metrics_port/metrics" | awk '/^tracker_response_cache_(bytes|entries) / {printf "%s=%s ", $1, $2}')"

# 3. The same mix at fixed arrival rates (open loop), below the closed-loop rate just measured:
#    what a client sees at a given load, rather than at saturation (scripts/openloop).
go build -o bin/openloop ./scripts/openloop
open_duration=${OPEN_DURATION:-20s}
echo
echo "### The same mix at fixed arrival rates (scripts/openloop, at most $mix_conns connections, $open_duration each)"
echo
echo "Latency is measured from when each request was due, so waiting for a connection counts."
echo
echo "| rate asked (req/s) | connections | rate sent | p50 | p90 | p99 | p99.9 | max | non-2xx | errors | sends late >10 ms |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in ${OPEN_FRACTIONS:-0.25 0.5 0.75}; do
    r=$(awk -v r="$rate" -v f="$f" 'BEGIN {printf "%d", r * f}')
    bin/openloop -url "http://127.0.0.1:$port" -rate "$r" -conns "$mix_conns" -duration "$open_duration"
done
