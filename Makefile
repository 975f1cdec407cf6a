# 城关镇智慧治理指挥中心 — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The PostgreSQL server started by scripts/pg-start.sh (tests create their own databases on it).
PG_URL ?= postgres://chengguan:chengguan@127.0.0.1:5432/chengguan
CHENGGUAN := target/release/chengguan
# Real-world test files (read in place, never copied into the repository).
REFERENCE_DATA ?= $(abspath ../shared/reference-data)

.PHONY: help deps pg lint test run build

help:
	@echo "make run   安装依赖、构建，并在演示数据库上显示城镇概况"
	@echo "make test  安装依赖（含 PostgreSQL）、格式与 lint 检查、运行全部测试（SQLite 与 PostgreSQL）"

deps:
	@scripts/install-deps.sh

pg: deps
	@scripts/pg-start.sh

lint: deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	scripts/check-architecture.sh

test: pg lint
	@test -d "$(REFERENCE_DATA)" || { echo "错误：找不到参考数据 $(REFERENCE_DATA)（设置 REFERENCE_DATA=…）" >&2; exit 1; }
	CHENGGUAN_TEST_PG=$(PG_URL) CHENGGUAN_REFERENCE_DATA=$(REFERENCE_DATA) cargo test --workspace --locked

build: deps
	cargo build --release --locked -p chengguan-cli

# Until the desktop lands: the CLI on the default database (created with the demo town on first run).
run: build
	$(CHENGGUAN) demo --if-empty
	$(CHENGGUAN) status
