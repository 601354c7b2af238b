#!/usr/bin/env bash
# Build Arbor and run it on the local Payara domain "arbor" (admin 4848, HTTP 8080).
# Idempotent: running it again rebuilds and redeploys.
#   ARBOR_SKIP_BUILD=1   skip `mvn package` (deploy the existing EAR)
#   ARBOR_EAR=path       deploy this EAR instead of ear/target/arbor.ear
#   ARBOR_DB_URL / ARBOR_DB_USER / ARBOR_DB_PASSWORD   use an existing database
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOMAIN=arbor
EAR="${ARBOR_EAR:-$ROOT/ear/target/arbor.ear}"
T0=$SECONDS

if [[ "${ARBOR_SKIP_BUILD:-0}" != 1 ]]; then
  log "building: mvn -q -DskipTests package"
  [[ -f "$ROOT/pom.xml" ]] || die "no pom.xml in $ROOT"
  ( cd "$ROOT" && timed "build" mvn -B -q -Dstyle.color=never -DskipTests package ) || die "Maven build failed"
fi
[[ -f "$EAR" ]] || die "EAR not found: $EAR"

ensure_payara
timed "ensure_postgres" ensure_postgres arbor
timed "ensure_domain" ensure_domain "$DOMAIN" "" arbor
timed "configure_resources" configure_resources "$DOMAIN"
timed "deploy" deploy_ear "$DOMAIN" "$EAR"
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 120

log "total $((SECONDS - T0))s"
log "Arbor is up: http://localhost:${HTTP_PORT}/arbor/api"
log "Admin console: http://localhost:${ADMIN_PORT} (this host only; user admin, password in $ADMIN_PASSWORD_FILE)"
log "Server log: $(domain_dir "$DOMAIN")/logs/server.log"
log "Stop with: server-config/stop.sh"
