#!/usr/bin/env bash
# The fault suite, one command: builds Arbor (unless ARBOR_SKIP_BUILD=1), brings up the suite's own
# PostgreSQL cluster (127.0.0.1:25432, data in .faults/pg) and Payara domain arbor-faults (HTTP
# 24080, admin 24048) with the EAR deployed, then runs io.arbor.faults.FaultSuite: load + faults,
# a client-side history of every request, and the history checker. Exits 1 on any anomaly.
#
#   faults/run.sh                 the full run (20 kill cycles, 64x500 contention, 100k live events)
#   faults/run.sh --short         the test command's run (2 kill cycles, small sizes)
#   faults/run.sh --only kill9 --kill-cycles 5     one scenario, other sizes (see --help)
#
# It never stops the shared PostgreSQL on 5432 nor any other domain. The domain and the private
# cluster stay up afterwards for fast re-runs (faults/ctl.sh down stops both); with CI=true or
# FAULTS_CLEANUP=1 they are stopped on exit. Histories and results: .faults/runs/<run>/.
# Security is on, as everywhere (issue 16): every request carries ARBOR_TOKEN when set, else an
# arbor-admin token minted with the checkout's development key (.arbor/dev-keys/private.pem).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$HERE/.." && pwd -P)"
CTL="$HERE/ctl.sh"

if [[ "${CI:-}" == true || "${FAULTS_CLEANUP:-0}" == 1 ]]; then
  trap '"$CTL" down || true' EXIT
fi

if [[ "${ARBOR_SKIP_BUILD:-0}" != 1 ]]; then
  echo "[faults] building: mvn -q -DskipTests package"
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) || { echo "[faults] build failed" >&2; exit 2; }
fi
JAR="$ROOT/faults/target/arbor-faults.jar"
[[ -f "$JAR" ]] || { echo "[faults] $JAR missing: build first (mvn -DskipTests package)" >&2; exit 2; }

"$CTL" up
eval "$("$CTL" env)"
cd "$ROOT"
since="$(date -u +%Y-%m-%dT%H:%M:%S)"
status=0
mkdir -p "$ROOT/.faults"
output="$ROOT/.faults/last-run.log"
java -Xmx512m -cp "$JAR:$ROOT/faults/target/lib/*" io.arbor.faults.FaultSuite \
  --base-url "$FAULTS_HTTP" --jdbc-url "$FAULTS_JDBC" --ctl "$CTL" --out "$ROOT/.faults/runs" \
  --dev-key "$ROOT/.arbor/dev-keys/private.pem" "$@" 2>&1 | tee "$output" \
  || status=$?
if (( status != 0 )); then
  # The server's side first, cut to its last 150 lines, then the verdict again: a log that keeps
  # only its tail (CI) must still show which scenario failed and why.
  echo "[faults] what the server logged as SEVERE or WARNING during the run (the last 150 lines):"
  "$CTL" server-problems "$since" | tail -n 150 | sed 's/^/    /'
  echo "[faults] the verdict again (the whole run's output: $output):"
  grep -E "ANOMALY|anomalies|FAILED|Exception" "$output" | tail -n 40 | sed 's/^/    /' || true
fi
exit "$status"
