#!/usr/bin/env bash
# The plan of every read path's query on Arbor's database (docs/indexes.md shows them at 10,000,000
# events): EXPLAIN (ANALYZE, BUFFERS) of each, run as the application's role under row-level
# security, in one tenant's transaction (rolled back), with sample values taken from the store.
#   server-config/explain.sh [-d DB] [-t TENANT]
# DB defaults to arbor (local cluster) or ARBOR_DB_URL's database; TENANT to default. The role is
# ARBOR_DB_USER / ARBOR_DB_PASSWORD (default arbor / arbor); the samples are read as the owner.
# The statements are the ones Arbor sends (EventRows, MatchingStatement, ConsumerGroupRows,
# ReadProbe, StreamRows), with literals in place of their parameters: a literal lets the planner
# prune partitions when planning; a generic plan prunes the same ones when it starts.
# Exit status 1 when a plan of a hot path scans a table of more than 1,000 rows sequentially
# (events, a partition, event_keys, event_tags, streams).
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

DB=arbor TENANT=default
while getopts "d:t:h" opt; do
  case "$opt" in
    d) DB="$OPTARG" ;; t) TENANT="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
[[ "$TENANT" =~ ^[a-z0-9-]{1,63}$ ]] || die "invalid tenant: $TENANT"
ensure_pg_client
pg_env "$DB"
owner() { psql -w -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
owner "SELECT 1" >/dev/null || die "cannot connect to $PGHOST:$PGPORT/$PGDATABASE as $PGUSER"

# Samples: a stream in the middle of the log, its head, a category, a type, a tag, an event id,
# positions in the middle and near the end.
read -r TOTAL LAST < <(owner "SELECT count(*), coalesce(max(global_position), 0) FROM event_keys WHERE tenant = '$TENANT'" | tr '|' ' ')
(( TOTAL > 0 )) || die "tenant $TENANT has no events in $PGDATABASE"
MID=$(owner "SELECT global_position FROM events WHERE tenant = '$TENANT' AND global_position >= $LAST / 2 ORDER BY global_position LIMIT 1")
IFS='|' read -r STREAM EVENT_ID CATEGORY TYPE TAG < <(owner "SELECT stream_id, event_id, category, type, coalesce(tags->>0, '') FROM events WHERE global_position = $MID")
HEAD=$(owner "SELECT version FROM streams WHERE tenant = '$TENANT' AND stream_id = '$STREAM'")
TAIL=$(( LAST > 1000 ? LAST - 1000 : 0 ))
q() { printf "'%s'" "${1//\'/\'\'}"; }
T=$(q "$TENANT") S=$(q "$STREAM") C=$(q "$CATEGORY") Y=$(q "$TYPE") G=$(q "$TAG")

printf 'Arbor read paths: %s:%s/%s, tenant %s, %s events (positions up to %s), %s partitions, at %s\n' \
  "$PGHOST" "$PGPORT" "$PGDATABASE" "$TENANT" "$TOTAL" "$LAST" \
  "$(owner "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass")" "$(date -u +%FT%TZ)"
printf 'samples: stream %s (head %s), category %s, type %s, tag %s, event %s, positions %s (middle), %s (tail)\n' \
  "$STREAM" "$HEAD" "$CATEGORY" "$TYPE" "${TAG:-none}" "$EVENT_ID" "$MID" "$TAIL"

PLANS=$(mktemp)
trap 'rm -f "$PLANS"' EXIT
explain() {
  local title=$1 sql=$2 setting=${3:-"set_config('arbor.tenant', $T, true)"}
  printf '\n== %s\n%s\n\n' "$title" "$sql"
  PGUSER="${ARBOR_DB_USER:-arbor}" PGPASSWORD="${ARBOR_DB_PASSWORD:-arbor}" \
    psql -w -X -q -A -t -v ON_ERROR_STOP=1 <<SQL | tee -a "$PLANS"
BEGIN;
SELECT $setting \g /dev/null
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $sql;
ROLLBACK;
SQL
}

explain "stream read, forward (EventRows.versions)" \
  "SELECT * FROM visible_events WHERE tenant = $T AND stream_id = $S AND version BETWEEN 1 AND 100 ORDER BY version"
explain "stream read, backward (EventRows.versions, descending)" \
  "SELECT * FROM visible_events WHERE tenant = $T AND stream_id = $S AND version BETWEEN greatest(1, $HEAD - 99) AND $HEAD ORDER BY version DESC"
explain "stream probe (ReadProbe: head, lifecycle, first visible version)" \
  "SELECT s.version, CASE WHEN s.has_lifecycle THEN coalesce((SELECT min(v.version) FROM visible_events v WHERE v.tenant = s.tenant AND v.stream_id = s.stream_id AND v.version >= greatest(1, s.truncate_before, s.version - s.max_count + 1)), s.version + 1) ELSE 1 END FROM (VALUES (1)) AS one LEFT JOIN streams s ON s.tenant = $T AND s.stream_id = $S"
explain "hash at a version (StreamRows.hashAt: an append's chain after a lost race)" \
  "SELECT e.hash FROM events e WHERE e.tenant = $T AND e.stream_id = $S AND e.version = $HEAD"
explain "global log page, middle (EventRows.globalLog; subscriptions' catch-up)" \
  "SELECT * FROM visible_events WHERE global_position > $MID AND global_position <= $LAST AND tenant = $T ORDER BY global_position LIMIT 1000"
explain "global log page, tail (EventRows.globalLog)" \
  "SELECT * FROM visible_events WHERE global_position > $TAIL AND global_position <= $LAST AND tenant = $T ORDER BY global_position LIMIT 1000"
explain "global log by category (EventRows.globalLog, category filter)" \
  "SELECT * FROM visible_events WHERE global_position > $MID AND global_position <= $LAST AND tenant = $T AND category = $C ORDER BY global_position LIMIT 1000"
explain "global log by type (EventRows.globalLog, type filter)" \
  "SELECT * FROM visible_events WHERE global_position > $MID AND global_position <= $LAST AND tenant = $T AND type = $Y ORDER BY global_position LIMIT 1000"
explain "global log across tenants (EventRows.globalLogAcrossTenants: the live subscriptions' tailer)" \
  "SELECT * FROM visible_events WHERE global_position > $TAIL AND global_position <= $LAST ORDER BY global_position LIMIT 1000" \
  "set_config('arbor.scope', 'store', true)"
explain "event by id, idempotency check (EventRows.findByIds)" \
  "SELECT e.* FROM visible_events e WHERE e.tenant = $T AND e.global_position IN (SELECT k.global_position FROM event_keys k WHERE k.tenant = $T AND k.event_id = ANY ('{$EVENT_ID}'::uuid[])) ORDER BY e.global_position"
if [[ -n "$TAG" ]]; then
  explain "query by tag (MatchingStatement, a tagged item)" \
    "SELECT p, min(item) FROM ((SELECT t.global_position AS p, 0 AS item FROM event_tags t CROSS JOIN LATERAL (SELECT 1 FROM visible_events e WHERE e.tenant = t.tenant AND e.global_position = t.global_position LIMIT 1) visible WHERE t.tenant = $T AND t.tag = $G AND t.global_position > 0 AND t.global_position <= $LAST ORDER BY t.global_position LIMIT 1000)) m GROUP BY p ORDER BY p LIMIT 1000"
fi
explain "query by type (MatchingStatement, an item with types only)" \
  "SELECT p, min(item) FROM ((SELECT x.p, 0 AS item FROM unnest(ARRAY[$Y]::text[]) AS ty(type) CROSS JOIN LATERAL (SELECT e.global_position AS p FROM events e CROSS JOIN LATERAL (SELECT 1 FROM visible_events v WHERE v.tenant = e.tenant AND v.global_position = e.global_position LIMIT 1) visible WHERE e.tenant = $T AND e.type = ty.type AND e.global_position > $MID AND e.global_position <= $LAST ORDER BY e.global_position LIMIT 1000) x)) m GROUP BY p ORDER BY p LIMIT 1000"
explain "events at positions, a query's page or a group's leases (EventRows.atPositions, a range)" \
  "SELECT * FROM visible_events WHERE tenant = $T AND global_position BETWEEN $MID AND $MID + 999 ORDER BY global_position"
explain "consumer group copy from the log (ConsumerGroupRows.copyFromLog, category filter; its SELECT)" \
  "SELECT global_position, event_id, stream_id FROM visible_events WHERE tenant = $T AND global_position > $MID AND global_position <= $LAST AND category = $C ORDER BY global_position LIMIT 2000"

# A sequential scan of a table a hot path reads is a finding, unless the table is (nearly) empty:
# the planner rightly reads a partition of no pages (an emptied events_p0, events_default) so.
FOUND=0
while read -r table; do
  rows=$(owner "SELECT reltuples::bigint FROM pg_class WHERE oid = '$table'::regclass")
  if (( rows > 1000 )); then
    printf 'FOUND a sequential scan of %s (%s rows) on a hot path\n' "$table" "$rows" >&2; FOUND=1
  fi
done < <(grep -oE 'Seq Scan on (events|event_keys|event_tags|streams)[a-z0-9_]*' "$PLANS" | awk '{print $4}' | sort -u)
(( FOUND == 0 )) || exit 1
printf '\nno sequential scan on a hot path\n'
