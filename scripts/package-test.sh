#!/usr/bin/env bash
# Checks the .deb that `make package` built, the way a town's IT person would meet it: its control data, its
# contents, an installation with dpkg into a clean directory tree (its own dpkg database, nothing of this
# machine's), and the installed programs started from there: the CLI makes a town database, the desktop opens its
# window under Xvfb and its first screen is captured (target/package-test/window.png).
# Usage: scripts/package-test.sh [target/release/bundle/deb/*.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "错误：找不到 .deb（先运行 make package）" >&2; exit 1; }
fail() { echo "✘ $*" >&2; exit 1; }
ok() { echo "✔ $*"; }

info=$(dpkg-deb --info "$deb")
for field in "Package: chengguan-desktop" "Architecture: amd64" "Depends:.*libwebkit2gtk-4.1-0" "Section: misc"; do
  grep -Eq "^ $field" <<<"$info" || fail "控制信息缺少「$field」"
done
ok "控制信息：$(grep -E '^ (Package|Version|Architecture):' <<<"$info" | tr -s ' ' | tr '\n' ' ')"

# The paths, without tar's leading "./" (which some builders write and others do not).
contents=$(dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's|^\./||')
for path in usr/bin/chengguan-desktop usr/bin/chengguan usr/share/applications/chengguan-desktop.desktop \
  usr/share/icons/hicolor/128x128/apps/chengguan-desktop.png; do
  grep -qx "$path" <<<"$contents" || fail "包中没有 $path"
done
ok "内容：桌面程序、命令行 chengguan、桌面入口与图标"

work=$(mktemp -d)
display=""
trap 'kill $display 2>/dev/null || true; rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
# The tree has no libraries of its own: the dependencies are this machine's (checked by the control data above).
dpkg --root="$root" --force-depends --force-not-root -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i 失败"; }
dpkg --root="$root" -s chengguan-desktop | grep -q "^Status: install ok installed" || fail "dpkg 未登记为已安装"
ok "dpkg -i 安装到干净目录树 $root"

entry=$root/usr/share/applications/chengguan-desktop.desktop
grep -q "^Name=城关镇智慧治理指挥中心" "$entry" || fail "桌面入口名称不是中文：$(grep ^Name "$entry")"
grep -q "^Exec=chengguan-desktop" "$entry" || fail "桌面入口的 Exec 不对：$(grep ^Exec "$entry")"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry" || fail "桌面入口无效"; fi
ok "桌面入口：$(grep '^Name=' "$entry")；$(grep '^Comment=' "$entry")"

export HOME=$work/home XDG_DATA_HOME=$work/home/data XDG_CONFIG_HOME=$work/home/config
mkdir -p "$HOME"
"$root/usr/bin/chengguan" --version >/dev/null || fail "已安装的 chengguan 无法运行"
"$root/usr/bin/chengguan" --db "sqlite://$work/town.db" demo >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "chengguan demo 失败"; }
status=$(CHENGGUAN_USER=leader CHENGGUAN_PASSWORD=Chengguan@2026 "$root/usr/bin/chengguan" --db "sqlite://$work/town.db" status 2>&1) \
  || { echo "$status" >&2; fail "chengguan status 失败"; }
grep -q "59" <<<"$status" || { echo "$status" >&2; fail "演示城镇应有 59 个网格"; }
ok "已安装的命令行：$("$root/usr/bin/chengguan" --version)；演示城镇已建：$(grep -m1 "网格" <<<"$status" | tr -s ' ')"

Xvfb :93 -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
display=$!
sleep 1
DISPLAY=:93 RUST_LOG=startup=info "$root/usr/bin/chengguan-desktop" >"$work/desktop.log" 2>&1 &
desktop=$!
for _ in $(seq 180); do
  grep -q "ui ready" "$work/desktop.log" && break
  kill -0 $desktop 2>/dev/null || { cat "$work/desktop.log" >&2; fail "已安装的桌面程序退出了"; }
  sleep 0.5
done
grep -q "ui ready" "$work/desktop.log" || { kill $desktop; cat "$work/desktop.log" >&2; fail "桌面程序 90 秒内未显示界面"; }
mkdir -p target/package-test
sleep 1
DISPLAY=:93 import -window root target/package-test/window.png 2>/dev/null || true
kill $desktop
ok "已安装的桌面程序在 Xvfb 中显示了界面（截图 target/package-test/window.png）"
