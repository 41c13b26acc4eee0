#!/usr/bin/env bash
# test.sh: everything `make test` runs, against a throwaway PostGIS cluster
# that it starts in .pgtest/ and deletes afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

step() { printf '\n== %s\n' "$*"; }

step "dependencies"
scripts/deps.sh test
scripts/frontend.sh build

step "format, vet, staticcheck, go mod tidy"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/node_modules/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; exit 1; fi
go vet ./...
go tool staticcheck ./...
go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }

step "OpenAPI lint"
(cd frontend && node_modules/.bin/redocly lint --config ../api/redocly.yaml ../api/openapi.yaml ../api/ogc.yaml)

step "fuzzing the parsers of outside input (a fixed count each; make fuzz runs a minute each)"
scripts/fuzz.sh

step "front-end unit tests"
(cd frontend && npm test --silent)

step "throwaway PostGIS cluster"
pgdir="$root/.pgtest"
pgport=${TRACKER_TEST_PGPORT:-54330}
scripts/localpg.sh reset "$pgdir" "$pgport" 2>/dev/null || true
scripts/localpg.sh start "$pgdir" "$pgport"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    scripts/localpg.sh reset "$pgdir" "$pgport" || true
}
trap cleanup EXIT
export TRACKER_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres?sslmode=disable"

step "Go tests"
go test -race -count=1 -timeout 30m ./...

step "browser tests (real binary, shipped dataset, headless Chromium)"
mkdir -p bin artifacts
go build -o bin/tracker ./cmd/tracker
e2e_url="postgres://postgres@127.0.0.1:$pgport/e2e?sslmode=disable"
psql -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -qc "CREATE DATABASE e2e" >/dev/null
DATABASE_URL="$e2e_url" bin/tracker ingest >/dev/null 2>artifacts/e2e-ingest.log
e2e_port=${TRACKER_E2E_PORT:-18080}
DATABASE_URL="$e2e_url" PORT="$e2e_port" bin/tracker serve --skip-migrate 2>artifacts/e2e-server.log &
server_pid=$!
ready=""
for _ in $(seq 1 150); do
    if curl -fsS "http://127.0.0.1:$e2e_port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "the tracker did not become ready on :$e2e_port; its log:" >&2
    tail -50 artifacts/e2e-server.log >&2
    exit 1
fi
# The portal's tests create their users with the real CLI in the server's database.
(cd frontend && BASE_URL="http://127.0.0.1:$e2e_port" ARTIFACTS_DIR="$root/artifacts/e2e" \
    E2E_DATABASE_URL="$e2e_url" TRACKER_BIN="$root/bin/tracker" npm run --silent test:e2e)
