#!/usr/bin/env bash
# Fault suite controls: a private PostgreSQL cluster and a private Payara domain that the fault
# suite may kill, stop and restart freely. It never touches the shared cluster on 5432 or any other
# domain: everything here is keyed by FAULTS_PG_DIR / FAULTS_PG_PORT / FAULTS_DOMAIN.
#
#   faults/ctl.sh up                 private PostgreSQL + domain arbor-faults, EAR deployed, ready
#   faults/ctl.sh down               stop the domain and the private PostgreSQL
#   faults/ctl.sh pg-start | pg-stop | pg-stop-immediate | pg-status
#   faults/ctl.sh payara-kill        kill -9 of the domain's JVM (pid from its config/pid file)
#   faults/ctl.sh payara-start       start the domain again (after a kill)
#   faults/ctl.sh env                print the settings the Java program needs
#   faults/ctl.sh server-problems SINCE   the domain's SEVERE/WARNING log records since SINCE
#                                    (ISO time, UTC), stack traces cut short: the server's side
#
# Settings (environment): FAULTS_DOMAIN (arbor-faults), FAULTS_PORTBASE (24000: admin 24048,
# HTTP 24080), FAULTS_PG_PORT (25432), FAULTS_DIR (<worktree>/.faults), PG_BIN (the newest
# /usr/lib/postgresql/*/bin), ARBOR_EAR (ear/target/arbor.ear), FAULTS_SCAVENGE_BATCH (20: the
# domain's arbor.scavenge.batch-size, small so that the scavenge scenario's few thousand hidden
# events take the scavenger seconds and many batches, and the kill lands between two of them).
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

FAULTS_DOMAIN="${FAULTS_DOMAIN:-arbor-faults}"
FAULTS_PORTBASE="${FAULTS_PORTBASE:-24000}"
FAULTS_PG_PORT="${FAULTS_PG_PORT:-25432}"
FAULTS_DIR="${FAULTS_DIR:-$ROOT/.faults}"
FAULTS_PG_DIR="$FAULTS_DIR/pg"
FAULTS_DB=arbor
FAULTS_SCAVENGE_BATCH="${FAULTS_SCAVENGE_BATCH:-20}"
[[ "$FAULTS_SCAVENGE_BATCH" =~ ^[1-9][0-9]*$ ]] || die "FAULTS_SCAVENGE_BATCH must be a positive number, got: $FAULTS_SCAVENGE_BATCH"
EAR="${ARBOR_EAR:-$ROOT/ear/target/arbor.ear}"

flog() { printf '[faults] %s\n' "$*"; }

[[ "$FAULTS_PG_PORT" != 5432 ]] || die "FAULTS_PG_PORT must not be 5432: the shared cluster is never faulted"

_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local v; v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n "$v" && -x "/usr/lib/postgresql/$v/bin/initdb" ]] \
    || die "the fault suite needs PostgreSQL's server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/<version>/bin: apt-get install postgresql (or set PG_BIN)"
  echo "/usr/lib/postgresql/$v/bin"
}
PG_BIN="$(_pg_bin)"

# The cluster's files belong to an unprivileged user: postgres when we are root, else ourselves.
_as_pg() {
  if [[ $(id -u) == 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user to own the private cluster"
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

_pg_running() { _as_pg "$PG_BIN/pg_ctl" -D "$FAULTS_PG_DIR/data" status >/dev/null 2>&1; }

# psql as the cluster's superuser over its private socket directory.
_pg_psql() { _as_pg "$PG_BIN/psql" -h "$FAULTS_PG_DIR/run" -p "$FAULTS_PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

pg_init() {
  if [[ ! -f "$FAULTS_PG_DIR/data/PG_VERSION" ]]; then
    flog "creating a private PostgreSQL cluster in $FAULTS_PG_DIR/data (port $FAULTS_PG_PORT)"
    rm -rf "$FAULTS_PG_DIR"; mkdir -p "$FAULTS_PG_DIR/data" "$FAULTS_PG_DIR/run"
    [[ $(id -u) == 0 ]] && chown -R postgres:postgres "$FAULTS_PG_DIR"
    _as_pg "$PG_BIN/initdb" -D "$FAULTS_PG_DIR/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed for $FAULTS_PG_DIR/data"
    # Loopback only, its own socket directory, fsync on (crash recovery is what we test).
    _as_pg tee -a "$FAULTS_PG_DIR/data/postgresql.conf" >/dev/null <<EOF
# --- Arbor fault suite (faults/ctl.sh) ---
port = $FAULTS_PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$FAULTS_PG_DIR/run'
max_connections = 80
shared_buffers = 64MB
fsync = on
log_min_messages = warning
EOF
  fi
  pg_start
  # The two roles of issue 16, as lib.sh makes them locally: arbor_owner owns the tables (migrations
  # at deploy), arbor is the application's, under row-level security.
  _pg_psql -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor') THEN
        CREATE ROLE arbor LOGIN PASSWORD 'arbor';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor_owner') THEN
        CREATE ROLE arbor_owner LOGIN BYPASSRLS PASSWORD 'arbor_owner';
      END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'arbor_app') THEN
        CREATE ROLE arbor_app NOLOGIN NOBYPASSRLS;
      END IF;
      GRANT arbor_app TO arbor; END \$\$;" >/dev/null
  # The suite's database holds only its own runs' events: one from before the owner role is dropped
  # and made again rather than converted.
  local owner; owner=$(_pg_psql -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$FAULTS_DB'")
  if [[ -n "$owner" && "$owner" != arbor_owner ]]; then
    flog "database $FAULTS_DB belongs to $owner, not arbor_owner: dropping it (the suite's data only)"
    _pg_psql -c "DROP DATABASE $FAULTS_DB WITH (FORCE)" >/dev/null
    owner=""
  fi
  if [[ -z "$owner" ]]; then
    _pg_psql -c "CREATE DATABASE $FAULTS_DB OWNER arbor_owner" >/dev/null
  fi
  flog "private PostgreSQL ready: 127.0.0.1:$FAULTS_PG_PORT/$FAULTS_DB (user arbor, owner arbor_owner)"
}

pg_start() {
  if _pg_running; then return 0; fi
  _as_pg "$PG_BIN/pg_ctl" -D "$FAULTS_PG_DIR/data" -l "$FAULTS_PG_DIR/postgres.log" -w -t 60 start >/dev/null \
    || die "private PostgreSQL did not start, see $FAULTS_PG_DIR/postgres.log"
}

pg_stop() { # MODE: fast | immediate
  if ! _pg_running; then return 0; fi
  _as_pg "$PG_BIN/pg_ctl" -D "$FAULTS_PG_DIR/data" -m "$1" -w -t 60 stop >/dev/null \
    || die "pg_ctl -m $1 stop failed for $FAULTS_PG_DIR/data"
}

_payara_pid() {
  local f; f="$(domain_dir "$FAULTS_DOMAIN")/config/pid"
  [[ -s "$f" ]] && cat "$f"
}

payara_kill() {
  local pid; pid=$(_payara_pid) || die "no pid file for domain $FAULTS_DOMAIN (not running?)"
  # The pid must be this domain's JVM, never another engineer's.
  local cmd; cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  [[ "$cmd" == *" -domainname $FAULTS_DOMAIN "* && "$cmd" == *" -domaindir $(domain_dir "$FAULTS_DOMAIN") "* ]] \
    || die "pid $pid is not domain $FAULTS_DOMAIN's JVM"
  kill -9 "$pid"
  local i=0; while kill -0 "$pid" 2>/dev/null && (( i++ < 100 )); do sleep 0.1; done
  echo "$pid"
}

payara_start() {
  _asadmin_quiet start-domain "$FAULTS_DOMAIN" || die "start-domain $FAULTS_DOMAIN failed"
}

up() {
  pg_init
  ensure_payara
  ARBOR_DB_URL="jdbc:postgresql://127.0.0.1:${FAULTS_PG_PORT}/${FAULTS_DB}" ARBOR_DB_USER=arbor ARBOR_DB_PASSWORD=arbor \
    ARBOR_DB_OWNER_USER=arbor_owner ARBOR_DB_OWNER_PASSWORD=arbor_owner ensure_postgres "$FAULTS_DB"
  ensure_domain "$FAULTS_DOMAIN" "$FAULTS_PORTBASE" "$FAULTS_DOMAIN"
  configure_security "$FAULTS_DOMAIN"  # on, with the checkout's development key, as run.sh does
  configure_scavenge
  # Re-runs skip the pool re-creation and the redeploy when nothing they depend on changed.
  [[ -f "$EAR" ]] || die "EAR not found: $EAR (build first: mvn -DskipTests package)"
  local stamp="$FAULTS_DIR/deployed.stamp" want
  # The development public key too: the application reads it when it starts.
  local inputs=("$EAR" "$SERVER_CONFIG_DIR/glassfish-resources.xml.template")
  [[ ! -f "$ROOT/.arbor/dev-keys/public.pem" ]] || inputs+=("$ROOT/.arbor/dev-keys/public.pem")
  want="$(cat "${inputs[@]}" | sha1sum | cut -d' ' -f1) $DB_URL batch=$FAULTS_SCAVENGE_BATCH"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
     && curl -fsS -m 5 "http://127.0.0.1:${HTTP_PORT}/health/ready" 2>/dev/null | grep -q '"UP"'; then
    flog "EAR and pool unchanged since the last deploy to $FAULTS_DOMAIN: not redeployed"
  else
    rm -f "$stamp"
    # A changed EAR must not deploy into the JVM the previous one ran in (lib.sh says why).
    undeploy_into_fresh_jvm "$FAULTS_DOMAIN" "$FAULTS_PORTBASE" "$FAULTS_DOMAIN"
    configure_resources "$FAULTS_DOMAIN"
    deploy_ear "$FAULTS_DOMAIN" "$EAR"
    echo "$want" >"$stamp"
  fi
  wait_ready "http://127.0.0.1:${HTTP_PORT}/health/ready" 180 '"status": *"UP"'
}

# The scavenger's batch size (MicroProfile Config, domain level, read when the application starts;
# a changed size redeploys, through the stamp in up).
configure_scavenge() {
  local f; f=$(mktemp)
  echo "set-config-property --source=domain --propertyname=arbor.scavenge.batch-size --propertyvalue=$FAULTS_SCAVENGE_BATCH" >"$f"
  asa_batch "$FAULTS_DOMAIN" "$f" >/dev/null; rm -f "$f"
}

# server_problems SINCE: what the server logged as SEVERE or WARNING since SINCE (e.g.
# 2026-12-01T17:47:23), the last 40 records, each cut to 12 lines; EJB monitoring's start-up
# chatter ("Cannot find node …", "MonitoringRuntimeData not found …") is left out.
server_problems() {
  local since="$1" log; log="$(domain_dir "$FAULTS_DOMAIN")/logs/server.log"
  [[ -f "$log" ]] || { flog "no server log at $log"; return 0; }
  awk -v since="$since" '
    function flush() {
      if (rec != "" && keep) { recs[n++ % 40] = rec }
      rec = ""; keep = 0; lines = 0
    }
    /^\[20[0-9][0-9]-/ {
      flush()
      keep = substr($0, 2, 19) >= since && ($0 ~ /\[(SEVERE|WARNING)\]/) \
             && $0 !~ /NCLS-MNTG-00203/
    }
    { if (++lines <= 12) rec = rec $0 "\n"; else if (lines == 13) rec = rec "  …\n" }
    /MonitoringRuntimeData not found/ { keep = 0 }
    END {
      flush()
      for (i = (n > 40 ? n - 40 : 0); i < n; i++) printf "%s", recs[i % 40]
      if (n == 0) print "(no SEVERE or WARNING records since " since ")"
    }' "$log"
}

down() {
  stop_domain "$FAULTS_DOMAIN"
  if [[ -f "$FAULTS_PG_DIR/data/PG_VERSION" ]]; then pg_stop fast; flog "private PostgreSQL stopped"; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  pg-init) pg_init ;;
  pg-start) pg_start ;;
  pg-stop) pg_stop fast ;;
  pg-stop-immediate) pg_stop immediate ;;
  pg-status) if _pg_running; then echo running; else echo stopped; fi ;;
  payara-kill) payara_kill ;;
  payara-start) payara_start ;;
  server-problems) server_problems "${2:?usage: server-problems SINCE (ISO time, UTC)}" ;;
  env)
    echo "FAULTS_HTTP=http://127.0.0.1:$(http_port "$FAULTS_DOMAIN")"
    echo "FAULTS_JDBC=jdbc:postgresql://127.0.0.1:${FAULTS_PG_PORT}/${FAULTS_DB}"
    ;;
  *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
