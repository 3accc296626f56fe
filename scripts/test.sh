#!/usr/bin/env bash
# Installs what is missing, then runs the whole test suite: content validation, type checks,
# unit and integration tests (real PostgreSQL), and Playwright end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --browser --labs

rm -rf .cache/test-reports && mkdir -p .cache/test-reports
echo "==> content validation"; pnpm --silent content:validate
echo "==> type checks"; pnpm --silent typecheck
echo "==> lint and format check (Biome)"; pnpm --silent lint
# The Kubernetes driver's tests run against a real kube-apiserver built from the Go module proxy;
# the first build takes about 10 minutes, later runs find it cached in .cache/control-plane.
echo "==> test control plane (kube-apiserver, etcd, kwok)"; bash infra/control-plane/build.sh

# Both runners run even if the first fails, so one summary covers the whole suite.
status=0
echo "==> unit + integration tests"
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-reports/vitest.json || status=1
echo "==> end-to-end tests (Playwright, Chromium)"
pnpm --filter @cookbook/e2e exec playwright test || status=1

node scripts/summarize-tests.mjs .cache/test-reports/vitest.json .cache/test-reports/e2e.json || status=1
exit $status
