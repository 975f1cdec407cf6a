#!/usr/bin/env bash
# Petition figures for docs/benchmarks.md (issue 5): Open311 intake throughput and p99 latency, live latency from a
# POST to the change feed another workstation reads, and bulk import rows per second; on SQLite (a fresh file) and,
# when PG_URL names a server (scripts/pg-start.sh starts one), on PostgreSQL in a fresh database.
# Usage: bench/petitions.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-16}
cargo build --release --locked -q -p chengguan-bench
bin=target/release/petitions_bench

echo "## SQLite"
"$bin" intake --seconds "$seconds" --connections "$connections"
"$bin" live
"$bin" import --rows 100000

if [ -n "${PG_URL:-}" ]; then
  db="bench_$(date +%s)"
  su postgres -c "createdb -O chengguan $db"
  trap 'su postgres -c "dropdb --if-exists $db"' EXIT
  url="${PG_URL%/*}/$db"
  echo "## PostgreSQL ($db)"
  "$bin" intake --db "$url" --seconds "$seconds" --connections "$connections"
  "$bin" live --db "$url"
  "$bin" import --db "$url" --rows 100000
fi
