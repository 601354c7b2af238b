#!/usr/bin/env bash
# Performance report of Arbor's database: where time and space go.
#   server-config/perf-report.sh [-d DB] [-n TOP] [-D DAYS]
# Sections: top statements by total time (pg_stat_statements), table and index sizes, dead tuples
# and vacuum, cache hit ratios, scans per table, events and streams growth per day (last DAYS,
# default 14). DB defaults to arbor (local cluster) or ARBOR_DB_URL's database.
# pg_stat_statements must be in shared_preload_libraries: lib.sh's ensure_postgres sets that up on
# the local cluster (run.sh / test.sh); elsewhere the report says what to ask the DBA for and
# prints the other sections.
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

DB=arbor TOP=10 DAYS=14
while getopts "d:n:D:h" opt; do
  case "$opt" in
    d) DB="$OPTARG" ;; n) TOP="$OPTARG" ;; D) DAYS="$OPTARG" ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
[[ "$TOP$DAYS" =~ ^[0-9]+$ ]] || die "-n and -D are numbers"
ensure_pg_client
pg_env "$DB"
pg_q "SELECT 1" >/dev/null || die "cannot connect to $PGHOST:$PGPORT/$PGDATABASE as $PGUSER"

section() { printf '\n== %s\n' "$*"; }
# The marker keeps the report's own queries out of its top statements.
table() { psql -w -X -q -P pager=off -P footer=off -v ON_ERROR_STOP=1 -c "/* arbor-perf-report */ $1"; }

printf 'Arbor performance report: %s:%s/%s at %s\n' "$PGHOST" "$PGPORT" "$PGDATABASE" "$(date -u +%FT%TZ)"
table "SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size,
              (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM streams) AS streams,
              (SELECT count(*) FROM snapshots) AS snapshots,
              (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_since,
              split_part(version(), ' ', 2) AS postgresql"

section "Top $TOP statements by total execution time (pg_stat_statements)"
why=""
if [[ -z "$(pg_q "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'")" ]] \
   && ! pg_q "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1; then
  why="the extension pg_stat_statements is not created in $PGDATABASE, and $PGUSER may not create it"
elif ! probe=$(pg_q "/* arbor-perf-report */ SELECT count(*) FROM pg_stat_statements" 2>&1); then
  why="pg_stat_statements cannot be read: ${probe#ERROR:  }"
fi
if [[ -n "$why" ]]; then
  if pg_local; then
    why="$why. Run server-config/run.sh or test.sh once: lib.sh loads it (shared_preload_libraries; the local cluster restarts only when nobody else is connected, or with ARBOR_PG_RESTART=1) and creates it"
  else
    why="$why. Ask the DBA of $PGHOST for shared_preload_libraries = 'pg_stat_statements' (a restart), CREATE EXTENSION pg_stat_statements in $PGDATABASE, and GRANT pg_read_all_stats TO $PGUSER"
  fi
fi
if [[ -n "$why" ]]; then
  echo "(skipped) $why"
else
  table "SELECT s.calls,
                round(s.total_exec_time::numeric, 1) AS total_ms,
                round(s.mean_exec_time::numeric, 3) AS mean_ms,
                round((100 * s.total_exec_time / nullif(sum(s.total_exec_time) OVER (), 0))::numeric, 1) AS pct,
                s.rows,
                round(100.0 * s.shared_blks_hit / nullif(s.shared_blks_hit + s.shared_blks_read, 0), 1) AS hit_pct,
                left(regexp_replace(s.query, '\s+', ' ', 'g'), 90) AS query
         FROM pg_stat_statements s
         WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND s.query NOT LIKE '%arbor-perf-report%' 
         ORDER BY s.total_exec_time DESC LIMIT $TOP"
fi

section "Table and index sizes"
table "SELECT c.relname AS table_name,
              pg_size_pretty(pg_total_relation_size(c.oid)) AS total,
              pg_size_pretty(pg_relation_size(c.oid)) AS heap,
              pg_size_pretty(pg_indexes_size(c.oid)) AS indexes,
              pg_size_pretty(coalesce(pg_total_relation_size(c.reltoastrelid), 0)) AS toast,
              c.reltuples::bigint AS est_rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname = current_schema()
       ORDER BY pg_total_relation_size(c.oid) DESC"
table "SELECT indexrelname AS index_name, relname AS table_name,
              pg_size_pretty(pg_relation_size(indexrelid)) AS size, idx_scan AS scans
       FROM pg_stat_user_indexes WHERE schemaname = current_schema()
       ORDER BY pg_relation_size(indexrelid) DESC"

section "Dead tuples and vacuum"
table "SELECT relname AS table_name, n_live_tup AS live, n_dead_tup AS dead,
              round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 1) AS dead_pct,
              last_autovacuum, last_autoanalyze, autovacuum_count AS autovacuums
       FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY n_dead_tup DESC"

section "Cache hit ratio (shared buffers; below ~99 % on a hot store means reads go to disk)"
table "SELECT 'database' AS scope,
              round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2) AS hit_pct,
              blks_hit AS hits, blks_read AS reads
       FROM pg_stat_database WHERE datname = current_database()
       UNION ALL
       SELECT 'table ' || relname,
              round(100.0 * heap_blks_hit / nullif(heap_blks_hit + heap_blks_read, 0), 2),
              heap_blks_hit, heap_blks_read
       FROM pg_statio_user_tables WHERE schemaname = current_schema()
       UNION ALL
       SELECT 'indexes of ' || relname,
              round(100.0 * idx_blks_hit / nullif(idx_blks_hit + idx_blks_read, 0), 2),
              idx_blks_hit, idx_blks_read
       FROM pg_statio_user_tables WHERE schemaname = current_schema()"

section "Scans per table (many sequential scans of a big table = a missing index)"
table "SELECT relname AS table_name, seq_scan, seq_tup_read, idx_scan,
              n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted
       FROM pg_stat_user_tables WHERE schemaname = current_schema() ORDER BY seq_tup_read DESC"

section "Growth per day (last $DAYS days, UTC)"
table "WITH days AS (
         SELECT generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') - interval '$DAYS days' + interval '1 day',
                                date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day')::date AS day),
       e AS (SELECT (recorded_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n,
                    sum(pg_column_size(data) + pg_column_size(metadata)) AS bytes
             FROM events WHERE recorded_at >= now() - interval '$DAYS days' GROUP BY 1),
       s AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
             FROM streams WHERE created_at >= now() - interval '$DAYS days' GROUP BY 1)
       SELECT d.day, coalesce(e.n, 0) AS events, coalesce(s.n, 0) AS new_streams,
              pg_size_pretty(coalesce(e.bytes, 0)) AS payload
       FROM days d LEFT JOIN e USING (day) LEFT JOIN s USING (day) ORDER BY d.day"
