#!/usr/bin/env bash
# Fetches the portal's front-end packages from npm (versions pinned in
# package-lock.json) and copies the files the portal serves into
# internal/web/static/npm, where //go:embed picks them up. Nothing from
# npm is committed (.gitignore keeps node_modules and the copies out). The
# portal works without these files (plain forms and full page loads), so a
# machine without npm still builds and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

npmdir=internal/web/static/npm
if ! command -v npm >/dev/null 2>&1; then
  echo "assets: npm not found; building the portal without htmx (it still works with full page loads)" >&2
  exit 0
fi
want=$(node -p 'require("./package-lock.json").packages["node_modules/htmx.org"].version')
have=$(node -p 'require("./node_modules/htmx.org/package.json").version' 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
mkdir -p "$npmdir"
cp node_modules/htmx.org/dist/htmx.min.js "$npmdir/htmx.min.js"
echo "assets: htmx.org $want -> $npmdir/htmx.min.js" >&2
