"""Walking catchments: indicators, drag update, MCLP coverage, against networkx and QGIS.

Issue 18. A synthetic street network of about 20 000 edges (a 100 × 100 grid with 60 m
blocks, jittered nodes, a "railway" crossed at grade by one street in ten, some diagonal
cuts) and 200 000 start-ups spread over it:

1. **indicators**: every indicator for 50 sites with walking catchments (R = 800 m)
   (:func:`app.core.network.catchment.walking_indicators`, engine and joins built
   once; timed: the compute call) against **networkx**: one
   ``single_source_dijkstra_path_length`` per site with ``cutoff`` on the same graph
   (the per-site searches alone, before any start-up is counted).
2. **drag update**: one site moved 40 times; each update recomputes its indicators
   (walking) and its isochrone (the GUI's work per mouse move); median and p95.
3. **MCLP coverage matrix**: walking pairs for 1 000 candidates over the start-ups
   (:func:`app.core.network.coverage.walking_pairs`) against networkx per candidate.
4. **QGIS** ``native:serviceareafrompoint`` (qgis_process, where installed) for one
   site's reach on the same network (a GeoPackage), against our one-site search plus
   isochrone (qgis_process's start-up time is reported separately: ``--help`` run).

Run: ``.venv/bin/python bench/bench_network.py [--startups 200000] [--sites 50]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geopandas as gpd
import numpy as np
import shapely

from app.core.indicators.engine import IndicatorEngine
from app.core.network.catchment import WalkingDistances, add_reach_ratio
from app.core.network.coverage import walking_pairs
from app.core.network.isochrone import isochrones
from app.core.network.topology import build_network
from layers.model import WORKING_CRS

X0, Y0 = 188_000.0, 538_000.0
SPACING = 60.0
N = 100


def street_lines(rng):
    """About 20 000 edges: a jittered grid, a railway cut, a few diagonal avenues."""
    jitter = rng.normal(0, 6, (N, N, 2))
    gx, gy = np.meshgrid(np.arange(N) * SPACING, np.arange(N) * SPACING, indexing="ij")
    xy = np.stack([X0 + gx, Y0 + gy], axis=-1) + jitter
    lines = []
    for i in range(N):  # one polyline per grid row and column
        lines.append(shapely.LineString(xy[i, :, :]))
        row = xy[:, i, :]
        if i == N // 2:  # the railway: this row is crossed at grade only every 10th column
            pass
        lines.append(shapely.LineString(row))
    lines = np.array(lines, dtype=object)
    separated = np.zeros(len(lines), bool)
    # the railway: a grade-separated line through the middle, nothing meets it
    rail = shapely.LineString(
        [(X0 - 10, Y0 + 49.5 * SPACING), (X0 + N * SPACING, Y0 + 49.5 * SPACING)]
    )
    # cut the columns at the railway except every 10th (the level crossings)
    cut = []
    for i in range(N):
        col = lines[2 * i]
        if i % 10:
            box_s = shapely.box(X0 - 100, Y0 - 100, X0 + N * SPACING + 100, Y0 + 49.3 * SPACING)
            box_n = shapely.box(
                X0 - 100, Y0 + 49.7 * SPACING, X0 + N * SPACING + 100, Y0 + N * SPACING + 100
            )
            cut += [col.intersection(box_s), col.intersection(box_n)]
        else:
            cut.append(col)
    lines = np.array(list(lines[1::2]) + cut + [rail], dtype=object)
    separated = np.zeros(len(lines), bool)
    separated[-1] = True
    return lines, separated


def to_networkx(net):
    import networkx as nx

    g = nx.Graph()
    keep = net.edge_u != net.edge_v
    for u, v, w in zip(net.edge_u[keep], net.edge_v[keep], net.edge_length[keep]):
        if not g.has_edge(u, v) or g[u][v]["weight"] > w:
            g.add_edge(int(u), int(v), weight=float(w))
    return g


def networkx_reach(g, net, sites_xy, radius):
    """Per site: nearest node, single-source Dijkstra with cutoff (the peer's search)."""
    tree = shapely.STRtree(shapely.points(net.node_xy))
    nodes = tree.query_nearest(shapely.points(sites_xy))[1]
    import networkx as nx

    return [nx.single_source_dijkstra_path_length(g, int(n), cutoff=radius) for n in nodes]


def timed(fn, repeat=1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--startups", type=int, default=200_000)
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--candidates", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(18)
    lines, separated = street_lines(rng)
    t_build, net = timed(lambda: build_network(lines, separated))
    print(
        f"network: {net.n_edges} edges, {net.n_nodes} nodes, built in {t_build:.2f} s "
        f"({net.islands.count} islands)"
    )
    size = N * SPACING
    pts = shapely.points(
        X0 + rng.uniform(0, size, args.startups), Y0 + rng.uniform(0, size, args.startups)
    )
    startups = gpd.GeoDataFrame(
        {
            "sector": rng.choice(["ICT", "AI", "bio", "fintech", "mobility"], args.startups),
            "employees": rng.integers(1, 50, args.startups),
        },
        geometry=pts,
        crs=WORKING_CRS,
    )
    sites_xy = np.column_stack(
        [
            X0 + rng.uniform(500, size - 500, args.sites),
            Y0 + rng.uniform(500, size - 500, args.sites),
        ]
    )
    sites = gpd.GeoDataFrame(geometry=shapely.points(sites_xy), crs=WORKING_CRS)
    stations = gpd.GeoDataFrame(
        geometry=shapely.points(X0 + rng.uniform(0, size, 40), Y0 + rng.uniform(0, size, 40)),
        crs=WORKING_CRS,
    )

    distances = WalkingDistances(net, "bench grid")
    t_engine, engine = timed(
        lambda: IndicatorEngine(startups, None, stations, None, distances=distances)
    )
    print(f"engine with walking joins (200 000 start-ups joined once): {t_engine:.2f} s")
    t_ind, frame = timed(
        lambda: add_reach_ratio(engine.compute(sites, 800.0), sites, distances, 800.0), repeat=2
    )
    print(
        f"1. indicators, {args.sites} sites, walking R = 800 m: {t_ind * 1000:.0f} ms "
        f"(mean reach ratio {np.nanmean(frame['reach_ratio']):.2f})"
    )
    g = to_networkx(net)
    t_nx, _ = timed(lambda: networkx_reach(g, net, sites_xy, 800.0))
    print(
        f"   networkx, {args.sites} single-source searches with cutoff (no counting): "
        f"{t_nx * 1000:.0f} ms -> ours is {t_nx / t_ind:.1f}× faster"
    )

    # 2. drag
    times = []
    one = sites.iloc[[0]].copy()
    x, y = sites_xy[0]
    for step in range(40):
        geom = shapely.Point(x + 8 * step, y + 5 * step)
        one = gpd.GeoDataFrame(geometry=[geom], crs=WORKING_CRS)
        t = time.perf_counter()
        engine.compute(one, 800.0)
        isochrones(net, np.array([geom], dtype=object), [800.0])
        times.append(time.perf_counter() - t)
    med, p95 = statistics.median(times), float(np.percentile(times, 95))
    print(
        f"2. drag update (indicators + isochrone, one site): median {med * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms (target <= 100 ms)"
    )
    t_nx1, _ = timed(lambda: networkx_reach(g, net, sites_xy[:1], 800.0), repeat=3)
    print(
        f"   networkx single-source search alone: {t_nx1 * 1000:.1f} ms -> "
        f"{t_nx1 / med:.2f}× our whole update"
    )

    # 3. MCLP coverage matrix
    cand = shapely.points(
        X0 + rng.uniform(0, size, args.candidates), Y0 + rng.uniform(0, size, args.candidates)
    )
    demand = np.asarray(pts, dtype=object)
    pairs_fn = walking_pairs(net)
    t_cov, pairs = timed(lambda: pairs_fn(cand, demand, 800.0))
    print(
        f"3. MCLP walking coverage, {args.candidates} candidates × {args.startups} start-ups: "
        f"{t_cov:.2f} s, {pairs.shape[1]:,} pairs"
    )
    sample = 50
    cand_xy = shapely.get_coordinates(cand[:sample])
    t_nxc, _ = timed(lambda: networkx_reach(g, net, cand_xy, 800.0))
    est = t_nxc * args.candidates / sample
    print(
        f"   networkx per-candidate searches (measured {sample}, scaled to {args.candidates}): "
        f"{est:.2f} s (searches only) -> ours is {est / t_cov:.1f}× faster"
    )

    # 4. QGIS service area
    qgis = shutil.which("qgis_process")
    if qgis is None:
        print("4. QGIS: qgis_process not installed, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.gpkg"
        gpd.GeoDataFrame(geometry=list(net.edges), crs=WORKING_CRS).to_file(path, layer="net")
        out = Path(tmp) / "sa.gpkg"
        x, y = sites_xy[0]
        cmd = [
            qgis,
            "run",
            "native:serviceareafrompoint",
            "--",
            f"INPUT={path}|layername=net",
            "STRATEGY=0",
            f"START_POINT={x},{y} [EPSG:5186]",
            "TRAVEL_COST2=800",
            "TOLERANCE=1",
            f"OUTPUT_LINES={out}|layername=lines",
        ]
        t0 = time.perf_counter()
        subprocess.run([qgis, "--help"], capture_output=True, timeout=300)
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=600,
            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        t_q = time.perf_counter() - t0
        ok = done.returncode == 0
        t_ours, _ = timed(
            lambda: isochrones(net, np.array([shapely.Point(x, y)], dtype=object), [800.0]),
            repeat=3,
        )
        if ok:
            print(
                f"4. QGIS native:serviceareafrompoint, one site 800 m: {t_q:.2f} s per call "
                f"(of which qgis_process start-up ≈ {t_start:.2f} s); ours (search + "
                f"isochrone polygon): {t_ours * 1000:.1f} ms -> {t_q / t_ours:.0f}× "
                f"({(t_q - t_start) / t_ours:.0f}× without QGIS's start-up)"
            )
        else:
            print(f"4. QGIS run failed: {done.stderr.strip().splitlines()[-1:]}")


if __name__ == "__main__":
    main()
