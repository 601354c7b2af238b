# shellcheck shell=bash
# Arbor provisioning library: sourced by run.sh, test.sh and stop.sh.
#
#   ensure_payara                     download + unpack Payara and the PostgreSQL JDBC driver
#   ensure_postgres DBNAME            local cluster (install/start/create roles+db) or ARBOR_DB_URL;
#                                     local mode also enables pg_stat_statements (see below). Two
#                                     roles (docs/security.md): arbor_owner owns the tables (LOGIN,
#                                     BYPASSRLS; migrations, backups), arbor is the application's
#                                     (no ownership, under row-level security), a member of the
#                                     NOLOGIN group arbor_app that the changesets grant to. With
#                                     ARBOR_DB_URL, ARBOR_DB_OWNER_USER/_PASSWORD are required. Exports DB_URL,
#                                     DB_USER/DB_PASSWORD and DB_OWNER_USER/DB_OWNER_PASSWORD.
#   ensure_domain NAME PORTBASE HZ    create/start a domain, driver in lib, heap, Hazelcast cluster
#   configure_resources NAME          (re)create pools arbor-pool + arbor-owner-pool and resources
#                                     jdbc/arbor + jdbc/arbor-owner when their definition changed
#                                     (ARBOR_RECREATE_POOL=1: always), ping them
#                                     (deployment groups that referenced jdbc/arbor keep their ref;
#                                     while one does, an unchanged pool is only pinged)
#   deploy_ear NAME EAR               asadmin deploy --force=true --name arbor
#   arbor_deployed NAME               whether arbor is deployed on the domain
#   wait_ready URL [SECS] [REGEX]     poll until HTTP 200 (and the body matches REGEX, if given)
#   monitoring_fix_cmds CONFIG STATE  asadmin commands for monitoring levels + JDBC pool checker on
#                                     CONFIG (ensure_domain applies them to server-config every run)
#   http_fix_cmds CONFIG STATE        asadmin commands for the HTTP listeners of CONFIG: no Server or
#                                     X-Powered-By header, the request-header buffer (ensure_domain
#                                     applies them to server-config every run, grid.sh to its config)
#   request_path_fix_cmds CONFIG STATE  asadmin commands for what a request costs on CONFIG: the
#                                     JSON-P provider JVM option, ARBOR_HTTP_THREADS request threads
#                                     (ensure_domain, grid.sh; a change needs a restart)
#   ensure_dev_keys                   the development RSA key pair in .arbor/dev-keys (made once)
#   configure_security NAME           the domain's MP-JWT settings: issuer arbor-dev, the development
#                                     public key (ARBOR_JWT_ISSUER / ARBOR_JWT_PUBLIC_KEY_LOCATION, a
#                                     PEM file or JWKS URL: another identity provider's),
#                                     arbor.security.*; refused tokens logged at WARNING only
#   dev_token GROUPS [TTL_SECONDS]    print a development token (bin/arbor token)
#   stop_domain NAME                  stop if running, never fails when already stopped
#   instance_pid NODE INSTANCE        pid of a running instance JVM (grid.sh), else fails
#   ensure_admin_password_file        generate the admin user's password once ($ADMIN_PASSWORD_FILE);
#                                     ensure_domain also sets it on a domain without one, and
#                                     applies listener_fix_cmds and hazelcast_fix_cmds
#   listener_fix_cmds CONFIG STATE    asadmin commands that bind CONFIG's listeners (admin, IIOP,
#                                     JMX: loopback; HTTP: ARBOR_HTTP_ADDRESS), turn JMS off and
#                                     keep Hazelcast on its interface (ensure_domain, grid.sh)
#
# Everything is idempotent; every step prints "[arbor] ..." and dies loudly on failure.

set -euo pipefail

PAYARA_VERSION="${PAYARA_VERSION:-6.2025.9}"
PG_JDBC_VERSION="${PG_JDBC_VERSION:-42.7.8}"
# Heap for every Arbor domain (Payara's default is -Xmx512m).
ARBOR_HEAP="${ARBOR_HEAP:-1g}"
# Monitoring level (HIGH, LOW or OFF) for the modules below, shown in the admin console (Monitor).
ARBOR_MONITORING_LEVEL="${ARBOR_MONITORING_LEVEL:-HIGH}"
ARBOR_MONITORING_MODULES=(jdbc-connection-pool ejb-container http-service thread-pool
                          transaction-service web-container jvm)
# Sampling interval of the JDBC pool gauges in /metrics (health-check connection-pool checker).
ARBOR_POOL_CHECK_SECONDS="${ARBOR_POOL_CHECK_SECONDS:-5}"
# maven-dependency-plugin pinned so downloads do not depend on the Maven super-POM.
ARBOR_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# Jline inside asadmin complains ("Unable to retrieve infocmp") without a TERM.
export TERM="${TERM:-dumb}"
[[ -n "$TERM" ]] || export TERM=dumb

# The scripts' switch for arbor.security.enabled (configure_security), kept in the shell but out of
# every child's environment: MicroProfile Config reads ARBOR_SECURITY_ENABLED from a domain's own
# environment above the domain's setting (ordinal 300 against 70), so a domain started from a shell
# that exported it kept that value whatever a later run configured.
export -n ARBOR_SECURITY_ENABLED 2>/dev/null || true

log()  { printf '[arbor] %s\n' "$*"; }
warn() { printf '[arbor] WARNING: %s\n' "$*" >&2; }
die()  { printf '[arbor] ERROR: %s\n' "$*" >&2; exit 1; }

_now_ms() { date +%s%3N; }
# timed LABEL CMD...: run CMD, then print how long it took.
timed() {
  local label="$1"; shift
  local t0; t0=$(_now_ms)
  "$@"
  local t1; t1=$(_now_ms)
  log "$label took $(( (t1 - t0) / 1000 )).$(printf '%03d' $(( (t1 - t0) % 1000 )) | cut -c1)s"
}

arbor_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P
}

ROOT="$(arbor_root)"
SERVER_CONFIG_DIR="$ROOT/server-config"
PAYARA_BASE="$ROOT/.payara"
DOWNLOAD_DIR="$PAYARA_BASE/download"
PAYARA_HOME="$PAYARA_BASE/payara6"
ASADMIN="$PAYARA_HOME/bin/asadmin"
PG_JDBC_JAR="$DOWNLOAD_DIR/postgresql-${PG_JDBC_VERSION}.jar"

# Port of the local PostgreSQL cluster (local mode only; ARBOR_DB_URL overrides everything).
PG_PORT="${ARBOR_PG_PORT:-5432}"

# The server around Arbor (docs/security.md#the-server-around-arbor). Every domain of this checkout
# (run, test, grid, fault suite) has the admin user `admin` with one generated password, kept in
# ADMIN_PASSWORD_FILE (asadmin --passwordfile format, mode 600, outside git). Exported as
# AS_ADMIN_USER / AS_ADMIN_PASSWORDFILE, which asadmin reads, so that every asadmin call of the
# scripts and of their children (the ITs' Domain.asadmin) authenticates.
ADMIN_PASSWORD_FILE="${ARBOR_ADMIN_PASSWORD_FILE:-$PAYARA_BASE/admin-password}"
if [[ -f "$ADMIN_PASSWORD_FILE" ]]; then export AS_ADMIN_USER=admin AS_ADMIN_PASSWORDFILE="$ADMIN_PASSWORD_FILE"; fi
# Where the HTTP listeners (the API, 8080 and 8181) listen: every interface unless told otherwise.
# The admin port, IIOP and JMX listen on loopback only; JMS is off (Arbor does not use it).
ARBOR_HTTP_ADDRESS="${ARBOR_HTTP_ADDRESS:-0.0.0.0}"
# The interface the data grid (Hazelcast) binds to and its members find each other on: one host's
# grid stays on loopback; a grid over several hosts needs their private network's address.
ARBOR_GRID_INTERFACE="${ARBOR_GRID_INTERFACE:-127.0.0.1}"

# ---------------------------------------------------------------- Payara ----

_mvn_fetch() { # GAV:type -> $DOWNLOAD_DIR
  local artifact="$1"
  command -v mvn >/dev/null || die "mvn not found on PATH (needed to download $artifact)"
  mkdir -p "$DOWNLOAD_DIR"
  # Run from the download dir (no pom there) so the project's reactor is not involved.
  # Output (Maven prints its errors on stdout) is shown only on failure.
  local out
  out=$(cd "$DOWNLOAD_DIR" && mvn -B -q -Dstyle.color=never "${ARBOR_DEP_PLUGIN}:copy" \
      -Dartifact="$artifact" -DoutputDirectory="$DOWNLOAD_DIR" 2>&1) \
    || { printf '%s\n' "$out" >&2; die "Maven could not download $artifact (is Maven Central reachable?)"; }
}

ensure_payara() {
  if [[ ! -x "$ASADMIN" ]]; then
    local zip="$DOWNLOAD_DIR/payara-${PAYARA_VERSION}.zip"
    if [[ ! -s "$zip" ]]; then
      log "downloading Payara ${PAYARA_VERSION} from Maven Central (~170 MB)"
      timed "download Payara" _mvn_fetch "fish.payara.distributions:payara:${PAYARA_VERSION}:zip"
    fi
    [[ -s "$zip" ]] || die "Payara zip missing after download: $zip"
    log "unpacking $zip"
    local tmp="$PAYARA_BASE/.unpack.$$"
    rm -rf "$tmp"; mkdir -p "$tmp"
    if command -v unzip >/dev/null; then
      unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "unzip of $zip failed (corrupt download? delete it and retry)"; }
    else
      ( cd "$tmp" && jar xf "$zip" ) || { rm -rf "$tmp"; die "jar xf of $zip failed"; }
      chmod +x "$tmp"/payara6/bin/* "$tmp"/payara6/glassfish/bin/* 2>/dev/null || true
    fi
    [[ -x "$tmp/payara6/bin/asadmin" ]] || { rm -rf "$tmp"; die "zip did not contain payara6/bin/asadmin"; }
    rm -rf "$PAYARA_HOME"
    mv "$tmp/payara6" "$PAYARA_HOME"
    rm -rf "$tmp"
    log "Payara installed in $PAYARA_HOME"
  fi
  if [[ ! -s "$PG_JDBC_JAR" ]]; then
    log "downloading PostgreSQL JDBC driver ${PG_JDBC_VERSION}"
    _mvn_fetch "org.postgresql:postgresql:${PG_JDBC_VERSION}:jar"
    [[ -s "$PG_JDBC_JAR" ]] || die "JDBC driver missing after download: $PG_JDBC_JAR"
  fi
  log "Payara ${PAYARA_VERSION} ready ($PAYARA_HOME), JDBC driver $(basename "$PG_JDBC_JAR")"
}

# -------------------------------------------------------------- Postgres ----

# _tcp_ready HOST PORT [DB USER]: 0 when the server accepts connections.
_tcp_ready() {
  local host="$1" port="$2" db="${3:-postgres}" user="${4:-postgres}"
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h "$host" -p "$port" -d "$db" -U "$user" -t 3
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/${host}/${port}" 2>/dev/null
  fi
}

_wait_db() { # HOST PORT DB USER TIMEOUT_S
  local host="$1" port="$2" db="$3" user="$4" limit="${5:-60}" i=0
  until _tcp_ready "$host" "$port" "$db" "$user"; do
    (( i++ >= limit )) && die "PostgreSQL at ${host}:${port} not reachable after ${limit}s"
    sleep 1
  done
}

# Pick the local cluster to start: the one configured for \$PG_PORT, else (default port only)
# the newest version's cluster.
_pg_cluster() {
  local line ver name port
  if command -v pg_lsclusters >/dev/null; then
    while read -r ver name port _; do
      [[ "$port" == "$PG_PORT" ]] && { echo "$ver $name"; return 0; }
    done < <(pg_lsclusters -h 2>/dev/null)
    [[ "$PG_PORT" == 5432 ]] || return 1
    line=$(pg_lsclusters -h 2>/dev/null | sort -V | tail -n1 || true)
    [[ -n "$line" ]] && { echo "$line" | awk '{print $1, $2}'; return 0; }
  fi
  return 1
}

# _without_inherited_fds CMD...: runs CMD with no file descriptor open but 0, 1 and 2. A server
# started here (the PostgreSQL postmaster) would otherwise keep whatever its starter had open for
# as long as it runs: a caller under `flock /tmp/arbor-payara.lock` left the lock held by
# PostgreSQL, and every other flock waiting forever (seen in issue 16).
_without_inherited_fds() {
  (
    local fd
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      (( fd > 2 )) && eval "exec $fd>&-" 2>/dev/null
    done
    exec "$@"
  )
}

# _psql_admin ARGS...: psql as superuser. TCP with trust first, else peer auth on the socket.
_PSQL_MODE=""
_psql_admin() {
  if [[ -z "$_PSQL_MODE" ]]; then
    if psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -w -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      _PSQL_MODE=tcp
    elif [[ $(id -u) == 0 ]] && command -v runuser >/dev/null \
         && runuser -u postgres -- psql -p "$PG_PORT" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      _PSQL_MODE=runuser
    elif [[ $(id -u) == 0 ]] && su postgres -s /bin/sh -c "psql -p $PG_PORT -d postgres -Atqc 'select 1'" >/dev/null 2>&1; then
      _PSQL_MODE=su
    else
      die "cannot connect to local PostgreSQL as superuser 'postgres' (tried TCP trust and peer via runuser/su)"
    fi
    log "PostgreSQL superuser access via: $_PSQL_MODE"
  fi
  case "$_PSQL_MODE" in
    tcp)     psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -w -d postgres -v ON_ERROR_STOP=1 -Atq "$@" ;;
    runuser) (cd / && runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@") ;;
    su)      local q; q=$(printf '%q ' "$@"); (cd / && su postgres -s /bin/bash -c "psql -p $PG_PORT -d postgres -v ON_ERROR_STOP=1 -Atq $q") ;;
  esac
}

ensure_postgres() {
  local db="${1:?ensure_postgres needs a database name}"

  if [[ -n "${ARBOR_DB_URL:-}" ]]; then
    local re='^jdbc:postgresql://(\[[^]]+\]|[^/:?]+)(:([0-9]+))?/([^?]+)(\?.*)?$'
    [[ "$ARBOR_DB_URL" =~ $re ]] \
      || die "ARBOR_DB_URL must look like jdbc:postgresql://HOST:PORT/DB[?params], got: $ARBOR_DB_URL"
    local host="${BASH_REMATCH[1]}" port="${BASH_REMATCH[3]:-5432}" rdb="${BASH_REMATCH[4]}"
    host="${host#[}"; host="${host%]}"
    DB_URL="$ARBOR_DB_URL"; DB_USER="${ARBOR_DB_USER:-arbor}"; DB_PASSWORD="${ARBOR_DB_PASSWORD:-arbor}"
    # The owner is named, never guessed: a default (arbor_owner/arbor_owner) would be a well-known
    # password on a real server, or a silent connection as some other role.
    [[ -n "${ARBOR_DB_OWNER_USER:-}" && -n "${ARBOR_DB_OWNER_PASSWORD:-}" ]] \
      || die "ARBOR_DB_URL is set: set ARBOR_DB_OWNER_USER and ARBOR_DB_OWNER_PASSWORD too (the tables' owner, which migrates and backs up; docs/security.md)"
    DB_OWNER_USER="$ARBOR_DB_OWNER_USER"; DB_OWNER_PASSWORD="$ARBOR_DB_OWNER_PASSWORD"
    export DB_URL DB_USER DB_PASSWORD DB_OWNER_USER DB_OWNER_PASSWORD
    log "using external database $host:$port/$rdb as '$DB_USER', owner '$DB_OWNER_USER' (ARBOR_DB_URL set; nothing created)"
    _wait_db "$host" "$port" "$rdb" "$DB_USER" "${ARBOR_DB_WAIT:-60}"
    log "database reachable"
    return 0
  fi

  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid database name: $db"

  if ! command -v pg_ctlcluster >/dev/null || ! command -v psql >/dev/null; then
    [[ $(id -u) == 0 ]] || die "PostgreSQL is not installed and we are not root: install it (apt-get install postgresql) or set ARBOR_DB_URL"
    log "PostgreSQL not installed: apt-get install postgresql"
    timed "install PostgreSQL" bash -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null' \
      || die "apt-get install postgresql failed"
  fi

  if ! _tcp_ready 127.0.0.1 "$PG_PORT"; then
    local cl
    if ! cl=$(_pg_cluster); then
      [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]] \
        || die "no PostgreSQL cluster configured for port $PG_PORT (see pg_lsclusters)"
      local ver; ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1 || true)
      [[ -n "$ver" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
      log "no PostgreSQL cluster exists: pg_createcluster $ver main -p $PG_PORT"
      pg_createcluster "$ver" main -p "$PG_PORT" >/dev/null || die "pg_createcluster $ver main failed"
      cl="$ver main"
    fi
    log "PostgreSQL not accepting on 127.0.0.1:${PG_PORT}: starting cluster $cl"
    # shellcheck disable=SC2086
    _without_inherited_fds pg_ctlcluster --skip-systemctl-redirect $cl start \
      || die "pg_ctlcluster $cl start failed (see /var/log/postgresql/)"
  fi
  _wait_db 127.0.0.1 "$PG_PORT" postgres postgres 60
  log "PostgreSQL accepting on 127.0.0.1:${PG_PORT}"

  # The application's role never bypasses row-level security, whatever an older setup gave it.
  _psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor') THEN
        CREATE ROLE arbor LOGIN PASSWORD 'arbor';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor_owner') THEN
        CREATE ROLE arbor_owner LOGIN BYPASSRLS PASSWORD 'arbor_owner';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor_app') THEN
        CREATE ROLE arbor_app NOLOGIN NOBYPASSRLS;
      END IF;
      ALTER ROLE arbor NOBYPASSRLS; END \$\$;" || die "could not create roles arbor, arbor_owner and arbor_app"
  # The changesets grant the row privileges to the group arbor_app (a fixed name: see
  # docs/security.md); the application's login role holds them as its member.
  PGOPTIONS='-c client_min_messages=warning' _psql_admin -c "GRANT arbor_app TO arbor" >/dev/null \
    || die "could not make arbor a member of arbor_app"
  # ARBOR_FRESH_DB=1 (the test command's default): start from an empty database. WITH (FORCE) ends
  # the sessions of a domain still connected to it; its pool reconnects to the new one.
  if [[ "${ARBOR_FRESH_DB:-0}" == 1 && "$(_psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" == 1 ]]; then
    log "dropping database $db (a fresh store for this run; ARBOR_KEEP_DB=1 keeps it)"
    _psql_admin -c "DROP DATABASE \"$db\" WITH (FORCE)" >/dev/null || die "could not drop database $db"
  fi
  if [[ "$(_psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
    log "creating database $db (owner arbor_owner)"
    _psql_admin -c "CREATE DATABASE \"$db\" OWNER arbor_owner" || die "could not create database $db"
  fi
  _own_by_arbor_owner "$db"

  DB_URL="jdbc:postgresql://127.0.0.1:${PG_PORT}/$db"; DB_USER=arbor; DB_PASSWORD=arbor
  DB_OWNER_USER=arbor_owner; DB_OWNER_PASSWORD=arbor_owner
  export DB_URL DB_USER DB_PASSWORD DB_OWNER_USER DB_OWNER_PASSWORD
  PGPASSWORD="$DB_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -w -d "$db" -Atqc 'select 1' >/dev/null \
    || die "role arbor cannot log in to $db over TCP with password 'arbor' (pg_hba.conf? role has another password?)"
  PGPASSWORD="$DB_OWNER_PASSWORD" psql -h 127.0.0.1 -p "$PG_PORT" -U "$DB_OWNER_USER" -w -d "$db" -Atqc 'select 1' >/dev/null \
    || die "role arbor_owner cannot log in to $db over TCP with password 'arbor_owner' (pg_hba.conf? role has another password?)"
  log "database $db ready: $DB_URL (user $DB_USER, owner $DB_OWNER_USER)"
  _ensure_pg_stat_statements "$db"
}

# _own_by_arbor_owner DB (local mode only): a database from before issue 16 belongs to arbor, the
# application's role, which could therefore bypass row-level security. Its database, schemas,
# tables, sequences and functions go to arbor_owner, object by object in DB (REASSIGN OWNED would
# also give away every other database arbor owns, each of which its own run converts). The next
# deploy's migrations then grant arbor its row privileges. Idempotent: nothing left to move, no-op.
_own_by_arbor_owner() {
  local db="$1"
  _psql_admin -c "ALTER DATABASE \"$db\" OWNER TO arbor_owner" >/dev/null \
    || die "could not give database $db to arbor_owner"
  _psql_admin -d "$db" -c "DO \$\$ DECLARE r record; BEGIN
      FOR r IN SELECT nspname FROM pg_namespace WHERE nspowner = 'arbor'::regrole LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO arbor_owner', r.nspname);
      END LOOP;
      FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                WHERE c.relowner = 'arbor'::regrole AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
                  -- a serial's sequence moves with its table
                  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                                    AND d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
        EXECUTE format('ALTER %s %s OWNER TO arbor_owner',
                       CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                      WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.proowner = 'arbor'::regrole LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO arbor_owner', r.name);
      END LOOP; END \$\$;" >/dev/null || die "could not give the objects of $db to arbor_owner"
}

# _ensure_pg_stat_statements DB (local mode only): the performance report (server-config/perf-report.sh)
# reads pg_stat_statements. Loading it needs shared_preload_libraries, i.e. a restart of the
# cluster, which other users of a shared local cluster would feel (their pools reconnect; the
# Arbor pool's validation recovers by itself). So the restart happens only when nobody else is
# connected, or when ARBOR_PG_RESTART=1 asks for it; ARBOR_PG_RESTART=0 never restarts.
# Never fatal: without the extension the report says why and prints everything else.
_ensure_pg_stat_statements() {
  local db="$1" policy="${ARBOR_PG_RESTART:-auto}"
  local sharedir; sharedir=$(pg_config --sharedir 2>/dev/null || true)
  if ! ls /usr/share/postgresql/*/extension/pg_stat_statements.control ${sharedir:+"$sharedir"/extension/pg_stat_statements.control} >/dev/null 2>&1; then
    warn "pg_stat_statements is not installed (postgresql-contrib); the performance report will omit top statements"
    return 0
  fi
  local preload; preload=$(_psql_admin -c "SHOW shared_preload_libraries") || { warn "cannot read shared_preload_libraries"; return 0; }
  if [[ ",${preload// /}," != *,pg_stat_statements,* ]]; then
    local wanted="pg_stat_statements"
    [[ -n "${preload// /}" ]] && wanted="${preload// /},pg_stat_statements"
    _psql_admin -c "ALTER SYSTEM SET shared_preload_libraries = '$wanted'" >/dev/null \
      || { warn "could not set shared_preload_libraries"; return 0; }
    local others
    others=$(_psql_admin -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")
    local cl
    if [[ "$policy" == 0 ]] || { [[ "$policy" != 1 ]] && (( others > 0 )); } || ! cl=$(_pg_cluster); then
      warn "pg_stat_statements configured (shared_preload_libraries='$wanted') but not loaded: it needs a PostgreSQL restart, skipped because ${others} other session(s) are connected (ARBOR_PG_RESTART=1 restarts anyway)"
      return 0
    fi
    log "restarting PostgreSQL cluster $cl once to load pg_stat_statements (${others} other sessions)"
    # shellcheck disable=SC2086
    _without_inherited_fds pg_ctlcluster --skip-systemctl-redirect $cl restart -m fast \
      || die "pg_ctlcluster $cl restart failed (see /var/log/postgresql/)"
    _wait_db 127.0.0.1 "$PG_PORT" postgres postgres 60
  fi
  # The extension's view lives per database; arbor may read every statement's text.
  PGOPTIONS='-c client_min_messages=warning' _psql_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null \
    && PGOPTIONS='-c client_min_messages=warning' _psql_admin -c "GRANT pg_read_all_stats TO arbor, arbor_owner" >/dev/null \
    && log "pg_stat_statements enabled in $db" \
    || warn "could not create extension pg_stat_statements in $db"
}

# ---------------------------------------------------------------- domains ---

domain_dir() { echo "$PAYARA_HOME/glassfish/domains/$1"; }

# _listener_port NAME LISTENER: the literal port of a listener in the domain's server-config.
_listener_port() {
  local xml; xml="$(domain_dir "$1")/config/domain.xml"
  [[ -f "$xml" ]] || die "domain $1 does not exist ($xml)"
  grep -E "<network-listener [^>]*name=\"$2\"" "$xml" | grep -oE 'port="[0-9]+"' | head -n1 | tr -dc 0-9
}
admin_port() { local p; p=$(_listener_port "$1" admin-listener); [[ -n "$p" ]] || die "no admin port for domain $1"; echo "$p"; }
http_port()  { local p; p=$(_listener_port "$1" http-listener-1); [[ -n "$p" ]] || die "no HTTP port for domain $1"; echo "$p"; }

# asa NAME ARGS...: asadmin against domain NAME's admin port (admin user, ADMIN_PASSWORD_FILE).
asa() {
  local name="$1"; shift
  "$ASADMIN" --interactive=false --user admin ${AS_ADMIN_PASSWORDFILE:+--passwordfile "$AS_ADMIN_PASSWORDFILE"} \
    --port "$(admin_port "$name")" "$@"
}

# asa_batch NAME FILE: run FILE through one asadmin JVM (multimode). multimode always exits 0,
# so we scan the output; commands listed in ARBOR_BATCH_MAY_FAIL (regex) may fail.
# A command whose only complaint is "Instance X seems to be offline; command ... was not replicated"
# (stopped grid instances; the DAS applied it, the instance syncs at its next start) counts as done.
asa_batch() {
  local name="$1" file="$2" out rc=0
  out=$(asa "$name" multimode --file "$file" 2>&1) || rc=$?
  local failed
  failed=$(awk '
      /^remote failure:/ { remote = 1 }
      / seems to be offline; command [^ ]+ was not replicated/ { offline = 1 }
      /^Command [^ ]+ (executed successfully|completed with warnings)\./ { remote = 0; offline = 0 }
      /^Command [^ ]+ failed\./ { if (remote || !offline) print; remote = 0; offline = 0 }
    ' <<<"$out" | grep -vE "^Command (${ARBOR_BATCH_MAY_FAIL:-\$^}) failed" || true)
  if (( rc != 0 )) || [[ -n "$failed" ]]; then
    printf '%s\n' "--- asadmin commands:" >&2; cat "$file" >&2
    printf '%s\n' "--- asadmin output:" "$out" >&2
    die "asadmin batch on domain $name failed: ${failed:-exit $rc}"
  fi
  printf '%s\n' "$out"
}

# _asadmin_quiet ARGS...: local asadmin command; output shown only when it fails.
_asadmin_quiet() {
  local out
  out=$("$ASADMIN" --interactive=false "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

# ------------------------------------------------------------- monitoring ---

# _state_val KEY STATE: value of KEY in `asadmin get` output (empty if absent).
_state_val() { grep -F -- "$1=" <<<"$2" | head -n1 | cut -d= -f2- || true; }

# monitoring_fix_cmds CONFIG STATE: print the asadmin commands (one a line, none when all is right)
# that bring config CONFIG to the Arbor monitoring setup. STATE is `asadmin get configs.config.CONFIG.*`.
#  * ARBOR_MONITORING_LEVEL on ARBOR_MONITORING_MODULES (admin console Monitor pages, asadmin get -m,
#    REST /monitoring);
#  * health-check service with its connection-pool checker every ARBOR_POOL_CHECK_SECONDS: it feeds
#    the jdbc_pool_numconnused/numconnfree gauges of metrics.xml; logs WARNING at 80 %, SEVERE at 95 % use;
#  * AMX off (metrics.xml does not use AMX MBeans, see there).
# All of them are dynamic: no restart.
monitoring_fix_cmds() {
  local cfg="$1" state="$2" lvl="$ARBOR_MONITORING_LEVEL" m mods=()
  [[ "$lvl" =~ ^(HIGH|LOW|OFF)$ ]] || die "ARBOR_MONITORING_LEVEL must be HIGH, LOW or OFF, got: $lvl"
  [[ "$ARBOR_POOL_CHECK_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "ARBOR_POOL_CHECK_SECONDS must be a number of seconds"
  local p="configs.config.${cfg}."
  for m in "${ARBOR_MONITORING_MODULES[@]}"; do
    [[ "$(_state_val "${p}monitoring-service.module-monitoring-levels.${m}" "$state")" == "$lvl" ]] \
      || mods+=("${m}=${lvl}")
  done
  if (( ${#mods[@]} )); then
    ( IFS=:; echo "enable-monitoring --target ${cfg} --modules ${mods[*]}" )
  fi
  local hc="${p}health-check-service-configuration." cp="${p}health-check-service-configuration.connection-pool-checker.CONP."
  if [[ "$(_state_val "${cp}enabled" "$state")" != true \
        || "$(_state_val "${cp}time" "$state")" != "$ARBOR_POOL_CHECK_SECONDS" \
        || "$(_state_val "${cp}unit" "$state")" != SECONDS \
        || "$(_state_val "${cp}property.threshold-warning" "$state")" != 80 \
        || "$(_state_val "${cp}property.threshold-critical" "$state")" != 95 ]]; then
    echo "set-healthcheck-service-configuration --target ${cfg} --service=connection-pool --enabled=true --time=${ARBOR_POOL_CHECK_SECONDS} --time-unit=SECONDS --threshold-good=0 --threshold-warning=80 --threshold-critical=95 --dynamic=true"
  fi
  [[ "$(_state_val "${hc}enabled" "$state")" == true ]] \
    || echo "set-healthcheck-configuration --target ${cfg} --enabled=true --dynamic=true"
  [[ "$(_state_val "${p}amx-configuration.enabled" "$state")" != true ]] \
    || echo "set-amx-enabled --target ${cfg} --enabled=false --dynamic=true"
}

# Bytes of request line and headers Payara's HTTP layer (Grizzly) reads before it refuses a request
# with an empty 400 that no application sees. Above Arbor's own limits (8 KiB of request target:
# 414, 16 KiB of header fields: 431, both problem+json), so that those answers are Arbor's; a
# request past this buffer still gets Grizzly's bare 400 (issue 13).
ARBOR_HEADER_BUFFER_BYTES=131072

# http_fix_cmds CONFIG STATE: print the asadmin `set` commands (none when all is right) that make
# CONFIG's HTTP listeners announce no versions (Server: Payara Server 6.2025.9 and X-Powered-By:
# Servlet/6.0 … Java/Debian/17 told every client what to look up in a CVE list) and read
# ARBOR_HEADER_BUFFER_BYTES of request head. STATE is `asadmin get configs.config.CONFIG.*`.
# Dynamic: Payara restarts the listener, not the server.
http_fix_cmds() {
  local cfg="$1" state="$2" listener key want
  for listener in http-listener-1 http-listener-2; do
    local p="configs.config.${cfg}.network-config.protocols.protocol.${listener}.http."
    for want in xpowered-by=false server-header=false header-buffer-length-bytes=$ARBOR_HEADER_BUFFER_BYTES; do
      key="${want%%=*}"
      [[ "$(_state_val "${p}${key}" "$state")" == "${want#*=}" ]] || echo "set ${p}${want}"
    done
  done
}

# The request path's server settings (issue 17; measured in docs/benchmarks.md, "Issue 17"):
#  * the JSON-P provider class, named to the JVM, so that jakarta.json.spi.JsonProvider.provider()
#    loads it once instead of asking the ServiceLoader on every call (Payara's JSON-P, Parsson
#    1.1.5.payara-p1, reads the property once, in JsonProvider$LazyFactoryLoader). Payara's MP-JWT
#    (JwtTokenParser) calls Json.createReader and Json.createObjectBuilder for every bearer token,
#    and each call scanned META-INF/services through the application's class loaders: 20% of
#    Payara's CPU samples under single-event appends;
#  * ARBOR_HTTP_THREADS request threads (Payara's default is 5): with 5, the sixth concurrent request
#    waits in Grizzly's queue while the five wait for PostgreSQL's commits, and 8 clients of
#    single-event appends got 7-28% fewer appends per second than with 16.
ARBOR_JSON_PROVIDER=org.eclipse.parsson.JsonProviderImpl
ARBOR_HTTP_THREADS="${ARBOR_HTTP_THREADS:-16}"

# request_path_fix_cmds CONFIG STATE: print the asadmin commands (none when all is right) that give
# CONFIG the settings above. STATE is `asadmin get configs.config.CONFIG.*`. The JVM reads the
# option at start, Grizzly sizes its pool when the listener starts: a change needs a restart.
request_path_fix_cmds() {
  local cfg="$1" state="$2" want="-Djakarta.json.provider=$ARBOR_JSON_PROVIDER" cur
  [[ "$ARBOR_HTTP_THREADS" =~ ^[1-9][0-9]*$ ]] || die "ARBOR_HTTP_THREADS must be a number of threads"
  local opts; opts=$(_state_val "configs.config.${cfg}.java-config.jvm-options" "$state")
  if ! grep -qE -- "(^|,)${want//./\\.}(,|\$)" <<<"$opts"; then
    for cur in $(tr ',' '\n' <<<"$opts" | grep -E '^-Djakarta\.json\.provider=' || true); do
      echo "delete-jvm-options --target $cfg $cur"
    done
    echo "create-jvm-options --target $cfg $want"
  fi
  local tp="configs.config.${cfg}.thread-pools.thread-pool.http-thread-pool."
  local min; min=$(_state_val "${tp}min-thread-pool-size" "$state")
  if [[ "$(_state_val "${tp}max-thread-pool-size" "$state")" != "$ARBOR_HTTP_THREADS" || "$min" != "$ARBOR_HTTP_THREADS" ]]; then
    # min never above max in between: lower min first when shrinking
    if [[ "$min" =~ ^[0-9]+$ ]] && (( min > ARBOR_HTTP_THREADS )); then echo "set ${tp}min-thread-pool-size=$ARBOR_HTTP_THREADS"; fi
    echo "set ${tp}max-thread-pool-size=$ARBOR_HTTP_THREADS"
    echo "set ${tp}min-thread-pool-size=$ARBOR_HTTP_THREADS"
  fi
}

# _install_metrics_xml CONFIG_DIR: copy server-config/metrics.xml there; returns 0 when it changed
# (Payara reads it only at startup).
_install_metrics_xml() {
  local src="$SERVER_CONFIG_DIR/metrics.xml" dst="$1/metrics.xml"
  [[ -f "$src" ]] || die "missing $src"
  cmp -s "$src" "$dst" && return 1
  mkdir -p "$1"; cp "$src" "$dst"
  return 0
}

# instance_pid NODE INSTANCE: the pid of a running Payara instance's JVM, else fails. Its pid file,
# else the JVM whose instance root is the instance's directory (the file may be stale or missing).
instance_pid() {
  local dir="$PAYARA_HOME/glassfish/nodes/$1/$2" pid=""
  [[ -f "$dir/config/pid" ]] && pid=$(<"$dir/config/pid")
  if [[ ! "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
    pid=$(pgrep -f -- "-Dcom\.sun\.aas\.instanceRoot=$dir( |$)" | head -n1 || true)
  fi
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# ------------------------------------------------------ the server around Arbor ---
# Admin password, listeners and data-grid interface of the domains the scripts create. Why and what
# a deployment over several hosts must do instead: docs/security.md#the-server-around-arbor.

# admin_password: the admin user's password (the AS_ADMIN_PASSWORD line of ADMIN_PASSWORD_FILE).
admin_password() {
  [[ -f "$ADMIN_PASSWORD_FILE" ]] || die "no admin password file $ADMIN_PASSWORD_FILE (server-config/run.sh or test.sh creates it)"
  sed -n 's/^AS_ADMIN_PASSWORD=//p' "$ADMIN_PASSWORD_FILE" | head -n1
}

# ensure_admin_password_file: create ADMIN_PASSWORD_FILE with a random password unless it exists,
# and print the password, this once; keep the file mode 600; export AS_ADMIN_USER/_PASSWORDFILE.
ensure_admin_password_file() {
  if [[ ! -f "$ADMIN_PASSWORD_FILE" ]]; then
    local pw; pw=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | cut -c1-24)
    (( ${#pw} == 24 )) || die "could not generate a password"
    mkdir -p "$(dirname "$ADMIN_PASSWORD_FILE")"
    # noclobber: of two scripts starting at once, one creates the file, the other reads it.
    # On stderr: callers that silence ensure_domain (dr-drill.sh) still show it.
    if ( set -C; umask 077; printf 'AS_ADMIN_PASSWORD=%s\n' "$pw" >"$ADMIN_PASSWORD_FILE" ) 2>/dev/null; then
      log "generated the password of Payara's admin user 'admin' (all domains of this checkout): $pw" >&2
      log "  kept in $ADMIN_PASSWORD_FILE (mode 600, outside git; the scripts use it); printed only this once" >&2
    fi
  fi
  [[ "$(stat -c %a "$ADMIN_PASSWORD_FILE")" == 600 ]] || chmod 600 "$ADMIN_PASSWORD_FILE"
  [[ -n "$(admin_password)" ]] || die "$ADMIN_PASSWORD_FILE has no AS_ADMIN_PASSWORD=... line"
  export AS_ADMIN_USER=admin AS_ADMIN_PASSWORDFILE="$ADMIN_PASSWORD_FILE"
}

# _management_status NAME [CURL_CONFIG]: HTTP status of GET /management/domain on domain NAME's
# admin port (000: no answer); CURL_CONFIG (a file) may carry credentials, kept off argv. The first
# authenticated request loads Payara's REST admin module, which took more than 10 s on a loaded
# machine: three tries of 60 s before 000 counts as no answer.
_management_status() {
  local code try
  for try in 1 2 3; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 ${2:+-K "$2"} \
      "http://127.0.0.1:$(admin_port "$1")/management/domain" || true)
    [[ "$code" == 000 ]] || break
    sleep 2
  done
  echo "$code"
}

# _ensure_admin_password NAME: the running domain NAME refuses anonymous management requests and
# takes the password of ADMIN_PASSWORD_FILE. A domain created without one (as the scripts did
# before: "user admin, no password") gets it through change-admin-password.
_ensure_admin_password() {
  local name="$1" code
  code=$(_management_status "$name")
  if [[ "$code" == 200 ]]; then
    log "domain $name: admin user 'admin' has no password: setting the one in $ADMIN_PASSWORD_FILE"
    local f; f=$(mktemp)  # mode 600
    printf 'AS_ADMIN_PASSWORD=\nAS_ADMIN_NEWPASSWORD=%s\n' "$(admin_password)" >"$f"
    _asadmin_quiet --user admin --passwordfile "$f" --port "$(admin_port "$name")" change-admin-password \
      || { rm -f "$f"; die "change-admin-password on domain $name failed"; }
    rm -f "$f"
    code=$(_management_status "$name")
  fi
  [[ "$code" == 401 ]] || die "domain $name: GET /management/domain without credentials answered HTTP $code, not 401"
  local credentials; credentials=$(mktemp)  # mode 600
  printf 'user = "admin:%s"\n' "$(admin_password)" >"$credentials"
  code=$(_management_status "$name" "$credentials"); rm -f "$credentials"
  [[ "$code" == 200 ]] \
    || die "domain $name refuses the admin password in $ADMIN_PASSWORD_FILE (HTTP $code): it has another one; write that one there as AS_ADMIN_PASSWORD=..., or delete the domain"
}

# listener_fix_cmds CONFIG STATE: print the asadmin commands (none when all is right) that leave
# open to the network only what one host needs: the HTTP listeners (API, 8080/8181) on
# ARBOR_HTTP_ADDRESS; the admin listener (4848), IIOP (3700/3820/3920) and JMX (8686) on loopback;
# JMS (7676) off, Arbor does not use it; the data grid on its interface only (Hazelcast binds the
# wildcard address whatever its interfaces say, unless hazelcast.socket.bind.any=false). STATE is
# `asadmin get configs.config.CONFIG.*`. None is applied before a restart.
listener_fix_cmds() {
  local cfg="$1" state="$2" p="configs.config.$1." want
  local nl="${p}network-config.network-listeners.network-listener." iiop="${p}iiop-service.iiop-listener."
  for want in "${nl}http-listener-1.address=$ARBOR_HTTP_ADDRESS" "${nl}http-listener-2.address=$ARBOR_HTTP_ADDRESS" \
      "${nl}admin-listener.address=127.0.0.1" "${iiop}orb-listener-1.address=127.0.0.1" \
      "${iiop}SSL.address=127.0.0.1" "${iiop}SSL_MUTUALAUTH.address=127.0.0.1" \
      "${p}admin-service.jmx-connector.system.address=127.0.0.1" "${p}jms-service.type=DISABLED"; do
    [[ "$(_state_val "${want%%=*}" "$state")" == "${want#*=}" ]] || echo "set $want"
  done
  grep -qE -- '(^|,)-Dhazelcast\.socket\.bind\.any=false(,|$)' <<<"$(_state_val "${p}java-config.jvm-options" "$state")" \
    || echo "create-jvm-options --target $cfg -Dhazelcast.socket.bind.any=false"
}

# _hz_val KEY STATE: a value of `asadmin get-hazelcast-configuration` (empty when unset).
_hz_val() {
  awk -v k="$1" 'index($0, k " ") == 1 { n = split(substr($0, length(k) + 1), a, " "); print (n >= 2 ? a[1] : "") }' <<<"$2"
}

# hazelcast_fix_cmds STATE: the set-hazelcast-configuration command (none when all is right) that
# binds the data grid to ARBOR_GRID_INTERFACE and lets its members find each other there: TCP/IP
# discovery with the DAS as seed (Payara's default, domain discovery, looks for a DAS whose address
# is loopback on the machine's first other address). STATE is `asadmin get-hazelcast-configuration`.
# Domain-wide, read when a member starts.
hazelcast_fix_cmds() {
  local state="$1" iface="$ARBOR_GRID_INTERFACE"
  [[ "$iface" =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]] || die "ARBOR_GRID_INTERFACE must be an IPv4 address, got: $iface"
  local members; members="$iface:$(_hz_val "DAS Port" "$state")"
  if [[ "$(_hz_val Interfaces "$state")" != "$iface" || "$(_hz_val "Cluster Mode" "$state")" != tcpip \
        || "$(_hz_val "Tcpip Members" "$state")" != "$members" ]]; then
    echo "set-hazelcast-configuration --interfaces $iface --clustermode tcpip --tcpipmembers $members"
  fi
}

domain_running() {
  [[ -x "$ASADMIN" && -d "$(domain_dir "$1")" ]] || return 1
  "$ASADMIN" --interactive=false list-domains 2>/dev/null | grep -qE "^$1 running"
}

# ensure_domain NAME PORTBASE_OR_EMPTY HAZELCAST_CLUSTER_NAME
ensure_domain() {
  local name="${1:?domain name}" portbase="${2:-}" hz="${3:?hazelcast cluster name}"
  [[ "$name" =~ ^[A-Za-z0-9_-]+$ && "$hz" =~ ^[A-Za-z0-9_.-]+$ ]] || die "invalid domain or cluster name: $name / $hz"
  [[ -z "$portbase" || "$portbase" =~ ^[0-9]+$ ]] || die "invalid portbase: $portbase"
  local dir; dir=$(domain_dir "$name")
  local fresh=0 restart=0 why=""
  ensure_admin_password_file

  if [[ ! -f "$dir/config/domain.xml" ]]; then
    local args=(create-domain --checkports=true)
    [[ -n "$portbase" ]] && args+=(--portbase "$portbase")
    log "creating domain $name${portbase:+ (portbase $portbase)}"
    local out t0; t0=$(_now_ms)
    out=$("$ASADMIN" --interactive=false --user admin --passwordfile "$ADMIN_PASSWORD_FILE" "${args[@]}" "$name" 2>&1) \
      || { printf '%s\n' "$out" >&2; die "create-domain $name failed (ports in use?)"; }
    grep -E '^Using port' <<<"$out" | sed 's/^/[arbor]   /' || true
    log "create-domain $name took $(( ($(_now_ms) - t0) / 1000 ))s"
    fresh=1
  fi

  # JDBC driver in the domain lib (picked up at server start).
  local lib="$dir/lib"; mkdir -p "$lib"
  if ! cmp -s "$PG_JDBC_JAR" "$lib/$(basename "$PG_JDBC_JAR")"; then
    rm -f "$lib"/postgresql-*.jar
    cp "$PG_JDBC_JAR" "$lib/"
    log "copied $(basename "$PG_JDBC_JAR") into $lib"
    restart=1; why="JDBC driver"
  fi
  # Extra /metrics vendor metrics (JDBC pool), read at server start.
  if _install_metrics_xml "$dir/config"; then
    log "installed metrics.xml into $dir/config (JDBC pool gauges in /metrics)"
    restart=1; why="${why:+$why and }metrics.xml"
  fi

  # Heap on a fresh domain: edit domain.xml before the first start (saves a restart).
  # Verified (and fixed through asadmin) below on every run, so a changed domain.xml
  # format only costs a restart, never a wrong setting.
  # Same for the Hazelcast cluster name, so a fresh domain never starts in the shared
  # default cluster "development".
  if (( fresh )); then
    sed -i -e "s#<jvm-options>-Xmx512m</jvm-options>#<jvm-options>-Xmx${ARBOR_HEAP}</jvm-options>#g" \
           -e "s#<hazelcast-runtime-configuration #<hazelcast-runtime-configuration cluster-group-name=\"${hz}\" #" \
      "$dir/config/domain.xml"
  fi

  if domain_running "$name"; then
    if (( restart )); then
      log "domain $name running with an outdated $why: restarting"
      timed "restart-domain $name" _asadmin_quiet restart-domain "$name" \
        || die "restart-domain $name failed, see $dir/logs/server.log"
    else
      log "domain $name already running"
    fi
  else
    log "starting domain $name"
    timed "start-domain $name" _asadmin_quiet start-domain "$name" \
      || die "start-domain $name failed, see $dir/logs/server.log"
  fi
  _ensure_admin_password "$name"

  # One asadmin JVM to inspect heap + Hazelcast + monitoring configuration.
  local f; f=$(mktemp)
  printf '%s\n' "list-jvm-options" "get-hazelcast-configuration" "get configs.config.server-config.*" >"$f"
  local state; state=$(asa_batch "$name" "$f"); rm -f "$f"

  local cmds=() xmx
  local cur_cluster; cur_cluster=$(awk '/^Cluster Name /{print $3}' <<<"$state")
  if [[ "$cur_cluster" != "$hz" ]]; then
    log "Hazelcast cluster name '$cur_cluster' -> '$hz' (applied dynamically, no restart)"
    cmds+=("set-hazelcast-configuration --clustername $hz --dynamic=true")
  fi
  if ! grep -qx -- "-Xmx${ARBOR_HEAP}" <<<"$state"; then
    for xmx in $(grep -E '^-Xmx' <<<"$state" || true); do cmds+=("delete-jvm-options $xmx"); done
    cmds+=("create-jvm-options -Xmx${ARBOR_HEAP}")
    log "setting heap -Xmx${ARBOR_HEAP} on $name (needs a restart)"
    restart=2
  fi
  local mon; mon=$(monitoring_fix_cmds server-config "$state")
  if [[ -n "$mon" ]]; then
    log "monitoring: level ${ARBOR_MONITORING_LEVEL} on ${ARBOR_MONITORING_MODULES[*]}; JDBC pool checker every ${ARBOR_POOL_CHECK_SECONDS}s (dynamic)"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$mon"
  fi
  local http; http=$(http_fix_cmds server-config "$state")
  if [[ -n "$http" ]]; then
    log "HTTP listeners: no Server or X-Powered-By header, ${ARBOR_HEADER_BUFFER_BYTES}-byte request head (dynamic)"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$http"
  fi
  local req; req=$(request_path_fix_cmds server-config "$state")
  if [[ -n "$req" ]]; then
    log "request path: -Djakarta.json.provider=$ARBOR_JSON_PROVIDER, $ARBOR_HTTP_THREADS HTTP threads (needs a restart)"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$req"
    restart=2
  fi
  local lst; lst=$(listener_fix_cmds server-config "$state"; hazelcast_fix_cmds "$state")
  if [[ -n "$lst" ]]; then
    log "listeners: HTTP on $ARBOR_HTTP_ADDRESS; admin, IIOP, JMX on 127.0.0.1; JMS off; data grid on $ARBOR_GRID_INTERFACE (needs a restart)"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$lst"
    restart=2
  fi
  if (( ${#cmds[@]} )); then
    f=$(mktemp); printf '%s\n' "${cmds[@]}" >"$f"; asa_batch "$name" "$f" >/dev/null; rm -f "$f"
  fi
  if (( restart == 2 )); then
    timed "restart-domain $name" _asadmin_quiet restart-domain "$name" \
      || die "restart-domain $name failed, see $dir/logs/server.log"
  fi

  ADMIN_PORT=$(admin_port "$name"); HTTP_PORT=$(http_port "$name")
  export ADMIN_PORT HTTP_PORT
  log "domain $name up: admin port $ADMIN_PORT, HTTP port $HTTP_PORT, heap -Xmx${ARBOR_HEAP}, Hazelcast cluster '$hz'"
}

stop_domain() {
  local name="${1:-arbor}"
  if [[ ! -x "$ASADMIN" ]]; then log "Payara not installed; nothing to stop"; return 0; fi
  if [[ ! -d "$(domain_dir "$name")" ]]; then log "domain $name does not exist; nothing to stop"; return 0; fi
  if ! domain_running "$name"; then log "domain $name is not running"; return 0; fi
  log "stopping domain $name"
  if ! "$ASADMIN" --interactive=false stop-domain "$name" >/dev/null 2>&1; then
    warn "graceful stop of $name failed; killing it"
    "$ASADMIN" --interactive=false stop-domain --kill=true "$name" >/dev/null 2>&1 || true
  fi
  domain_running "$name" && die "domain $name is still running"
  log "domain $name stopped"
}

# -------------------------------------------------------------- security ----
# Every /arbor/api request carries a MicroProfile JWT (docs/security.md). A development checkout
# signs its own: the run command makes an RSA key pair once, keeps it in .arbor/dev-keys (git-ignored,
# never deployed), and points the domain at the public half with issuer arbor-dev.
ARBOR_DIR="$ROOT/.arbor"
ARBOR_DEV_KEYS="$ARBOR_DIR/dev-keys"
ARBOR_DEV_ISSUER=arbor-dev

# ensure_dev_keys: .arbor/dev-keys/private.pem (PKCS#8) and public.pem (X.509 SubjectPublicKeyInfo),
# both PEM, RSA 2048; made once, with openssl when there is one, else with the JDK alone.
ensure_dev_keys() {
  local dir="$ARBOR_DEV_KEYS"
  if [[ -s "$dir/private.pem" && -s "$dir/public.pem" ]]; then return 0; fi
  ( umask 077; mkdir -p "$dir" )
  local tmp; tmp=$(mktemp -d "$dir/.new.XXXXXX")
  if command -v openssl >/dev/null; then
    ( umask 077
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/private.pem" 2>/dev/null \
        && openssl pkey -in "$tmp/private.pem" -pubout -out "$tmp/public.pem" ) \
      || { rm -rf "$tmp"; die "openssl could not make the development key pair"; }
  else
    ( umask 077; java "$SERVER_CONFIG_DIR/DevKeyPair.java" "$tmp" ) \
      || { rm -rf "$tmp"; die "java could not make the development key pair"; }
  fi
  mv "$tmp/private.pem" "$dir/private.pem"; mv "$tmp/public.pem" "$dir/public.pem"; rmdir "$tmp"
  log "made the development key pair in $dir (RSA 2048; git-ignored)"
}

# configure_security NAME: the MP-JWT settings of domain NAME, as domain-level MicroProfile Config
# (read at deploy, every instance of the domain sees them, no restart):
#   mp.jwt.verify.issuer               ARBOR_JWT_ISSUER, default arbor-dev
#   mp.jwt.verify.publickey.location   ARBOR_JWT_PUBLIC_KEY_LOCATION (a URL: a PEM key or a JWKS,
#                                      e.g. https://idp.example/.well-known/jwks.json), default the
#                                      development public key (file:…/.arbor/dev-keys/public.pem)
#   arbor.security.enabled             ARBOR_SECURITY_ENABLED, default true
# A deployment with its own identity provider sets the first two (docs/security.md).
configure_security() {
  local name="${1:?domain name}" location="${ARBOR_JWT_PUBLIC_KEY_LOCATION:-}"
  local issuer="${ARBOR_JWT_ISSUER:-$ARBOR_DEV_ISSUER}" enabled="${ARBOR_SECURITY_ENABLED:-true}"
  [[ "$enabled" =~ ^(true|false)$ ]] || die "ARBOR_SECURITY_ENABLED must be true or false, got: $enabled"
  if [[ -z "$location" ]]; then
    ensure_dev_keys
    location="file://$ARBOR_DEV_KEYS/public.pem"
  fi
  local f setting; f=$(mktemp)
  for setting in "mp.jwt.verify.issuer=$issuer" "mp.jwt.verify.publickey.location=$location" \
                 "arbor.security.enabled=$enabled"; do
    echo "set-config-property --source=domain --propertyname=${setting%%=*} --propertyvalue=${setting#*=}"
  done >"$f"
  # Payara logs every refused token at INFO with a stack trace: anyone could fill the server log
  # by sending junk tokens. Refusals still answer 401; the log keeps warnings.
  echo "set-log-levels fish.payara.microprofile.jwtauth=WARNING" >>"$f"
  asa_batch "$name" "$f" >/dev/null; rm -f "$f"
  if [[ "$enabled" == true ]]; then
    log "security on $name: bearer tokens of issuer $issuer, verified with $location"
  else
    log "security OFF on $name (ARBOR_SECURITY_ENABLED=false): no token needed, tenant default"
  fi
}

# dev_token GROUPS [TTL_SECONDS]: a development token for GROUPS (comma-separated roles), signed
# with the development key; the one way scripts mint tokens (bin/arbor token, io.arbor.client.DevelopmentTokens).
dev_token() {
  local groups="${1:?groups}" ttl="${2:-3600}"
  ensure_dev_keys
  "$ROOT/bin/arbor" token --groups "$groups" --ttl-seconds "$ttl"
}

# ------------------------------------------------------------- resources ----

_xml_escape() {
  local s="$1"
  # Replacements are quoted: bash 5.2's patsub_replacement would expand an unquoted "&".
  s="${s//&/"&amp;"}"; s="${s//</"&lt;"}"; s="${s//>/"&gt;"}"; s="${s//\"/"&quot;"}"; s="${s//\'/"&apos;"}"
  printf '%s' "$s"
}

# _merge_url URL: append the params Arbor needs unless the URL already sets them.
_merge_url() {
  local url="$1" base query kv key
  base="${url%%\?*}"; query=""
  [[ "$url" == *\?* ]] && query="${url#*\?}"
  for kv in "stringtype=unspecified" "reWriteBatchedInserts=true" "connectTimeout=5" "socketTimeout=60" "tcpKeepAlive=true"; do
    key="${kv%%=*}"
    if [[ "&$query&" != *"&$key="* ]]; then query="${query:+$query&}$kv"; fi
  done
  printf '%s?%s' "$base" "$query"
}

# _groups_referencing NAME RESOURCE: deployment groups of domain NAME with a resource-ref to RESOURCE.
_groups_referencing() {
  local xml; xml="$(domain_dir "$1")/config/domain.xml"
  awk -v ref="ref=\"$2\"" '
    /<deployment-group / { g = ""; if (match($0, / name="[^"]*"/)) g = substr($0, RSTART + 7, RLENGTH - 8) }
    /<\/deployment-group>/ { g = "" }
    g != "" && /<resource-ref / && index($0, ref) { print g }
  ' "$xml" | sort -u
}

configure_resources() {
  local name="${1:?domain name}"
  [[ -n "${DB_URL:-}" ]] || die "configure_resources: DB_URL not set (call ensure_postgres first)"
  local tpl="$SERVER_CONFIG_DIR/glassfish-resources.xml.template"
  [[ -f "$tpl" ]] || die "missing $tpl"

  local url; url=$(_merge_url "$DB_URL")
  local xml; xml=$(mktemp --suffix=.xml)
  local e_url e_user e_pw e_owner e_owner_pw e_app
  e_url=$(_xml_escape "$url"); e_user=$(_xml_escape "$DB_USER"); e_pw=$(_xml_escape "$DB_PASSWORD")
  e_owner=$(_xml_escape "${DB_OWNER_USER:-arbor_owner}"); e_owner_pw=$(_xml_escape "${DB_OWNER_PASSWORD:-arbor_owner}")
  e_app=$(_xml_escape "arbor-$name")
  local content; content=$(<"$tpl")
  content="${content//@DB_URL@/"$e_url"}"; content="${content//@DB_USER@/"$e_user"}"
  content="${content//@DB_PASSWORD@/"$e_pw"}"; content="${content//@APP_NAME@/"$e_app"}"
  content="${content//@DB_OWNER_USER@/"$e_owner"}"; content="${content//@DB_OWNER_PASSWORD@/"$e_owner_pw"}"
  printf '%s\n' "$content" >"$xml"
  if grep -qE '@(DB_URL|DB_USER|DB_PASSWORD|DB_OWNER_USER|DB_OWNER_PASSWORD|APP_NAME)@' "$xml"; then die "placeholder substitution failed"; fi

  # Deployment groups (grid.sh) referencing jdbc/arbor: the cascade delete drops their instances'
  # refs but leaves the group's, so both are re-created after add-resources. A running application
  # does not survive a re-created pool: instances answered "No Pool Meta Data object associated
  # with the pool" until the app was redeployed, and on a domain whose app loaded at start, the
  # redeploy that run.sh then makes left every request a 500 ("closed EntityManagerFactory",
  # "Could not create stateless EJB"; found running run.sh a second time). So the pools are
  # re-created only when their definition changed (or ARBOR_RECREATE_POOL=1); otherwise pinged.
  local groups g; groups=$(_groups_referencing "$name" jdbc/arbor)
  local applied="$PAYARA_BASE/.resources-${name}.xml" dxml; dxml="$(domain_dir "$name")/config/domain.xml"
  local f; f=$(mktemp)
  POOL_RECREATED=1
  if [[ "${ARBOR_RECREATE_POOL:-0}" != 1 ]] && cmp -s "$xml" "$applied" \
     && grep -q '<jdbc-connection-pool [^>]*name="arbor-pool"' "$dxml" \
     && grep -q '<jdbc-resource [^>]*jndi-name="jdbc/arbor"' "$dxml" \
     && grep -q '<jdbc-resource [^>]*jndi-name="jdbc/arbor-owner"' "$dxml" \
     && awk '/<server [^>]* name="server"/{x=1} x && /<resource-ref ref="jdbc\/arbor"/{f=1} /<\/server>/{x=0} END{exit !f}' "$dxml"; then
    POOL_RECREATED=0
    log "jdbc/arbor -> arbor-pool and jdbc/arbor-owner on $name unchanged: not re-created${groups:+ (used by deployment group(s) $groups)}"
    printf '%s\n' "ping-connection-pool arbor-pool" "ping-connection-pool arbor-owner-pool" >"$f"
  else
    log "configuring jdbc/arbor -> arbor-pool on $name ($url, user $DB_USER) and jdbc/arbor-owner -> arbor-owner-pool (user ${DB_OWNER_USER:-arbor_owner})"
    {
      printf '%s\n' "delete-jdbc-resource jdbc/arbor" "delete-jdbc-connection-pool --cascade=true arbor-pool" \
        "delete-jdbc-resource jdbc/arbor-owner" "delete-jdbc-connection-pool --cascade=true arbor-owner-pool" \
        "add-resources $xml"
      for g in $groups; do
        printf '%s\n' "delete-resource-ref --target $g jdbc/arbor" "create-resource-ref --target $g jdbc/arbor" \
          "delete-resource-ref --target $g jdbc/arbor-owner" "create-resource-ref --target $g jdbc/arbor-owner"
      done
      printf '%s\n' "ping-connection-pool arbor-pool" "ping-connection-pool arbor-owner-pool"
    } >"$f"
    [[ -z "$groups" ]] || log "keeping jdbc/arbor on deployment group(s): $groups"
  fi
  local out
  out=$(ARBOR_BATCH_MAY_FAIL='delete-jdbc-resource|delete-jdbc-connection-pool|delete-resource-ref' asa_batch "$name" "$f") \
    || { rm -f "$f" "$xml"; exit 1; }
  rm -f "$f"
  if (( POOL_RECREATED )); then
    ( umask 077; cp "$xml" "$applied" )
  fi
  rm -f "$xml"
  (( $(grep -c '^Command ping-connection-pool executed successfully' <<<"$out") == 2 )) \
    || { printf '%s\n' "$out" >&2; die "ping-connection-pool arbor-pool / arbor-owner-pool did not succeed"; }
  log "pools arbor-pool and arbor-owner-pool pinged OK"
}

# ---------------------------------------------------------------- deploy ----

# undeploy_into_fresh_jvm DOMAIN PORTBASE INSTANCE: when Arbor is deployed on DOMAIN (it loads
# when the domain starts), undeploys it and restarts the domain, so that the next deploy_ear goes
# into a JVM where Arbor never ran. A redeploy into a JVM where it had run left every request a
# 500 ("closed EntityManagerFactory": EclipseLink kept the old deployment's persistence unit;
# found 2026-12-06, docs/operations.md). PORTBASE and INSTANCE as for ensure_domain.
undeploy_into_fresh_jvm() {
  local domain="$1" portbase="$2" instance="$3"
  if arbor_deployed "$domain"; then
    log "arbor is deployed on $domain: undeploying it and restarting the domain, so the EAR deploys into a fresh JVM"
    asa "$domain" undeploy arbor >/dev/null || die "undeploy of arbor from $domain failed"
    timed "stop_domain" stop_domain "$domain"
    timed "ensure_domain" ensure_domain "$domain" "$portbase" "$instance"
  fi
}

# arbor_deployed NAME: whether an application named arbor is deployed on domain NAME.
arbor_deployed() {
  asa "${1:?domain name}" list-applications 2>/dev/null | grep -qE '^arbor[[:space:]]'
}

deploy_ear() {
  local name="${1:?domain name}" ear="${2:?ear path}"
  [[ -f "$ear" ]] || die "EAR not found: $ear (did the Maven build run?)"
  log "deploying $ear to $name as 'arbor'"
  local out
  out=$(asa "$name" deploy --force=true --name arbor "$ear" 2>&1) \
    || { printf '%s\n' "$out" >&2; die "deploy of $ear failed, see $(domain_dir "$name")/logs/server.log"; }
  log "deployed"
}

# wait_ready URL [LIMIT_S] [BODY_REGEX]: BODY_REGEX (grep -E) guards against the 200 that the
# server's own /health/ready answers before any application registered a check ({"checks":[]}).
wait_ready() {
  local url="${1:?url}" limit="${2:-120}" re="${3:-}" code body t0=$SECONDS
  body=$(mktemp)
  log "waiting for $url (up to ${limit}s)"
  while :; do
    code=$(curl -s -o "$body" -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)
    if [[ "$code" == 200 ]] && { [[ -z "$re" ]] || grep -qE -- "$re" "$body"; }; then
      rm -f "$body"; log "ready after $((SECONDS - t0))s: $url"; return 0
    fi
    if (( SECONDS - t0 >= limit )); then
      printf '[arbor] last HTTP status: %s, body:\n' "${code:-none}" >&2
      cat "$body" >&2; echo >&2; rm -f "$body"
      die "$url not ready after ${limit}s"
    fi
    sleep 1
  done
}
