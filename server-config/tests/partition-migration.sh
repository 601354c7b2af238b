#!/usr/bin/env bash
# The partitioned events table's migration (changeset 2026-12-09-01) on a store with data: every
# event, version, position, tag and hash survives it, compared through `arbor export` before and
# after, byte for byte; `arbor verify` passes after it; and its duration is measured.
#   EVENTS=1000000 server-config/tests/partition-migration.sh DOMAIN PORTBASE DB OLD_EAR [NEW_EAR]
# DOMAIN (with its PORTBASE) is a running Payara domain whose pools point at DB (the test domain
# after `ARBOR_KEEP=1 server-config/test.sh ...`: ARBOR_TEST_DOMAIN, ARBOR_TEST_PORTBASE,
# ARBOR_TEST_DB); DB is DROPPED and
# recreated. OLD_EAR is a build from before the changeset (main before issue 20), NEW_EAR this
# build (default ear/target/arbor.ear). Steps: deploy OLD_EAR (it creates the old schema), seed
# EVENTS events with valid hash chains and tags by SQL (seed-chained-events.sql), export, undeploy,
# `arbor db update` (the migration alone, timed), deploy NEW_EAR, export again, compare, verify.
# docs/operations.md ("The partitioned events table: migration") has the figures.
set -euo pipefail
# shellcheck source=../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DOMAIN="${1:?domain}" PORTBASE="${2:?portbase}" DB="${3:?database}" OLD_EAR="${4:?old EAR}"
NEW_EAR="${5:-$ROOT/ear/target/arbor.ear}"
EVENTS="${EVENTS:-1000000}" PER_STREAM="${PER_STREAM:-10}"
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid database name: $DB"
WORK="${WORK:-$(mktemp -d)}"
HTTP_PORT=$(http_port "$DOMAIN")
API="http://localhost:${HTTP_PORT}/arbor/api"
URL="jdbc:postgresql://127.0.0.1:${PG_PORT}/$DB"
TOKEN=$(dev_token arbor-admin 43200)
owner_psql() { PGPASSWORD=arbor_owner psql -h 127.0.0.1 -p "$PG_PORT" -U arbor_owner -w -d "$DB" -X -q -v ON_ERROR_STOP=1 "$@"; }
arbor() { ARBOR_TOKEN="$TOKEN" ARBOR_DB_URL="$URL" "$ROOT/bin/arbor" "$@"; }
# Undeploys Arbor (restarting the domain: docs/operations.md, "Upgrade and rollback"), then
# deploys $1 if given.
redeploy() {
  undeploy_into_fresh_jvm "$DOMAIN" "$PORTBASE" "$DOMAIN"
  [[ -z "${1:-}" ]] && return 0
  timed "deploy $(basename "$1")" deploy_ear "$DOMAIN" "$1"
  wait_ready "http://localhost:${HTTP_PORT}/health/ready" 300
}

redeploy
ARBOR_FRESH_DB=1 ensure_postgres "$DB"
redeploy "$OLD_EAR"
log "seeding $EVENTS events ($PER_STREAM per stream, hash-chained, tagged)"
T=$SECONDS
owner_psql -v events="$EVENTS" -v per_stream="$PER_STREAM" -v run=m -f "$ROOT/server-config/tests/seed-chained-events.sql"
owner_psql -c "VACUUM ANALYZE events, event_tags, streams"
log "seeded in $((SECONDS - T)) s"
arbor export --url "$API" --tenant default --out "$WORK/before.ndjson" >/dev/null
redeploy
log "migrating: arbor db update"
START=$(date +%s.%N)
arbor db update >"$WORK/update.log"
END=$(date +%s.%N)
MIGRATION_SECONDS=$(echo "$END - $START" | bc)
log "migration of $EVENTS events took ${MIGRATION_SECONDS} s (the whole arbor db update: JVM start, Liquibase, the changeset)"
START=$(date +%s.%N)
arbor db update >/dev/null
END=$(date +%s.%N)
log "a second arbor db update (nothing to apply: the JVM and Liquibase alone) took $(echo "$END - $START" | bc) s"
redeploy "$NEW_EAR"
arbor export --url "$API" --tenant default --out "$WORK/after.ndjson" >/dev/null
# The header line carries the export's time; every other line must be identical.
if cmp -s <(tail -n +2 "$WORK/before.ndjson") <(tail -n +2 "$WORK/after.ndjson"); then
  log "export before and after: identical ($(($(wc -l <"$WORK/after.ndjson") - 1)) lines, $(stat -c %s "$WORK/after.ndjson") bytes)"
else
  diff <(tail -n +2 "$WORK/before.ndjson") <(tail -n +2 "$WORK/after.ndjson") | head -20 >&2
  die "the export after the migration differs from the one before"
fi
arbor verify --url "$API" --tenant default | tail -3
owner_psql -A -t -c "SELECT 'partitions: ' || string_agg(partition_name || ' [' || from_position || ',' || to_position || ')', ', ' ORDER BY from_position) FROM event_partitions"
owner_psql -A -t -c "SELECT 'keys ' || (SELECT count(*) FROM event_keys) || ', events ' || (SELECT count(*) FROM events)"
log "partition migration test passed (files in $WORK)"
