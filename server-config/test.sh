#!/usr/bin/env bash
# Test command: provision database arbor_test + domain arbor-test (portbase 20000:
# admin 20048, HTTP 20080), then run `mvn -B verify -Pit` against it.
# Extra arguments are passed to Maven. Exits with Maven's status.
# ARBOR_TEST_DOMAIN / ARBOR_TEST_PORTBASE / ARBOR_TEST_DB override the three, so that two
# checkouts can run their suites side by side (each checkout has its own .payara/).
# The domain is left running for fast re-runs, unless CI=true (then it is stopped).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOMAIN="${ARBOR_TEST_DOMAIN:-arbor-test}"
PORTBASE="${ARBOR_TEST_PORTBASE:-20000}"
TEST_DB="${ARBOR_TEST_DB:-arbor_test}"

if [[ "${CI:-}" == true ]]; then
  trap '( stop_domain "$DOMAIN" ) || true' EXIT
fi

"$(dirname "${BASH_SOURCE[0]}")/monitoring/check.sh"  # Prometheus rules + Grafana dashboard; fails the run
T0=$SECONDS
ensure_payara
timed "ensure_postgres" ensure_postgres "$TEST_DB"
timed "ensure_domain" ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN"
timed "configure_resources" configure_resources "$DOMAIN"

# Small cache bounds on the test domain, so CacheIT can fill the cache past its bound in seconds
# (domain-level MicroProfile Config, read when Arquillian deploys). The tests get the same values.
TEST_CONFIG=(arbor.cache.chunk-size=10 arbor.cache.events.max-chunks=1000)
for setting in "${TEST_CONFIG[@]}"; do
  "$ASADMIN" --port "$ADMIN_PORT" set-config-property --source=domain \
    --propertyname="${setting%%=*}" --propertyvalue="${setting#*=}" >/dev/null \
    || die "could not set $setting on $DOMAIN"
done
log "test configuration: ${TEST_CONFIG[*]}"
# Arquillian deploys the EAR itself under the name arbor; a leftover deployment would collide.
if "$ASADMIN" --port "$ADMIN_PORT" list-applications 2>/dev/null | grep -q '^arbor '; then
  "$ASADMIN" --port "$ADMIN_PORT" undeploy arbor >/dev/null && log "removed a leftover arbor deployment"
fi
log "provisioning took $((SECONDS - T0))s"

MVN=(mvn -B verify -Pit
  "-Darbor.domain=${DOMAIN}"
  "-Darbor.admin.port=${ADMIN_PORT}"
  "-Darbor.http.port=${HTTP_PORT}"
  "-Darbor.db.url=${DB_URL}"
  "-Darbor.db.user=${DB_USER}"
  "-Darbor.db.password=${DB_PASSWORD}"
  "-Darbor.payara.home=${PAYARA_HOME}"
  "${TEST_CONFIG[@]/#/-D}"
  "$@")
log "running: ${MVN[*]}"
rc=0
( cd "$ROOT" && "${MVN[@]}" ) || rc=$?
if (( rc == 0 )); then log "tests passed"; else log "Maven exited with status $rc"; fi

# ---- benchmark smoke run (issue 5) --------------------------------------------------------------
# Every scenario of bench/run.sh with tiny sizes, against this domain and database, so the
# benchmark cannot rot; a failed smoke run fails the test command. It deploys the EAR Maven just
# built (Arquillian undeployed its own) and undeploys it again afterwards. ARBOR_BENCH_SMOKE=0 skips.
if (( rc == 0 )) && [[ "${ARBOR_BENCH_SMOKE:-1}" != 0 ]]; then
  log "benchmark smoke run: bench/run.sh --domain $DOMAIN --db $TEST_DB --deploy --smoke"
  if ARBOR_TEST_DB="$TEST_DB" "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$TEST_DB" --deploy --smoke; then
    log "benchmark smoke run passed"
  else
    rc=1; log "benchmark smoke run FAILED"
  fi
  "$ASADMIN" --port "$ADMIN_PORT" undeploy arbor >/dev/null 2>&1 || true
fi
# ---- end of benchmark smoke run -----------------------------------------------------------------
if [[ "${CI:-}" != true ]]; then
  log "domain $DOMAIN left running (admin http://localhost:${ADMIN_PORT}, log $(domain_dir "$DOMAIN")/logs/server.log); stop with: server-config/stop.sh $DOMAIN"
fi
exit "$rc"
