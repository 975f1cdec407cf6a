#!/usr/bin/env python3
"""Issue 6 figures, side by side in one run (results go to docs/benchmarks.md by hand):

- heat raster: 1,000,000 points -> 1024x1024, bandwidth 150 m: chengguan-core (crates/core/examples/analysis_bench.rs)
  against NumPy histogram2d + SciPy ndimage.gaussian_filter (truncate 4, zeros outside) producing the same raster;
  the largest difference relative to the peak is printed;
- grid assignment: 1,000,000 points over the demo town's 59 grids: chengguan-core's GridIndex against Shapely 2
  STRtree.query(points, predicate="within");
- how the heat raster's time grows with points (10k..10M) and raster size.

Both sides time only the computation (files are read before the clock starts). Points are clustered like the
demo town's petitions. Usage: bench/analysis_compare.py [--quick]
"""

import json
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY = ROOT / ".venv/bin/python"


def ensure_references():
    try:
        import numpy, scipy, shapely  # noqa: F401
    except ImportError:
        if pathlib.Path(sys.executable).resolve() != PY.resolve():
            subprocess.run([str(PY), "-m", "pip", "install", "-q", "-r", str(ROOT / "bench/requirements.txt")], check=True)
            sys.exit(subprocess.run([str(PY), *sys.argv]).returncode)
        raise


ensure_references()
import numpy as np  # noqa: E402
from scipy import ndimage  # noqa: E402
import shapely  # noqa: E402

BBOX = (99.7996, 39.3653, 99.8307, 39.3866)  # the demo town with a margin (W, S, E, N)
BIN = ROOT / "target/release/examples/analysis_bench"


def points(n, seed=7):
    rng = np.random.default_rng(seed)
    w, s, e, nn = BBOX
    centres = np.array([[99.810, 39.374], [99.818, 39.379], [99.822, 39.370], [99.806, 39.382]])
    k = rng.integers(0, len(centres) + 1, n)
    lon = rng.uniform(w, e, n)
    lat = rng.uniform(s, nn, n)
    near = k < len(centres)
    lon[near] = centres[k[near], 0] + rng.normal(0, 0.0015, near.sum())
    lat[near] = centres[k[near], 1] + rng.normal(0, 0.0012, near.sum())
    keep = (lon > w) & (lon < e) & (lat > s) & (lat < nn)
    return lon[keep], lat[keep]


def cell_metres(width, height):
    # The same local frame as chengguan-core (WGS-84 radii of curvature at the box's centre).
    w, s, e, n = BBOX
    lat = np.radians((s + n) / 2)
    a, e2 = 6378137.0, 0.00669437999014
    q = 1 - e2 * np.sin(lat) ** 2
    m = a * (1 - e2) / q**1.5
    nrad = a / np.sqrt(q)
    return (e - w) * nrad * np.cos(lat) * np.pi / 180 / width, (n - s) * m * np.pi / 180 / height


def rust(args):
    out = subprocess.run([str(BIN), *args], check=True, capture_output=True, text=True).stdout
    return float(out.split("seconds=")[1].split()[0])


def heat(lon, lat, size, bandwidth, tmp, repeat=3):
    pts = tmp / "points.bin"
    np.column_stack([lon, lat]).astype("<f8").tofile(pts)
    out = tmp / "raster.bin"
    w, s, e, n = BBOX
    ours = min(rust(["heat", str(pts), str(out), *map(str, (w, s, e, n, size, size, bandwidth))]) for _ in range(repeat))
    raster = np.fromfile(out, dtype="<f8").reshape(size, size)
    cw, ch = cell_metres(size, size)
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        hist, _, _ = np.histogram2d(lat, lon, bins=[size, size], range=[[s, n], [w, e]])
        ref = ndimage.gaussian_filter(np.flipud(hist), sigma=(bandwidth / ch, bandwidth / cw), mode="constant", truncate=4.0)
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    diff = np.abs(raster - ref).max() / ref.max()
    return ours, best, diff


def assign(lon, lat, tmp, repeat=3):
    pts = tmp / "points.bin"
    np.column_stack([lon, lat]).astype("<f8").tofile(pts)
    out, grids_json = tmp / "codes.bin", tmp / "grids.json"
    ours = min(rust(["assign", str(pts), str(out), str(grids_json)]) for _ in range(repeat))
    codes = np.fromfile(out, dtype="<i4")
    polygons = [shapely.Polygon(rings[0]) for rings in json.loads(grids_json.read_text())]
    tree = shapely.STRtree(polygons)
    geoms = shapely.points(lon, lat)
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        pairs = tree.query(geoms, predicate="within")
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    theirs = np.full(len(lon), -1)
    theirs[pairs[0]] = pairs[1]
    agree = (theirs == codes).mean()
    return ours, best, agree


def main():
    quick = "--quick" in sys.argv
    subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "chengguan-core", "--example", "analysis_bench"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        lon, lat = points(1_000_000)
        ours, ref, diff = heat(lon, lat, 1024, 150.0, tmp)
        print(f"heat 1M points 1024x1024 150 m: chengguan-core {ours:.3f} s | NumPy+SciPy {ref:.3f} s | {ref / ours:.1f}x | max difference {diff * 100:.3f} % of peak")
        ours, ref, agree = assign(lon, lat, tmp)
        print(f"grid assignment 1M points, 59 grids: chengguan-core {ours:.3f} s | Shapely 2 STRtree within {ref:.3f} s | {ref / ours:.1f}x | same grid for {agree * 100:.3f} % of points")
        print("heat scaling (1024x1024, 150 m): points -> chengguan-core s / NumPy+SciPy s")
        for n in [10_000, 100_000, 1_000_000] + ([] if quick else [10_000_000]):
            lo, la = points(n, seed=n)
            ours, ref, _ = heat(lo, la, 1024, 150.0, tmp, repeat=1 if n >= 10_000_000 else 3)
            print(f"  {n:>10,} points: {ours:.3f} / {ref:.3f}")
        print("heat scaling (1M points, 150 m): raster -> chengguan-core s / NumPy+SciPy s")
        for size in [256, 512, 1024, 2048]:
            ours, ref, _ = heat(lon, lat, size, 150.0, tmp)
            print(f"  {size}x{size}: {ours:.3f} / {ref:.3f}")


if __name__ == "__main__":
    main()
