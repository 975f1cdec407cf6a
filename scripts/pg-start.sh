#!/usr/bin/env bash
# Makes sure a local PostgreSQL server is installed and running, with the role and database the tests and the
# LAN demo use. Idempotent: safe to run before every `make test`. Needs root (installs from Debian's packages).
#   role chengguan / password chengguan, CREATEDB CREATEROLE; a test CA and server certificate for TLS; database chengguan owned by it; listens on 127.0.0.1:5432.
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
# The tests create (and retire) a role the way earlier LAN deployments gave one to every workstation.
psql_admin "ALTER ROLE chengguan CREATEROLE"
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'chengguan'")" != "1" ]; then
  su postgres -c "createdb -O chengguan chengguan"
fi
# Leftovers of interrupted test runs.
for db in $(psql_admin "SELECT datname FROM pg_database WHERE datname LIKE 'cg\\_test\\_%'"); do
  su postgres -c "dropdb --if-exists $db" || true
done
echo "» PostgreSQL 就绪：postgres://chengguan:***@127.0.0.1:5432/chengguan"

# TLS for the LAN tests: a test CA and a server certificate for localhost/127.0.0.1 (never use these on a LAN).
tls=/var/lib/postgresql/chengguan-tls
if [ ! -f "$tls/server.crt" ]; then
  echo "» 生成测试用 TLS 证书（$tls）…"
  mkdir -p "$tls"
  openssl req -x509 -new -nodes -newkey rsa:2048 -days 3650 -subj "/CN=chengguan test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
  openssl req -new -nodes -newkey rsa:2048 -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tls/san.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
  chown -R postgres:postgres "$tls"
  chmod 600 "$tls/server.key" "$tls/ca.key"
  chmod 644 "$tls/ca.crt" "$tls/server.crt"
  chmod 755 "$tls"
fi
if [ "$(psql_admin "SHOW ssl_cert_file")" != "$tls/server.crt" ]; then
  psql_admin "ALTER SYSTEM SET ssl = on"
  psql_admin "ALTER SYSTEM SET ssl_cert_file = '$tls/server.crt'"
  psql_admin "ALTER SYSTEM SET ssl_key_file = '$tls/server.key'"
  psql_admin "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5
fi
echo "» TLS：测试 CA $tls/ca.crt"
