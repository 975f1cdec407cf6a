#!/usr/bin/env bash
# Map-layer figures for docs/benchmarks.md (issue 6): the desktop's heat, choropleth, hot-spot and alert layers
# over N imported petitions (default 1,000,000) besides the demo's — from the database before the warm-up, the
# warm-up itself, each layer from memory, and a layer right after a new petition. SQLite (a fresh file) and, when
# PG_URL names a server (scripts/pg-start.sh starts one), PostgreSQL in a fresh database.
# Usage: bench/layers.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cargo build --release --locked -q -p chengguan-bench
bin=target/release/petitions_bench

"$bin" layers --rows "$rows"
if [ -n "${PG_URL:-}" ]; then
  db="bench_$(date +%s)"
  su postgres -c "createdb -O chengguan $db"
  trap 'su postgres -c "dropdb --if-exists $db"' EXIT
  "$bin" layers --db "${PG_URL%/*}/$db" --rows "$rows"
fi
