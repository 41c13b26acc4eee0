#!/usr/bin/env bash
# localpg.sh: a PostgreSQL + PostGIS cluster that the project manages itself.
#
#   scripts/localpg.sh start [DIR] [PORT]   install PostGIS if missing, initdb once, start
#   scripts/localpg.sh stop  [DIR]          stop the cluster
#   scripts/localpg.sh reset [DIR]          stop it and delete its data
#   scripts/localpg.sh url   [DIR] [PORT]   print the postgres:// URL of the 'tracker' database
#
# The cluster lives in DIR (default .pgdata in the repository, gitignored), listens on
# 127.0.0.1:PORT (default 54329, so it never collides with a system cluster on 5432) and on
# a unix socket inside DIR. initdb runs as the 'postgres' user, as PostgreSQL requires.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
dir=${2:-$root/.pgdata}
port=${3:-54329}
pgbin=/usr/lib/postgresql/15/bin

log() { printf 'localpg: %s\n' "$*" >&2; }

ensure_packages() {
    if [ ! -x "$pgbin/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
        log "installing postgresql-15-postgis-3 (Debian package)"
        if [ "$(id -u)" -ne 0 ]; then log "need root to apt-get install postgresql-15-postgis-3"; exit 1; fi
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
    fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# resolve_dir: the postgres user must reach the cluster folder. When the repository sits under a
# folder it cannot enter (a private home, say), keep the cluster in /var/tmp instead, one per
# repository path, and leave a symlink behind so `make db-reset` still finds it.
resolve_dir() {
    if [ "$(id -u)" -ne 0 ]; then return; fi
    if [ -L "$dir" ]; then dir=$(readlink -f "$dir"); return; fi
    mkdir -p "$dir"
    chown postgres:postgres "$dir"
    if ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
        local alt
        alt=/var/tmp/scs-tracker-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
        log "postgres cannot reach $dir; using $alt"
        rmdir "$dir" 2>/dev/null || true
        mkdir -p "$alt" && chown postgres:postgres "$alt"
        ln -sfn "$alt" "$dir"
        dir=$alt
    fi
}

running() { [ -f "$dir/data/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

start() {
    ensure_packages
    resolve_dir
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        log "initdb in $dir/data"
        as_postgres "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if running; then
        log "already running on 127.0.0.1:$port"
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        log "cannot start: something else already listens on 127.0.0.1:$port (another PostgreSQL cluster?)."
        log "Stop it, or choose another port for the project's cluster: TRACKER_PGPORT=54339 make run"
        exit 1
    else
        # A unix socket path may not exceed 107 bytes: with a deep checkout, put it in /tmp.
        sock=$dir
        if [ $(( ${#dir} + 20 )) -gt 100 ]; then
            sock=/tmp/scs-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
            mkdir -p "$sock" && { [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$sock"; }
        fi
        as_postgres "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null || { log "start failed; see $dir/postgres.log"; tail -20 "$dir/postgres.log" >&2; exit 1; }
        log "started on 127.0.0.1:$port (socket in $sock)"
    fi
    if ! "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='tracker'" | grep -q 1; then
        "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE tracker" >/dev/null
    fi
}

stop() {
    [ -L "$dir" ] && dir=$(readlink -f "$dir")
    if running; then
        as_postgres "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
        log "stopped"
    fi
}

case "$cmd" in
    start) start ;;
    stop) stop ;;
    reset) link=""; [ -L "$dir" ] && link=$dir; stop; rm -rf "$dir"; [ -n "$link" ] && rm -f "$link"; log "deleted $dir" ;;
    url) echo "postgres://postgres@127.0.0.1:$port/tracker?sslmode=disable" ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
