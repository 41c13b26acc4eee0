#!/usr/bin/env bash
# load-reports.sh: the partner workflow under load, for docs/performance.md ("Partner reports
# under load"): submissions and acceptances per second with concurrent clients, and the time
# from an accept to the new /api/v1/index on the accepting server and on a second server.
# Makes a throwaway database "tracker_load_reports" on the local cluster (TRACKER_PGPORT,
# default 54329), or uses LOAD_DATABASE_URL (whose data it changes). Prints Markdown rows.
# Environment: LOAD_WORKERS (default 16), LOAD_DURATION (default 10s), LOAD_SAMPLES (default 20).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
go build -o bin/tracker ./cmd/tracker
go build -o bin/loadreports ./scripts/loadreports
url=${LOAD_DATABASE_URL:-}
if [ -z "$url" ]; then
    port=${TRACKER_PGPORT:-54329}
    scripts/localpg.sh start "$root/.pgdata" "$port" >&2
    psql -q -h 127.0.0.1 -p "$port" -U postgres -c 'DROP DATABASE IF EXISTS tracker_load_reports WITH (FORCE)' postgres
    psql -q -h 127.0.0.1 -p "$port" -U postgres -c 'CREATE DATABASE tracker_load_reports' postgres
    url="postgres://postgres@127.0.0.1:$port/tracker_load_reports?sslmode=disable"
fi
DATABASE_URL=$url bin/tracker migrate >&2
echo "| what | throughput | latency | errors |"
echo "|---|---:|---|---|"
bin/loadreports -db "$url" -bin bin/tracker -workers "${LOAD_WORKERS:-16}" -duration "${LOAD_DURATION:-10s}" -samples "${LOAD_SAMPLES:-20}"
