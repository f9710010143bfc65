"""Bounded memory at scale (issue 15): every indicator of many sites over many start-ups.

Two cases, each run once in a fresh child process (its peak RSS from ``wait4``), the
points drawn near the embedded project's start-ups (Seoul's three districts):

* ``5M x 500``: 5 000 000 synthetic start-ups (sector, employees) around Seoul's three
  innovation districts, 500 point sites among them (R = 800 m), with the embedded
  project's education, station and zoning layers;
* ``1M sites``: 1 000 000 point sites over the embedded project's default layers
  (start-ups, education, stations, zoning).

The time is the engine's build (indexing the layers) plus :meth:`compute`, in-process;
making the synthetic layers is not timed but is in the peak RSS, which is therefore
"the layers + the working set". The layers alone are reported too (RSS after making
them, before the engine). ``--baseline /work/main`` runs the same child with another
checkout's code (before/after in one run; main materialised every pair at once).

Run: ``/work/main/.venv/bin/python bench/bench_scale.py [--case 5Mx500 1Msites]
[--sites 50 500 ...] [--baseline /work/main]``; each line gives wall and CPU time and the
load average before and after the child.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import resource, sys, time
    import geopandas as gpd, numpy as np, pyogrio, shapely
    from app.core.indicators.engine import IndicatorEngine
    from app.core.paths import DEFAULT_PROJECT

    case, n_sites = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(7)

    def read(layer):
        return pyogrio.read_dataframe(DEFAULT_PROJECT, layer=layer)

    known = shapely.get_coordinates(read("startups").geometry.values)

    def around(n, spread):  # near the embedded project's start-ups (the districts)
        return known[rng.integers(0, len(known), n)] + rng.normal(0, spread, (n, 2))

    education, stations, zoning = read("education"), read("stations"), read("zoning")
    if case == "5Mx500":
        n = 5_000_000
        startups = gpd.GeoDataFrame(
            {"sector": rng.choice(["AI", "바이오·헬스케어", "핀테크", "모빌리티", "콘텐츠"], n),
             "employees": rng.integers(1, 60, n).astype(float)},
            geometry=shapely.points(around(n, 300.0)), crs="EPSG:5186")
        sites = gpd.GeoDataFrame(geometry=shapely.points(around(500, 200.0)), crs="EPSG:5186")
    else:
        startups = read("startups")
        sites = gpd.GeoDataFrame(
            geometry=shapely.points(around(n_sites, 200.0)), crs="EPSG:5186")
    layers_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, cpu = time.perf_counter(), time.process_time()
    engine = IndicatorEngine(startups, education, stations, zoning)
    built = time.perf_counter() - t
    frame = engine.compute(sites, 800.0)
    total, cpu = time.perf_counter() - t, time.process_time() - cpu
    pairs = int(frame["startups_n"].sum())
    print(f"{len(startups)} {len(sites)} {pairs} {built:.2f} {total:.2f} {layers_mib:.0f} {cpu:.2f}")
    """
)
TARGETS = {"5Mx500": (15.0, 2.5 * 1024), "1Msites": (10.0, 2.0 * 1024)}


def run(case: str, code: Path, sites: int) -> str:
    """One child: its printed figures and the peak RSS (MiB) of the whole process."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    load = os.getloadavg()[0]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, case, str(sites)],
        env=env,
        cwd=code,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    t = time.perf_counter()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    out = child.stdout.read() if child.stdout else ""
    err = child.stderr.read() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        return f"failed after {wall:.0f} s, peak {usage.ru_maxrss / 1024:.0f} MiB: {err[-300:]}"
    points, n_sites, pairs, built, total, layers, cpu = out.split()
    return (
        f"{int(points):>9,} start-ups x {int(n_sites):>9,} sites ({int(pairs):,} pairs): "
        f"build + compute {float(total):6.2f} s (build {float(built):.2f} s), CPU {float(cpu):6.2f} s, "
        f"peak RSS {usage.ru_maxrss / 1024:6.0f} MiB (layers alone {float(layers):.0f} MiB), "
        f"load {load:.1f}-{os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", nargs="+", choices=sorted(TARGETS), default=sorted(TARGETS))
    parser.add_argument("--baseline", type=Path, help="another checkout, e.g. /work/main")
    parser.add_argument(
        "--sites",
        type=int,
        nargs="+",
        default=[1_000_000],
        help="1Msites: the numbers of point sites (a curve, e.g. 50 500 5000 100000 1000000)",
    )
    args = parser.parse_args()
    for case in args.case:
        seconds, mib = TARGETS[case]
        print(f"{case} (target <= {seconds:.0f} s, <= {mib:.0f} MiB)", flush=True)
        for sites in args.sites if case == "1Msites" else [0]:
            print(f"  ours:     {run(case, ROOT, sites)}", flush=True)
            if args.baseline:  # the same case with the other code, right after (same load)
                print(f"  baseline: {run(case, args.baseline, sites)}", flush=True)


if __name__ == "__main__":
    main()
