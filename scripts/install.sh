#!/usr/bin/env bash
# Installs what is missing for the platform: pnpm and the workspace's packages; with --browser,
# also Debian's Chromium for the end-to-end tests. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
with_browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=true ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20.19 or newer is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "==> installing pnpm $PNPM_VERSION"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

echo "==> installing workspace packages"
pnpm install --frozen-lockfile --prefer-offline --reporter=append-only | grep -vE '^(Progress|Packages):' || true
test -d node_modules/.pnpm || { echo "pnpm install failed" >&2; exit 1; }

if $with_browser && [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's Chromium for the end-to-end tests"
  as_root=""; [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium >/dev/null
fi
