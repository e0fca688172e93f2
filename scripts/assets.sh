#!/usr/bin/env bash
# Fetches the portal's front-end packages from npm (versions pinned in
# package-lock.json) and copies the files the portal serves into
# internal/web/static/npm, where //go:embed picks them up. Nothing from
# npm is committed (.gitignore keeps node_modules and the copies out). The
# portal works without these files (plain forms and full page loads; the
# relationship graph page says the chart library is missing), so a
# machine without npm still builds and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

npmdir=internal/web/static/npm
if ! command -v npm >/dev/null 2>&1; then
  echo "assets: npm not found; building the portal without htmx and ECharts (it still works with full page loads)" >&2
  exit 0
fi

# Each package and the file of it the portal serves.
files="htmx.org:dist/htmx.min.js echarts:dist/echarts.min.js"

version() { node -p "require('./$1').version" 2>/dev/null || true; }

# Install from the lock file unless every package is there at the locked
# version.
for entry in $files; do
  pkg=${entry%%:*}
  want=$(node -p "require('./package-lock.json').packages['node_modules/$pkg'].version")
  if [ "$want" != "$(version "node_modules/$pkg/package.json")" ]; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    break
  fi
done

mkdir -p "$npmdir"
for entry in $files; do
  pkg=${entry%%:*}
  src=node_modules/$pkg/${entry#*:}
  cp "$src" "$npmdir/"
  echo "assets: $pkg $(version "node_modules/$pkg/package.json") -> $npmdir/$(basename "$src")" >&2
done
