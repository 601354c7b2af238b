#!/usr/bin/env bash
# Arbor's benchmark: one run measures the raw-SQL ceiling (pgbench, Arbor's append shape, no server)
# and Arbor over REST, and prints a table of figures with ratios to baselines from the same run.
#
#   bench/run.sh [--domain NAME] [--db NAME] [--deploy] [--smoke] [program options...]
#
#   --domain NAME   the Payara domain to measure (default arbor, the one run.sh starts); its HTTP
#                   port, pool settings and JVM options are read from its domain.xml
#   --db NAME       its database on the local PostgreSQL (default: arbor for domain arbor,
#                   $ARBOR_TEST_DB or arbor_test for any other domain)
#   --deploy        deploy ear/target/arbor.ear to the domain first (and build it if missing)
#   --smoke         every scenario with tiny sizes, in seconds (the test command runs this)
#   --grid          measure the two-instance grid of the domain (server-config/grid.sh, started
#                   beforehand) instead of the domain's own server: requests go to arbor-a (HTTP
#                   $ARBOR_GRID_HTTP_A, default 28080), and scenario 11 adds a subscriber on arbor-b
#                   ($ARBOR_GRID_HTTP_B, 28081); not with --deploy (grid.sh deploys to the group)
# Program options (defaults in brackets; full list in bench/src/main/java/io/arbor/bench/Bench.java):
#   --reset (TRUNCATE the store first, for an empty-store baseline) --seconds 20 --warmup 5
#   --ceiling-seconds 15 --append-clients 1,8,32 (scenario 2) --batch 100 --batch-clients 8 --writers 64 --read-streams 100
#   --read-clients 4 --catchup-events 1000000 --recovery-events 1000000 --recovery-tail 1000
#   --stored-events 10000000 --rate 1000 --sustained-batch 10 --sustained-seconds 60
#   --live-seconds 30 (scenarios 11, 12 at --rate) --subscribers 100 (scenario 12)
#   --other-instance URL (scenario 11's second subscriber; --grid sets it)
#   --group-events 50000 --group-consumers 4 --group-fetch 100 (scenario 14: consumer group
#   throughput) --rebuild-events 1000000 (scenario 15: a group reset over that many events)
#   --query-events 10000000 (scenario 20: a query by one tag over that many events, 1,000 matching;
#   seeded once, reused while its tag is in the store)
#   --scavenge-events 1000000 (scenario 21: appends by 8 clients without, during and after a
#   scavenge of that many hidden events; the scavenge's events removed per second)
#   --layout TEXT --results FILE (scenario 22: appends at one client and catch-up from 0 and from
#   the middle of the log over --catchup-events, on the store as it is; TEXT names the store in the
#   rows, FILE gets the figures as "key value" lines; bench/at-scale.sh drives it, issue 20)
#   --full (sustained for 10 minutes) --only 1,2,8 --skip 6,7
# Scenarios 17 (appends with a one-tag append condition vs plain, 8 clients) and 18 (POST /events
# of 2 streams vs a single-stream append, per request, 8 clients) run plain, measured, plain again.
# Scenario 16 (security on vs off) switches the domain's security and row-level security between
# its phases with bench/security-switch.sh, reloading the application each time, and leaves it on;
# not with --grid.
# Every scenario prints the server's CPU per request (per event for batches) from /proc: the Payara
# JVM listening on the target's port, and the PostgreSQL backends of the database (bench/src/main/
# java/io/arbor/bench/ServerCpu.java); the ceiling's pgbench runs, PostgreSQL's per transaction.
# Every request carries ARBOR_TOKEN when set, else an arbor-admin token minted with the checkout's
# development key (.arbor/dev-keys/private.pem, which server-config/run.sh creates), else none.
# The ceiling runs in a scratch database <db>_ceiling (dropped and re-created with Arbor's
# changesets). Exits non-zero when any request got an unexpected answer.
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

DOMAIN=arbor DB="" DEPLOY=0 GRID=0 ARGS=()
while (( $# )); do
  case "$1" in
    --domain) DOMAIN="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --deploy) DEPLOY=1; shift ;;
    --grid) GRID=1; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
if [[ -z "$DB" ]]; then
  if [[ "$DOMAIN" == arbor ]]; then DB=arbor; else DB="${ARBOR_TEST_DB:-arbor_test}"; fi
fi

command -v pgbench >/dev/null || {
  log "pgbench missing: apt-get install postgresql-client"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null || die "could not install pgbench"
}
BENCH_JAR_DIR="$ROOT/bench/target"
if [[ ! -d "$BENCH_JAR_DIR/classes" || ! -d "$BENCH_JAR_DIR/lib" || -n "$(find "$ROOT/bench/src" "$ROOT/client/src" -newer "$BENCH_JAR_DIR/classes" -type f | head -n1)" ]]; then
  log "building the benchmark: mvn -q -pl bench -am package"
  ( cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl bench -am -DskipTests package ) || die "benchmark build failed"
fi

ensure_postgres "$DB" >/dev/null
HTTP_PORT=$(http_port "$DOMAIN")
if (( DEPLOY )); then
  [[ -f "$ROOT/ear/target/arbor.ear" ]] || ( cd "$ROOT" && mvn -B -q -DskipTests package ) || die "build failed"
  deploy_ear "$DOMAIN" "$ROOT/ear/target/arbor.ear"
fi
TARGET="http://localhost:${HTTP_PORT}" WHERE=""
if (( GRID )); then
  WHERE=" (its grid: instances arbor-a and arbor-b)"
  (( ! DEPLOY )) || die "--grid with --deploy: server-config/grid.sh start deploys to the grid"
  TARGET="http://localhost:${ARBOR_GRID_HTTP_A:-28080}"
  OTHER="http://localhost:${ARBOR_GRID_HTTP_B:-28081}"
  wait_ready "$OTHER/health/ready" 120 '"status":"UP"' >/dev/null
  ARGS+=(--other-instance "$OTHER")
else
  ARGS+=(--security-switch "$(printf '%q ' "$ROOT/bench/security-switch.sh" "$DOMAIN" "$DB")")
fi
wait_ready "$TARGET/health/ready" 120 '"status":"UP"' >/dev/null
# The JVM that serves TARGET, whose CPU the benchmark reads from /proc (issue 17): the process
# listening on its port. Not found (no ss, another host): Payara's CPU is printed as n/a.
SERVER_PID=$(ss -Hltnp "sport = :${TARGET##*:}" 2>/dev/null | grep -oE 'pid=[0-9]+' | head -n1 | cut -d= -f2 || true)
[[ -n "$SERVER_PID" ]] || warn "no process found listening on port ${TARGET##*:}: Payara's CPU per append will read n/a"
ARGS+=(--server-pid "${SERVER_PID:-0}")

# Scratch database for the pgbench ceiling: the schema of Arbor's changesets, nothing else. It needs
# the local cluster's superuser; with an external database (ARBOR_DB_URL) the ceiling is skipped.
CEILING_DB="${DB}_ceiling"
if [[ -n "${ARBOR_DB_URL:-}" ]]; then
  log "ARBOR_DB_URL set: no scratch database for pgbench, so no raw-SQL ceiling (scenario 1)"
  ARGS+=(--skip 1)
else
  # Owned and migrated as Arbor's database is (issue 16): the owner applies the changesets (their
  # Liquibase parameter, the application's role, filled in), and pgbench runs as that role.
  _psql_admin -c "DROP DATABASE IF EXISTS \"$CEILING_DB\"" -c "CREATE DATABASE \"$CEILING_DB\" OWNER $DB_OWNER_USER" >/dev/null
  for changeset in "$ROOT"/liquibase/src/main/resources/db/changesets/*.sql; do
    sed "s/\${arbor.app-role}/$DB_USER/g" "$changeset" \
      | PGPASSWORD="$DB_OWNER_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_OWNER_USER" -w -d "$CEILING_DB" \
          -v ON_ERROR_STOP=1 -q >/dev/null || die "could not apply $changeset to $CEILING_DB"
  done
fi

XML="$(domain_dir "$DOMAIN")/config/domain.xml"
POOL=$(grep -oE '<jdbc-connection-pool [^>]*name="arbor-pool"[^>]*>' "$XML" | grep -oE '(steady|max)-pool-size="[0-9]+"' | tr '\n' ' ' || true)
POOL="${POOL:-steady-pool-size=8 max-pool-size=32 (defaults)}"
# Live subscriptions' settings (MicroProfile Config on the domain; unset: the application's defaults).
SUBS=$(grep -oE 'name="payara\.microprofile\.arbor\.subscriptions\.[a-z.-]+" value="[^"]*"' "$XML" \
  | sed -E 's/name="payara\.microprofile\.arbor\.subscriptions\.([a-z.-]+)" value="([^"]*)"/\1=\2/' | tr '\n' ' ' || true)
JVM=$(awk '/<config name="server-config">/{x=1} x && /<jvm-options>-(Xm|XX:\+Use)/{gsub(/.*<jvm-options>|<\/jvm-options>.*/,""); printf "%s ", $0} /<\/config>/{x=0}' "$XML")
rc=0
java -cp "$BENCH_JAR_DIR/classes:$BENCH_JAR_DIR/lib/*" io.arbor.bench.Bench \
  --base "$TARGET" --jdbc "$DB_URL" --db-user "$DB_USER" --db-password "$DB_PASSWORD" \
  --db-owner-user "$DB_OWNER_USER" --db-owner-password "$DB_OWNER_PASSWORD" \
  --ceiling-db "$CEILING_DB" --pgbench-dir "$ROOT/bench/pgbench" --dev-key "$ROOT/.arbor/dev-keys/private.pem" \
  --info "versions=Arbor $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), Payara ${PAYARA_VERSION}, JDBC driver ${PG_JDBC_VERSION}, $(java -version 2>&1 | head -n1)" \
  --info "server=domain $DOMAIN${WHERE}, arbor-pool ${POOL:-?}, JVM ${JVM:-?}, subscriptions: ${SUBS:-application defaults}" \
  "${ARGS[@]}" || rc=$?
[[ -n "${ARBOR_DB_URL:-}" ]] || _psql_admin -c "DROP DATABASE IF EXISTS \"$CEILING_DB\"" >/dev/null || true
exit "$rc"
