# shellcheck shell=bash
# Operations helpers (backup.sh, restore.sh, dr-drill.sh, perf-report.sh), on top of lib.sh.
#
#   pg_env DB               export PGHOST/PGPORT/PGDATABASE/PGUSER/PGPASSWORD for Arbor's database,
#                           as the tables' owner, which bypasses row-level security (a dump as the
#                           application's role would see no tenant's rows; docs/security.md):
#                           from ARBOR_DB_URL (+ ARBOR_DB_OWNER_USER/ARBOR_DB_OWNER_PASSWORD) when
#                           set, else the local cluster's database DB as role arbor_owner
#   ensure_pg_client        pg_dump/pg_restore/psql on PATH (apt-get postgresql-client if missing)
#   pg_local                0 when Arbor's database is the local cluster (not ARBOR_DB_URL)
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pg_local() { [[ -z "${ARBOR_DB_URL:-}" ]]; }

pg_env() {
  local db="${1:-arbor}"
  if [[ -n "${ARBOR_DB_URL:-}" ]]; then
    local re='^jdbc:postgresql://(\[[^]]+\]|[^/:?]+)(:([0-9]+))?/([^?]+)(\?.*)?$'
    [[ "$ARBOR_DB_URL" =~ $re ]] \
      || die "ARBOR_DB_URL must look like jdbc:postgresql://HOST:PORT/DB[?params], got: $ARBOR_DB_URL"
    PGHOST="${BASH_REMATCH[1]}"; PGHOST="${PGHOST#[}"; PGHOST="${PGHOST%]}"
    PGPORT="${BASH_REMATCH[3]:-5432}"; PGDATABASE="${BASH_REMATCH[4]}"
    PGUSER="${ARBOR_DB_OWNER_USER:-arbor_owner}"; PGPASSWORD="${ARBOR_DB_OWNER_PASSWORD:-arbor_owner}"
  else
    [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid database name: $db"
    PGHOST=127.0.0.1; PGPORT="$PG_PORT"; PGDATABASE="$db"; PGUSER=arbor_owner; PGPASSWORD=arbor_owner
  fi
  export PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
  JDBC_URL="jdbc:postgresql://${PGHOST}:${PGPORT}/${PGDATABASE}"
  export JDBC_URL
}

ensure_pg_client() {
  local tool missing=0
  for tool in pg_dump pg_restore psql; do command -v "$tool" >/dev/null || missing=1; done
  (( missing )) || return 0
  [[ $(id -u) == 0 ]] || die "pg_dump/pg_restore/psql missing and we are not root: apt-get install postgresql-client"
  log "installing postgresql-client (pg_dump, pg_restore, psql)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null; } \
    || die "apt-get install postgresql-client failed"
}

# pg_q SQL: one value from Arbor's database (PG* from pg_env).
pg_q() { psql -w -X -v ON_ERROR_STOP=1 -Atqc "$1"; }
