#!/usr/bin/env bash
# Restore a backup.sh dump into Arbor's database.
#   server-config/restore.sh [-d DB] [-r] [-a ARCHIVE_DIR] FILE
# -a: also the archive directory from FILE.archive.tar (backup.sh -a) into ARCHIVE_DIR, which must
# be empty or absent (with -r its contents go first); then every range the restored catalogue says
# is archived or detached must have its segment there with the recorded SHA-256 (one found only in
# restored/ is moved back), or the restore fails.
# The target must not hold Arbor's tables yet, unless -r (replace): then, locally, the database is
# dropped (its sessions ended) and created again, owner arbor_owner; with ARBOR_DB_URL it is emptied
# with pg_restore --clean. The restore runs in one transaction (all or nothing) and restores the
# global-position sequence, so new appends continue after the restored positions.
# Stop Arbor first (server-config/stop.sh DOMAIN): its pool would hold the database open.
set -euo pipefail
# shellcheck source=ops-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/ops-lib.sh"

DB=arbor REPLACE=0 ARCHIVE=""
while getopts "d:ra:h" opt; do
  case "$opt" in
    d) DB="$OPTARG" ;; r) REPLACE=1 ;; a) ARCHIVE="$OPTARG" ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
FILE="${1:-}"
[[ -n "$FILE" && -s "$FILE" ]] || die "usage: restore.sh [-d DB] [-r] FILE (a pg_dump -Fc file)"
ensure_pg_client
pg_restore -l "$FILE" >/dev/null 2>&1 || die "$FILE is not a pg_dump custom-format archive"
if [[ -n "$ARCHIVE" ]]; then
  [[ -s "$FILE.archive.tar" ]] || die "no $FILE.archive.tar (backup.sh -a writes it)"
  if [[ -d "$ARCHIVE" && -n "$(ls -A "$ARCHIVE")" ]]; then
    (( REPLACE )) || die "the archive directory $ARCHIVE is not empty: restore.sh -r replaces its contents"
  fi
fi
pg_env "$DB"

clean=()
if pg_local; then
  ensure_postgres "$DB" >/dev/null
  pg_env "$DB"
  if [[ -n "$(pg_q "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'")" ]]; then
    (( REPLACE )) || die "database $DB already holds Arbor's tables: restore.sh -r replaces it"
    log "dropping database $DB (ending its sessions) and creating it again"
    _psql_admin -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()" >/dev/null
    _psql_admin -c "DROP DATABASE \"$DB\"" || die "could not drop $DB"
    _psql_admin -c "CREATE DATABASE \"$DB\" OWNER arbor_owner" || die "could not create $DB"
    _psql_admin -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null 2>&1 || true
  fi
else
  if [[ -n "$(pg_q "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'")" ]]; then
    (( REPLACE )) || die "$PGDATABASE already holds Arbor's tables: restore.sh -r replaces them"
    clean=(--clean --if-exists)
  fi
fi
# Extensions (pg_stat_statements, which the scripts create as superuser) are the cluster
# admin's business: a restore as Arbor's role could not create them and would fail.
list=$(mktemp)
pg_restore -l "$FILE" | grep -vE ' EXTENSION | COMMENT - EXTENSION ' >"$list"
t0=$(_now_ms)
pg_restore -w --no-owner --role="$PGUSER" --exit-on-error --single-transaction "${clean[@]}" \
  -L "$list" -d "$PGDATABASE" "$FILE" || { rm -f "$list"; die "pg_restore of $FILE into $PGDATABASE failed (nothing restored)"; }
rm -f "$list"
if [[ -n "$ARCHIVE" ]]; then
  mkdir -p "$ARCHIVE"
  find "$ARCHIVE" -mindepth 1 -delete
  tar -C "$ARCHIVE" -xf "$FILE.archive.tar" || die "extracting $FILE.archive.tar into $ARCHIVE failed"
  missing=0
  while IFS='|' read -r from to sha; do
    [[ -n "$from" ]] || continue
    name="events-$from-$to"
    if [[ ! -f "$ARCHIVE/$name.manifest.json" && -f "$ARCHIVE/restored/$name.manifest.json" ]]; then
      mv "$ARCHIVE/restored/$name.ndjson.gz" "$ARCHIVE/$name.ndjson.gz"
      mv "$ARCHIVE/restored/$name.manifest.json" "$ARCHIVE/$name.manifest.json"
      log "moved the segment $name back from restored/ (the catalogue holds the range in the archive)"
    fi
    if [[ ! -f "$ARCHIVE/$name.manifest.json" ]] \
       || [[ "$(sha256sum <"$ARCHIVE/$name.ndjson.gz" | cut -d' ' -f1)" != "$sha" ]]; then
      warn "the catalogue holds [$from, $to) in the archive, but $ARCHIVE has no segment of it with SHA-256 $sha"
      missing=1
    fi
  done < <(pg_q "SELECT from_position, to_position, archive_sha256 FROM event_partitions WHERE state <> 'attached' ORDER BY 1" 2>/dev/null | tr '\t' '|')
  (( missing == 0 )) || die "the archive directory does not hold every archived range: do not start Arbor on it"
  log "archive directory restored into $ARCHIVE: $(find "$ARCHIVE" -maxdepth 1 -name '*.manifest.json' | wc -l) segments"
fi
ms=$(( $(_now_ms) - t0 ))
log "restored $FILE into $PGHOST:$PGPORT/$PGDATABASE: $(pg_q "SELECT count(*) FROM events") events, $(pg_q "SELECT count(*) FROM streams") streams, $(pg_q "SELECT count(*) FROM snapshots") snapshots in $((ms / 1000)).$(printf '%03d' $((ms % 1000)) | cut -c1)s"
