# 城关镇智慧治理指挥中心 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The PostgreSQL server started by scripts/pg-start.sh (tests create their own databases on it).
PG_URL ?= postgres://chengguan:chengguan@127.0.0.1:5432/chengguan
# Real-world test files (read in place, never copied into the repository).
REFERENCE_DATA ?= $(abspath ../shared/reference-data)

.PHONY: help deps pg ui-deps ui ui-test lint build test run cli package

help:
	@echo "make run   安装依赖、构建界面与桌面程序，并打开指挥中心窗口（首次启动自动载入演示数据）"
	@echo "make test  安装依赖（含 PostgreSQL），格式与 lint 检查，全部测试（含真实窗口的端到端测试）"
	@echo "make package  构建 .deb 安装包（桌面程序与命令行 chengguan），并安装到干净目录树中检验"

deps:
	@scripts/install-deps.sh

pg: deps
	@scripts/pg-start.sh

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
ui-deps: deps ui/node_modules/.package-lock.json

# The UI is embedded in the desktop binary at compile time: it must be built before cargo.
ui: ui-deps
	cd ui && npm run build

ui-test: ui-deps
	cd ui && npm run typecheck && npm test

lint: deps ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	scripts/check-architecture.sh

build: deps ui
	cargo build --workspace --locked

test: pg lint ui-test build
	@test -d "$(REFERENCE_DATA)" || { echo "错误：找不到参考数据 $(REFERENCE_DATA)（设置 REFERENCE_DATA=…）" >&2; exit 1; }
	CHENGGUAN_TEST_PG=$(PG_URL) CHENGGUAN_REFERENCE_DATA=$(REFERENCE_DATA) cargo test --workspace --locked

run: deps ui
	cargo build --release --locked -p chengguan-desktop
	@if [ -z "$$DISPLAY" ]; then echo "没有图形显示（DISPLAY 未设置）：请在桌面环境中运行，或用 xvfb-run make run" >&2; exit 1; fi
	target/release/chengguan-desktop

# The command line only, on the default database (created with the demo town on first use).
cli: deps
	cargo build --release --locked -p chengguan-cli
	target/release/chengguan demo --if-empty
	@# As the demo's leader unless CHENGGUAN_USER/CHENGGUAN_PASSWORD say otherwise (docs/demo-accounts.md).
	CHENGGUAN_USER=$${CHENGGUAN_USER:-leader} CHENGGUAN_PASSWORD=$${CHENGGUAN_PASSWORD:-Chengguan@2026} target/release/chengguan status

# The .deb a town installs (统信 UOS, 麒麟 Kylin, Debian): the desktop with its icon and Chinese menu entry, and the
# `chengguan` command line beside it; then installed with dpkg into a clean directory tree and started there.
# Not part of `make test`: the release build and the bundling take several minutes on two cores.
package: deps ui
	cargo build --release --locked -p chengguan-cli
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci -- --locked
	scripts/package-test.sh
