#!/usr/bin/env bash
# Disaster-recovery drill: append a known workload, back up, destroy the database, restore,
# restart Arbor, and prove that every event, version, position and snapshot came back identical.
#   server-config/dr-drill.sh [--streams S] [--events N] [--batch B] [--restart domain|app]
# Default S=50 streams x N=200 events (10,000 events, 2 snapshots a stream), B=20 events an append.
# --restart domain (default) stops the Payara domain before destroying the database and starts it
# after the restore; --restart app disables and re-enables only the application (faster; test.sh).
# Runs on the test domain and its database (ARBOR_TEST_DOMAIN / ARBOR_TEST_PORTBASE / ARBOR_TEST_DB,
# defaults arbor-test / 20000 / arbor_test; ARBOR_DR_DOMAIN / ARBOR_DR_PORTBASE / ARBOR_DR_DB win),
# because it DROPS that database. It refuses the database `arbor` and an ARBOR_DB_URL database.
# Deploys ear/target/arbor.ear (as `arbor`) and undeploys it at the end. Exits non-zero on any
# difference; the evidence stays in .payara/dr-drill/.
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

STREAMS=50 EVENTS=200 BATCH=20 RESTART=domain
while (( $# )); do
  case "$1" in
    --restart) RESTART="$2"; shift 2 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
[[ "$STREAMS$EVENTS$BATCH" =~ ^[0-9]+$ ]] && (( STREAMS > 0 && EVENTS > 1 && BATCH > 0 && BATCH <= 1000 )) \
  || die "--streams, --events (2 or more) and --batch (1..1000) are positive numbers"
[[ "$RESTART" == domain || "$RESTART" == app ]] || die "--restart is domain or app"

DOMAIN="${ARBOR_DR_DOMAIN:-${ARBOR_TEST_DOMAIN:-arbor-test}}"
PORTBASE="${ARBOR_DR_PORTBASE:-${ARBOR_TEST_PORTBASE:-20000}}"
DB="${ARBOR_DR_DB:-${ARBOR_TEST_DB:-arbor_test}}"
EAR="${ARBOR_EAR:-$ROOT/ear/target/arbor.ear}"
pg_local || die "the drill drops its database: it runs only on the local cluster (unset ARBOR_DB_URL)"
[[ "$DB" != arbor ]] || die "the drill drops its database; it refuses the main database 'arbor'"
[[ -f "$EAR" ]] || die "EAR not found: $EAR (build first: mvn -DskipTests package)"

WORK="$PAYARA_BASE/dr-drill"; rm -rf "$WORK"; mkdir -p "$WORK"
T0=$SECONDS
log "DR drill: domain $DOMAIN, database $DB, workload $STREAMS streams x $EVENTS events, evidence in $WORK"

ensure_payara >/dev/null
ensure_pg_client
ensure_postgres "$DB" >/dev/null
ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
configure_resources "$DOMAIN" >/dev/null
deploy_ear "$DOMAIN" "$EAR"
READY_RE='"status":"UP"'
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 180 "$READY_RE"
export ARBOR_URL="http://localhost:${HTTP_PORT}"
pg_env "$DB"
ARBOR=("$ROOT/bin/arbor")
cli_db=(--db-url "$JDBC_URL" --db-user "$PGUSER" --db-password "$PGPASSWORD")

# ---- 1. the known workload: deterministic ids and data, interleaved streams, via `arbor import`.
RUN="drill$(date -u +%H%M%S)$$"
ID_PREFIX=$(cut -c1-8 /proc/sys/kernel/random/uuid)  # event ids unique to this run
awk -v run="$RUN" -v prefix="$ID_PREFIX" -v streams="$STREAMS" -v events="$EVENTS" -v batch="$BATCH" 'BEGIN {
  pos = 0
  for (from = 1; from <= events; from += batch) {
    for (s = 1; s <= streams; s++) {
      for (v = from; v < from + batch && v <= events; v++) {
        pos++
        printf "{\"eventId\":\"%s-%04x-4000-8000-%012x\",\"streamId\":\"%s-%d\",\"version\":%d,\"globalPosition\":%d,\"type\":\"%s\",\"schemaVersion\":1,\"data\":{\"stream\":%d,\"n\":%d,\"amount\":%d,\"note\":\"caf\\u00e9 \\\"%d\\\"\"},\"metadata\":{\"drill\":\"%s\"},\"recordedAt\":\"2026-01-01T00:00:00Z\"}\n",
          prefix, s, pos, run, s, v, pos, (v % 3 ? "Deposited" : "Withdrawn"), s, v, (v * 37) % 1000, v, run
      }
    }
  }
}' >"$WORK/workload.ndjson"
log "workload: $(wc -l <"$WORK/workload.ndjson") events in $WORK/workload.ndjson"
"${ARBOR[@]}" import "$WORK/workload.ndjson" --batch "$BATCH" 2>/dev/null | sed 's/^/[arbor]   /'
for s in $(seq 1 "$STREAMS"); do
  for v in $(( EVENTS / 2 )) "$EVENTS"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      --data "{\"version\":$v,\"type\":\"DrillState\",\"data\":{\"stream\":$s,\"at\":$v}}" \
      "$ARBOR_URL/arbor/api/streams/$RUN-$s/snapshot")
    [[ "$code" == 201 ]] || die "snapshot PUT for $RUN-$s answered $code"
  done
done
log "snapshots: $(( STREAMS * 2 )) saved"

# ---- 2. what must survive: through the API (export, latest snapshots, verify) and the rows.
capture() { # NAME
  local d="$WORK/$1"; mkdir -p "$d"
  "${ARBOR[@]}" export --out "$d/events.ndjson" 2>/dev/null >/dev/null || die "export ($1) failed"
  for s in $(seq 1 "$STREAMS"); do
    curl -sf "$ARBOR_URL/arbor/api/streams/$RUN-$s/snapshot" && echo
  done >"$d/snapshots-api.ndjson" || die "reading the latest snapshots back ($1) failed"
  psql -w -X -v ON_ERROR_STOP=1 -Atq >"$d/rows.txt" <<'SQL' || die "row capture ($1) failed"
\echo streams
COPY (SELECT stream_id, category, version, created_at, updated_at FROM streams ORDER BY stream_id) TO STDOUT;
\echo events
COPY (SELECT global_position, event_id, stream_id, version, category, type, schema_version, data, metadata, recorded_at FROM events ORDER BY global_position) TO STDOUT;
\echo snapshots
COPY (SELECT stream_id, version, type, data, created_at FROM snapshots ORDER BY stream_id, version) TO STDOUT;
\echo sequence
SELECT last_value, is_called FROM events_global_position_seq;
SQL
  local rc=0
  "${ARBOR[@]}" verify --json "${cli_db[@]}" >"$d/verify.json" 2>/dev/null || rc=$?
  (( rc == 0 )) || { cat "$d/verify.json" >&2; die "arbor verify ($1) found anomalies (exit $rc)"; }
  log "$1: $(wc -l <"$d/events.ndjson") events exported, verify OK: $(cat "$d/verify.json")"
}
capture before

# ---- 3. back up, destroy, restore, restart.
t=$(_now_ms)
DUMP=$("$(dirname "${BASH_SOURCE[0]}")/backup.sh" -d "$DB" -o "$WORK/backup.dump" | tail -n1)
backup_ms=$(( $(_now_ms) - t ))
if [[ "$RESTART" == domain ]]; then
  stop_domain "$DOMAIN"
else
  asa "$DOMAIN" disable arbor >/dev/null || die "could not disable arbor on $DOMAIN"
  log "application arbor disabled on $DOMAIN"
fi
log "destroying database $DB"
_psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB'" >/dev/null
_psql_admin -c "DROP DATABASE \"$DB\"" || die "could not drop $DB"
[[ -z "$(_psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]] || die "$DB still exists"
t=$(_now_ms)
"$(dirname "${BASH_SOURCE[0]}")/restore.sh" -d "$DB" "$DUMP"
restore_ms=$(( $(_now_ms) - t ))
t=$(_now_ms)
if [[ "$RESTART" == domain ]]; then
  ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
else
  asa "$DOMAIN" enable arbor >/dev/null || die "could not enable arbor on $DOMAIN"
  log "application arbor enabled on $DOMAIN"
fi
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 180 "$READY_RE"
restart_ms=$(( $(_now_ms) - t ))
pg_env "$DB"

# ---- 4. the proof: byte-identical captures, and the log continues after the restored positions.
capture after
fail=0
for f in events.ndjson snapshots-api.ndjson rows.txt; do
  if cmp -s "$WORK/before/$f" "$WORK/after/$f"; then
    log "identical: $f ($(wc -l <"$WORK/after/$f") lines, sha256 $(sha256sum <"$WORK/after/$f" | cut -c1-16))"
  else
    warn "DIFFERENT: $f"; diff "$WORK/before/$f" "$WORK/after/$f" | head -n 20 >&2 || true; fail=1
  fi
done
# verify's summaries must agree too (its run time aside).
strip() { sed -E 's/,"seconds":[0-9.]+//' "$1"; }
if [[ "$(strip "$WORK/before/verify.json")" == "$(strip "$WORK/after/verify.json")" ]]; then
  log "identical: verify summary"
else
  warn "DIFFERENT: verify summary"; fail=1
fi
last=$(tail -n1 "$WORK/after/events.ndjson" | grep -oE '"globalPosition":[0-9]+' | cut -d: -f2)
reply=$(curl -s -X POST -H 'Content-Type: application/json' \
  --data '{"expectedVersion":"any","events":[{"type":"AfterRestore","data":{}}]}' \
  "$ARBOR_URL/arbor/api/streams/$RUN-after/events")
pos=$(grep -oE '"fromPosition":[0-9]+' <<<"$reply" | cut -d: -f2)
if [[ -n "$pos" ]] && (( pos > last )); then
  log "an append after the restore took position $pos > $last (the sequence was restored)"
else
  warn "append after restore: $reply (last restored position $last)"; fail=1
fi

asa "$DOMAIN" undeploy arbor >/dev/null 2>&1 || warn "could not undeploy arbor from $DOMAIN"
events=$(( STREAMS * EVENTS ))
log "backup $(du -h "$DUMP" | cut -f1) in $((backup_ms / 1000)).$(( backup_ms % 1000 / 100 ))s, restore in $((restore_ms / 1000)).$(( restore_ms % 1000 / 100 ))s, $RESTART restart to ready in $((restart_ms / 1000))s; drill total $((SECONDS - T0))s ($events workload events, $(grep -c . "$WORK/after/events.ndjson") in the store)"
(( fail == 0 )) || die "DR drill FAILED: see $WORK"
log "DR drill PASSED: every event, version, position and snapshot identical after backup, destroy, restore, restart"
