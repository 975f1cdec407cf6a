#!/usr/bin/env bash
# Roster figures for docs/benchmarks.md (issue 14):
# - the search index over N people and residents (default 100,000) by query kind, side by side with SQLite
#   LIKE '%q%' and an FTS5 trigram index on the same rows, its build time and memory (chengguan-core's bench);
# - the import of a residents' workbook of M rows (default 10,000) and the whole search call, through
#   chengguan-app on SQLite (bench/programs).
# Usage: bench/roster.sh [people-and-residents] [import-rows]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked -q -p chengguan-core --bench search -- "${1:-100000}"
cargo build --release --locked -q -p chengguan-bench --bin roster_bench
target/release/roster_bench "${2:-10000}"
