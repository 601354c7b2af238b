#!/usr/bin/env bash
# Test command: provision database arbor_test + domain arbor-test (portbase 20000:
# admin 20048, HTTP 20080), then run `mvn -B verify -Pit` against it.
# Extra arguments are passed to Maven (and then the grid tests are skipped unless
# ARBOR_TEST_GRID=1). Exits with Maven's status.
# ARBOR_TEST_DOMAIN / ARBOR_TEST_PORTBASE / ARBOR_TEST_DB override the three, so that two
# checkouts can run their suites side by side (each checkout has its own .payara/).
# Everything the run starts is stopped when it ends: the test domain, the grid's instances, the
# fault suite's domain and PostgreSQL cluster. ARBOR_KEEP=1 leaves them running (fast re-runs, a
# look around afterwards); CI=true always stops them.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOMAIN="${ARBOR_TEST_DOMAIN:-arbor-test}"
PORTBASE="${ARBOR_TEST_PORTBASE:-20000}"
TEST_DB="${ARBOR_TEST_DB:-arbor_test}"

# The two-instance data grid of the grid tests: a deployment group on this domain, its ports
# inside this domain's port range (instances PORTBASE+100.., HTTP PORTBASE+120/+121).
export ARBOR_GRID_DOMAIN="$DOMAIN" ARBOR_GRID_DB="$TEST_DB"
export ARBOR_GRID_PORTBASE=$((PORTBASE + 100))
export ARBOR_GRID_HTTP_A=$((PORTBASE + 120)) ARBOR_GRID_HTTP_B=$((PORTBASE + 121))
GRID="$(dirname "${BASH_SOURCE[0]}")/grid.sh"

KEEP="${ARBOR_KEEP:-0}"
[[ "${CI:-}" != true ]] || KEEP=0
if [[ "$KEEP" != 1 ]]; then
  trap '( "$GRID" stop; stop_domain "$DOMAIN" ) || true' EXIT
fi

"$(dirname "${BASH_SOURCE[0]}")/monitoring/check.sh"  # Prometheus rules + Grafana dashboard; fails the run
"$(dirname "${BASH_SOURCE[0]}")/openapi/check.sh"     # Spectral spectral:oas on openapi.yaml as written
T0=$SECONDS
ensure_payara
# Every run starts from an empty test database, as CI on a new machine does: what an earlier run
# left behind (the benchmark smoke run's events, seeded by SQL without hashes, and its scavenged
# streams) would otherwise meet this run's `arbor verify` tests as anomalies. ARBOR_KEEP_DB=1 keeps it.
ARBOR_FRESH_DB=$([[ "${ARBOR_KEEP_DB:-0}" == 1 ]] && echo 0 || echo 1) \
  timed "ensure_postgres" ensure_postgres "$TEST_DB"
# The archive directory belongs to one store (docs/archive.md): a fresh database is a new store, so
# the last run's segments go with the last run's database.
if [[ "${ARBOR_KEEP_DB:-0}" != 1 ]]; then rm -rf "$(domain_dir "$DOMAIN")/archive"; fi
timed "ensure_domain" ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN"
ARBOR_ADMIN_PASSWORD=$(admin_password); export ARBOR_ADMIN_PASSWORD  # Arquillian, ServerListenersIT
timed "configure_resources" configure_resources "$DOMAIN"
timed "configure_security" configure_security "$DOMAIN"

# Small cache bounds on the test domain, so CacheIT can fill the cache past its bound in seconds,
# and small subscription buffers and heartbeats, so SubscriptionIT can overflow and wait for them
# (domain-level MicroProfile Config, read when Arquillian deploys). The tests get the same values.
# Small events partitions, checked often: the suite's reads and writes cross partition boundaries
# (PartitionsIT reads the bounds from the catalogue). 10,000 positions each: the suite ends with about
# ten, as a store of 10,000,000 events has at the default size. (Partitions of 1,000 made ninety: a
# statement that cannot prune plans and locks every partition, and ConsumerGroupIT's 10,000 events
# then missed its 3-minute bound; docs/indexes.md.)
# The archive in the domain's directory, a grace of 4 s and no scheduled pass: ArchiverIT runs the
# archiver itself and waits out the grace (docs/archive.md, "The archiver").
TEST_CONFIG=(arbor.cache.chunk-size=10 arbor.cache.events.max-chunks=1000
  arbor.subscriptions.page-size=100 arbor.subscriptions.buffer-events=500 arbor.subscriptions.heartbeat-seconds=2
  arbor.partitions.size=10000 arbor.partitions.ahead=3 arbor.partitions.check-interval-seconds=2
  "arbor.archive.dir=$(domain_dir "$DOMAIN")/archive" arbor.archive.older-than-days=0
  arbor.archive.grace-seconds=4 arbor.archive.check-interval-seconds=0)
for setting in "${TEST_CONFIG[@]}"; do
  "$ASADMIN" --port "$ADMIN_PORT" set-config-property --source=domain \
    --propertyname="${setting%%=*}" --propertyvalue="${setting#*=}" >/dev/null \
    || die "could not set $setting on $DOMAIN"
done
log "test configuration: ${TEST_CONFIG[*]}"
# Arquillian deploys the EAR itself under the name arbor; a leftover deployment would collide.
if arbor_deployed "$DOMAIN"; then
  "$ASADMIN" --port "$ADMIN_PORT" undeploy arbor >/dev/null && log "removed a leftover arbor deployment"
fi
# Security is on (lib.sh configure_security: the development key, issuer arbor-dev). The suite mints
# its own tokens with the development private key (io.arbor.it.Tokens); ARBOR_TOKEN, an admin token,
# is for what reads the environment (the CLI and Java client in CliIT and ClientIT, the benchmark).
ARBOR_TOKEN=$(dev_token arbor-admin 43200) || die "could not mint the test run's token (bin/arbor token)"
export ARBOR_TOKEN
log "provisioning took $((SECONDS - T0))s"

SETTINGS=(
  "-Darbor.domain=${DOMAIN}"
  "-Darbor.admin.port=${ADMIN_PORT}"
  "-Darbor.http.port=${HTTP_PORT}"
  "-Darbor.db.url=${DB_URL}"
  "-Darbor.db.user=${DB_USER}"
  "-Darbor.db.password=${DB_PASSWORD}"
  "-Darbor.db.owner.user=${DB_OWNER_USER}"
  "-Darbor.db.owner.password=${DB_OWNER_PASSWORD}"
  "-Darbor.payara.home=${PAYARA_HOME}"
  "-Darbor.dev-key=${ARBOR_DEV_KEYS}/private.pem"
  "${TEST_CONFIG[@]/#/-D}")
# `install`, so that the grid run below can build the test module alone.
MVN=(mvn -B install -Pit "${SETTINGS[@]}" "$@")
log "running: ${MVN[*]}"
rc=0
SERVED_OPENAPI="$ROOT/integration-tests/target/openapi/served.json"
OPENAPI_COUNTS="$ROOT/integration-tests/target/openapi/validated-responses.txt"
rm -f "$SERVED_OPENAPI" "$OPENAPI_COUNTS"
( cd "$ROOT" && "${MVN[@]}" ) || rc=$?

# ---- the OpenAPI document as served (issue 13) ---------------------------------------------------
# The integration tests validated every answer against the server's /openapi (OpenApiContract) and
# saved that document: Spectral lints it as served, which is what users get.
if [[ -f "$OPENAPI_COUNTS" ]]; then
  log "OpenAPI contract: $(tr '\n' ' ' <"$OPENAPI_COUNTS")(answers validated against /openapi; see OpenApiContract)"
fi
if (( rc == 0 )) && [[ -f "$SERVED_OPENAPI" ]]; then
  "$SERVER_CONFIG_DIR/openapi/check.sh" "$SERVED_OPENAPI" || rc=1
elif (( rc == 0 )); then
  log "no served OpenAPI document saved (no integration test ran): Spectral linted only the file"
fi

# ---- grid tests: two instances in one data grid (after the main suite: RestartIT restarts the
# DAS, and a restarted DAS only rejoins running instances at Hazelcast's next merge, minutes later)
# A targeted run (extra Maven arguments, e.g. -Dit.test=AppendIT) skips them; CI passes none.
if (( rc == 0 && $# > 0 )) && [[ "${ARBOR_TEST_GRID:-}" != 1 ]]; then
  log "grid tests skipped: extra Maven arguments given (ARBOR_TEST_GRID=1 runs them anyway)"
elif (( rc == 0 )); then
  log "grid tests: (re)starting instances arbor-a/arbor-b of $DOMAIN"
  "$GRID" stop
  if ARBOR_GRID_REDEPLOY=1 "$GRID" start; then
    GRID_MVN=(mvn -B verify -Pit,grid -pl integration-tests "${SETTINGS[@]}"
      "-Darbor.grid.a=http://localhost:${ARBOR_GRID_HTTP_A}"
      "-Darbor.grid.b=http://localhost:${ARBOR_GRID_HTTP_B}")
    log "running: ${GRID_MVN[*]}"
    ( cd "$ROOT" && "${GRID_MVN[@]}" ) || rc=$?
    # An operator stopping a half-dead grid waits seconds (issue 13: stop-deployment-group waited
    # 598 s on an instance killed by kill -9): kill -9 arbor-b, then the stop below must be quick.
    if B_PID=$(instance_pid "localhost-$DOMAIN" arbor-b) && kill -9 "$B_PID"; then
      log "grid: killed arbor-b (kill -9 $B_PID) before stopping the grid"
    else
      rc=1; log "grid: no running arbor-b to kill"
    fi
  else
    rc=1; log "the two-instance grid did not start"
  fi
  T_STOP=$SECONDS
  "$GRID" stop  # the drill below re-points the domain's pool, which running instances survive badly
  if (( SECONDS - T_STOP > 60 )); then
    rc=1; log "grid stop with one instance dead took $((SECONDS - T_STOP))s (more than 60 s)"
  fi
fi
if (( rc == 0 )); then log "tests passed"; else log "Maven exited with status $rc"; fi

# ---- benchmark smoke run (issue 5) --------------------------------------------------------------
# Every scenario of bench/run.sh with tiny sizes, against this domain and database, so the
# benchmark cannot rot; a failed smoke run fails the test command. It deploys the EAR Maven just
# built (Arquillian undeployed its own), for the console tests below too, which undeploy it
# afterwards. ARBOR_BENCH_SMOKE=0 skips.
DEPLOYED_AFTER_SUITE=0
if (( rc == 0 )) && [[ "${ARBOR_BENCH_SMOKE:-1}" != 0 ]]; then
  DEPLOYED_AFTER_SUITE=1
  log "benchmark smoke run: bench/run.sh --domain $DOMAIN --db $TEST_DB --deploy --smoke"
  if ARBOR_TEST_DB="$TEST_DB" "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$TEST_DB" --deploy --smoke; then
    log "benchmark smoke run passed"
  else
    rc=1; log "benchmark smoke run FAILED"
  fi
fi
# ---- end of benchmark smoke run -----------------------------------------------------------------
# ---- console browser tests (issue 21) -------------------------------------------------------------
# console-tests.sh: the console's end-to-end tests in headless Chromium (installed when missing),
# against the EAR Maven just built: the smoke run's deployment, else deployed here. A failed test
# fails the test command. Skipped when Maven failed, when Maven got extra arguments (a targeted run;
# ARBOR_CONSOLE_TESTS=1 runs them anyway, and console-tests.sh runs them alone against a running
# domain), or with ARBOR_SKIP_CONSOLE_TESTS set to anything but 0. A skip is logged with its reason.
if (( rc != 0 )); then
  log "console tests skipped: the Maven suite failed"
elif [[ "${ARBOR_SKIP_CONSOLE_TESTS:-0}" != 0 ]]; then
  log "console tests skipped: ARBOR_SKIP_CONSOLE_TESTS=${ARBOR_SKIP_CONSOLE_TESTS}"
elif (( $# > 0 )) && [[ "${ARBOR_CONSOLE_TESTS:-}" != 1 ]]; then
  log "console tests skipped: a targeted run (ARBOR_CONSOLE_TESTS=1 runs them too; or server-config/console-tests.sh)"
else
  DEPLOYED_AFTER_SUITE=1
  "$SERVER_CONFIG_DIR/console-tests.sh" --domain "$DOMAIN" --deploy || rc=$?
fi
# What the two runs above deployed goes again (the DR drill below deploys its own).
if (( DEPLOYED_AFTER_SUITE )); then
  "$ASADMIN" --port "$ADMIN_PORT" undeploy arbor >/dev/null 2>&1 || true
fi
# ---- end of console browser tests -----------------------------------------------------------------
# ---- disaster-recovery drill (issue 8) --------------------------------------------------------
# A small DR drill on this test domain (database ${TEST_DB}_drill), after the suite (it drops and restores the
# database under the deployed application, which no Arquillian test may do to the server its own
# suite runs on). It restarts the application, not the domain (the full drill's default), to
# keep the test command short:
# workload -> backup -> destroy -> restore -> restart -> verify + byte-identical read-back.
# ARBOR_SKIP_DR_DRILL=1 skips it (e.g. when running one IT class).
if (( rc == 0 )) && [[ "${ARBOR_SKIP_DR_DRILL:-0}" != 1 ]]; then
  # Its own database, so that it drops, restores and verifies only its own small workload, not
  # everything the suites have written to $TEST_DB over many runs.
  ARBOR_DR_DOMAIN="$DOMAIN" ARBOR_DR_PORTBASE="$PORTBASE" ARBOR_DR_DB="${TEST_DB}_drill" ARBOR_CLI_REBUILD=0 \
    "$SERVER_CONFIG_DIR/dr-drill.sh" --streams 10 --events 30 --batch 10 --restart app || rc=$?
  if (( rc == 0 )); then log "DR drill passed"; else log "DR drill failed (status $rc)"; fi
fi
# ---- end of disaster-recovery drill -----------------------------------------------------------
# ---- the archiver against kill -9 (issue 20) ----------------------------------------------------
# tests/archive-kill9.sh: Payara killed while a segment is written, restarted; every range must be
# whole in PostgreSQL or in a committed segment, and the next run must complete. On this domain and
# database, after the suites (it restarts the domain). Skipped when Maven failed, on a targeted run
# (ARBOR_ARCHIVE_KILL9=1 runs it anyway), or with ARBOR_SKIP_ARCHIVE_KILL9=1.
if (( rc == 0 )) && [[ "${ARBOR_SKIP_ARCHIVE_KILL9:-0}" != 1 ]] \
   && { (( $# == 0 )) || [[ "${ARBOR_ARCHIVE_KILL9:-}" == 1 ]]; }; then
  if "$SERVER_CONFIG_DIR/tests/archive-kill9.sh" "$DOMAIN" "$PORTBASE" "$TEST_DB"; then
    log "archive kill -9 test passed"
  else
    rc=1; log "archive kill -9 test FAILED"
  fi
fi
# ---- end of the archiver against kill -9 --------------------------------------------------------
# ---- fault suite (issue 7): short run, fails the test command on any anomaly -----------------
# faults/run.sh --short: 2 kill -9 cycles of Payara, backends terminated, an immediate PostgreSQL
# stop, contention and a live reader, a kill -9 in the middle of a scavenge, each checked against
# its client-side history. It runs on its
# own PostgreSQL cluster (127.0.0.1:25432, .faults/pg) and domain arbor-faults (HTTP 24080), never
# on the ones above; with CI=true it stops both when done. Skipped when Maven failed, when Maven got
# extra arguments (a targeted run such as -Dit.test=...), or with ARBOR_SKIP_FAULTS=1.
if (( rc == 0 )) && (( $# == 0 )) && [[ "${ARBOR_SKIP_FAULTS:-0}" != 1 ]]; then
  log "fault suite: faults/run.sh --short"
  T_FAULTS=$SECONDS
  FAULTS_CLEANUP=$([[ "$KEEP" == 1 ]] && echo 0 || echo 1) ARBOR_SKIP_BUILD=1 "$ROOT/faults/run.sh" --short || rc=$?
  if (( rc == 0 )); then log "fault suite passed in $((SECONDS - T_FAULTS))s"; else log "fault suite FAILED (status $rc)"; fi
fi
# ---- end fault suite -----------------------------------------------------------------------------
if [[ "$KEEP" == 1 ]]; then
  log "ARBOR_KEEP=1: domain $DOMAIN left running (admin http://localhost:${ADMIN_PORT}, log $(domain_dir "$DOMAIN")/logs/server.log); stop with: server-config/stop.sh $DOMAIN, server-config/grid.sh stop (ARBOR_GRID_DOMAIN=$DOMAIN), faults/ctl.sh down"
else
  log "stopping what the run started (ARBOR_KEEP=1 keeps it running)"
fi
exit "$rc"
