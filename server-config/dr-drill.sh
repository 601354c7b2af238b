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
# Deploys ear/target/arbor.ear (as `arbor`) and re-points the domain's pool arbor-pool to that
# database; at the end, passed or failed (a trap), it undoes that: undeploys, re-points the pool to
# where it pointed before, and starts the domain again if the drill had stopped it.
# The workload includes stream lifecycle (docs/lifecycle.md): a stream truncated and scavenged (by
# POST /admin/scavenge when the server has it, else as scavenging leaves it, in SQL), a hard-deleted
# one (a tombstone, scavenged too) and a soft-deleted one; after the restore the tombstone must still
# answer 410 to a read and an append, the soft-deleted one 404.
# Then it proves `arbor verify` catches a deliberately corrupted copy: on the restored database
# (with --streams >= 4, --events >= 3) it renumbers a version (a gap), swaps two positions of a
# stream, sets a stream row ahead of its events, saves a snapshot past a head, changes one event's
# stored data (a broken hash chain), changes a remaining event of the truncated stream, and sets the
# position sequence back; verify must exit 1 naming each; the corruption is undone (also by the
# trap) and verify must pass again. Exits non-zero on any difference; the evidence stays in .payara/dr-drill/.
# The archive (issue 20, docs/archive.md): the drill's database is created fresh, Arbor runs with an
# archive directory of the drill's own (the domain's arbor.archive.dir is set back at the end), and
# after the "before" capture the range holding the workload's first events is archived and its
# partition dropped; the backup takes the directory too (backup.sh -a), the destroy removes it, the
# restore puts it back (restore.sh -a); then a read of that range must answer what it answered
# before it was archived, `arbor archive verify` must pass, and the range is restored into
# PostgreSQL (arbor archive restore), so the "after" capture compares every row, byte for byte.
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
    *) sed -n '2,23p' "$0"; exit 2 ;;
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

# ---- what the drill changes, undone by the trap whether it passes or fails.
DEPLOYED=0 STOPPED=0 CORRUPTED=0 POOL_URL="" POOL_USER="" POOL_PASSWORD="" ARCHIVE_DIR_BEFORE="-"

# pool_property DOMAIN NAME: a property of arbor-pool as domain.xml holds it (unescaped), or empty.
pool_property() {
  awk -v prop="$2" '
    /<jdbc-connection-pool / && / name="arbor-pool"/ { inpool = 1 }
    inpool && /<property / && index($0, " name=\"" prop "\"") && match($0, / value="[^"]*"/) {
      print substr($0, RSTART + 8, RLENGTH - 9); exit
    }
    inpool && /<\/jdbc-connection-pool>/ { inpool = 0 }
  ' "$(domain_dir "$1")/config/domain.xml" \
    | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g'
}

cleanup() {
  local rc=$?
  trap - EXIT
  set +e
  (( rc == 0 )) || warn "DR drill failed (status $rc): undoing what it changed; evidence in $WORK"
  if (( CORRUPTED )); then
    if uncorrupt; then log "corruption of $DB undone"; else warn "could not undo the corruption of $DB: restore it from $WORK/backup.dump"; fi
  fi
  if (( STOPPED )); then
    log "starting domain $DOMAIN again (the drill stopped it)"
    ( ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" ) >/dev/null || warn "could not start domain $DOMAIN"
  fi
  if (( DEPLOYED )); then
    if asa "$DOMAIN" undeploy arbor >/dev/null 2>&1; then log "arbor undeployed from $DOMAIN"; else warn "could not undeploy arbor from $DOMAIN"; fi
  fi
  if [[ "$ARCHIVE_DIR_BEFORE" != "-" ]]; then
    asa "$DOMAIN" set-config-property --source=domain --propertyname=arbor.archive.dir \
      --propertyvalue="$ARCHIVE_DIR_BEFORE" >/dev/null 2>&1 || warn "could not set arbor.archive.dir on $DOMAIN back"
  fi
  if [[ -n "$POOL_URL" ]]; then
    if ( DB_URL="$POOL_URL" DB_USER="$POOL_USER" DB_PASSWORD="$POOL_PASSWORD"; configure_resources "$DOMAIN" ) >/dev/null; then
      log "pool arbor-pool on $DOMAIN re-pointed to ${POOL_URL%%\?*} (as before the drill)"
    else
      warn "could not re-point arbor-pool on $DOMAIN to ${POOL_URL%%\?*}"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_payara >/dev/null
ensure_pg_client
# Fresh: an archived range of an earlier drill would name segments of a directory since removed.
ARBOR_FRESH_DB=1 ensure_postgres "$DB" >/dev/null
ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
ARCHIVE_DIR="$WORK/archive"
ARCHIVE_DIR_BEFORE=$(asa "$DOMAIN" get-config-property --source=domain --propertyname=arbor.archive.dir 2>/dev/null | head -n1 || true)
[[ "$ARCHIVE_DIR_BEFORE" == /* ]] || ARCHIVE_DIR_BEFORE=""
asa "$DOMAIN" set-config-property --source=domain --propertyname=arbor.archive.dir \
  --propertyvalue="$ARCHIVE_DIR" >/dev/null || die "could not set arbor.archive.dir on $DOMAIN"
# Where the pool points now, to point it back at the end (nothing to do when it is the drill's).
if [[ -f "$(domain_dir "$DOMAIN")/config/domain.xml" ]] \
   && [[ "$(pool_property "$DOMAIN" URL)" != "$(_merge_url "$DB_URL")" ]]; then
  POOL_URL=$(pool_property "$DOMAIN" URL)
  POOL_USER=$(pool_property "$DOMAIN" User); POOL_USER="${POOL_USER:-arbor}"
  POOL_PASSWORD=$(pool_property "$DOMAIN" Password); POOL_PASSWORD="${POOL_PASSWORD:-arbor}"
  [[ -z "$POOL_URL" ]] || log "arbor-pool on $DOMAIN points to ${POOL_URL%%\?*}: re-pointed to $DB for the drill, back at the end"
fi
configure_resources "$DOMAIN" >/dev/null
DEPLOYED=1
deploy_ear "$DOMAIN" "$EAR"
READY_RE='"status":"UP"'
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 180 "$READY_RE"
export ARBOR_URL="http://localhost:${HTTP_PORT}"
# Security (issue 16): bin/arbor and the requests below carry ARBOR_TOKEN (the test command's), else
# an admin token minted with the checkout's development key.
ARBOR_TOKEN="${ARBOR_TOKEN:-$(dev_token arbor-admin 3600)}"
export ARBOR_TOKEN
AUTH=(-H "Authorization: Bearer $ARBOR_TOKEN")
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
# stderr (progress lines, and any error) goes to a file, shown when the import fails.
rc=0
"${ARBOR[@]}" import "$WORK/workload.ndjson" --batch "$BATCH" >"$WORK/import.out" 2>"$WORK/import.err" || rc=$?
sed 's/^/[arbor]   /' "$WORK/import.out"
if (( rc != 0 )); then
  sed 's/^/[arbor]   /' "$WORK/import.err" >&2
  die "arbor import of the workload failed (exit $rc; stderr above and in $WORK/import.err)"
fi
for s in $(seq 1 "$STREAMS"); do
  for v in $(( EVENTS / 2 )) "$EVENTS"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "${AUTH[@]}" -H 'Content-Type: application/json' \
      --data "{\"version\":$v,\"type\":\"DrillState\",\"data\":{\"stream\":$s,\"at\":$v}}" \
      "$ARBOR_URL/arbor/api/streams/$RUN-$s/snapshot")
    [[ "$code" == 201 ]] || die "snapshot PUT for $RUN-$s answered $code"
  done
done
log "snapshots: $(( STREAMS * 2 )) saved"

# ---- 1b. stream lifecycle: a truncated + scavenged stream, a tombstone, a soft-deleted stream.
api() { # METHOD PATH [BODY]: prints the status code
  curl -s -o "$WORK/api.out" -w '%{http_code}' -X "$1" "${AUTH[@]}" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$ARBOR_URL/arbor/api$2"
}
six='{"expectedVersion":"any","events":['$(printf '{"type":"Lived","data":{"n":%d}},' 1 2 3 4 5 6)
six="${six%,}]}"
for s in trunc hard soft; do
  code=$(api POST "/streams/$RUN-$s/events" "$six"); [[ "$code" == 201 ]] || die "append to $RUN-$s answered $code: $(cat "$WORK/api.out")"
done
code=$(api PUT "/streams/$RUN-trunc/metadata" '{"truncateBefore":4}'); [[ "$code" == 200 ]] || die "metadata PUT answered $code: $(cat "$WORK/api.out")"
code=$(api DELETE "/streams/$RUN-hard?mode=hard"); [[ "$code" == 204 ]] || die "hard delete answered $code: $(cat "$WORK/api.out")"
code=$(api DELETE "/streams/$RUN-soft"); [[ "$code" == 204 ]] || die "soft delete answered $code: $(cat "$WORK/api.out")"
code=$(api POST /admin/scavenge)
if [[ "$code" == 202 ]]; then
  job=$(grep -oE '"jobId":"[^"]+"' "$WORK/api.out" | cut -d'"' -f4)
  for _ in $(seq 1 120); do
    api GET "/admin/scavenge/$job" >/dev/null
    grep -qE '"state":"(done|failed)"' "$WORK/api.out" && break
    sleep 1
  done
  grep -q '"state":"done"' "$WORK/api.out" || die "scavenge job $job did not finish: $(cat "$WORK/api.out")"
  log "lifecycle: $RUN-trunc truncated before 4, $RUN-hard hard-deleted, $RUN-soft soft-deleted; scavenged by job $job"
else
  # No scavenger on this server: leave what scavenging leaves (decisions of issue 19), one
  # transaction per stream: the hidden rows and their tag rows gone, the chain anchor holding the
  # hash of the last version removed.
  for s in trunc hard; do
    pg_q "BEGIN;
      INSERT INTO stream_chain_anchors (tenant, stream_id, version, hash)
        SELECT e.tenant, e.stream_id, e.version, e.hash FROM events e JOIN streams t USING (tenant, stream_id)
        WHERE e.tenant = 'default' AND e.stream_id = '$RUN-$s' AND e.version < t.truncate_before
        ORDER BY e.version DESC LIMIT 1;
      DELETE FROM event_tags g USING events e JOIN streams t USING (tenant, stream_id)
        WHERE g.tenant = e.tenant AND g.global_position = e.global_position
          AND e.tenant = 'default' AND e.stream_id = '$RUN-$s' AND e.version < t.truncate_before;
      DELETE FROM events e USING streams t WHERE t.tenant = e.tenant AND t.stream_id = e.stream_id
        AND e.tenant = 'default' AND e.stream_id = '$RUN-$s' AND e.version < t.truncate_before;
      COMMIT;" >/dev/null || die "simulating the scavenge of $RUN-$s failed"
  done
  log "lifecycle: $RUN-trunc truncated before 4, $RUN-hard hard-deleted, $RUN-soft soft-deleted; scavenged in SQL (POST /admin/scavenge answered $code)"
fi
[[ "$(pg_q "SELECT count(*) FROM events WHERE tenant = 'default' AND stream_id IN ('$RUN-trunc', '$RUN-hard')")" == 3 ]] \
  || die "after the scavenge, $RUN-trunc should hold 3 rows (v4..v6) and $RUN-hard none"

# ---- 1c. the range of the workload's first events, sealed (archived below, after the capture).
RANGE=$(pg_q "SELECT from_position || ' ' || to_position FROM event_partitions WHERE from_position <= (SELECT min(global_position) FROM events WHERE stream_id LIKE '$RUN-%') AND (SELECT min(global_position) FROM events WHERE stream_id LIKE '$RUN-%') < to_position")
read -r A_FROM A_TO <<<"$RANGE"
[[ -n "${A_TO:-}" ]] || die "no partition holds the workload's first events"
# Past the range, so that it seals (every position below its end settled).
pg_q "SELECT setval('events_global_position_seq', greatest($A_TO, (SELECT last_value FROM events_global_position_seq)))" >/dev/null
code=$(api POST "/streams/$RUN-seal/events" '{"expectedVersion":"any","events":[{"type":"Seal","data":{}}]}')
[[ "$code" == 201 ]] || die "append past the range answered $code"
for _ in $(seq 1 60); do
  [[ "$(pg_q "SELECT max_recorded_at IS NOT NULL FROM event_partitions WHERE from_position = $A_FROM")" == t ]] && break
  sleep 1
done
# ---- 2. what must survive: through the API (export, latest snapshots, verify) and the rows.
capture() { # NAME
  local d="$WORK/$1"; mkdir -p "$d"
  local rc=0
  "${ARBOR[@]}" export --out "$d/events.ndjson" "${cli_db[@]}" >"$d/export.out" 2>"$d/export.err" || rc=$?
  (( rc == 0 )) || { cat "$d/export.err" >&2; die "arbor export ($1) failed (exit $rc)"; }
  for s in $(seq 1 "$STREAMS"); do
    curl -sf "${AUTH[@]}" "$ARBOR_URL/arbor/api/streams/$RUN-$s/snapshot" && echo
  done >"$d/snapshots-api.ndjson" || die "reading the latest snapshots back ($1) failed"
  psql -w -X -v ON_ERROR_STOP=1 -Atq >"$d/rows.txt" <<'SQL' || die "row capture ($1) failed"
\echo streams
COPY (SELECT tenant, stream_id, category, version, created_at, updated_at, head_hash, truncate_before, max_count, max_age_seconds, custom_metadata, deleted FROM streams ORDER BY tenant, stream_id) TO STDOUT;
\echo stream_chain_anchors
COPY (SELECT tenant, stream_id, version, hash FROM stream_chain_anchors ORDER BY tenant, stream_id) TO STDOUT;
\echo events
COPY (SELECT global_position, tenant, event_id, stream_id, version, category, type, schema_version, data, metadata, recorded_at, written_by, hash FROM events ORDER BY global_position) TO STDOUT;
\echo snapshots
COPY (SELECT tenant, stream_id, version, type, data, created_at FROM snapshots ORDER BY tenant, stream_id, version) TO STDOUT;
\echo sequence
SELECT last_value, is_called FROM events_global_position_seq;
SQL
  rc=0
  "${ARBOR[@]}" verify --json "${cli_db[@]}" >"$d/verify.json" 2>"$d/verify.err" || rc=$?
  (( rc == 0 )) || { cat "$d/verify.json" "$d/verify.err" >&2; die "arbor verify ($1) found anomalies (exit $rc)"; }
  grep -q '"lifecycle":"exported"' "$d/events.ndjson" || die "export ($1) wrote no stream lifecycle lines"
  log "$1: $(grep -c '"eventId"' "$d/events.ndjson") events and $(grep -c '^{"stream"' "$d/events.ndjson") stream lifecycle lines exported, verify OK: $(cat "$d/verify.json")"
}
capture before

# ---- 2b. the archive: that range archived and its partition dropped, before the backup.
A_READ="/events?after=$((A_FROM > 0 ? A_FROM - 1 : 0))&limit=100"
code=$(api GET "$A_READ"); [[ "$code" == 200 ]] || die "GET $A_READ answered $code"
cp "$WORK/api.out" "$WORK/archived-range-before.json"
code=$(api POST /admin/archive "{\"belowPosition\":$A_TO}"); [[ "$code" == 202 ]] || die "POST /admin/archive answered $code: $(cat "$WORK/api.out")"
job=$(grep -oE '"jobId":"[^"]+"' "$WORK/api.out" | cut -d'"' -f4)
for _ in $(seq 1 120); do
  api GET "/admin/archive/$job" >/dev/null
  grep -qE '"state":"(done|failed)"' "$WORK/api.out" && break
  sleep 1
done
grep -q '"state":"done"' "$WORK/api.out" || die "archive job $job did not finish: $(cat "$WORK/api.out")"
[[ "$(pg_q "SELECT state FROM event_partitions WHERE from_position = $A_FROM")" == detached ]] \
  || die "the range [$A_FROM, $A_TO) is not detached after the archive job: $(cat "$WORK/api.out")"
log "archive: [$A_FROM, $A_TO) archived and its partition dropped (job $job); the archive alone holds it"

# ---- 3. back up, destroy, restore, restart.
t=$(_now_ms)
DUMP=$("$(dirname "${BASH_SOURCE[0]}")/backup.sh" -d "$DB" -o "$WORK/backup.dump" -a "$ARCHIVE_DIR" | tail -n1)
backup_ms=$(( $(_now_ms) - t ))
if [[ "$RESTART" == domain ]]; then
  STOPPED=1
  stop_domain "$DOMAIN"
else
  asa "$DOMAIN" disable arbor >/dev/null || die "could not disable arbor on $DOMAIN"
  log "application arbor disabled on $DOMAIN"
fi
log "destroying database $DB"
_psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB'" >/dev/null
_psql_admin -c "DROP DATABASE \"$DB\"" || die "could not drop $DB"
[[ -z "$(_psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]] || die "$DB still exists"
rm -rf "$ARCHIVE_DIR"
log "destroyed the archive directory $ARCHIVE_DIR"
t=$(_now_ms)
"$(dirname "${BASH_SOURCE[0]}")/restore.sh" -d "$DB" -a "$ARCHIVE_DIR" "$DUMP"
restore_ms=$(( $(_now_ms) - t ))
t=$(_now_ms)
if [[ "$RESTART" == domain ]]; then
  ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
  STOPPED=0
else
  asa "$DOMAIN" enable arbor >/dev/null || die "could not enable arbor on $DOMAIN"
  log "application arbor enabled on $DOMAIN"
fi
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 180 "$READY_RE"
restart_ms=$(( $(_now_ms) - t ))
pg_env "$DB"

# ---- 4. the proof: the archived range reads as before, then byte-identical captures once it is
# back in PostgreSQL, and the log continues after the restored positions.
code=$(api GET "$A_READ")
if [[ "$code" == 200 ]] && cmp -s "$WORK/api.out" "$WORK/archived-range-before.json"; then
  log "identical: GET $A_READ of the detached range, read from the restored archive"
else
  cp "$WORK/api.out" "$WORK/archived-range-after.json"
  die "GET $A_READ of the detached range [$A_FROM, $A_TO) after the restore answered $code, not what it answered before it was archived (see $WORK/archived-range-*.json)"
fi
"${ARBOR[@]}" archive verify --dir "$ARCHIVE_DIR" >"$WORK/archive-verify.out" || { cat "$WORK/archive-verify.out" >&2; die "arbor archive verify of the restored directory failed"; }
"${ARBOR[@]}" archive restore --from "$A_FROM" --wait >"$WORK/archive-restore.out" \
  || { cat "$WORK/archive-restore.out" >&2; die "arbor archive restore --from $A_FROM failed"; }
log "archive: the restored directory verifies; [$A_FROM, $A_TO) restored into PostgreSQL: $(tail -n1 "$WORK/archive-restore.out")"
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
# The tombstone is still one: 410 for a read and an append; the soft-deleted stream still 404.
code=$(api GET "/streams/$RUN-hard")
if [[ "$code" == 410 ]] && grep -q 'urn:arbor:problem:stream-deleted' "$WORK/api.out"; then
  log "the hard-deleted $RUN-hard answers 410 after the restore"
else
  warn "GET of the hard-deleted $RUN-hard after the restore answered $code: $(cat "$WORK/api.out")"; fail=1
fi
code=$(api POST "/streams/$RUN-hard/events" '{"expectedVersion":"any","events":[{"type":"Reborn","data":{}}]}')
[[ "$code" == 410 ]] || { warn "an append to the hard-deleted $RUN-hard after the restore answered $code"; fail=1; }
code=$(api GET "/streams/$RUN-soft")
[[ "$code" == 404 ]] || { warn "GET of the soft-deleted $RUN-soft after the restore answered $code"; fail=1; }
last=$(grep -oE '"globalPosition":[0-9]+' "$WORK/after/events.ndjson" | tail -n1 | cut -d: -f2)
reply=$(curl -s -X POST "${AUTH[@]}" -H 'Content-Type: application/json' \
  --data '{"expectedVersion":"any","events":[{"type":"AfterRestore","data":{}}]}' \
  "$ARBOR_URL/arbor/api/streams/$RUN-after/events")
pos=$(grep -oE '"fromPosition":[0-9]+' <<<"$reply" | cut -d: -f2)
if [[ -n "$pos" ]] && (( pos > last )); then
  log "an append after the restore took position $pos > $last (the sequence was restored)"
else
  warn "append after restore: $reply (last restored position $last)"; fail=1
fi

# ---- 5. verify must catch a deliberately corrupted copy: the restored database is one.
# Each corruption is one an operator could meet, and has its own anomaly line that verify must
# print; each is undone exactly (uncorrupt, also run by the trap), after which verify must pass.
uncorrupt() {
  psql -w -X -v ON_ERROR_STOP=1 -Atq >/dev/null <<SQL
BEGIN;
UPDATE events SET version = 2 WHERE tenant = 'default' AND stream_id = '$RUN-1' AND version = 1000002;
UPDATE events SET global_position = -global_position WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version IN (1, 2) AND global_position > 0;
UPDATE events SET global_position = CASE version WHEN 1 THEN $P1 ELSE $P2 END WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version IN (1, 2) AND global_position < 0;
UPDATE streams SET version = $EVENTS WHERE tenant = 'default' AND stream_id = '$RUN-3';
DELETE FROM snapshots WHERE tenant = 'default' AND stream_id = '$RUN-4' AND type = 'DrillCorruption';
UPDATE events SET data = data - 'drillCorruption' WHERE tenant = 'default' AND stream_id = '$RUN-4' AND version = 3;
UPDATE events SET data = data - 'drillCorruption' WHERE tenant = 'default' AND stream_id = '$RUN-trunc' AND version = 5;
SELECT setval('events_global_position_seq', $SEQ_LAST, '$SEQ_CALLED'::boolean);
COMMIT;
SQL
}
if (( STREAMS >= 4 && EVENTS >= 3 )); then
  t=$(_now_ms)
  P1=$(pg_q "SELECT global_position FROM events WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version = 1")
  P2=$(pg_q "SELECT global_position FROM events WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version = 2")
  read -r SEQ_LAST SEQ_CALLED < <(pg_q "SELECT last_value, is_called FROM events_global_position_seq" | tr '|' ' ')
  MAXPOS=$(pg_q "SELECT max(global_position) FROM events")
  ROWS=$(pg_q "SELECT count(*) FROM events")
  [[ "$P1$P2$SEQ_LAST$MAXPOS$ROWS" =~ ^[0-9]+$ && "$SEQ_CALLED" =~ ^[tf]$ ]] && (( P1 < P2 )) \
    || die "unexpected rows before corrupting: positions '$P1' '$P2', sequence '$SEQ_LAST' '$SEQ_CALLED', max '$MAXPOS'"
  CORRUPTED=1
  psql -w -X -v ON_ERROR_STOP=1 -Atq >/dev/null <<SQL || die "corrupting $DB failed"
BEGIN;
-- a version gap: $RUN-1 v2 renumbered far past the head
UPDATE events SET version = 1000002 WHERE tenant = 'default' AND stream_id = '$RUN-1' AND version = 2;
-- a stream the global log reorders: $RUN-2 v1 and v2 swap positions
UPDATE events SET global_position = -global_position WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version IN (1, 2);
UPDATE events SET global_position = CASE version WHEN 1 THEN $P2 ELSE $P1 END WHERE tenant = 'default' AND stream_id = '$RUN-2' AND version IN (1, 2);
-- the stream row ahead of its events (a lost event row): rows no longer match the versions' sum
UPDATE streams SET version = $(( EVENTS + 1 )) WHERE tenant = 'default' AND stream_id = '$RUN-3';
-- a snapshot past its stream's head
INSERT INTO snapshots (tenant, stream_id, version, type, data, created_at) VALUES ('default', '$RUN-4', $(( EVENTS + 1 )), 'DrillCorruption', '{}', now());
-- a broken hash chain: one stored event's data changed in place ($RUN-4 v3)
UPDATE events SET data = data || '{"drillCorruption":true}' WHERE tenant = 'default' AND stream_id = '$RUN-4' AND version = 3;
-- a remaining event of the truncated, scavenged stream changed: its chain from the anchor breaks
UPDATE events SET data = data || '{"drillCorruption":true}' WHERE tenant = 'default' AND stream_id = '$RUN-trunc' AND version = 5;
-- the position sequence behind the rows (a restore that missed it)
SELECT setval('events_global_position_seq', $(( MAXPOS - 1 )), true);
COMMIT;
SQL
  log "corrupted $DB: a gap in $RUN-1, positions swapped in $RUN-2, $RUN-3's row ahead of its events, a snapshot past $RUN-4's head, $RUN-4 v3's data changed, $RUN-trunc v5's data changed, the sequence at $(( MAXPOS - 1 )) < $MAXPOS"
  rc=0
  "${ARBOR[@]}" verify --json "${cli_db[@]}" >"$WORK/verify-corrupt.json" 2>"$WORK/verify-corrupt.err" || rc=$?
  if (( rc == 1 )); then
    log "verify on the corrupted copy: exit 1, $(grep -oE '"anomalies":[0-9]+' "$WORK/verify-corrupt.json" | cut -d: -f2) anomalies"
  else
    warn "verify on the corrupted copy exited $rc, not 1:"; cat "$WORK/verify-corrupt.json" "$WORK/verify-corrupt.err" >&2; fail=1
  fi
  for expected in \
      "stream $RUN-1: version 3 where 2 was due" \
      "stream $RUN-2 v2: at position $P1, not after the previous version's position $P2" \
      "stream $RUN-3: version is $(( EVENTS + 1 )) but its events end at $EVENTS" \
      "database: $ROWS event rows, but the streams' versions (less the versions scavenging removed) sum to $(( ROWS + 1 ))" \
      "database: 1 snapshot(s) past their stream's head" \
      "stream $RUN-4 v3: hash chain broken" \
      "stream $RUN-trunc v5: hash chain broken" \
      "database: events reach position $MAXPOS but the position sequence has handed out only $(( MAXPOS - 1 ))"; do
    if grep -qF -- "$expected" "$WORK/verify-corrupt.json"; then
      log "  named: $expected"
    else
      warn "verify did not name: $expected"; fail=1
    fi
  done
  uncorrupt || die "could not undo the corruption of $DB (restore it from $DUMP)"
  CORRUPTED=0
  rc=0
  "${ARBOR[@]}" verify --json "${cli_db[@]}" >"$WORK/verify-uncorrupted.json" 2>"$WORK/verify-uncorrupted.err" || rc=$?
  if (( rc == 0 )); then
    log "corruption undone: verify OK again ($(( $(_now_ms) - t )) ms for the corruption step)"
  else
    warn "verify after undoing the corruption exited $rc:"; cat "$WORK/verify-uncorrupted.json" "$WORK/verify-uncorrupted.err" >&2; fail=1
  fi
else
  warn "corruption step skipped: it needs --streams 4 and --events 3 or more"
fi

events=$(( STREAMS * EVENTS ))
log "backup $(du -h "$DUMP" | cut -f1) in $((backup_ms / 1000)).$(( backup_ms % 1000 / 100 ))s, restore in $((restore_ms / 1000)).$(( restore_ms % 1000 / 100 ))s, $RESTART restart to ready in $((restart_ms / 1000))s; drill total $((SECONDS - T0))s ($events workload events, $(grep -c '"eventId"' "$WORK/after/events.ndjson") in the store)"
(( fail == 0 )) || die "DR drill FAILED: see $WORK"
log "DR drill PASSED: every event, version, position, snapshot and stream lifecycle identical after backup, destroy, restore, restart; the tombstone still 410"
