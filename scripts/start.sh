#!/usr/bin/env bash
# Installs what is missing, then starts the platform: PostgreSQL (embedded unless DATABASE_URL
# is set), migrations, the cookbook course, the demo organisation, lab-runner with the local
# sandbox driver, and the web app on $PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --labs
cd apps/web
exec pnpm exec tsx scripts/start-platform.ts "$@"
