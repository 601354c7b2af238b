#!/usr/bin/env bash
# Validates the monitoring assets in this folder; called by server-config/test.sh before Maven.
#   promtool check rules  arbor-alerts.yml        (syntax + PromQL of the alert rules)
#   promtool check config prometheus.yml          (example scrape config; loads the rules)
#   promtool test rules   arbor-alerts.test.yml   (the alerts fire on synthetic series)
#   grafana-arbor.json                            (valid JSON, unique panel ids, every panel queries)
# Installs promtool (Debian package "prometheus") when missing, without leaving a Prometheus
# daemon running. Exits non-zero on the first failure; prints "[arbor] monitoring rules OK".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

say() { echo "[arbor] $*"; }
fail() { echo "[arbor] monitoring check FAILED: $*" >&2; exit 1; }

# ensure_promtool: apt-get install prometheus (it ships promtool). policy-rc.d exit 101 keeps
# the package's maintainer scripts from starting the service; on a systemd host the unit is
# also disabled and stopped, so nothing listens on :9090 afterwards.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || fail "promtool missing and not root: apt-get install prometheus"
    sudo=(sudo -n)
  fi
  say "promtool missing: installing Debian package prometheus (for promtool)"
  local policy=/usr/sbin/policy-rc.d made_policy=false t0=$SECONDS
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    made_policy=true
  fi
  local rc=0
  { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } || rc=$?
  if [[ "$made_policy" == true ]]; then "${sudo[@]}" rm -f "$policy"; fi
  (( rc == 0 )) || fail "apt-get install prometheus failed (status $rc)"
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
  command -v promtool >/dev/null 2>&1 || fail "promtool still missing after installing prometheus"
  say "installed promtool in $((SECONDS - t0))s"
}

ensure_promtool
promtool check rules arbor-alerts.yml || fail "promtool check rules arbor-alerts.yml"
promtool check config prometheus.yml || fail "promtool check config prometheus.yml"
promtool test rules arbor-alerts.test.yml || fail "promtool test rules arbor-alerts.test.yml"

python3 -m json.tool grafana-arbor.json >/dev/null || fail "grafana-arbor.json is not valid JSON"
python3 - grafana-arbor.json <<'EOF' || fail "grafana-arbor.json: dashboard structure"
import json, sys
d = json.load(open(sys.argv[1]))
panels = d["panels"] + [p for r in d["panels"] for p in r.get("panels", [])]
ids = [p["id"] for p in panels]
assert len(ids) == len(set(ids)), f"duplicate panel ids: {sorted(ids)}"
for p in panels:
    if p["type"] == "row":
        continue
    exprs = [t.get("expr", "").strip() for t in p.get("targets", [])]
    assert exprs and all(exprs), f"panel {p['id']} {p.get('title')!r} has a target without expr"
    assert p.get("datasource", {}).get("uid") == "${DS_PROMETHEUS}", f"panel {p['id']}: datasource"
names = {v["name"] for v in d["templating"]["list"]}
assert {"DS_PROMETHEUS", "instance"} <= names, f"templating variables: {names}"
EOF

say "monitoring rules OK"
