"""Walking catchments: indicators, drag update, MCLP coverage, against networkx and QGIS.

Issue 18. A synthetic street network of about 20 000 edges (a 100 × 100 grid with 60 m
blocks, jittered nodes, a railway line across the middle that only one street in ten
crosses) and 200 000 start-ups spread over it:

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
   isochrone (qgis_process's fixed cost is measured apart: the same call on one edge).

Run: ``.venv/bin/python bench/bench_network.py [--startups 200000] [--sites 50]``.
"""

from __future__ import annotations

import argparse
import os
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
from app.core.network.join import site_starts
from app.core.network.topology import build_network
from layers.model import WORKING_CRS

X0, Y0 = 188_000.0, 538_000.0
SPACING = 60.0
N = 100


def street_lines(rng):
    """About 20 000 edges: a jittered grid cut by a railway that one street in ten crosses."""
    jitter = rng.normal(0, 6, (N, N, 2))
    gx, gy = np.meshgrid(np.arange(N) * SPACING, np.arange(N) * SPACING, indexing="ij")
    xy = np.stack([X0 + gx, Y0 + gy], axis=-1) + jitter
    lines = []
    for i in range(N):  # one polyline per grid row and column
        lines.append(shapely.LineString(xy[i, :, :]))
        row = xy[:, i, :]
        lines.append(shapely.LineString(row))
    lines = np.array(lines, dtype=object)
    # the railway runs between rows 49 and 50 (it is no walkway, so not a line here): the
    # columns stop at it except every 10th (the crossings)
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
    lines = np.array(list(lines[1::2]) + cut, dtype=object)
    return lines, np.zeros(len(lines), bool)


def to_networkx(net):
    import networkx as nx

    g = nx.Graph()
    keep = net.edge_u != net.edge_v
    for u, v, w in zip(net.edge_u[keep], net.edge_v[keep], net.edge_length[keep]):
        if not g.has_edge(u, v) or g[u][v]["weight"] > w:
            g.add_edge(int(u), int(v), weight=float(w))
    return g


class NetworkxPeer:
    """The usual networkx approach: start-ups and sites snapped to their nearest node
    (coarser than our nearest point of the nearest edge), one
    ``single_source_dijkstra_path_length(cutoff=R)`` per site, then a numpy count."""

    def __init__(self, net, startup_points):
        import networkx as nx

        self.nx = nx
        self.g = to_networkx(net)
        self.n_nodes = net.n_nodes
        self.tree = shapely.STRtree(shapely.points(net.node_xy))
        (_, self.node), self.access = self.tree.query_nearest(
            startup_points, return_distance=True, all_matches=False
        )

    def pairs(self, sites_xy, radius):
        """The coverage pairs (candidate, start-up), one search per candidate."""
        nodes = self.tree.query_nearest(shapely.points(sites_xy))[1]
        rows, cols = [], []
        for i, n in enumerate(nodes):
            reach = self.nx.single_source_dijkstra_path_length(self.g, int(n), cutoff=radius)
            dist = np.full(self.n_nodes, np.inf)
            dist[np.fromiter(reach.keys(), int)] = np.fromiter(reach.values(), float)
            hit = np.flatnonzero(dist[self.node] + self.access <= radius)
            rows.append(np.full(len(hit), i))
            cols.append(hit)
        return np.stack([np.concatenate(rows), np.concatenate(cols)])

    def counts(self, sites_xy, radius):
        nodes = self.tree.query_nearest(shapely.points(sites_xy))[1]
        out = []
        for n in nodes:  # one search per site: the peer's way
            reach = self.nx.single_source_dijkstra_path_length(self.g, int(n), cutoff=radius)
            dist = np.full(self.n_nodes, np.inf)
            dist[np.fromiter(reach.keys(), int)] = np.fromiter(reach.values(), float)
            out.append(int(np.count_nonzero(dist[self.node] + self.access <= radius)))
        return out


def canvas_painter():
    """Paint the reached streets as the app's canvas overlay does, into a 1280 × 800
    offscreen image at about 2.5 m per pixel (a district on screen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QColor, QImage, QPainter

    from app.core.map.viewport import Viewport
    from app.ui.gui import application
    from app.ui.network.overlay import IsochroneOverlay

    application()
    image = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)

    def paint(pieces, site):
        viewport = Viewport(site.x, site.y, 2.5, 1280, 800)
        image.fill(0)
        painter = QPainter(image)
        IsochroneOverlay._strokes(painter, viewport, pieces, QColor("#1b9e77"))
        painter.end()

    return paint


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
    peer = NetworkxPeer(net, pts)
    t_nx, peer_counts = timed(lambda: peer.counts(sites_xy, 800.0))
    ours = frame["startups_n"].to_numpy(float)
    agree = np.median(np.abs(np.asarray(peer_counts) - ours) / np.maximum(ours, 1))
    print(
        f"   networkx, one search per site + count (nearest-node snapping): {t_nx * 1000:.0f} ms "
        f"-> ours {t_nx / t_ind:.2f}× its speed (median count difference {agree:.1%}, "
        "ours joins at the nearest edge point)"
    )

    # 2. drag: what the app does per mouse move (indicators of the dragged site and the
    # streets it reaches, drawn as wide strokes); the polygon follows on release
    from app.core.network.isochrone import reached_pieces, substrings, vertex_distances
    from app.core.network.paths import node_distances

    cum = vertex_distances(net)
    paint = canvas_painter()
    times, polys, peer_times, circle_times = [], [], [], []
    circles = IndicatorEngine(startups, None, stations, None)
    x, y = sites_xy[0]
    for step in range(40):
        geom = shapely.Point(x + 8 * step, y + 5 * step)
        one = gpd.GeoDataFrame(geometry=[geom], crs=WORKING_CRS)
        t = time.perf_counter()
        add_reach_ratio(engine.compute(one, 800.0), one, distances, 800.0)
        arr = np.array([geom], dtype=object)
        st = site_starts(net, arr)
        dist = node_distances(net, st, limit=800.0)
        _, e, a, b = reached_pieces(net, st, dist, np.array([800.0]))
        pieces = substrings(net, e, a, b, cum)
        paint(pieces, geom)
        times.append(time.perf_counter() - t)
        t = time.perf_counter()
        peer.counts(np.array([[x + 8 * step, y + 5 * step]]), 800.0)
        peer_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        circles.compute(one, 800.0)
        circle_times.append(time.perf_counter() - t)
        if step % 10 == 0:
            t = time.perf_counter()
            isochrones(net, arr, [800.0])
            polys.append(time.perf_counter() - t)
    med, p95 = statistics.median(times), float(np.percentile(times, 95))
    peer_med = statistics.median(peer_times)
    circle_med = statistics.median(circle_times)
    print(
        f"2. drag update (all indicators + reached streets, painted 1280×800, one site): median "
        f"{med * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (target <= 100 ms); isochrone "
        f"polygon on release: median {statistics.median(polys) * 1000:.0f} ms"
    )
    print(
        f"   networkx search + start-up count alone: median {peer_med * 1000:.1f} ms; the same "
        f"update with circles (straight line, every indicator): median {circle_med * 1000:.1f} ms "
        f"-> the walking catchment adds {max(med - circle_med, 0) * 1000:.1f} ms "
        f"({max(med - circle_med, 0) / peer_med:.2f}× the networkx search + count)"
    )

    # 3. MCLP coverage matrix
    cand = shapely.points(
        X0 + rng.uniform(0, size, args.candidates), Y0 + rng.uniform(0, size, args.candidates)
    )
    demand = np.asarray(pts, dtype=object)
    pairs_fn = walking_pairs(net)
    t_join, _ = timed(lambda: pairs_fn(cand[:1], demand, 800.0))  # joins the start-ups once
    t_cov, pairs = timed(lambda: pairs_fn(cand, demand, 800.0))
    print(f"   (joining the {args.startups} start-ups to the network first, once: {t_join:.2f} s)")
    print(
        f"3. MCLP walking coverage, {args.candidates} candidates × {args.startups} start-ups: "
        f"{t_cov:.2f} s, {pairs.shape[1]:,} pairs"
    )
    sample = 50
    cand_xy = shapely.get_coordinates(cand[:sample])
    t_nxc, _ = timed(lambda: peer.pairs(cand_xy, 800.0))
    est = t_nxc * args.candidates / sample
    print(
        f"   networkx, one search + its pairs per candidate (measured {sample}, scaled to "
        f"{args.candidates}): {est:.2f} s -> ours {est / t_cov:.2f}× its speed"
    )

    # 4. QGIS service area
    qgis = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    if qgis is None:
        print("4. QGIS: qgis_process not installed, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.gpkg"
        gpd.GeoDataFrame(geometry=list(net.edges), crs=WORKING_CRS).to_file(path, layer="net")
        out = Path(tmp) / "sa.gpkg"
        project = Path(tmp) / "empty.qgs"  # the algorithm wants a project
        project.write_text(
            '<qgis projectname="" version="3.28.0"><projectCrs><spatialrefsys>'
            "<authid>EPSG:5186</authid></spatialrefsys></projectCrs></qgis>\n"
        )
        x, y = sites_xy[0]
        cmd = [
            qgis,
            "run",
            "native:serviceareafrompoint",
            f"--PROJECT_PATH={project}",
            "--",
            f"INPUT={path}|layername=net",
            "STRATEGY=0",
            f"START_POINT={x},{y} [EPSG:5186]",
            "TRAVEL_COST2=800",
            "TOLERANCE=1",
            f"OUTPUT_LINES={out}",
        ]
        tiny = Path(tmp) / "tiny.gpkg"  # the same call on one edge: QGIS's fixed cost
        gpd.GeoDataFrame(
            geometry=[shapely.LineString([(x - 10, y), (x + 10, y)])], crs=WORKING_CRS
        ).to_file(tiny, layer="net")
        tiny_cmd = [part.replace(str(path), str(tiny)) for part in cmd]
        tiny_cmd[-1] = f"OUTPUT_LINES={Path(tmp) / 'tiny_out.gpkg'}"
        t0 = time.perf_counter()
        subprocess.run(
            tiny_cmd,
            capture_output=True,
            timeout=300,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        t_q = time.perf_counter() - t0
        ok = done.returncode == 0
        t_ours, iso = timed(
            lambda: isochrones(net, np.array([shapely.Point(x, y)], dtype=object), [800.0]),
            repeat=3,
        )
        qgis_length = (
            float(gpd.read_file(out).geometry.length.sum()) if ok and out.exists() else float("nan")
        )
        print(
            f"   reach of the site: ours {iso.reached_m[0]:,.0f} m of street, QGIS's service "
            f"area lines {qgis_length:,.0f} m (QGIS writes a street once per direction walked; "
            "bench/compare_qgis_reach.py compares them edge by edge)"
        )
        if ok:
            print(
                f"4. QGIS native:serviceareafrompoint, one site 800 m: {t_q:.2f} s per call "
                f"(the same call on a one-edge network: {t_start:.2f} s); ours (search + "
                f"isochrone polygon): {t_ours * 1000:.1f} ms -> {t_q / t_ours:.0f}× "
                f"({max(t_q - t_start, 0) / t_ours:.0f}× without that fixed cost)"
            )
        else:
            print(f"4. QGIS run failed: {done.stderr.strip().splitlines()[-1:]}")


if __name__ == "__main__":
    main()
