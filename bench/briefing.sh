#!/usr/bin/env bash
# The briefing pack for a year of the demo town (issue 16), for docs/benchmarks.md: `report briefing` (the figures,
# the charts, the typeset PDF and the xlsx) timed by hyperfine beside `report figures` of the same period, its
# reference: the same start-up, sign-in and reading of the database, without the charts and the typesetting.
# Usage: bench/briefing.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --locked -q -p chengguan-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHENGGUAN_DB="sqlite://$work/town.db" CHENGGUAN_USER=leader CHENGGUAN_PASSWORD=Chengguan@2026
target/release/chengguan demo >/dev/null
to=$(TZ=Asia/Shanghai date +%F)
from=$(TZ=Asia/Shanghai date -d "$to - 364 days" +%F)
target/release/chengguan report figures --from "$from" --to "$to" | head -3
hyperfine --warmup 1 --runs "${1:-10}" \
  -n "report figures (reference)" "target/release/chengguan report figures --from $from --to $to --json" \
  -n "report briefing (PDF + xlsx)" "target/release/chengguan report briefing --from $from --to $to --out $work/pack.pdf"
pdfinfo "$work/pack.pdf" | grep -E 'Pages|File size'
