#!/usr/bin/env bash
# Consistent logical backup of Arbor's database: pg_dump -Fc (custom format, compressed).
#   server-config/backup.sh [-d DB] [-o FILE] [-a ARCHIVE_DIR]
# DB defaults to arbor (the local cluster) or the database of ARBOR_DB_URL; FILE to
# backups/<db>-<UTC time>.dump. pg_dump reads one MVCC snapshot, so the dump is a consistent
# prefix of the log (events are never updated) while Arbor keeps running. Prints the file, its
# size, the event count and the time taken. Restore with restore.sh.
# -a: the archive directory too (arbor.archive.dir; docs/archive.md), AFTER the dump, into
# FILE.archive.tar (segments are written once and never changed, so every segment the dump's
# catalogue names is still there; interrupted writes, *.partial, are left out), holding the
# archiver's advisory lock for the copy so no segment moves under tar.
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

DB=arbor OUT="" ARCHIVE=""
while getopts "d:o:a:h" opt; do
  case "$opt" in
    d) DB="$OPTARG" ;; o) OUT="$OPTARG" ;; a) ARCHIVE="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
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
if [[ -n "$ARCHIVE" ]]; then
  [[ -d "$ARCHIVE" ]] || die "no archive directory $ARCHIVE"
  # After the dump: a segment committed since is harmless (its range is attached in the dump, and
  # the archiver moves such a segment aside); restored/ goes too (a range restored after the dump
  # started is detached in the dump, and its segment may already be there).
  # The copy holds the archiver's advisory lock (EventPartitions' ('Arbo', 1), which every archiver
  # step and partition check takes): no segment is written, moved to restored/ or deleted while tar
  # reads the directory. Without it a move to restored/ during the copy failed tar ("file removed
  # before we read it"), or left the segment out of both places. The lock is held by a psql session
  # and freed when it ends (so also if this script dies); archiving and partition checks wait.
  coproc ARCHIVER_LOCK { psql -w -X -q -v ON_ERROR_STOP=1 -At; }
  echo "SELECT 'locked' FROM pg_advisory_lock(1098015343, 1);" >&"${ARCHIVER_LOCK[1]}"
  read -r -t 120 locked <&"${ARCHIVER_LOCK[0]}" || locked=""
  [[ "$locked" == locked ]] || die "could not take the archiver's lock within 120 s (a long archive run?)"
  tar_rc=0
  tar -C "$ARCHIVE" --exclude='*.partial' -cf "$OUT.archive.tar.partial" . || tar_rc=$?
  eval "exec ${ARCHIVER_LOCK[1]}>&-"  # psql sees the end of its input, ends its session: unlocked
  wait "$ARCHIVER_LOCK_PID" 2>/dev/null || true
  (( tar_rc == 0 )) \
    || { rm -f "$OUT.archive.tar.partial"; die "tar of the archive directory $ARCHIVE failed"; }
  mv "$OUT.archive.tar.partial" "$OUT.archive.tar"
  log "archive directory $ARCHIVE -> $OUT.archive.tar ($(du -h "$OUT.archive.tar" | cut -f1))" >&2
fi
ms=$(( $(_now_ms) - t0 ))
log "backup of $PGHOST:$PGPORT/$PGDATABASE ($events events) -> $OUT ($(du -h "$OUT" | cut -f1)) in $((ms / 1000)).$(printf '%03d' $((ms % 1000)) | cut -c1)s" >&2
echo "$OUT"
