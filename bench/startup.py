#!/usr/bin/env python3
"""Start-up time and memory of the command center against a bare Tauri window, both release builds under Xvfb.

Time: from spawning the process to the first `ui ready` log line (sent after the first screen — the sign-in, or for the bare
window, the page — has been painted: two animation frames after drawing). Memory: the summed resident set of
the process and all its descendants (WebKit's web and network processes) 5 s after ready.

Usage: bench/startup.py [RUNS]   (after `cargo build --release -p chengguan-desktop -p bare-window`)
Prints a Markdown table; docs/benchmarks.md records its output with the date and machine.
"""
import os
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPS = {
    "bare Tauri window": os.path.join(ROOT, "target/release/bare-window"),
    "command center (demo town)": os.path.join(ROOT, "target/release/chengguan-desktop"),
}
SETTLE_S = 5.0
TIMEOUT_S = 120.0


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except OSError:
                pass
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_mib(pid):
    total_kb = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def launch(binary, env):
    """Returns (seconds to ready, MiB after settling)."""
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    sel = selectors.DefaultSelector()
    sel.register(proc.stderr, selectors.EVENT_READ)
    ready = None
    try:
        while ready is None:
            if time.monotonic() - start > TIMEOUT_S:
                raise RuntimeError(f"{binary} did not report ready within {TIMEOUT_S} s")
            for _key, _ in sel.select(timeout=0.5):
                line = proc.stderr.readline()
                if "ui ready" in line:
                    ready = time.monotonic() - start
                elif line == "" and proc.poll() is not None:
                    raise RuntimeError(f"{binary} exited with {proc.returncode} before ready")
        time.sleep(SETTLE_S)
        return ready, rss_mib(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        wait_for_group_exit(proc.pid)


def wait_for_group_exit(pgid):
    """Waits until every process of the group (WebKit's helpers too) is gone, so runs do not overlap."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.killpg(pgid, signal.SIGKILL)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    display = subprocess.Popen(["Xvfb", ":77", "-screen", "0", "1600x900x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    rows = []
    try:
        for binary in APPS.values():
            if not os.path.exists(binary):
                sys.exit(f"missing {binary}: cargo build --release -p chengguan-desktop -p bare-window")
        with tempfile.TemporaryDirectory() as home:
            envs = {}
            for i, name in enumerate(APPS):
                envs[name] = dict(os.environ, DISPLAY=":77", RUST_LOG="startup=info",
                                  XDG_DATA_HOME=f"{home}/{i}/data", XDG_CONFIG_HOME=f"{home}/{i}/config",
                                  WEBKIT_DISABLE_DMABUF_RENDERER="1")
                envs[name].pop("CHENGGUAN_DB", None)
            # The command center creates its database and the demo town on its first start.
            firsts = {name: launch(binary, envs[name]) for name, binary in APPS.items()}
            # Runs alternate between the apps, so that the machine's drift affects both alike.
            samples = {name: [] for name in APPS}
            for _ in range(runs):
                for name, binary in APPS.items():
                    samples[name].append(launch(binary, envs[name]))
        for name in APPS:
            times = [s[0] for s in samples[name]]
            mems = [s[1] for s in samples[name]]
            rows.append((name, firsts[name][0], statistics.median(times), min(times), max(times),
                         statistics.median(mems)))
    finally:
        display.terminate()
    print(f"| app | first start (s) | ready, median of {runs} (s) | min–max (s) | memory, median (MiB) |")
    print("|---|---|---|---|---|")
    for name, first, med, lo, hi, mem in rows:
        print(f"| {name} | {first:.2f} | {med:.2f} | {lo:.2f}–{hi:.2f} | {mem:.0f} |")
    (bare, app) = rows
    print()
    print(f"ratio command center / bare: time {app[2] / bare[2]:.2f}×, memory {app[5] / bare[5]:.2f}×")


if __name__ == "__main__":
    main()
