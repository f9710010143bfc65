"""Site indicators: time for every column of docs/indicators.md (issue 4).

Targets: 50 sites over 200 000 start-ups ≤ 50 ms warm in-process; one dragged site
over 200 000 start-ups ≤ 16 ms per update; 1 000 000 start-ups: time and memory.

"Warm" = the layers are indexed once (:class:`IndicatorEngine`, as the app keeps
it while sites move) and :meth:`compute` is timed; "cold" includes indexing. Peer in
the same run: the naive per-site geopandas loop (``distance <= R`` over the whole
layer for every site), and QGIS ``native:countpointsinpolygon`` when QGIS is installed.
Sites lie inside the three districts, where the start-ups are dense: the realistic
and the hard case. Run: ``.venv/bin/python bench/bench_indicators.py``.

QGIS peer (only when ``/usr/bin/python3 -c "import qgis.core"`` works; PyQGIS cannot be
imported in the venv): the 200 000 start-ups and the 50 mixed sites' catchment polygons
(``buffer(site, R)`` with 256 segments per circle: for QGIS only, InnoAtlas never
buffers for membership) go to a temporary GeoPackage; a PyQGIS script in a subprocess
loads both layers, runs ``native:countpointsinpolygon`` once to warm up, then times it
in-process (output to ``memory:``) and prints the median. Its counts are checked against
InnoAtlas' ``startups_n`` (equal up to buffer discretisation at the circle) and against
shapely's count over the same polygons (must be equal).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from app.core.analysis.point_patterns import hot_spots, kernel_density
from app.core.indicators import catchment
from app.core.indicators.engine import IndicatorEngine, compute_indicators, to_working_crs
from app.core.paths import DEFAULT_PROJECT
from layers.themes.synthetic import generate_startups

RADIUS = 800.0
QGIS_PYTHON = "/usr/bin/python3"  # the system interpreter with PyQGIS (Debian python3-qgis)
QGIS_QUAD_SEGS = 64  # segments per quarter circle of the QGIS catchment polygons (256/circle)
QGIS_REPEATS = 7


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
    return gpd.GeoDataFrame(
        {"name": [f"site {i}" for i in range(n)], "lot_area_m2": np.full(n, 5000.0)},
        geometry=list(geoms),
        crs=districts.crs,
    )


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


QGIS_SCRIPT = textwrap.dedent("""
    import json, statistics, sys, time
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import (Qgis, QgsApplication, QgsFeatureRequest, QgsProcessingContext,
                           QgsProcessingFeedback, QgsVectorLayer)
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    from qgis.analysis import QgsNativeAlgorithms
    Processing.initialize()
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("native:countpointsinpolygon") is None:
        registry.addProvider(QgsNativeAlgorithms())
    import processing

    gpkg, repeats = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    points = QgsVectorLayer(gpkg + "|layername=startups", "startups", "ogr")
    polygons = QgsVectorLayer(gpkg + "|layername=catchments", "catchments", "ogr")
    assert points.isValid() and polygons.isValid(), "layers did not load"
    load_ms = (time.perf_counter() - start) * 1000

    def count(points):
        params = {"POLYGONS": polygons, "POINTS": points, "FIELD": "NUMPOINTS",
                  "OUTPUT": "memory:"}
        context, feedback = QgsProcessingContext(), QgsProcessingFeedback()
        start = time.perf_counter()
        result = processing.run("native:countpointsinpolygon", params,
                                context=context, feedback=feedback)
        elapsed = (time.perf_counter() - start) * 1000
        layer = result["OUTPUT"]
        if isinstance(layer, str):
            layer = context.getMapLayer(layer)
        return elapsed, {int(f["site"]): int(f["NUMPOINTS"]) for f in layer.getFeatures()}

    def timed(points):
        count(points)  # warm-up
        runs = [count(points) for _ in range(repeats)]
        times = [t for t, _ in runs]
        return {"median_ms": statistics.median(times), "max_ms": max(times),
                "counts": runs[-1][1]}

    report = {"version": Qgis.QGIS_VERSION, "load_ms": load_ms,
              "n_points": points.featureCount(), "gpkg": timed(points)}
    # the same points copied into a memory layer with a spatial index (QGIS' fastest source)
    memory = points.materialize(QgsFeatureRequest())
    memory.dataProvider().createSpatialIndex()
    report["memory"] = timed(memory)
    print(json.dumps(report), flush=True)
    del memory, points, polygons
    app.exitQgis()
""")


def qgis_available() -> bool:
    """True if the system interpreter imports PyQGIS."""
    try:
        return (
            subprocess.run(
                [QGIS_PYTHON, "-c", "import qgis.core"],
                capture_output=True,
                timeout=60,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def qgis_count(sites: gpd.GeoDataFrame, startups: gpd.GeoDataFrame) -> dict | None:
    """``native:countpointsinpolygon`` over ``buffer(site, R)``, timed in a PyQGIS process.

    Returns the script's report: for the points read from the GeoPackage (``gpkg``) and
    copied into an indexed memory layer (``memory``), median/max ms and per-site counts
    in site order; layer load ms, QGIS version, and shapely's counts over the same
    polygons. None without QGIS.
    """
    if not qgis_available():
        return None
    sites = to_working_crs(sites)
    startups = to_working_crs(startups)
    polygons = shapely.buffer(
        np.asarray(sites.geometry.values, dtype=object), RADIUS, quad_segs=QGIS_QUAD_SEGS
    )
    catchments = gpd.GeoDataFrame(
        {"site": np.arange(len(sites), dtype=np.int32)}, geometry=list(polygons), crs=sites.crs
    )
    points = gpd.GeoDataFrame(
        {"id": np.arange(len(startups), dtype=np.int32)},
        geometry=startups.geometry.values,
        crs=startups.crs,
    )
    x, y = shapely.get_coordinates(points.geometry.values).T
    shapely.prepare(polygons)
    in_buffer = np.array([int(shapely.contains_xy(p, x, y).sum()) for p in polygons])
    with tempfile.TemporaryDirectory(prefix="innoatlas-bench-") as tmp:
        gpkg = str(Path(tmp) / "qgis_bench.gpkg")
        # GeoPackage 1.2: the GDAL of QGIS 3.22 only partly supports the default 1.4
        pyogrio.write_dataframe(points, gpkg, layer="startups", dataset_options={"VERSION": "1.2"})
        pyogrio.write_dataframe(catchments, gpkg, layer="catchments")
        done = subprocess.run(
            [QGIS_PYTHON, "-c", QGIS_SCRIPT, gpkg, str(QGIS_REPEATS)],
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    if done.returncode != 0:
        raise RuntimeError(f"PyQGIS script failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for source in ("gpkg", "memory"):
        counts = report[source]["counts"]
        report[source]["counts"] = np.array(
            [counts[str(i)] for i in range(len(sites))], dtype=np.int64
        )
    report["shapely_counts"] = in_buffer
    return report


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

    districts, stations, education, zoning = (
        read(name) for name in ("districts", "stations", "education", "zoning")
    )
    startups = generate_startups(200_000, districts, stations, education)
    print(
        "InnoAtlas site indicators — every docs/indicators.md column, R = 800 m, "
        "sites inside the districts"
    )

    start = time.perf_counter()
    engine = IndicatorEngine(startups, education, stations, zoning)
    build_ms = (time.perf_counter() - start) * 1000
    print(f"  index 200 000 start-ups + layers (once per layer version): {build_ms:7.1f} ms")

    for kind in ("mixed", "points", "polygons"):
        sites = make_sites(districts, 50, kind)
        engine.compute(sites, RADIUS)  # warm-up
        pairs = int(engine.compute(sites, RADIUS)["startups_n"].sum())
        warm, worst = median_ms(lambda sites=sites: engine.compute(sites, RADIUS))
        print(
            f"  50 {kind:8s} sites over 200 000, warm: median {warm:6.1f} ms "
            f"(max {worst:6.1f})  [{pairs:,} site–start-up pairs]  target ≤ 50 ms"
        )

    sites = make_sites(districts, 50, "mixed")
    start = time.perf_counter()
    compute_indicators(sites, startups, education, stations, zoning, RADIUS)
    cold = (time.perf_counter() - start) * 1000
    warm, _ = median_ms(lambda: engine.compute(sites, RADIUS))
    naive = naive_loop(sites, startups, education, stations)
    print(f"  50 mixed sites, cold (indexing included): {cold:7.1f} ms")
    print(
        f"  naive per-site geopandas loop (counts, sectors, employees, access only): "
        f"{naive:7.1f} ms  → engine warm is {naive / warm:5.1f}× faster, "
        f"cold {naive / cold:5.1f}×"
    )
    geoms = np.asarray(to_working_crs(sites).geometry.values, dtype=object)
    layer = engine.startups.layer
    count_only, _ = median_ms(
        lambda: catchment.catchment_counts(
            catchment.catchment_pairs(geoms, RADIUS, layer), len(geoms)
        )
    )
    print(
        f"  50 mixed sites, warm: all columns {warm:6.1f} ms, start-up count only "
        f"(catchment_pairs + catchment_counts) {count_only:6.1f} ms"
    )
    qgis = qgis_count(sites, startups)
    if qgis is None:
        print("  QGIS native:countpointsinpolygon: skipped (no PyQGIS for /usr/bin/python3)")
    else:
        ours = engine.compute(sites, RADIUS)["startups_n"].to_numpy(dtype=np.int64)
        point = shapely.get_type_id(geoms) == 0
        print(
            f"  QGIS {qgis['version']} native:countpointsinpolygon, same 50 mixed sites over "
            f"{qgis['n_points']:,} start-ups, catchments = buffer(site, R) with "
            f"{4 * QGIS_QUAD_SEGS} segments, in-process, warm, {QGIS_REPEATS} runs "
            f"(layer load {qgis['load_ms']:.0f} ms not included):"
        )
        for source, label in (
            ("gpkg", "points from the GeoPackage"),
            ("memory", "points in an indexed memory layer"),
        ):
            run = qgis[source]
            differ = run["counts"] != ours
            print(
                f"    {label:34s} median {run['median_ms']:7.1f} ms (max "
                f"{run['max_ms']:7.1f})  → InnoAtlas all columns "
                f"{run['median_ms'] / warm:5.1f}× faster, count only "
                f"{run['median_ms'] / count_only:5.1f}× faster"
            )
            print(
                f"      counts vs InnoAtlas startups_n: {int(differ[point].sum())} of "
                f"{int(point.sum())} point sites, {int(differ[~point].sum())} of "
                f"{int((~point).sum())} square sites differ (sum |diff| "
                f"{int(np.abs(run['counts'] - ours).sum())} of {int(ours.sum()):,}, "
                f"{'QGIS never higher' if (run['counts'] <= ours).all() else 'QGIS higher'}: "
                f"points between polygon and circle); "
                f"vs shapely over the same polygons: "
                f"{int((run['counts'] != qgis['shapely_counts']).sum())} sites differ"
            )
    # Coverage areas (issue 12): every layer limited to one area
    # (the union of the three districts), as after imports of district-only files.
    area = shapely.union_all(np.asarray(districts.geometry.values, dtype=object))
    limited = IndicatorEngine(
        startups,
        education,
        stations,
        zoning,
        coverage={f: area for f in ("startups", "education", "stations", "zoning")},
    )
    limited.compute(sites, RADIUS)  # warm-up
    with_coverage, _ = median_ms(lambda: limited.compute(sites, RADIUS))
    print(
        f"  50 mixed sites, warm, every layer limited to a coverage area (the three "
        f"districts): {with_coverage:6.1f} ms vs {warm:6.1f} ms whole-map "
        f"(× {with_coverage / warm:4.2f})"
    )
    for kind in ("points", "polygons"):
        median, worst = drag(engine, districts, kind)
        print(
            f"  one dragged {kind[:-1]:7s} site over 200 000: median {median:5.1f} ms "
            f"per update (max {worst:5.1f})  target ≤ 16 ms"
        )

    x, y = shapely.get_coordinates(startups.geometry.values).T
    density, _ = median_ms(lambda: kernel_density(x, y, RADIUS, cell=50), repeats=3)
    spots, _ = median_ms(lambda: hot_spots(x, y, cell=250), repeats=3)
    print(
        f"  map layers over 200 000: kernel density (50 m grid, h = 800 m) {density:6.1f} ms, "
        f"Gi* hot spots (250 m cells) {spots:6.1f} ms"
    )

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
    print(
        f"  1 000 000 start-ups: index {build_ms:7.1f} ms (peak +{build_peak / 2**20:5.0f} MiB "
        f"traced), 50 mixed sites {warm:7.1f} ms (peak +{compute_peak / 2**20:5.0f} MiB "
        f"traced); process max RSS {maxrss:5.0f} MiB"
    )


if __name__ == "__main__":
    main()
