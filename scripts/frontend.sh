#!/usr/bin/env bash
# frontend.sh build: install the web app's npm packages (npm ci, only when the
# lock file changed) and build it into frontend/dist, which the binary embeds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/frontend"
stamp=node_modules/.lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
fi
npm run --silent build
