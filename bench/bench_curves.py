"""Time and memory of every indicator against start-ups and sites (issue 15's curves).

Each cell of the grid (start-ups x point sites, R = 800 m) runs once in a fresh child
process: synthetic start-ups (sector, employees) and sites drawn near the embedded
project's start-ups (Seoul's three districts), with the project's education, station and
zoning layers. The time is the engine's build (indexing) plus :meth:`compute`; the peak
RSS (``wait4``) includes making the layers, and "layers" is the RSS before the engine,
so the difference is the working set. The peak is read when our indicators are done,
before the peer runs.

The peer in the same run is a plain shapely 2 count: ``STRtree.query(points,
"dwithin", R)`` per site chunk and ``np.bincount`` (the count indicator alone, no other
layer), in the same child after ours, so that the curve of the whole set of indicators
can be read against the curve of the single cheapest one. The peer is left out (—) above
30 million pairs, where it takes minutes.

Run: ``.venv/bin/python bench/bench_curves.py [--points 200000 1000000 5000000]
[--sites 50 500 5000]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import resource, sys, time
    import geopandas as gpd, numpy as np, pyogrio, shapely
    from app.core.indicators.engine import IndicatorEngine
    from app.core.paths import DEFAULT_PROJECT

    n, m = int(sys.argv[1]), int(sys.argv[2])
    rng = np.random.default_rng(7)

    def read(layer):
        return pyogrio.read_dataframe(DEFAULT_PROJECT, layer=layer)

    known = shapely.get_coordinates(read("startups").geometry.values)

    def around(count, spread):
        return known[rng.integers(0, len(known), count)] + rng.normal(0, spread, (count, 2))

    education, stations, zoning = read("education"), read("stations"), read("zoning")
    xy = around(n, 300.0)
    startups = gpd.GeoDataFrame(
        {"sector": rng.choice(["AI", "바이오·헬스케어", "핀테크", "모빌리티", "콘텐츠"], n),
         "employees": rng.integers(1, 60, n).astype(float)},
        geometry=shapely.points(xy), crs="EPSG:5186")
    sites = gpd.GeoDataFrame(geometry=shapely.points(around(m, 200.0)), crs="EPSG:5186")
    layers = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    engine = IndicatorEngine(startups, education, stations, zoning)
    frame = engine.compute(sites, 800.0)
    ours = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the peer
    pairs = int(frame["startups_n"].sum())
    if pairs > 30_000_000:  # the peer would take minutes: left out
        print(f"{ours:.2f} nan {layers:.0f} {pairs} {peak:.0f}")
        sys.exit(0)
    t = time.perf_counter()
    tree = shapely.STRtree(startups.geometry.values)
    counts = np.zeros(m, dtype=np.int64)
    step = max(1, 20_000_000 // (pairs // m + 1))
    for start in range(0, m, step):
        hit = tree.query(sites.geometry.values[start:start + step], "dwithin", 800.0)
        counts[start:start + step] = np.bincount(hit[0], minlength=min(step, m - start))
    peer = time.perf_counter() - t
    assert (counts == frame["startups_n"].to_numpy()).all(), "counts differ from the peer"
    print(f"{ours:.2f} {peer:.2f} {layers:.0f} {pairs} {peak:.0f}")
    """
)


def run(n: int, m: int) -> str:
    """One child: a table row with our time, the peer's, and the memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(n), str(m)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, _ = os.wait4(child.pid, 0)
    out = child.stdout.read() if child.stdout else ""
    err = child.stderr.read() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        return f"| {n:,} | {m:,} | failed ({err.strip().splitlines()[-1:]}) | | | | |"
    ours, peer, layers, pairs, peak = out.split()
    peer = "—" if peer == "nan" else f"{float(peer):.2f} s"
    return (
        f"| {n:,} | {m:,} | {int(pairs):,} | {float(ours):.2f} s | {peer} "
        f"| {float(peak):,.0f} MiB | {float(layers):,.0f} MiB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="+", default=[200_000, 1_000_000, 5_000_000])
    parser.add_argument("--sites", type=int, nargs="+", default=[50, 500, 5_000])
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f}; R = 800 m; one fresh process per row", flush=True)
    print(
        "| start-ups | sites | pairs | all indicators | shapely count alone | peak RSS | layers |"
    )
    print("|---|---|---|---|---|---|---|", flush=True)
    for n in args.points:
        for m in args.sites:
            print(run(n, m), flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
