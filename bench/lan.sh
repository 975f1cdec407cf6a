#!/usr/bin/env bash
# LAN-mode figures for docs/benchmarks.md (issue 13): the workstation API over loopback HTTPS beside the same call
# in-process (reads, the heat layer at N petitions), the live latency from an Open311 POST to a workstation's event,
# and 20 simulated workstations while the intake takes 500 POST/s. SQLite (a fresh file) and, when PG_URL names a
# server (scripts/pg-start.sh starts one), PostgreSQL in a fresh database.
# Usage: bench/lan.sh [rows] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
seconds=${2:-30}
cargo build --release --locked -q -p chengguan-bench
bin=target/release/petitions_bench

"$bin" lan-reads
"$bin" lan-live
"$bin" lan-load --seconds "$seconds"
"$bin" lan-heat --rows "$rows"
if [ -n "${PG_URL:-}" ]; then
  db="bench_$(date +%s)"
  su postgres -c "createdb -O chengguan $db"
  trap 'su postgres -c "dropdb --if-exists $db"' EXIT
  "$bin" lan-live --db "${PG_URL%/*}/$db"
  "$bin" lan-load --db "${PG_URL%/*}/$db" --seconds "$seconds"
fi
