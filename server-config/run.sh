#!/usr/bin/env bash
# Build Arbor and run it on the local Payara domain "arbor" (admin 4848, HTTP 8080).
# Idempotent: running it again rebuilds and redeploys.
#   ARBOR_SKIP_BUILD=1   skip `mvn package` (deploy the existing EAR)
#   ARBOR_EAR=path       deploy this EAR instead of ear/target/arbor.ear
#   ARBOR_DB_URL / ARBOR_DB_USER / ARBOR_DB_PASSWORD   use an existing database
#   ARBOR_JWT_ISSUER / ARBOR_JWT_PUBLIC_KEY_LOCATION     trust another identity provider's tokens
#   ARBOR_SECURITY_ENABLED=false                         no tokens at all (a trusted network only)
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
# Run again on a domain where Arbor is deployed, the EAR must not deploy into the JVM it ran in.
undeploy_into_fresh_jvm "$DOMAIN" "" arbor
timed "configure_resources" configure_resources "$DOMAIN"
timed "configure_security" configure_security "$DOMAIN"
# The archive (docs/archive.md) in the domain's directory; nothing is archived by age (older-than-days
# 0): `bin/arbor archive run --below-position N` archives by hand.
"$ASADMIN" --port "$ADMIN_PORT" set-config-property --source=domain --propertyname=arbor.archive.dir \
  --propertyvalue="$(domain_dir "$DOMAIN")/archive" >/dev/null || die "could not set arbor.archive.dir on $DOMAIN"
timed "deploy" deploy_ear "$DOMAIN" "$EAR"
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 120

if [[ "${ARBOR_SECURITY_ENABLED:-true}" == true ]]; then
  # The promise of the line below, checked: a request without a token is refused.
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://localhost:${HTTP_PORT}/arbor/api/streams" || true)
  [[ "$code" == 401 ]] || die "security is configured on but a request without a token answered $code, not 401 (was the domain started with ARBOR_SECURITY_ENABLED in its environment? restart it: server-config/stop.sh, then run.sh again)"
fi
log "total $((SECONDS - T0))s"
log "Arbor is up: http://localhost:${HTTP_PORT}/arbor/api"
if [[ "${ARBOR_SECURITY_ENABLED:-true}" == true && -z "${ARBOR_JWT_PUBLIC_KEY_LOCATION:-}" ]]; then
  # An admin token signed with the development key, for bin/arbor and curl (valid 7 days; every run
  # writes a fresh one).
  ( umask 077; dev_token arbor-admin 604800 >"$ARBOR_DIR/token.new" ) && mv "$ARBOR_DIR/token.new" "$ARBOR_DIR/token" \
    || die "could not mint the development admin token"
  log "Every API request needs a token. An admin token is in .arbor/token (bin/arbor reads it):"
  log "  curl -H \"Authorization: Bearer \$(cat .arbor/token)\" http://localhost:${HTTP_PORT}/arbor/api/streams"
  log "Another one: bin/arbor token --groups arbor-admin   (or arbor-reader, arbor-writer; --tenant T, --ttl-seconds S)"
fi
log "Arbor console: http://localhost:${HTTP_PORT}/arbor/console/ (paste a token: bin/arbor token --groups arbor-admin)"
log "Admin console: http://localhost:${ADMIN_PORT} (this host only; user admin, password in $ADMIN_PASSWORD_FILE)"
log "Server log: $(domain_dir "$DOMAIN")/logs/server.log"
log "Stop with: server-config/stop.sh"
