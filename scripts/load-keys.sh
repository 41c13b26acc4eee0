#!/usr/bin/env bash
# load-keys.sh: a cached public read (/api/v1/pillars) anonymous and with an API key, for
# docs/performance.md ("Accounts, sessions and API keys"): the tracker with RATE_LIMIT=0 on
# DATABASE_URL (or the project's local cluster), a fresh organisation and key made with
# `tracker admin`, then wrk -t2 -c16 for LOAD_DURATION (default 4s), anonymous and keyed
# alternately for LOAD_ROUNDS rounds (default 2); prints every round and the best of each, with
# the load average. TRACKER (default bin/tracker, built if missing) names the binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${LOAD_PORT:-18094}
duration=${LOAD_DURATION:-4s}
rounds=${LOAD_ROUNDS:-2}
tracker=${TRACKER:-bin/tracker}
command -v wrk >/dev/null || { echo "load-keys.sh: needs wrk (scripts/deps.sh test installs it)" >&2; exit 1; }
if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" "${TRACKER_PGPORT:-54329}" >&2
    export DATABASE_URL="postgres://postgres@127.0.0.1:${TRACKER_PGPORT:-54329}/tracker?sslmode=disable"
fi
[ -x "$tracker" ] || go build -o "$tracker" ./cmd/tracker
"$tracker" ingest >/dev/null 2>&1
org="load-keys $(date +%s)"
"$tracker" admin create-org --name "$org" >/dev/null 2>&1
token=$("$tracker" admin create-key --org "$org" --role partner --name "load-keys" 2>/dev/null | grep -o 'sct_[A-Za-z0-9_-]*' | tail -1)
[ -n "$token" ] || { echo "load-keys.sh: could not make a key" >&2; exit 1; }
work=$(mktemp -d)
RATE_LIMIT=0 ADDR=127.0.0.1:$port LOG_LEVEL=warn "$tracker" serve --skip-migrate 2>"$work/server.log" &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
url="http://127.0.0.1:$port/api/v1/pillars"
for _ in $(seq 1 100); do curl -fsS "$url" >/dev/null 2>&1 && break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null || { echo "load-keys.sh: the tracker did not start (is port $port taken?):" >&2; tail -5 "$work/server.log" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")" = 200 ] || { echo "load-keys.sh: the key is refused" >&2; exit 1; }
rps() { wrk -t2 -c16 -d"$duration" "$@" "$url" | awk '/Non-2xx/ { bad = 1 } /Requests\/sec/ { r = $2 } END { if (bad) print "errors"; else printf "%d\n", r }'; }
best_anon=0 best_key=0
for i in $(seq 1 "$rounds"); do
    a=$(rps); k=$(rps -H "Authorization: Bearer $token")
    echo "round $i: anonymous $a req/s, with a key $k req/s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    [ "$a" != errors ] && [ "$a" -gt "$best_anon" ] && best_anon=$a
    [ "$k" != errors ] && [ "$k" -gt "$best_key" ] && best_key=$k
done
echo "best: anonymous $best_anon req/s, with a key $best_key req/s"
