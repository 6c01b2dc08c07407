#!/usr/bin/env bash
# npm test: lint, format check, typecheck, unit tests, integration tests (real MariaDB and a real
# Kubernetes control plane) and Playwright end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

export SITEPOD_LOG_LEVEL="${SITEPOD_LOG_LEVEL:-warn}"
results="$(mktemp -d)"
cluster_started=""

cleanup() {
  local rc=$?
  if [[ -n "$cluster_started" ]]; then
    echo "== stopping the local cluster this run started"
    npx tsx cluster/cli.ts down || true
    # `cluster:down` must put the machine back as it was (sysctls, bridge, firewall, mounts).
    if ! npx tsx cluster/cli.ts host-compare "$results/host-before.json"; then
      rc=1
    fi
  fi
  rm -rf "$results"
  exit "$rc"
}
trap cleanup EXIT

step() { echo; echo "== $*"; }

step "lint"
npx biome lint .
step "format check"
npx biome format .
step "typecheck"
npx next typegen >/dev/null
npx tsc --noEmit

step "unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json"

# One control plane for the integration and end-to-end suites; their global setups reuse it.
step "local Kubernetes control plane"
if ! npx tsx cluster/cli.ts status >/dev/null 2>&1; then
  cluster_started=1
  npx tsx cluster/cli.ts clear-leftovers
  npx tsx cluster/cli.ts host-snapshot "$results/host-before.json"
fi
npx tsx cluster/cli.ts up

# Two lanes side by side (vitest.config.ts): the suites that talk to the cluster, one file at a
# time, and those that need only MariaDB, one file at a time; each lane's lines carry its name.
step "integration tests"
lane() {
  npx vitest run --project "integration-$1" --reporter=default --reporter=json \
    --outputFile.json="$results/integration-$1.json"
}
lane db &
db_lane=$!
cluster_rc=0
lane cluster || cluster_rc=$?
db_rc=0
wait "$db_lane" || db_rc=$?
if [[ $cluster_rc -ne 0 || $db_rc -ne 0 ]]; then
  echo "integration tests failed (cluster lane exit $cluster_rc, MariaDB lane exit $db_rc)"
  exit 1
fi

step "end-to-end tests"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/e2e.json" npx playwright test --reporter=list,json

node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const f of ["unit", "integration-cluster", "integration-db"]) {
  const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f + ".json", "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests;
}
const e2e = JSON.parse(fs.readFileSync(process.argv[1] + "/e2e.json", "utf8"));
passed += e2e.stats.expected; failed += e2e.stats.unexpected + e2e.stats.flaky;
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
' "$results"
