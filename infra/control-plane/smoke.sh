#!/usr/bin/env bash
# Build (stamp-cached) and smoke-test the control plane end to end. SMOKE_KWOK=0 skips KWOK.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./build.sh
exec ../../node_modules/.bin/tsx smoke.ts
