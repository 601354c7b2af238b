#!/usr/bin/env bash
# Consistent logical backup of Arbor's database: pg_dump -Fc (custom format, compressed).
#   server-config/backup.sh [-d DB] [-o FILE]
# DB defaults to arbor (the local cluster) or the database of ARBOR_DB_URL; FILE to
# backups/<db>-<UTC time>.dump. pg_dump reads one MVCC snapshot, so the dump is a consistent
# prefix of the log (events are never updated) while Arbor keeps running. Prints the file, its
# size, the event count and the time taken. Restore with restore.sh.
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

DB=arbor OUT=""
while getopts "d:o:h" opt; do
  case "$opt" in
    d) DB="$OPTARG" ;; o) OUT="$OPTARG" ;;
    *) sed -n '2,8p' "$0"; exit 2 ;;
  esac
done
ensure_pg_client
pg_env "$DB"
OUT="${OUT:-$ROOT/backups/${PGDATABASE}-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$OUT")"
events=$(pg_q "SELECT count(*) FROM events" 2>/dev/null || echo "?")
t0=$(_now_ms)
pg_dump -w -Fc -Z 6 --no-owner -f "$OUT.partial" "$PGDATABASE" || { rm -f "$OUT.partial"; die "pg_dump of $PGDATABASE failed"; }
mv "$OUT.partial" "$OUT"
ms=$(( $(_now_ms) - t0 ))
log "backup of $PGHOST:$PGPORT/$PGDATABASE ($events events) -> $OUT ($(du -h "$OUT" | cut -f1)) in $((ms / 1000)).$(printf '%03d' $((ms % 1000)) | cut -c1)s" >&2
echo "$OUT"
