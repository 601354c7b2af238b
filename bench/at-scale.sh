#!/usr/bin/env bash
# Issue 20's benchmark at scale: append p50/p99 and global-log catch-up with EVENTS events stored,
# the partitioned events table against the table before it (changeset 2026-12-09-01), each layout
# in its own database, with its empty-store baseline from the same run; and the tables' and
# indexes' size per million events. docs/benchmarks.md ("Issue 20 at scale") has the figures.
#
#   bench/at-scale.sh --domain D --portbase P --db-prefix PREFIX --old-checkout DIR [--events 20000000]
#                     [--new-ear ear/target/arbor.ear] [--seconds 20] [--warmup 5]
#                     [--catchup-events 2000000] [--steps create,seed,settle,measure,archive-seed,archive,drop] [--chunk 1000000]
#                     [--layouts u,p] [--warmup-runs 1]
#
# Databases PREFIX + 'u' (unpartitioned: DIR is a checkout from before the changeset, built with
# `mvn -o -q package -DskipTests`, e.g. `git worktree add --detach DIR 0bf0e74`; its EAR and its
# `arbor db update` serve and migrate it) and PREFIX + 'p' (partitioned: NEW_EAR). Steps, each selectable:
#   create   both databases DROPPED and re-created empty, each migrated by its build's
#            `arbor db update` (Liquibase: the old changelog stops before 2026-12-09-01)
#   seed     EVENTS events into each by SQL (bench/seed-scale-events.sql, chunks of 1,000,000 in
#            one transaction each, streams of 100, ~300 bytes of JSON an event, with a tag), the two databases
#            side by side; the partitioned one gets its range partitions first
#            (bench/create-partitions.sql, arbor.partitions.size 1,000,000 and 2 ahead, as Arbor's
#            defaults)
#   settle   VACUUM ANALYZE of both, side by side; then the sizes per million events
#   measure  per layout, back to back: domain D pointed at its database, its EAR deployed into a
#            fresh JVM; appends to warm it up (not counted); the benchmark's scenario 22
#            (bench/run.sh --only 22: append p50/p99 at one
#            client, catch-up from position 0 and from the middle of the log) at EVENTS stored;
#            then TRUNCATE of the store and the appends again: the empty-store baseline, same JVM
#   archive-seed  database PREFIX + 'a' (re-created): ARCHIVE_EVENTS events (2,000,000)
#            hash-chained by SQL (server-config/tests/seed-chained-events.sql: the archiver takes
#            only hashed partitions) in partitions of 1,000,000
#   archive  (a NEW_EAR with the archive tier) on database PREFIX + 'a': the domain gets an archive
#            directory (OUT/archive, grace 5 s, no scheduled pass); sizes and scenario 22 (catch-up
#            over ARCHIVE_EVENTS / 2 from 0 and from the middle); POST /admin/archive below the
#            partition boundary at ARCHIVE_EVENTS / 2 (the job archives, waits out the grace,
#            detaches and drops); sizes with the archive files, and scenario 22 again: the first
#            half now read from the archive, the second still from PostgreSQL; then the range
#            restored (POST /admin/archive/restore) and scenario 22, archived again and scenario 22
#   drop     every database of PREFIX dropped, the domain stopped
#   baseline (one layout) after create, before seed: the domain on the empty database in a fresh JVM,
#            WARMUP_RUNS warm-up runs, scenario 22 on the empty store (LAYOUT-empty.txt); the
#            domain stays up
#   at-scale (one layout) after seed and settle, in the JVM baseline left: one warm-up run, then
#            scenario 22 at scale (LAYOUT-full.txt) and the summary. So the empty store is
#            measured first and the store at scale in the same, warmer JVM:
#            --layouts p --steps create,baseline,seed,settle,at-scale
# --layouts p measures the partitioned layout alone (no --old-checkout needed), seeded alone; the
# seeds of 50,000,000 events of both layouts do not fit on an 80 GB disk together. --warmup-runs N
# runs the uncounted warm-up appends N times before the first measured phase (a fresh JVM took
# more than one run to reach its steady CPU per append: docs/benchmarks.md).
# The seeds write their own databases only, which D serves only from the measure step on. Every step
# prints `uptime` (the machine is shared) and the results go to bench/target/at-scale/PREFIX/.
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

DOMAIN="" PORTBASE="" PREFIX="" OLD="" NEW_EAR="$ROOT/ear/target/arbor.ear"
EVENTS=20000000 SECONDS_=20 WARMUP=5 CATCHUP=2000000 STEPS=create,seed,settle,measure,archive-seed,archive,drop
ARCHIVE_EVENTS=2000000 LAYOUTS="u p" WARMUP_RUNS=1
CHUNK=1000000 PER_STREAM=100 PARTITION_SIZE=1000000 AHEAD=2
while (( $# )); do
  case "$1" in
    --domain) DOMAIN="$2" ;; --portbase) PORTBASE="$2" ;; --db-prefix) PREFIX="$2" ;;
    --old-checkout) OLD="$2" ;; --new-ear) NEW_EAR="$2" ;; --events) EVENTS="$2" ;;
    --seconds) SECONDS_="$2" ;; --warmup) WARMUP="$2" ;; --catchup-events) CATCHUP="$2" ;;
    --steps) STEPS="$2" ;; --chunk) CHUNK="$2" ;; --archive-events) ARCHIVE_EVENTS="$2" ;;
    --layouts) LAYOUTS="${2//,/ }" ;; --warmup-runs) WARMUP_RUNS="$2" ;;
    *) sed -n '2,30p' "$0"; exit 2 ;;
  esac
  shift 2
done
[[ -n "$DOMAIN" && -n "$PORTBASE" && "$PREFIX" =~ ^[a-z_][a-z0-9_]*$ ]] || die "--domain, --portbase and --db-prefix are required"
(( EVENTS % CHUNK == 0 )) || die "--events must be a multiple of $CHUNK"
OUT="$ROOT/bench/target/at-scale/$PREFIX"
mkdir -p "$OUT"
step() { [[ ",$STEPS," == *",$1,"* ]]; }
load() { log "load: $(uptime | sed 's/.*load average/load average/')"; }
db_of() { echo "${PREFIX}$1"; }
ear_of() { if [[ "$1" == u ]]; then echo "$OLD/ear/target/arbor.ear"; else echo "$NEW_EAR"; fi; }
checkout_of() { if [[ "$1" == u ]]; then echo "$OLD"; else echo "$ROOT"; fi; }
owner_psql() { PGPASSWORD=arbor_owner psql -h 127.0.0.1 -p "$PG_PORT" -U arbor_owner -w -d "$1" -X -q -v ON_ERROR_STOP=1 "${@:2}"; }
[[ -f "$NEW_EAR" ]] || die "no $NEW_EAR: build first (mvn -o -q install -DskipTests)"
[[ " $LAYOUTS " =~ ^(" u p "|" p "|" u ")$ ]] || die "--layouts: u,p or p or u"
has_u() { [[ " $LAYOUTS " == *" u "* ]]; }
! has_u || [[ -f "$OLD/ear/target/arbor.ear" && -f "$OLD/cli/target/arbor-cli.jar" ]] || die "--old-checkout: a checkout from before changeset 2026-12-09-01, built (git worktree add --detach DIR 0bf0e74; cd DIR; mvn -o -q package -DskipTests)"
! has_u || ! grep -q 2026-12-09-01 "$OLD/liquibase/src/main/resources/db/changelog.xml" || die "$OLD has changeset 2026-12-09-01: not a checkout from before the partitioned table"

# The sizes of the event tables and their indexes, per million events (events with its partitions).
sizes() {
  local db="$1" layout="$2"
  owner_psql "$db" -A -t -F ' ' <<'SQL' | sed "s/^/$layout /" | tee -a "$OUT/sizes.txt"
WITH parts AS (
    SELECT 'events'::regclass AS rel UNION ALL
    SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'events'::regclass),
  n AS (SELECT count(*) / 1e6 AS m FROM events)
SELECT 'events_table_bytes_per_million', round(sum(pg_table_size(rel)) / (SELECT m FROM n)) FROM parts
UNION ALL SELECT 'events_index_bytes_per_million', round(sum(pg_indexes_size(rel)) / (SELECT m FROM n)) FROM parts
UNION ALL SELECT 'event_keys_total_bytes_per_million', round(coalesce(pg_total_relation_size(to_regclass('event_keys')), 0) / (SELECT m FROM n))
UNION ALL SELECT 'event_tags_table_bytes_per_million', round(pg_table_size('event_tags') / (SELECT m FROM n))
UNION ALL SELECT 'event_tags_index_bytes_per_million', round(pg_indexes_size('event_tags') / (SELECT m FROM n))
UNION ALL SELECT 'streams_total_bytes_per_million', round(pg_total_relation_size('streams') / (SELECT m FROM n))
UNION ALL SELECT 'all_total_bytes_per_million', round((sum(pg_total_relation_size(rel)) + coalesce(pg_total_relation_size(to_regclass('event_keys')), 0) + pg_total_relation_size('event_tags') + pg_total_relation_size('streams')) / (SELECT m FROM n)) FROM parts
UNION ALL SELECT 'all_total_bytes', (sum(pg_total_relation_size(rel)) + coalesce(pg_total_relation_size(to_regclass('event_keys')), 0) + pg_total_relation_size('event_tags') + pg_total_relation_size('streams')) FROM parts
UNION ALL SELECT 'events_stored', (SELECT count(*) FROM events)
UNION ALL SELECT 'partitions', (SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass);
SQL
}

# seed_one LAYOUT: EVENTS events into the layout's database, chunk by chunk.
seed_one() {
  local layout="$1" db; db=$(db_of "$1")
  local t0=$SECONDS log="$OUT/seed-$layout.log"
  : >"$log"
  if [[ "$layout" == p ]]; then
    local handed; handed=$(owner_psql "$db" -A -t -c "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM events_global_position_seq")
    owner_psql "$db" -v through=$((handed + EVENTS)) -v size="$PARTITION_SIZE" -v ahead="$AHEAD" -f "$ROOT/bench/create-partitions.sql" >>"$log"
  fi
  local done=0 run
  while (( done < EVENTS )); do
    run=$(printf '%s%04d' "$layout" $((done / CHUNK)))
    owner_psql "$db" -v events="$CHUNK" -v per_stream="$PER_STREAM" -v run="$run" -f "$ROOT/bench/seed-scale-events.sql" >>"$log"
    done=$((done + CHUNK))
    echo "$(date -u +%T) $layout: $done / $EVENTS events, $(( done / (SECONDS - t0 + 1) )) events/s" >>"$log"
  done
  echo "$layout: seeded $EVENTS events in $((SECONDS - t0)) s" | tee -a "$log" "$OUT/seed.txt"
}

# settle_one LAYOUT: VACUUM ANALYZE after the seed (fresh statistics and visibility map, and no
# autovacuum storm mid-measurement).
settle_one() {
  local layout="$1" db t0=$SECONDS; db=$(db_of "$1")
  owner_psql "$db" -c "VACUUM (ANALYZE) streams, events, event_tags"
  [[ "$layout" == u ]] || owner_psql "$db" -c "VACUUM (ANALYZE) event_keys"
  echo "$layout: VACUUM ANALYZE $((SECONDS - t0)) s" | tee -a "$OUT/seed.txt"
}

if step create; then
  ensure_postgres "$(db_of u)" >/dev/null
  for layout in $LAYOUTS; do
    db=$(db_of "$layout")
    _psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\" OWNER arbor_owner" >/dev/null
    ARBOR_CLI_REBUILD=0 ARBOR_DB_URL="jdbc:postgresql://127.0.0.1:${PG_PORT}/$db" ARBOR_DB_OWNER_USER=arbor_owner \
      ARBOR_DB_OWNER_PASSWORD=arbor_owner "$(checkout_of "$layout")/bin/arbor" db update | tail -n1
    _ensure_pg_stat_statements "$db" >/dev/null
  done
fi

# measure_one LAYOUT LABEL: the domain on the layout's database with its EAR, scenario 22 at the
# store as seeded, then emptied (TRUNCATE) and scenario 22 again.
measure_one() {
  deploy_warm "$1" "$2"
  phase "$1" "$2" full
  phase "$1" "$2" empty
}

# deploy_warm LAYOUT LABEL: the domain on the layout's database with its EAR, in a fresh JVM, and
# WARMUP_RUNS runs of the appends, not counted.
deploy_warm() {
  local layout="$1" label="$2" db; db=$(db_of "$1")
  ensure_postgres "$db" >/dev/null
  ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
  configure_resources "$DOMAIN" >/dev/null
  configure_security "$DOMAIN" >/dev/null
  undeploy_into_fresh_jvm "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
  timed "deploy $layout" deploy_ear "$DOMAIN" "$(ear_of "$layout")" >/dev/null
  wait_ready "http://localhost:$(http_port "$DOMAIN")/health/ready" 600 '"status":"UP"' >/dev/null
  # A fresh JVM's first appends took seconds (JIT, pools, the data grid): a warm-up run of the
  # appends, not counted (its catch-up skipped: more events asked than stored).
  local run
  for run in $(seq 1 "$WARMUP_RUNS"); do
    "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$db" --only 22 --layout "$label, warm-up $run" \
      --seconds "$SECONDS_" --warmup "$WARMUP" --catchup-events 1000000000000 >"$OUT/run-$layout-warm-up-$run.log" || true
  done
}

# phase LAYOUT LABEL full|empty: scenario 22 on the deployed domain; empty TRUNCATEs the store first
# (the measure step), baseline measures the store as it is (empty, before the seed).
phase() {
  local layout="$1" label="$2" phase="$3" db; db=$(db_of "$1")
    if [[ "$phase" == empty && "${EMPTY_BY_TRUNCATE:-1}" == 1 ]]; then
      owner_psql "$db" -c "TRUNCATE snapshots, event_tags, events, streams"
      owner_psql "$db" -c "VACUUM (ANALYZE) streams, events, event_tags"
    fi
    load
    "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$db" --only 22 --layout "$label" \
      --results "$OUT/$layout-$phase.txt" --seconds "$SECONDS_" --warmup "$WARMUP" \
      --catchup-events "$CATCHUP" | tee "$OUT/run-$layout-$phase.log" | grep -E '^\| 22\.|FAILED|^  - ' || true
    load
    [[ -s "$OUT/$layout-$phase.txt" ]] || die "scenario 22 wrote no results for $layout ($phase): $OUT/run-$layout-$phase.log"
}

val() { awk -v k="$2" '$1 == k {print $2}' "$OUT/$1.txt"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "n/a" }'; }

label_of() { if [[ "$1" == u ]]; then echo "unpartitioned (before 2026-12-09-01)"; else echo "partitioned"; fi; }

# The empty store's baseline first, then the store at scale in the same JVM (steps baseline, seed,
# settle, at-scale, with one layout): the JVM is as warm at scale as at empty, or warmer, which the
# measure step's order (at scale first, in a JVM warmed by WARMUP_RUNS only) could not promise.
if step baseline; then
  [[ "$LAYOUTS" != *" "* ]] || die "baseline and at-scale take one layout (--layouts u or p)"
  ensure_payara >/dev/null
  deploy_warm "$LAYOUTS" "$(label_of "$LAYOUTS")"
  EMPTY_BY_TRUNCATE=0 phase "$LAYOUTS" "$(label_of "$LAYOUTS")" empty
fi

if step seed; then
  load
  pids=()
  for layout in $LAYOUTS; do seed_one "$layout" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  load
fi

if step settle; then
  pids=()
  for layout in $LAYOUTS; do settle_one "$layout" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  : >"$OUT/sizes.txt"
  for layout in $LAYOUTS; do sizes "$(db_of "$layout")" "$layout"; done
fi

summary() {
  {
    echo
    echo "| layout | stored | append p50 / p99 at that size | at empty (same JVM, after TRUNCATE) | p50 ratio (goal ≤ 1.2) | catch-up from 0 / from the middle, events/s |"
    echo "| --- | --- | --- | --- | --- | --- |"
    for layout in $LAYOUTS; do
      printf '| %s | %s | %s / %s ms | %s / %s ms | %s | %s / %s |\n' "$layout" "$(val "$layout-full" stored)" \
        "$(val "$layout-full" append_p50_ms)" "$(val "$layout-full" append_p99_ms)" \
        "$(val "$layout-empty" append_p50_ms)" "$(val "$layout-empty" append_p99_ms)" \
        "$(ratio "$(val "$layout-full" append_p50_ms)" "$(val "$layout-empty" append_p50_ms)")" \
        "$(val "$layout-full" catchup_start_per_s)" "$(val "$layout-full" catchup_middle_per_s)"
    done
    has_u && [[ " $LAYOUTS " == *" p "* ]] && printf '| p vs u | | p50 %s | | | catch-up %s / %s |\n' \
      "$(ratio "$(val p-full append_p50_ms)" "$(val u-full append_p50_ms)")" \
      "$(ratio "$(val p-full catchup_start_per_s)" "$(val u-full catchup_start_per_s)")" \
      "$(ratio "$(val p-full catchup_middle_per_s)" "$(val u-full catchup_middle_per_s)")"
    echo
    echo "sizes (bytes per million events, after the seed):"
    cat "$OUT/sizes.txt" 2>/dev/null || true
  } | tee "$OUT/summary.md"
}

if step measure; then
  ensure_payara >/dev/null
  for layout in $LAYOUTS; do measure_one "$layout" "$(label_of "$layout")"; done
  summary
fi

if step at-scale; then
  [[ "$LAYOUTS" != *" "* ]] || die "baseline and at-scale take one layout (--layouts u or p)"
  # the JVM the baseline step left running, idle during the seed: one run of the appends to wake
  # its pools, not counted, then the measured one
  "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$(db_of "$LAYOUTS")" --only 22 --layout "$(label_of "$LAYOUTS"), warm-up at scale" \
    --seconds "$SECONDS_" --warmup "$WARMUP" --catchup-events 1000000000000 >"$OUT/run-$LAYOUTS-warm-up-at-scale.log" || true
  phase "$LAYOUTS" "$(label_of "$LAYOUTS")" full
  summary
fi

# scenario22 LAYOUT-PHASE LABEL CATCHUP: bench/run.sh --only 22 on the deployed domain.
scenario22() {
  local tag="$1" label="$2" catchup="$3" db; db=$(db_of "${1%%-*}")
  load
  "$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$db" --only 22 --layout "$label" \
    --results "$OUT/$tag.txt" --seconds "$SECONDS_" --warmup "$WARMUP" \
    --catchup-events "$catchup" | tee "$OUT/run-$tag.log" | grep -E '^\| 22\.|FAILED|^  - ' || true
  load
  [[ -s "$OUT/$tag.txt" ]] || die "scenario 22 wrote no results ($tag): $OUT/run-$tag.log"
}

if step archive-seed; then
  db=$(db_of a)
  ensure_postgres "$db" >/dev/null
  _psql_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\" OWNER arbor_owner" >/dev/null
  ARBOR_CLI_REBUILD=0 ARBOR_DB_URL="jdbc:postgresql://127.0.0.1:${PG_PORT}/$db" ARBOR_DB_OWNER_USER=arbor_owner \
    ARBOR_DB_OWNER_PASSWORD=arbor_owner "$ROOT/bin/arbor" db update | tail -n1
  _ensure_pg_stat_statements "$db" >/dev/null
  owner_psql "$db" -v through="$ARCHIVE_EVENTS" -v size="$PARTITION_SIZE" -v ahead="$AHEAD" -f "$ROOT/bench/create-partitions.sql"
  t0=$SECONDS done=0
  while (( done < ARCHIVE_EVENTS )); do
    owner_psql "$db" -v events="$CHUNK" -v per_stream="$PER_STREAM" -v run="a$((done / CHUNK))" \
      -f "$ROOT/server-config/tests/seed-chained-events.sql"
    done=$((done + CHUNK))
  done
  owner_psql "$db" -c "VACUUM (ANALYZE) streams, events, event_tags, event_keys"
  log "archive store: $ARCHIVE_EVENTS hash-chained events seeded in $((SECONDS - t0)) s"
fi

if step archive; then
  db=$(db_of a) half=$((ARCHIVE_EVENTS / 2))
  ensure_postgres "$db" >/dev/null
  ensure_payara >/dev/null
  ensure_domain "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
  rm -rf "$OUT/archive"; mkdir -p "$OUT/archive"
  for setting in "arbor.archive.dir=$OUT/archive" arbor.archive.grace-seconds=5 arbor.archive.check-interval-seconds=0; do
    asa "$DOMAIN" set-config-property --source=domain --propertyname="${setting%%=*}" --propertyvalue="${setting#*=}" >/dev/null
  done
  configure_resources "$DOMAIN" >/dev/null
  configure_security "$DOMAIN" >/dev/null
  undeploy_into_fresh_jvm "$DOMAIN" "$PORTBASE" "$DOMAIN" >/dev/null
  timed "deploy (archive tier)" deploy_ear "$DOMAIN" "$NEW_EAR" >/dev/null
  API="http://localhost:$(http_port "$DOMAIN")"
  wait_ready "$API/health/ready" 600 '"status":"UP"' >/dev/null
  : >"$OUT/sizes-archive.txt"
  sizes "$db" a-before | tee -a "$OUT/sizes-archive.txt" >/dev/null
  scenario22 a-before "partitioned, all in PostgreSQL" "$half"
  below=$(owner_psql "$db" -A -t -c "SELECT max(to_position) FROM event_partitions WHERE to_position <= $half + 1")
  TOKEN=$(dev_token arbor-admin 3600)
  # archive_job PATH BODY: runs an archiver job (POST, then GET every second until it ends).
  archive_job() {
    local t0 job state; t0=$(date +%s.%N)
    job=$(curl -sf -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "$2" "$API/arbor/api$1" | sed -E 's/.*"jobId":"?([^",}]+).*/\1/')
    while state=$(curl -sf -H "Authorization: Bearer $TOKEN" "$API/arbor/api/admin/archive/$job") \
        && ! grep -qE '"state":"(done|failed)"' <<<"$state"; do sleep 1; done
    log "$1 $2: $(echo "$(date +%s.%N) - $t0" | bc) s (grace 5 s included): $state"
    grep -q '"state":"done"' <<<"$state" || die "the job did not end done"
  }
  load
  archive_job /admin/archive "{\"belowPosition\":$below}"
  owner_psql "$db" -A -t -c "SELECT partition_name, state, archive_events, archive_bytes FROM event_partitions ORDER BY from_position" | tee "$OUT/archive-catalogue.txt"
  sizes "$db" a-after | tee -a "$OUT/sizes-archive.txt" >/dev/null
  echo "a-after archive_dir_bytes $(du -sb "$OUT/archive" | cut -f1)" | tee -a "$OUT/sizes-archive.txt"
  scenario22 a-after "partitioned, first half archived" "$half"
  # The same range from PostgreSQL in this JVM, warmer by now (restored), then from the archive
  # again: the first pass's baseline ran in a JVM just deployed.
  archive_job /admin/archive/restore '{"from":1}'
  scenario22 a-restored "partitioned, first half restored" "$half"
  archive_job /admin/archive "{\"belowPosition\":$below}"
  scenario22 a-after2 "partitioned, first half archived again" "$half"
  {
    echo
    echo "| catch-up over $half events | before archiving (PostgreSQL) | after (archive) | ratio (goal ≥ 0.5) |"
    echo "| --- | --- | --- | --- |"
    printf '| from 0 (the range archived) | %s | %s | %s |\n' "$(val a-before catchup_start_per_s)" "$(val a-after catchup_start_per_s)" \
      "$(ratio "$(val a-after catchup_start_per_s)" "$(val a-before catchup_start_per_s)")"
    printf '| from the middle (PostgreSQL both times) | %s | %s | %s |\n' "$(val a-before catchup_middle_per_s)" "$(val a-after catchup_middle_per_s)" \
      "$(ratio "$(val a-after catchup_middle_per_s)" "$(val a-before catchup_middle_per_s)")"
    printf '| from 0, restored to PostgreSQL, then archived again | %s | %s | %s |\n' "$(val a-restored catchup_start_per_s)" "$(val a-after2 catchup_start_per_s)" \
      "$(ratio "$(val a-after2 catchup_start_per_s)" "$(val a-restored catchup_start_per_s)")"
    printf '| the archive against PostgreSQL from the middle, same run | %s | %s | %s; %s |\n' "$(val a-after catchup_middle_per_s)" "$(val a-after catchup_start_per_s)" \
      "$(ratio "$(val a-after catchup_start_per_s)" "$(val a-after catchup_middle_per_s)")" \
      "$(ratio "$(val a-after2 catchup_start_per_s)" "$(val a-after2 catchup_middle_per_s)")"
    echo
    cat "$OUT/sizes-archive.txt"
  } | tee "$OUT/summary-archive.md"
fi

if step drop; then
  stop_domain "$DOMAIN" >/dev/null || true
  for layout in u p a; do _psql_admin -c "DROP DATABASE IF EXISTS \"$(db_of "$layout")\" WITH (FORCE)" >/dev/null; done
  log "dropped $(db_of u), $(db_of p) and $(db_of a); domain $DOMAIN stopped"
fi
