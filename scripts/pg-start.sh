#!/usr/bin/env bash
# Makes sure a local PostgreSQL server is installed and running, with the role and database the tests and the
# LAN demo use. Idempotent: safe to run before every `make test`. Needs root (installs from Debian's packages).
#   role chengguan / password chengguan, CREATEDB; database chengguan owned by it; listens on 127.0.0.1:5432.
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  echo "» 安装 PostgreSQL (Debian packages)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

read -r version cluster _port status _rest < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
  echo "» 启动 PostgreSQL $version/$cluster…"
  pg_ctlcluster "$version" "$cluster" start
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 0.5
done

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'chengguan'")" != "1" ]; then
  psql_admin "CREATE ROLE chengguan LOGIN CREATEDB PASSWORD 'chengguan'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'chengguan'")" != "1" ]; then
  su postgres -c "createdb -O chengguan chengguan"
fi
# Leftovers of interrupted test runs.
for db in $(psql_admin "SELECT datname FROM pg_database WHERE datname LIKE 'cg\\_test\\_%'"); do
  su postgres -c "dropdb --if-exists $db" || true
done
echo "» PostgreSQL 就绪：postgres://chengguan:***@127.0.0.1:5432/chengguan"
