#!/usr/bin/env bash
# Installs what is missing, then runs the whole test suite: content validation, type checks,
# unit and integration tests (real PostgreSQL), and Playwright end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# The Kubernetes driver's tests run against a real kube-apiserver built from the Go module proxy.
# Its first build takes about 10 minutes of Go on 2 cores, so it runs beside the installs (mostly
# downloads) and the static checks; later runs find it cached in .cache/control-plane.
mkdir -p .cache
bash infra/control-plane/build.sh > .cache/control-plane-build.log 2>&1 &
control_plane_build=$!
trap 'kill $control_plane_build 2>/dev/null || true' EXIT
bash scripts/install.sh --browser --labs

rm -rf .cache/test-reports && mkdir -p .cache/test-reports
phase() { echo "==> $1 (at $((SECONDS / 60)) min $((SECONDS % 60)) s)"; }
phase "content validation"; pnpm --silent content:validate
phase "type checks"; pnpm --silent typecheck
phase "lint and format check (Biome)"; pnpm --silent lint
phase "test control plane (kube-apiserver, etcd, kwok)"
build_status=0
wait $control_plane_build || build_status=$?
cat .cache/control-plane-build.log
[ "$build_status" -eq 0 ] || { echo "the control plane did not build (exit $build_status)" >&2; exit 1; }

# Both runners run even if the first fails, so one summary covers the whole suite.
status=0
phase "unit + integration tests"
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-reports/vitest.json || status=1
phase "end-to-end tests (Playwright, Chromium)"
pnpm --filter @cookbook/e2e exec playwright test || status=1

node scripts/summarize-tests.mjs .cache/test-reports/vitest.json .cache/test-reports/e2e.json || status=1
phase "done"
exit $status
