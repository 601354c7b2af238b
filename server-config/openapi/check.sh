#!/usr/bin/env bash
# Lints OpenAPI documents with Spectral's own ruleset (spectral:oas, .spectral.yaml): 0 errors and
# 0 warnings, or it fails. Called by server-config/test.sh twice: before Maven on the document as
# written (web/src/main/resources/META-INF/openapi.yaml, a fast failure), and after the integration
# tests on the document as the server served it (integration-tests/target/openapi/served.json,
# saved by the tests' OpenApiContract), which is what users get from /openapi.
#   server-config/openapi/check.sh [FILE...]   (no FILE: the document as written)
# Spectral (@stoplight/spectral-cli, pinned in package.json + package-lock.json) is installed into
# node_modules/ here with `npm ci` when missing or when the lockfile changed; Node.js and npm come
# from Debian's packages when missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

say() { echo "[arbor] $*"; }
fail() { echo "[arbor] OpenAPI check FAILED: $*" >&2; exit 1; }

ensure_npm() {
  command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 && return 0
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null 2>&1 || fail "npm missing and not root: apt-get install nodejs npm"
    sudo=(sudo -n)
  fi
  say "Node.js/npm missing: installing Debian packages nodejs npm"
  { "${sudo[@]}" apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; } \
    || fail "apt-get install nodejs npm failed"
}

# npm ci when node_modules is missing or was installed from another lockfile (a changed pin).
ensure_spectral() {
  local stamp="$HERE/node_modules/.arbor-lock.sha256" want
  want=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
  if [[ -x "$HERE/node_modules/.bin/spectral" && -f "$stamp" && "$(<"$stamp")" == "$want" ]]; then
    return 0
  fi
  ensure_npm
  say "installing Spectral into server-config/openapi/node_modules (npm ci)"
  ( cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error >/dev/null ) || fail "npm ci failed"
  echo "$want" >"$stamp"
}

files=("$@")
(( ${#files[@]} )) || files=("$ROOT/web/src/main/resources/META-INF/openapi.yaml")
ensure_spectral
for f in "${files[@]}"; do
  [[ -s "$f" ]] || fail "no document at $f"
  # --fail-severity=warn: a warning fails like an error (issue 13: 0 errors, 0 warnings).
  "$HERE/node_modules/.bin/spectral" lint --quiet --fail-severity=warn \
    --ruleset "$HERE/.spectral.yaml" "$f" || fail "spectral:oas on ${f#"$ROOT"/}"
  say "OpenAPI lint OK (spectral:oas, 0 errors, 0 warnings): ${f#"$ROOT"/}"
done
