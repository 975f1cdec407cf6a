#!/usr/bin/env bash
# Intake throughput under an independent load generator (wrk), for docs/benchmarks.md: accepted POST/s, p50/p99,
# and acknowledged (2xx) against stored rows, on SQLite (a fresh file) and PostgreSQL (a fresh database on the
# server of scripts/pg-start.sh), for each `chengguan` binary given, one after the other in the same run (so a
# build before a change and after it are measured side by side on the same machine state).
#
# Usage: bench/intake_wrk.sh [rounds] BIN [BIN ...]
#   e.g. bench/intake_wrk.sh 2 /tmp/before/chengguan target/release/chengguan
# Environment: SECONDS_PER_RUN (10), CONNECTIONS (16), PG_URL (the server's admin URL; PostgreSQL is skipped
# without it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:?rounds}
shift
seconds=${SECONDS_PER_RUN:-10}
connections=${CONNECTIONS:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
local key = os.getenv("KEY")
local n = 0
request = function()
  n = n + 1
  local lon = 99.805 + (n % 97) * 0.0003
  local lat = 39.366 + (n % 89) * 0.0002
  return wrk.format(nil, nil, nil, "api_key=" .. key .. "&service_code=sanitation&lat=" .. lat .. "&long=" .. lon .. "&description=load" .. n)
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.1f ms  p99 %.1f ms\n", latency:percentile(50)/1000, latency:percentile(99)/1000))
end
LUA

count() { # url
  case "$1" in
    sqlite://*) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from petitions').fetchone()[0])" "${1#sqlite://}" ;;
    *) psql -qtA "$1" -c "select count(*) from petitions" ;;
  esac
}

measure() { # bin label url
  local bin=$1 label=$2 url=$3 port=$((18000 + RANDOM % 2000))
  export CHENGGUAN_USER=admin CHENGGUAN_PASSWORD=Chengguan@2026
  "$bin" --db "$url" demo >/dev/null
  local key
  key=$("$bin" --db "$url" apikey create --name "bench-$RANDOM" | grep '^cgk_')
  local flags=()
  # Builds that limit rates get limits far above the load, so that wrk measures the intake, not the limiter.
  if "$bin" serve --help | grep -q rate-per-address; then
    flags=(--rate-per-address 1000000 --rate-per-key 1000000 --per-address 1000)
  fi
  "$bin" --db "$url" serve --listen "127.0.0.1:$port" "${flags[@]}" >/dev/null 2>&1 &
  local server=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  local before
  before=$(count "$url")
  KEY=$key wrk -t1 -c"$connections" -d"${seconds}s" -s "$work/post.lua" \
    "http://127.0.0.1:$port/open311/v2/requests.json" >"$work/wrk.txt"
  sleep 1
  kill "$server"; wait "$server" 2>/dev/null || true
  local after total bad rps lat
  after=$(count "$url")
  total=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  bad=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt"); bad=${bad:-0}
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  lat=$(grep '^p50' "$work/wrk.txt")
  printf '%-44s %-10s %8s req/s  %s  2xx %6d  stored %6d  non-2xx %s\n' \
    "$label" "$(echo "$url" | cut -d: -f1)" "$rps" "$lat" $((total - bad)) $((after - before)) "$bad"
}

for round in $(seq "$rounds"); do
  for bin in "$@"; do
    # The binary's path names it (two builds are both …/release/chengguan).
    label="$bin #$round"
    measure "$bin" "$label" "sqlite://$work/town-$round-$RANDOM.db"
    if [ -n "${PG_URL:-}" ]; then
      db="bench_$(date +%s)_$RANDOM"
      su postgres -c "createdb -O chengguan $db"
      measure "$bin" "$label" "${PG_URL%/*}/$db"
      su postgres -c "dropdb --if-exists $db"
    fi
  done
done
