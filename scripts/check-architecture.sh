#!/usr/bin/env bash
# The dependency rules of ARCHITECTURE.md: core is pure (no sqlx, tokio, tauri); only src-tauri may depend on tauri.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
core_deps=$(cargo tree -p chengguan-core -e normal --prefix none 2>/dev/null | awk '{print $1}' | sort -u)
for forbidden in sqlx tokio tauri axum; do
  if grep -qx "$forbidden" <<<"$core_deps"; then
    echo "架构错误：chengguan-core 依赖了 $forbidden（core 必须纯净，无 I/O）" >&2
    fail=1
  fi
done
for crate in chengguan-core chengguan-store chengguan-report chengguan-app chengguan-cli chengguan-server chengguan-client; do
  if cargo tree -p "$crate" -e normal --prefix none 2>/dev/null | awk '{print $1}' | grep -qx tauri; then
    echo "架构错误：$crate 依赖了 tauri（只有 src-tauri 可以）" >&2
    fail=1
  fi
done
# The shell reaches the domain only through chengguan-app (ARCHITECTURE: "call exactly one chengguan-app function").
if grep -rln 'chengguan_core\|chengguan_store' src-tauri/src; then
  echo "架构错误：桌面外壳（src-tauri）只能通过 chengguan-app 调用，不得直接使用 chengguan-core 或 chengguan-store" >&2
  fail=1
fi
# Benchmark programs measure what the front ends use: they go through chengguan-app too, as do the server and
# the LAN client.
if grep -rln 'chengguan_core\|chengguan_store' bench/programs crates/server/src crates/client/src; then
  echo "架构错误：Open311 服务及其基准程序只能通过 chengguan-app 调用，不得直接使用 chengguan-core 或 chengguan-store" >&2
  fail=1
fi
if grep -q '^chengguan-\(core\|store\)' src-tauri/Cargo.toml bench/programs/Cargo.toml; then
  echo "架构错误：src-tauri 与 bench/programs 的 Cargo.toml 不得依赖 chengguan-core 或 chengguan-store（只经 chengguan-app）" >&2
  fail=1
fi
if git ls-files 'crates/core/*.rs' 'crates/store/*.rs' 'crates/app/*.rs' 'crates/client/*.rs' | grep -v '/tests/\|/examples/\|/benches/' \
    | xargs grep -ln 'println!\|eprintln!\|process::exit' 2>/dev/null; then
  echo "架构错误：库 crate 中不得使用 println!/eprintln!/process::exit" >&2
  fail=1
fi
[ $fail -eq 0 ] && echo "» 架构检查通过"
exit $fail
