#!/usr/bin/env bash
# Stop a Payara domain (default: arbor). Succeeds when it is already stopped.
#   server-config/stop.sh            stops "arbor"
#   server-config/stop.sh arbor-test stops the test domain
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
stop_domain "${1:-arbor}"
