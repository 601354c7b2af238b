#!/usr/bin/env bash
# Script test for server-config/test.sh (issue 13, item 10): when the test command ends, outside CI
# too, the test domain it started is stopped, unless ARBOR_KEEP=1 asked to keep it.
#   testCommandStopsTheTestDomainWhenItEnds        test.sh, then arbor-test must not be running
#   testCommandKeepsTheTestDomainWithArborKeep     ARBOR_KEEP=1 test.sh, then it must be running
# Each runs test.sh with one small IT class and no unit tests, grid, benchmark, drill or fault
# suite (a few minutes each). It starts Payara: run it under the machine's shared lock, as any
# suite, e.g. flock /tmp/arbor-payara.lock server-config/tests/test-command-stops-what-it-started.sh
# (The fault suite stops its own domain and cluster through FAULTS_CLEANUP=1, which test.sh sets
# unless ARBOR_KEEP=1; the grid's instances are stopped by the same exit trap as the domain.)
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
DOMAIN="${ARBOR_TEST_DOMAIN:-arbor-test}"
failures=0

run_test_command() {
  env -u CI ARBOR_BENCH_SMOKE=0 ARBOR_SKIP_DR_DRILL=1 "$@" "$SERVER_CONFIG_DIR/test.sh" \
    -Dit.test=ServiceEndpointsIT -Dtest=NoUnitTest -Dsurefire.failIfNoSpecifiedTests=false \
    >"$LOG" 2>&1 || { cat "$LOG" >&2; die "test.sh failed (log above)"; }
}

check() { # NAME CONDITION_DESCRIPTION EXIT_STATUS
  if (( $3 == 0 )); then log "PASS $1"; else log "FAIL $1: $2"; failures=$((failures + 1)); fi
}

LOG=$(mktemp); trap 'rm -f "$LOG"; stop_domain "$DOMAIN" >/dev/null 2>&1 || true' EXIT

run_test_command env
st=0; domain_running "$DOMAIN" && st=1
check testCommandStopsTheTestDomainWhenItEnds "domain $DOMAIN still running after test.sh" "$st"

run_test_command env ARBOR_KEEP=1
st=0; domain_running "$DOMAIN" || st=1
check testCommandKeepsTheTestDomainWithArborKeep "domain $DOMAIN not running after ARBOR_KEEP=1 test.sh" "$st"

log "$((2 - failures)) passed, $failures failed"
(( failures == 0 ))
