#!/usr/bin/env bash
# Two Arbor instances in one Hazelcast data grid, next to the DAS of domain "arbor".
#
#   grid.sh start    provision (idempotent) and start: deployment group arbor-grid with instances
#                    arbor-a (HTTP 28080) and arbor-b (HTTP 28081) on the domain's local node,
#                    jdbc/arbor and jdbc/arbor-owner on the group, the EAR deployed to the group as application
#                    "arbor-grid"; waits for /health/ready on both and prints the grid members.
#   grid.sh stop     stop the two instances (the DAS keeps running): each asked to stop by itself,
#                    killed after ARBOR_GRID_STOP_SECONDS; an instance that died costs no wait
#   grid.sh status   DAS, instances, readiness and Hazelcast members
#
# Knobs (defaults in brackets):
#   ARBOR_GRID_DOMAIN [arbor]          domain (created and started if needed, like run.sh does)
#   ARBOR_GRID_DAS_PORTBASE []         --portbase used only if the domain has to be created
#   ARBOR_GRID_HTTP_A / _B [28080/28081]  HTTP ports of arbor-a / arbor-b
#   ARBOR_GRID_PORTBASE [28100]        other instance ports: arbor-a BASE..BASE+9, arbor-b BASE+10..+19
#   ARBOR_GRID_DB [domain name, - -> _]  database (local mode; ARBOR_DB_URL overrides, as in lib.sh)
#   ARBOR_GRID_XMS / ARBOR_GRID_XMX [512m/1g]  heap of each instance
#   ARBOR_EAR [ear/target/arbor.ear]   EAR to deploy (built with mvn if missing)
#   ARBOR_GRID_REDEPLOY=1              redeploy even if the EAR did not change since the last start
#   ARBOR_GRID_STOP_SECONDS [60]       stop: how long an instance may take to stop before it is killed
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

GRID_DOMAIN="${ARBOR_GRID_DOMAIN:-arbor}"
GRID_DAS_PORTBASE="${ARBOR_GRID_DAS_PORTBASE:-}"
GRID_HTTP_A="${ARBOR_GRID_HTTP_A:-28080}"
GRID_HTTP_B="${ARBOR_GRID_HTTP_B:-28081}"
GRID_PORTBASE="${ARBOR_GRID_PORTBASE:-28100}"
GRID_DB="${ARBOR_GRID_DB:-${GRID_DOMAIN//-/_}}"
GRID_XMS="${ARBOR_GRID_XMS:-512m}"
GRID_XMX="${ARBOR_GRID_XMX:-1g}"
GRID_STOP_SECONDS="${ARBOR_GRID_STOP_SECONDS:-60}"
GROUP=arbor-grid
CONFIG=arbor-grid-config          # shared by both instances (copied from default-config)
APP=arbor-grid                    # own application name: run.sh's `deploy --force --name arbor`
                                  # fails once an application has more than one target
INSTANCES=(arbor-a arbor-b)
EAR="${ARBOR_EAR:-$ROOT/ear/target/arbor.ear}"
READY_RE='"checks":\[\{'          # the app's checks are registered (not the empty server default)

# Per-instance ports besides HTTP, as offsets from the instance's port base.
PORT_PROPS=(ASADMIN_LISTENER_PORT HTTP_SSL_LISTENER_PORT IIOP_LISTENER_PORT IIOP_SSL_LISTENER_PORT
            IIOP_SSL_MUTUALAUTH_PORT JMX_SYSTEM_CONNECTOR_PORT JMS_PROVIDER_PORT
            OSGI_SHELL_TELNET_PORT JAVA_DEBUGGER_PORT HZ_LISTENER_PORT)

for p in "$GRID_HTTP_A" "$GRID_HTTP_B" "$GRID_PORTBASE"; do
  if [[ ! "$p" =~ ^[0-9]+$ ]] || (( p < 1024 || p > 65499 )); then die "invalid port: $p"; fi
done
[[ "$GRID_HTTP_A" != "$GRID_HTTP_B" ]] || die "ARBOR_GRID_HTTP_A and _B must differ"
for p in "$GRID_HTTP_A" "$GRID_HTTP_B"; do
  (( p < GRID_PORTBASE || p >= GRID_PORTBASE + 20 )) || die "HTTP port $p lies in ARBOR_GRID_PORTBASE..+19"
done
[[ "$GRID_STOP_SECONDS" =~ ^[0-9]+$ ]] || die "invalid ARBOR_GRID_STOP_SECONDS: $GRID_STOP_SECONDS"
[[ "$GRID_XMS$GRID_XMX" =~ ^[0-9]+[mg][0-9]+[mg]$ ]] || die "invalid heap: -Xms$GRID_XMS -Xmx$GRID_XMX"

# ------------------------------------------------------------------ helpers ---

dxml() { echo "$(domain_dir "$GRID_DOMAIN")/config/domain.xml"; }

http_of() { [[ "$1" == "${INSTANCES[0]}" ]] && echo "$GRID_HTTP_A" || echo "$GRID_HTTP_B"; }

# desired_props INSTANCE: NAME=VALUE lines, sorted.
desired_props() {
  local base=$GRID_PORTBASE i=0 p
  [[ "$1" == "${INSTANCES[0]}" ]] || base=$(( GRID_PORTBASE + 10 ))
  { echo "HTTP_LISTENER_PORT=$(http_of "$1")"
    for p in "${PORT_PROPS[@]}"; do echo "$p=$(( base + i ))"; i=$(( i + 1 )); done; } | sort
}

# current_props INSTANCE: the instance's own system properties in domain.xml, sorted.
current_props() {
  awk -v want="$1" '
    /<server / { s = ""; if (match($0, / name="[^"]*"/)) s = substr($0, RSTART + 7, RLENGTH - 8) }
    /<\/server>/ { s = "" }
    s == want && /<system-property / {
      n = ""; v = ""
      if (match($0, / name="[^"]*"/)) n = substr($0, RSTART + 7, RLENGTH - 8)
      if (match($0, / value="[^"]*"/)) v = substr($0, RSTART + 8, RLENGTH - 9)
      print n "=" v
    }' "$(dxml)" | sort
}

has_server()   { grep -qE "<server [^>]*name=\"$1\"" "$(dxml)"; }
has_group()    { grep -qE "<deployment-group [^>]*name=\"$GROUP\"" "$(dxml)"; }
has_config()   { grep -qE "<config [^>]*name=\"$CONFIG\"" "$(dxml)"; }
has_app()      { grep -qE "<application [^>]*name=\"$APP\"" "$(dxml)"; }
in_group()     { grep -q "<dg-server-ref ref=\"$1\"" "$(dxml)"; }

# The domain's local CONFIG node (create-domain makes localhost-<domain>).
local_node() {
  local n
  n=$(grep -oE '<node [^>]*>' "$(dxml)" | grep 'type="CONFIG"' | grep -E 'node-host="(localhost|127\.0\.0\.1)"' \
      | grep -oE ' name="[^"]*"' | head -n1 | cut -d'"' -f2 || true)
  [[ -n "$n" ]] || die "domain $GRID_DOMAIN has no local CONFIG node (expected localhost-$GRID_DOMAIN)"
  echo "$n"
}

# running_instances: those of arbor-a/arbor-b that the DAS reports as running.
running_instances() {
  asa "$GRID_DOMAIN" list-instances 2>/dev/null \
    | awk -v want=" ${INSTANCES[*]} " '$2 ~ /^running/ && index(want, " " $1 " ") {print $1}' || true
}

# restart_required_instances: running ones whose configuration changed since they started
# (list-instances says "running;  requires restart").
restart_required_instances() {
  asa "$GRID_DOMAIN" list-instances 2>/dev/null \
    | awk -v want=" ${INSTANCES[*]} " '/requires restart/ && index(want, " " $1 " ") {print $1}' || true
}

port_busy() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

ear_sum() { sha256sum "$EAR" | cut -d' ' -f1; }
MARKER="$PAYARA_BASE/.grid-${GRID_DOMAIN}-${APP}.sha256"

# wait_members: until the DAS and both instances are Hazelcast members; prints the member table.
wait_members() {
  local limit=${1:-90} t0=$SECONDS out i ok
  while :; do
    out=$(asa "$GRID_DOMAIN" list-hazelcast-cluster-members 2>&1 || true)
    ok=1
    for i in server "${INSTANCES[@]}"; do grep -qE "^$i " <<<"$out" || ok=0; done
    if (( ok )); then
      log "data grid (cluster '$(awk '/^Cluster Name /{print $3}' <<<"$(asa "$GRID_DOMAIN" get-hazelcast-configuration)")'): DAS + ${INSTANCES[*]} are members after $((SECONDS - t0))s"
      grep -vE '^Command .* executed successfully' <<<"$out" | sed 's/^/[arbor]   /'
      return 0
    fi
    if (( SECONDS - t0 >= limit )); then
      printf '%s\n' "$out" >&2
      die "not all of server ${INSTANCES[*]} joined the Hazelcast cluster after ${limit}s"
    fi
    sleep 2
  done
}

# ------------------------------------------------------------------- start ----

provision_topology() {
  local node; node=$(local_node)
  local cmds=() i props restart_insts=()
  has_config || cmds+=("copy-config default-config $CONFIG")
  has_group  || cmds+=("create-deployment-group $GROUP")
  for i in "${INSTANCES[@]}"; do
    props=$(desired_props "$i" | paste -sd: -)
    if ! has_server "$i"; then
      log "creating instance $i on node $node (HTTP $(http_of "$i"))"
      cmds+=("create-instance --node $node --config $CONFIG --deploymentgroup $GROUP --checkports=false --systemproperties $props $i")
    else
      in_group "$i" || cmds+=("add-instance-to-deployment-group --instance $i --deploymentgroup $GROUP")
      if [[ "$(current_props "$i")" != "$(desired_props "$i")" ]]; then
        log "instance $i: setting ports $props"
        cmds+=("create-system-properties --target $i $props")
        restart_insts+=("$i")
      fi
    fi
  done
  if (( ${#cmds[@]} )); then
    local f; f=$(mktemp); printf '%s\n' "${cmds[@]}" >"$f"
    asa_batch "$GRID_DOMAIN" "$f" >/dev/null; rm -f "$f"
  fi
  RESTART_INSTANCES=("${restart_insts[@]}")
}

# Heap, monitoring + AMX on the shared config; jdbc/arbor on the group. One asadmin JVM to read,
# one to change.
configure_grid() {
  local f; f=$(mktemp)
  printf '%s\n' "list-jvm-options --target $CONFIG" "get configs.config.$CONFIG.*" >"$f"
  local state; state=$(asa_batch "$GRID_DOMAIN" "$f")
  local cmds=() o heap_changed=0
  for o in "-Xms$GRID_XMS" "-Xmx$GRID_XMX"; do
    if ! grep -qx -- "$o" <<<"$state"; then
      local cur
      for cur in $(grep -E "^${o:0:4}" <<<"$state" || true); do cmds+=("delete-jvm-options --target $CONFIG $cur"); done
      cmds+=("create-jvm-options --target $CONFIG $o")
      heap_changed=1
    fi
  done
  (( heap_changed )) && log "instance heap -Xms$GRID_XMS -Xmx$GRID_XMX (config $CONFIG)"
  # Committed heads are trusted only while every instance is in the grid (a split half trusts none).
  local quorum="-Darbor.cache.heads.min-members=${#INSTANCES[@]}"
  if ! grep -qx -- "$quorum" <<<"$state"; then
    local cur
    for cur in $(grep -E '^-Darbor\.cache\.heads\.min-members=' <<<"$state" || true); do cmds+=("delete-jvm-options --target $CONFIG $cur"); done
    cmds+=("create-jvm-options --target $CONFIG $quorum")
    log "committed heads need ${#INSTANCES[@]} grid members (config $CONFIG)"
    heap_changed=1
  fi
  local mon; mon=$(monitoring_fix_cmds "$CONFIG" "$state")
  [[ -z "$mon" ]] || { log "monitoring level $ARBOR_MONITORING_LEVEL + JDBC pool checker on config $CONFIG"; mapfile -t -O "${#cmds[@]}" cmds <<<"$mon"; }
  local http; http=$(http_fix_cmds "$CONFIG" "$state")
  [[ -z "$http" ]] || { log "HTTP listeners of config $CONFIG: no Server or X-Powered-By header"; mapfile -t -O "${#cmds[@]}" cmds <<<"$http"; }
  local req; req=$(request_path_fix_cmds "$CONFIG" "$state")
  if [[ -n "$req" ]]; then
    log "request path of config $CONFIG: -Djakarta.json.provider=$ARBOR_JSON_PROVIDER, $ARBOR_HTTP_THREADS HTTP threads"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$req"
    heap_changed=1
  fi
  # The instances' admin listeners stay on loopback: the DAS reaches them on the node's host, localhost.
  local lst; lst=$(listener_fix_cmds "$CONFIG" "$state")
  if [[ -n "$lst" ]]; then
    log "listeners of config $CONFIG: HTTP on $ARBOR_HTTP_ADDRESS; admin, IIOP, JMX on 127.0.0.1; JMS off; data grid on $ARBOR_GRID_INTERFACE"
    mapfile -t -O "${#cmds[@]}" cmds <<<"$lst"
    heap_changed=1
  fi

  # jdbc/arbor and jdbc/arbor-owner: the group's ref and each instance's ref (configure_resources
  # keeps them too).
  local i res refs_ok
  for res in jdbc/arbor jdbc/arbor-owner; do
    refs_ok=1
    grep -q "ref=\"$res\"" <<<"$(awk -v g="$GROUP" '/<deployment-group /{x = index($0, "name=\"" g "\"")} x && /<resource-ref /; /<\/deployment-group>/{x=0}' "$(dxml)")" || refs_ok=0
    for i in "${INSTANCES[@]}"; do
      awk -v s="$i" -v r="ref=\"$res\"" '/<server /{x = index($0, " name=\"" s "\"")} x && /<resource-ref / && index($0, r) {f=1} /<\/server>/{x=0} END{exit !f}' "$(dxml)" || refs_ok=0
    done
    if (( ! refs_ok )); then
      log "resource $res -> deployment group $GROUP"
      cmds+=("delete-resource-ref --target $GROUP $res" "create-resource-ref --target $GROUP $res")
    fi
  done
  if (( ${#cmds[@]} )); then
    printf '%s\n' "${cmds[@]}" >"$f"
    ARBOR_BATCH_MAY_FAIL='delete-resource-ref' asa_batch "$GRID_DOMAIN" "$f" >/dev/null
  fi
  rm -f "$f"
  (( heap_changed )) && RESTART_INSTANCES=("${INSTANCES[@]}")
  return 0
}

# metrics.xml into each instance's config dir (read at instance start; the DAS does not sync it).
install_instance_files() {
  local node i changed=0; node=$(local_node)
  for i in "${INSTANCES[@]}"; do
    if _install_metrics_xml "$PAYARA_HOME/glassfish/nodes/$node/$i/config"; then
      changed=1
      [[ " ${RESTART_INSTANCES[*]} " == *" $i "* ]] || RESTART_INSTANCES+=("$i")
    fi
  done
  (( changed )) && log "installed metrics.xml for the instances"
  return 0
}

deploy_grid() {
  local sum; sum=$(ear_sum)
  # Running instances lose jdbc/arbor when the pool is re-created ("No Pool Meta Data object
  # associated with the pool"); a redeploy heals them, as does one that answers not-ready.
  local why="" i code
  for i in $(running_instances); do
    if (( ${POOL_RECREATED:-0} )); then why="pool arbor-pool was re-created under running instances"; break; fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://localhost:$(http_of "$i")/health/ready" || true)
    [[ "$code" == 200 ]] || { why="$i answers ${code:-nothing} on /health/ready"; break; }
  done
  if [[ -z "$why" ]] && has_app && [[ "${ARBOR_GRID_REDEPLOY:-0}" != 1 && -f "$MARKER" && "$(<"$MARKER")" == "$sum" ]]; then
    log "application $APP is up to date on $GROUP (EAR unchanged; ARBOR_GRID_REDEPLOY=1 forces a redeploy)"
    return 0
  fi
  log "deploying $EAR to deployment group $GROUP as '$APP'${why:+ (redeploy: $why)}"
  local out
  out=$(asa "$GRID_DOMAIN" deploy --force=true --name "$APP" --target "$GROUP" "$EAR" 2>&1) \
    || { printf '%s\n' "$out" >&2; die "deploy of $EAR to $GROUP failed, see $(domain_dir "$GRID_DOMAIN")/logs/server.log"; }
  echo "$sum" >"$MARKER"
}

start_grid() {
  local running i p missing=()
  running=$(running_instances)
  local stale; stale=$(restart_required_instances)
  for i in "${RESTART_INSTANCES[@]}" $stale; do
    if grep -qx "$i" <<<"$running"; then
      log "instance $i runs with outdated ports/heap/metrics.xml: restarting it"
      timed "restart-instance $i" _asadmin_quiet --user admin --port "$(admin_port "$GRID_DOMAIN")" restart-instance "$i" \
        || die "restart-instance $i failed, see $PAYARA_HOME/glassfish/nodes/$(local_node)/$i/logs/server.log"
    fi
  done
  for i in "${INSTANCES[@]}"; do
    grep -qx "$i" <<<"$running" && continue
    missing+=("$i")
    while read -r p; do
      port_busy "${p#*=}" && die "port ${p#*=} (${p%%=*} of $i) is already in use; pick other ARBOR_GRID_* ports"
    done < <(desired_props "$i")
  done
  if (( ${#missing[@]} )); then
    log "starting deployment group $GROUP (${missing[*]})"
    local out t0; t0=$(_now_ms)
    out=$(asa "$GRID_DOMAIN" start-deployment-group "$GROUP" 2>&1) \
      || { printf '%s\n' "$out" >&2; die "start-deployment-group $GROUP failed, see $PAYARA_HOME/glassfish/nodes/$(local_node)/<instance>/logs/server.log"; }
    log "start-deployment-group took $(( ($(_now_ms) - t0) / 1000 ))s"
  else
    log "instances ${INSTANCES[*]} already running"
  fi
}

cmd_start() {
  local T0=$SECONDS
  if [[ ! -f "$EAR" ]]; then
    [[ -z "${ARBOR_EAR:-}" ]] || die "EAR not found: $EAR"
    log "no EAR yet: mvn -q -DskipTests package"
    ( cd "$ROOT" && timed "build" mvn -B -q -Dstyle.color=never -DskipTests package ) || die "Maven build failed"
  fi
  ensure_payara
  timed "ensure_postgres" ensure_postgres "$GRID_DB"
  timed "ensure_domain" ensure_domain "$GRID_DOMAIN" "$GRID_DAS_PORTBASE" "$GRID_DOMAIN"
  timed "configure_resources" configure_resources "$GRID_DOMAIN"
  timed "configure_security" configure_security "$GRID_DOMAIN"   # domain-level: the instances see it
  RESTART_INSTANCES=()
  timed "topology (group, config, instances)" provision_topology
  timed "grid config (heap, monitoring, jdbc/arbor)" configure_grid
  install_instance_files
  timed "deploy to $GROUP" deploy_grid
  timed "start instances" start_grid
  local i
  for i in "${INSTANCES[@]}"; do wait_ready "http://localhost:$(http_of "$i")/health/ready" 300 "$READY_RE"; done
  timed "data grid membership" wait_members 90
  log "grid up in $((SECONDS - T0))s: http://localhost:${GRID_HTTP_A}/arbor/api and http://localhost:${GRID_HTTP_B}/arbor/api"
  log "instance logs: $PAYARA_HOME/glassfish/nodes/$(local_node)/{${INSTANCES[0]},${INSTANCES[1]}}/logs/server.log"
  log "stop with: server-config/grid.sh stop"
}

# -------------------------------------------------------------- stop/status ---

# stop_instance INSTANCE: ask the instance itself to stop (stop-local-instance: its own admin
# port, no DAS), for at most ARBOR_GRID_STOP_SECONDS; a JVM still there after that is killed.
# An instance whose JVM is gone (kill -9, a crash) has nothing to wait for. Issue 13: the DAS's
# stop-deployment-group waited 598 s on an instance that had died by kill -9.
stop_instance() {
  local i=$1 pid node; node=$(local_node)
  if ! pid=$(instance_pid "$node" "$i"); then log "$i is not running"; return 0; fi
  if timeout "$GRID_STOP_SECONDS" "$ASADMIN" --interactive=false stop-local-instance --node "$node" "$i" >/dev/null 2>&1 \
      || ! instance_pid "$node" "$i" >/dev/null; then
    log "stopped $i"; return 0
  fi
  warn "$i (pid $pid) did not stop within ${GRID_STOP_SECONDS}s: killing it"
  kill -9 "$pid" 2>/dev/null || true
}

# Each instance by itself and both at once, with or without the DAS: a dead one costs nothing.
cmd_stop() {
  if [[ ! -f "$(dxml)" ]] || ! has_group; then log "no deployment group $GROUP in domain $GRID_DOMAIN; nothing to stop"; return 0; fi
  local i t0=$SECONDS pids=()
  for i in "${INSTANCES[@]}"; do stop_instance "$i" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i"; done
  log "grid stopped in $((SECONDS - t0))s"
}

cmd_status() {
  if [[ ! -f "$(dxml)" ]]; then log "domain $GRID_DOMAIN does not exist"; return 0; fi
  if ! domain_running "$GRID_DOMAIN"; then log "domain $GRID_DOMAIN (DAS) is not running"; return 0; fi
  log "DAS $GRID_DOMAIN: admin $(admin_port "$GRID_DOMAIN"), HTTP $(http_port "$GRID_DOMAIN")"
  has_group || { log "no deployment group $GROUP (run: server-config/grid.sh start)"; return 0; }
  asa "$GRID_DOMAIN" list-instances --long 2>&1 | grep -vE '^Command .* executed' | sed 's/^/[arbor]   /'
  local i code
  for i in "${INSTANCES[@]}"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://localhost:$(http_of "$i")/health/ready" || true)
    log "$i http://localhost:$(http_of "$i")/health/ready -> ${code:-no answer}"
  done
  asa "$GRID_DOMAIN" list-hazelcast-cluster-members 2>&1 | grep -vE '^Command .* executed' | sed 's/^/[arbor]   /'
}

case "${1:-}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
