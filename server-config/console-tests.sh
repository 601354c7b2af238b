#!/usr/bin/env bash
# The console's browser tests (console-tests/, issue 21): Node's test runner drives Debian's
# Chromium, headless, with playwright-core against a running domain with Arbor deployed.
#
#   server-config/console-tests.sh [--domain NAME] [--deploy] [node --test arguments...]
#
#   --domain NAME   the domain to test (default arbor, the one run.sh starts); its HTTP port is
#                   read from its domain.xml
#   --deploy        deploy ear/target/arbor.ear first, unless Arbor is deployed there already (a
#                   redeploy into a JVM where Arbor ran breaks it: docs/operations.md)
#   anything else   goes to `node --test`: test files (default console-tests/tests/*.test.js,
#                   paths relative to console-tests/), --test-name-pattern=...
#
# What is missing is installed first: chromium, nodejs and npm with apt-get (as root; else it
# says what to install), then playwright-core with `npm ci` (the committed package-lock.json;
# playwright-core never downloads a browser). Tokens are minted with bin/arbor token and this
# checkout's development key, which run.sh and test.sh configure the domain to trust; data is
# seeded through the REST API, each test in a tenant of its own. Screenshots of every page go to
# console-tests/target/screenshots/. Exits non-zero when a test fails. test.sh runs it after the
# Maven suite; docs/testing.md says what the tests check.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOMAIN=arbor DEPLOY=0 NODE_ARGS=()
while (( $# )); do
  case "$1" in
    --domain) DOMAIN="$2"; shift 2 ;;
    --deploy) DEPLOY=1; shift ;;
    *) NODE_ARGS+=("$1"); shift ;;
  esac
done
TESTS_DIR="$ROOT/console-tests"
CHROMIUM="${ARBOR_CHROMIUM:-/usr/bin/chromium}"

# ---- what the tests need on this machine ----------------------------------------------------------
missing=()
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if (( ${#missing[@]} )); then
  (( EUID == 0 )) || die "the console tests need ${missing[*]}: sudo apt-get install -y ${missing[*]} (or ARBOR_SKIP_CONSOLE_TESTS=1)"
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null; } \
    || die "could not install ${missing[*]}"
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
(( NODE_MAJOR >= 18 )) || die "the console tests need Node.js 18 or later, found $(node --version)"
# playwright-core as package-lock.json pins it; again only when the lock file changed.
if [[ ! -f "$TESTS_DIR/node_modules/.package-lock.json" || "$TESTS_DIR/package-lock.json" -nt "$TESTS_DIR/node_modules/.package-lock.json" ]]; then
  log "console tests: npm ci"
  ( cd "$TESTS_DIR" && npm ci --no-audit --no-fund --loglevel=error ) || die "npm ci in console-tests failed"
fi

# ---- the server under test ------------------------------------------------------------------------
HTTP_PORT=$(http_port "$DOMAIN")
domain_running "$DOMAIN" || die "domain $DOMAIN is not running (server-config/run.sh starts arbor; ARBOR_KEEP=1 server-config/test.sh leaves the test domain running)"
if (( DEPLOY )) && ! arbor_deployed "$DOMAIN"; then
  deploy_ear "$DOMAIN" "$ROOT/ear/target/arbor.ear"
fi
wait_ready "http://localhost:${HTTP_PORT}/health/ready" 120 '"status":"UP"' >/dev/null

(( ${#NODE_ARGS[@]} )) || NODE_ARGS=("$TESTS_DIR"/tests/*.test.js)
rm -rf "$TESTS_DIR/target/screenshots"
log "console tests: node --test ${NODE_ARGS[*]##*/} against http://localhost:${HTTP_PORT}/arbor/console/ ($("$CHROMIUM" --version 2>/dev/null | head -n1))"
T0=$SECONDS
rc=0
( cd "$TESTS_DIR" && ARBOR_CONSOLE_URL="http://localhost:${HTTP_PORT}" ARBOR_CHROMIUM="$CHROMIUM" \
    node --test "${NODE_ARGS[@]}" ) || rc=$?
SHOTS=$(find "$TESTS_DIR/target/screenshots" -name '*.png' 2>/dev/null | wc -l)
if (( rc == 0 )); then
  log "console tests passed in $((SECONDS - T0))s ($SHOTS screenshots in console-tests/target/screenshots/)"
else
  log "console tests FAILED (status $rc) in $((SECONDS - T0))s; screenshots in console-tests/target/screenshots/"
fi
exit "$rc"
