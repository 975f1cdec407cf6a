#!/usr/bin/env bash
# How the desktop's map feels with a million petitions (issue 6), next to the demo town's 200 as the baseline:
# a SQLite database with the demo town and N more petitions (default 1,000,000, clustered, one in fifty open) is
# made once under target/bench/, then the real window (Xvfb, tauri-driver) measures click → layer for each
# analysis view and the frames painted while zooming over the heat layer. Figures go to docs/benchmarks.md.
# Usage: bench/map_million.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cargo build --release --locked -q -p chengguan-cli
cargo build --release --locked -q -p chengguan-desktop
mkdir -p target/bench
db="$PWD/target/bench/million-$rows.db"
if [ ! -f "$db" ]; then
  csv="$PWD/target/bench/million-$rows.csv"
  python3 bench/clustered_petitions.py "$rows" > "$csv"
  target/release/chengguan --db "sqlite://$db" demo
  CHENGGUAN_PASSWORD=Chengguan@2026 target/release/chengguan --db "sqlite://$db" --user admin petitions import "$csv"
  rm -f "$csv"
fi
export CHENGGUAN_DESKTOP_BIN="$PWD/target/release/chengguan-desktop"
echo "## baseline: the demo town"
cargo test --locked -q -p chengguan-e2e --test million -- --ignored --nocapture 2>&1 | grep '^map |'
echo "## $rows petitions more"
CHENGGUAN_E2E_DB="sqlite://$db" cargo test --locked -q -p chengguan-e2e --test million -- --ignored --nocapture 2>&1 | grep '^map |'
