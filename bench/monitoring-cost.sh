#!/usr/bin/env bash
# What Payara's monitoring levels cost an append (issue 17): single-event appends at 8 clients
# (bench/run.sh scenario 2) under each monitoring setting given, in the order given, ROUNDS times,
# each run printing appends/s and the server's CPU per append (Payara, PostgreSQL, from /proc).
#
#   bench/monitoring-cost.sh DOMAIN DB [--rounds 2] [--seconds 20] SETTING...
#
# A SETTING is a level for every module the scripts set (ARBOR_MONITORING_MODULES of
# server-config/lib.sh), then optional module=LEVEL overrides, in one argument:
#   bench/monitoring-cost.sh arbor-c17e arbor_c17e OFF LOW HIGH "LOW ejb-container=HIGH"
# Levels change at run time (enable-monitoring, no restart). At the end the domain gets the scripts'
# setting back (monitoring_fix_cmds of server-config/lib.sh, as ensure_domain applies it).
set -euo pipefail
# shellcheck source=../server-config/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../server-config/lib.sh"

DOMAIN="${1:?domain}" DB="${2:?database}"; shift 2
ROUNDS=2 SECONDS_PER_RUN=20 SETTINGS=()
while (( $# )); do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    *) SETTINGS+=("$1"); shift ;;
  esac
done
(( ${#SETTINGS[@]} )) || die "usage: bench/monitoring-cost.sh DOMAIN DB [--rounds N] [--seconds S] SETTING..."

# apply LEVEL [module=LEVEL...]: every module of the scripts at LEVEL, then the overrides.
apply() {
  local level="$1" m mods=(); shift
  declare -A want=()
  for m in "${ARBOR_MONITORING_MODULES[@]}"; do want[$m]=$level; done
  for m in "$@"; do want[${m%%=*}]=${m#*=}; done
  for m in "${!want[@]}"; do mods+=("$m=${want[$m]}"); done
  asa "$DOMAIN" enable-monitoring --target server-config --modules "$(IFS=:; echo "${mods[*]}")" >/dev/null \
    || die "enable-monitoring on $DOMAIN failed"
}

RESULTS=()
for (( round = 1; round <= ROUNDS; round++ )); do
  for setting in "${SETTINGS[@]}"; do
    # shellcheck disable=SC2086
    apply $setting
    log "round $round: monitoring $setting"
    out=$("$ROOT/bench/run.sh" --domain "$DOMAIN" --db "$DB" --only 2 --append-clients 8 \
      --seconds "$SECONDS_PER_RUN" --warmup 5) || { printf '%s\n' "$out" >&2; die "bench/run.sh failed"; }
    line=$(grep -E '^\| 2\. REST single-event append, 8 client' <<<"$out" | cut -d'|' -f3)
    RESULTS+=("| $round | $setting |$line|")
    log "  $line"
  done
done
# Back to what the scripts set.
f=$(mktemp)
monitoring_fix_cmds server-config "$(asa "$DOMAIN" get 'configs.config.server-config.*')" >"$f"
[[ ! -s "$f" ]] || asa_batch "$DOMAIN" "$f" >/dev/null
rm -f "$f"
echo
echo "| round | monitoring | single-event appends, 8 clients |"
echo "| --- | --- | --- |"
printf '%s\n' "${RESULTS[@]}"
