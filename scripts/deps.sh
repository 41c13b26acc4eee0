#!/usr/bin/env bash
# deps.sh: install the Debian packages the project needs when they are missing.
#   scripts/deps.sh run    PostGIS only (for make run)
#   scripts/deps.sh test   PostGIS, Chromium, wrk and GDAL (for make test and benchmarks;
#                          gdal-bin's ogrinfo/ogr2ogr are the third-party OGC API client)
set -euo pipefail
want=(postgresql-15-postgis-3 curl)
if [ "${1:-run}" = test ]; then want+=(chromium wrk gdal-bin); fi
missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]} (run as root, or apt-get install them)" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
