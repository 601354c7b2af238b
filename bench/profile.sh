#!/usr/bin/env bash
# A JFR profile of Payara under single-event appends at 8 clients (issue 17), summarised by
# component, two ways: inclusive (the share of CPU samples, jdk.ExecutionSample, whose stack holds
# a frame of the component; a sample counts for every component on its stack) and by innermost
# component (each sample counted once, for the component of the frame nearest the top of its
# stack that belongs to one; JDK frames count for their caller's component, and Payara's frames
# outside the named components, such as its class loaders, only when no named one is on the
# stack); then the top frames.
#
#   bench/profile.sh DOMAIN DB [SECONDS]      (default 25 s; the load runs 10 s longer)
#   bench/profile.sh --summary FILE.jfr       the summary of a recording made before
#
# It starts bench/run.sh scenario 2 at 8 clients against DOMAIN, starts a recording on the JVM
# listening on the domain's HTTP port once the load has warmed up (jcmd JFR.start
# settings=profile), and prints the summary. The recording stays in
# target/profile/append-<time>.jfr (bench/target), for `jfr print` or JDK Mission Control.
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

# summarise JFR: the component tables and top frames of recording JFR.
summarise() {
  jfr print --events jdk.ExecutionSample --stack-depth 512 "$1" | awk "$SUMMARY"
}

SUMMARY='
  function flush() {
    if (n) { total++; for (c in seen) hits[c]++; if (top != "") tops[top]++; own[inner != "" ? inner : generic != "" ? generic : "JDK only"]++ }
    delete seen; n = 0; top = ""; inner = ""; generic = ""
  }
  function component(f) {
    if (f ~ /^jakarta\.json\.spi\.JsonProvider\.provider$/) return "JSON-P provider lookup (ServiceLoader)"
    if (f ~ /ClassLoader/) return ""  # class loading counts for whoever asked for it
    if (f ~ /^io\.arbor\./) return "Arbor code (io.arbor)"
    if (f ~ /^(fish\.payara\.microprofile\.telemetry\.|fish\.payara\.opentracing\.|io\.opentelemetry\.|org\.glassfish\.jersey\.server\.internal\.monitoring\.)/) return "MicroProfile Telemetry (JAX-RS listener)"
    if (f ~ /(^org\.glassfish\.flashlight\.|^org\.glassfish\.external\.probe\.|\.monitor\.|\.monitoring\.|StatsProvider|ProbeNotifier|EmitterImpl\.)/) return "monitoring (probes, stats providers)"
    if (f ~ /^org\.eclipse\.persistence\./) return "EclipseLink"
    if (f ~ /^org\.jboss\.weld\./) return "Weld (CDI)"
    if (f ~ /^com\.hazelcast\./) return "Hazelcast"
    if (f ~ /^(org\.postgresql\.|com\.sun\.gjc\.|com\.sun\.enterprise\.resource\.|com\.sun\.enterprise\.connectors\.)/) return "JDBC driver + pool (pgjdbc, Payara JCA)"
    if (f ~ /^(com\.sun\.ejb\.|org\.glassfish\.ejb\.)/) return "EJB container"
    if (f ~ /^(com\.sun\.enterprise\.transaction\.|com\.sun\.jts\.)/) return "JTA (transaction manager)"
    if (f ~ /^(fish\.payara\.microprofile\.jwtauth\.|com\.sun\.enterprise\.security\.|org\.glassfish\.soteria\.|org\.glassfish\.exousia\.|com\.nimbusds\.)/) return "security (MP-JWT, Soteria, Exousia)"
    if (f ~ /^(org\.glassfish\.jersey\.|jakarta\.ws\.rs\.)/) return "Jersey (JAX-RS)"
    if (f ~ /^(org\.glassfish\.grizzly\.|org\.apache\.catalina\.|org\.glassfish\.web\.|com\.sun\.enterprise\.web\.|org\.apache\.coyote\.)/) return "web container (Grizzly, Catalina)"
    if (f ~ /^(fish\.payara\.microprofile\.metrics\.|io\.smallrye\.metrics\.)/) return "MicroProfile Metrics"
    if (f ~ /^(org\.eclipse\.parsson\.|org\.glassfish\.json\.|jakarta\.json\.)/) return "JSON-P"
    if (f ~ /^(com\.sun\.enterprise\.|org\.glassfish\.|fish\.payara\.)/) return "other Payara"
    return ""
  }
  /^jdk\.ExecutionSample/ { flush(); next }
  /^[ \t]+[a-zA-Z_$][a-zA-Z0-9_$.]*\.[a-zA-Z_$<>][a-zA-Z0-9_$<>]*\(/ {
    f = $1; sub(/\(.*/, "", f)
    if (n == 0) top = f
    n++
    c = component(f)
    if (c == "other Payara") { seen[c] = 1; if (generic == "") generic = c }
    else if (c != "") { seen[c] = 1; if (inner == "") inner = c }
    next
  }
  END {
    flush()
    printf "%d CPU samples\n\ncomponent (inclusive: samples with a frame of it on the stack)\n", total
    for (c in hits) printf "%6.1f%%  %s\n", 100 * hits[c] / total, c | "sort -rn"
    close("sort -rn")
    printf "\ncomponent (innermost: each sample once)\n"
    for (c in own) printf "%6.1f%%  %s\n", 100 * own[c] / total, c | "sort -rn"
    close("sort -rn")
    printf "\ntop frames (self: the frame on top of the stack)\n"
    for (t in tops) printf "%6.1f%%  %s\n", 100 * tops[t] / total, t | "sort -rn | head -n 15"
    close("sort -rn | head -n 15")
  }'

if [[ "${1:-}" == --summary ]]; then
  summarise "${2:?a .jfr file}"
  exit 0
fi
DOMAIN="${1:?domain}" DB="${2:?database}" DURATION="${3:-25}"
[[ "$DURATION" =~ ^[0-9]+$ ]] || die "SECONDS must be a number"
PORT=$(http_port "$DOMAIN")
PID=$(ss -Hltnp "sport = :$PORT" | grep -oE 'pid=[0-9]+' | head -n1 | cut -d= -f2)
[[ -n "$PID" ]] || die "no process listens on port $PORT (is domain $DOMAIN running?)"
OUT="$ROOT/bench/target/profile"; mkdir -p "$OUT"
JFR="$OUT/append-$(date -u +%Y%m%dT%H%M%SZ).jfr"

log "load: bench/run.sh --domain $DOMAIN --db $DB --only 2 --append-clients 8 --seconds $((DURATION + 5)) --warmup 10"
"$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$DB" --only 2 --append-clients 8 \
  --seconds $((DURATION + 5)) --warmup 10 >"$OUT/load.log" 2>&1 &
LOAD=$!
# The benchmark's own start (build check, ceiling database) takes a few seconds before its warm-up.
until grep -q 'measuring' "$OUT/load.log" 2>/dev/null; do
  kill -0 "$LOAD" 2>/dev/null || { cat "$OUT/load.log" >&2; die "the load ended before measuring"; }
  sleep 1
done
log "recording $DURATION s of JVM $PID into $JFR"
# Payara's request stacks run deeper than JFR's default 64 frames, which would cut off the outer
# components (Grizzly, Jersey); the depth can be set until the JVM's first recording.
jcmd "$PID" JFR.configure stackdepth=512 >/dev/null 2>&1 || warn "could not set JFR's stack depth: outer frames may be cut off"
jcmd "$PID" JFR.start name=arbor-append settings=profile duration="${DURATION}s" filename="$JFR" >/dev/null
sleep $((DURATION + 3))
wait "$LOAD" || die "the load failed: $OUT/load.log"
grep -E '^\| 2\. REST single-event append, 8 client' "$OUT/load.log" || true

summarise "$JFR"
log "recording: $JFR (jfr summary / jfr print --events jdk.ExecutionSample)"
