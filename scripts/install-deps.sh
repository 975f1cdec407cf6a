#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian 12 machine, skipping what is already there.
# Needs root for apt-get. The Rust toolchain (cargo, rustfmt, clippy) must already be installed.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
  echo "错误：未找到 cargo。请先安装 Rust 工具链（rustup，含 rustfmt 与 clippy）。" >&2
  exit 1
fi

# Debian packages: a C toolchain for crates that build C (SQLite is compiled in); the PostgreSQL server the store
# suite runs against; WebKitGTK for the Tauri desktop; Xvfb, the WebKit WebDriver and ImageMagick for the
# end-to-end tests in a real window and their screenshots; Noto CJK, the only source of Chinese glyphs;
# desktop-file-utils to validate the menu entry of the .deb (`make package`); LibreOffice Calc (headless), the
# independent reader the export tests open every exported workbook with; poppler (pdftotext, pdftoppm), the
# independent reader of the briefing pack.
packages=(build-essential pkg-config libssl-dev postgresql libwebkit2gtk-4.1-dev xvfb xauth x11-utils imagemagick
  webkit2gtk-driver fonts-noto-cjk desktop-file-utils libreoffice-calc-nogui poppler-utils)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "» 安装系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "» 安装 Rust 组件 $component"
    rustup component add "$component"
  fi
done

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "» 安装 tauri-driver（端到端测试用）"
  cargo install tauri-driver --locked --version '^2' --quiet
fi

# Python for the tests' independent references: the Open311 client (`georeport`, a real GeoReport v2 client) and
# the JSON Schema validator; the State Council holidays (`chinesecalendar`) and a real iCalendar parser
# (`icalendar`). In .venv so the system Python stays untouched. Versions pinned in tests/*/requirements.txt.
if ! .venv/bin/python -c "import georeport, jsonschema, referencing, chinese_calendar, icalendar" >/dev/null 2>&1; then
  echo "» 安装 Python 测试依赖（.venv：georeport、jsonschema、chinesecalendar、icalendar）"
  cd "$(dirname "$0")/.."
  rm -rf .venv
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    python3 -m venv .venv
  fi
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/open311/requirements.txt \
    -r tests/calendar/requirements.txt
fi
