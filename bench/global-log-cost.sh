#!/usr/bin/env bash
# Measures what the gap-free global log costs on append throughput, with no server in between:
# pgbench runs Arbor's append shape (advance stream row, take a position, insert one jsonb event)
# with positions taken in commit order (reserve_global_positions, Arbor's way) and with a plain
# sequence (the naive way that can skip events), in one run, at 1 and 8 clients, and prints the ratio.
#   bench/global-log-cost.sh [seconds-per-run]        (default 15)
# Uses a scratch database arbor_bench on the local PostgreSQL (dropped and recreated).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_RUN=${1:-15}
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS arbor_bench" -c "CREATE DATABASE arbor_bench"
for changeset in "$ROOT"/liquibase/src/main/resources/db/changesets/*.sql; do
  "${PSQL[@]}" -d arbor_bench -f "$changeset"   # formatted-SQL changesets are plain psql scripts
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version') fsync=$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW fsync') synchronous_commit=$(psql -h 127.0.0.1 -U postgres -tAc 'SHOW synchronous_commit')"
tps() {
  pgbench -h 127.0.0.1 -U postgres -n -c "$1" -j "$(( $1 < 2 ? 1 : 2 ))" -T "$SECONDS_PER_RUN" -f "$ROOT/bench/pgbench/$2.sql" arbor_bench 2>/dev/null \
    | awk '/^tps/ {printf "%.0f", $3}'
}
printf '%-8s %14s %14s %8s\n' clients "unordered tps" "ordered tps" ratio
for clients in 1 8; do
  unordered=$(tps "$clients" append-unordered)
  ordered=$(tps "$clients" append-ordered)
  printf '%-8s %14s %14s %8s\n' "$clients" "$unordered" "$ordered" "$(awk -v a="$ordered" -v b="$unordered" 'BEGIN{printf "%.2f", a/b}')"
done
"${PSQL[@]}" -c "DROP DATABASE arbor_bench"
