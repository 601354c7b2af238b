#!/usr/bin/env bash
# The benchmark's security switch (scenario 16: security on vs off in one run):
#
#   bench/security-switch.sh DOMAIN DB on|off
#
# on:  arbor.security.enabled=true on domain DOMAIN, row-level security enabled and forced on every
#      table of database DB that has a policy (the tenant tables);
# off: arbor.security.enabled=false, row-level security disabled on those tables: no token, no RLS.
# Then it reloads the application (the setting is read when it starts) and returns once the server
# answers as the switch says: a request without a token is a 401 with security on, a 200 off.
# Row-level security is switched only on the local cluster (as its superuser); with ARBOR_DB_URL it
# stays as it is, and the script says so.
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

DOMAIN="${1:?domain}" DB="${2:?database}" STATE="${3:?on or off}"
case "$STATE" in
  on) ENABLED=true WANT=401 RLS=("ENABLE ROW LEVEL SECURITY" "FORCE ROW LEVEL SECURITY") ;;
  off) ENABLED=false WANT=200 RLS=("DISABLE ROW LEVEL SECURITY" "NO FORCE ROW LEVEL SECURITY") ;;
  *) die "usage: bench/security-switch.sh DOMAIN DB on|off" ;;
esac

asa "$DOMAIN" set-config-property --source=domain --propertyname=arbor.security.enabled \
  --propertyvalue="$ENABLED" >/dev/null || die "could not set arbor.security.enabled on $DOMAIN"
if [[ -n "${ARBOR_DB_URL:-}" ]]; then
  log "ARBOR_DB_URL set: row-level security left as it is (only the local cluster's superuser switches it)"
else
  _psql_admin -c 'SELECT 1' >/dev/null  # finds the way to the superuser, and logs it (stdout) once
  tables=$(_psql_admin -d "$DB" -c "SELECT DISTINCT tablename FROM pg_policies WHERE schemaname = 'public' ORDER BY 1")
  for table in $tables; do
    _psql_admin -d "$DB" -c "ALTER TABLE $table ${RLS[0]}" -c "ALTER TABLE $table ${RLS[1]}" >/dev/null
  done
  log "row-level security: ${RLS[0],,} on $(wc -w <<<"$tables") tables of $DB"
fi
asa "$DOMAIN" disable arbor >/dev/null && asa "$DOMAIN" enable arbor >/dev/null \
  || die "could not reload the application arbor on $DOMAIN"
BASE="http://localhost:$(http_port "$DOMAIN")"
wait_ready "$BASE/health/ready" 180 '"status": *"UP"' >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$BASE/arbor/api/streams?limit=1" || true)
[[ "$code" == "$WANT" ]] \
  || die "security $STATE on $DOMAIN, yet a request without a token answered ${code:-nothing}, not $WANT"
log "$DOMAIN: security $STATE (a request without a token: $code)"
