#!/usr/bin/env bash
# bench.sh: the figures in docs/performance.md.
#   1. Go micro-benchmarks (resemblance index for the whole world, weights parsing).
#   2. wrk load against a running tracker (warm caches) on 127.0.0.1, compared with
#      nginx serving the same pre-compressed GeoJSON bytes as a static file.
# Uses the local cluster (make db-start) or DATABASE_URL. Prints Markdown.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
port=${BENCH_PORT:-18090}
nginx_port=${BENCH_NGINX_PORT:-18091}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONNECTIONS:-32}
scripts/deps.sh test
command -v nginx >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

if [ -z "${DATABASE_URL:-}" ]; then
    scripts/localpg.sh start "$root/.pgdata" 54329
    export DATABASE_URL="postgres://postgres@127.0.0.1:54329/tracker?sslmode=disable"
fi
bin/tracker ingest >/dev/null 2>&1
work=$(mktemp -d)
RATE_LIMIT=0 PORT=$port bin/tracker serve --skip-migrate >/dev/null 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

base="http://127.0.0.1:$port"
echo "## Go micro-benchmarks"
echo
echo '```'
go test -run '^$' -bench . -benchmem -count 3 ./resemblance/ | grep -E '^Benchmark'
echo '```'
echo
echo "## Payload sizes"
echo
echo "| resource | identity bytes | gzip bytes |"
echo "|---|---:|---:|"
for path in "/api/v1/geo/countries.geojson?resolution=110m" "/api/v1/geo/countries.geojson?resolution=50m" "/api/v1/index" "/api/v1/countries/CHN"; do
    plain=$(curl -s "$base$path" | wc -c)
    gz=$(curl -s -H 'Accept-Encoding: gzip' "$base$path" | wc -c)
    echo "| \`$path\` | $plain | $gz |"
done

# The same gzipped 110m bytes as a static file behind nginx (gzip_static).
mkdir -p "$work/www"
curl -s "$base/api/v1/geo/countries.geojson?resolution=110m" > "$work/www/countries.geojson"
curl -s -H 'Accept-Encoding: gzip' "$base/api/v1/geo/countries.geojson?resolution=110m" > "$work/www/countries.geojson.gz"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1; pid $work/nginx.pid; error_log $work/error.log; daemon on;
events { worker_connections 1024; }
http { access_log off; gzip_static on; types { application/geo+json geojson; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; } }
NGINX
nginx -c "$work/nginx.conf"
sleep 0.5

run() { # name url
    local out
    out=$(wrk -t2 -c"$conns" -d"$duration" --latency -H 'Accept-Encoding: gzip' "$2")
    local rps p50 p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    echo "| $1 | $rps | $p50 | $p99 |"
}
echo
echo "## Load (wrk -t2 -c$conns -d$duration, gzip accepted, warm caches, server and wrk on the same 2 cores)"
echo
echo "| endpoint | requests/s | p50 | p99 |"
echo "|---|---:|---:|---:|"
for path in "/api/v1/geo/countries.geojson?resolution=110m" "/api/v1/countries" "/api/v1/index" \
            "/api/v1/index?weights=sanctions:3,identity:0.5" "/api/v1/countries/CHN" "/api/v1/countries/VEN"; do
    curl -s "$base$path" >/dev/null
    run "tracker \`$path\`" "$base$path"
done
run "nginx static file (same gzipped 110m bytes)" "http://127.0.0.1:$nginx_port/countries.geojson"
