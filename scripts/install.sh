#!/usr/bin/env bash
# Installs what is missing for the platform: pnpm and the workspace's packages; with --labs, the
# lab sandboxes' software (Kafka, Hadoop and Spark from Maven Central and PyPI, bubblewrap from
# Debian); with --browser, Debian's Chromium for the end-to-end tests. Safe to run again: it
# skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
with_browser=false
with_labs=false
for arg in "$@"; do
  case "$arg" in
    --browser) with_browser=true ;;
    --labs) with_labs=true ;;
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

debian_packages=()
$with_browser && [ ! -x /usr/bin/chromium ] && debian_packages+=(chromium)
# The lab terminal's confinement (see apps/lab-runner/src/driver/local/confined-shell.ts), and each
# sandbox's network namespace and firewall (apps/lab-runner/src/driver/local/sandbox-network.ts).
$with_labs && ! command -v bwrap >/dev/null && debian_packages+=(bubblewrap)
$with_labs && ! command -v nft >/dev/null && debian_packages+=(nftables)
$with_labs && ! command -v ip >/dev/null && debian_packages+=(iproute2)
$with_labs && ! command -v nsenter >/dev/null && debian_packages+=(util-linux)
if [ ${#debian_packages[@]} -gt 0 ]; then
  echo "==> installing from Debian: ${debian_packages[*]}"
  as_root=""; [ "$(id -u)" -eq 0 ] || as_root="sudo"
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq "${debian_packages[@]}" >/dev/null
fi

if $with_labs; then
  echo "==> lab software (Kafka, Hadoop, Spark; first run downloads about 1 GB)"
  bash apps/lab-runner/scripts/install-lab-software.sh
fi
