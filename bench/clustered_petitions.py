#!/usr/bin/env python3
"""An analysts' CSV (lon,lat,reported_at,category,status) of N petitions over the demo town, clustered around a few
spots with a wide background, spread over 2026, one in fifty still open — as bench/programs/src/petitions_bench.rs
makes for its `layers` mode. Usage: clustered_petitions.py N > file.csv"""

import datetime
import math
import random
import sys

SPOTS = [(99.8150, 39.3800), (99.8230, 39.3720), (99.8080, 39.3690), (99.8190, 39.3650), (99.8110, 39.3760)]
CATEGORIES = ["sanitation", "safety_hazard", "dispute", "property", "infrastructure"]


def main():
    rows = int(sys.argv[1])
    rng = random.Random(20261130)
    out = sys.stdout
    out.write("lon,lat,reported_at,category,status\n")
    start = datetime.date(2026, 1, 1)
    for n in range(rows):
        if n % 3 == 0:
            lon, lat = 99.800 + rng.random() * 0.030, 39.360 + rng.random() * 0.026
        else:
            x, y = SPOTS[n % len(SPOTS)]
            r = math.sqrt(-2.0 * math.log(1.0 - rng.random())) * 0.0025
            t = 2 * math.pi * rng.random()
            lon, lat = x + r * math.cos(t), y + r * math.sin(t) * 0.78
        day = start + datetime.timedelta(days=n % 330)
        status = "待受理" if n % 50 == 0 else "已办结"
        out.write(f"{lon:.6f},{lat:.6f},{day}T{8 + n % 10:02d}:{n % 60:02d}:00+08:00,{CATEGORIES[n % 5]},{status}\n")


if __name__ == "__main__":
    main()
