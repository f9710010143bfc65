"""Our reached streets against QGIS ``native:serviceareafrompoint``, feature by feature.

The bench network of ``bench_network.py`` (same seed), its first site, R = 800 m. QGIS's
OUTPUT_LINES are matched to our edges by their end points (0.5 m): how many of QGIS's
lines are the same street segment written twice (once per direction), which edges both
reach whole, which only one of us reaches, and the partial pieces we add at the walk's
ends. The explanation goes into docs/performance.md.

Run: ``.venv/bin/python bench/compare_qgis_reach.py`` (needs qgis_process).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geopandas as gpd
import numpy as np
import shapely

from app.core.network.isochrone import isochrones, reached_pieces
from app.core.network.join import site_starts
from app.core.network.paths import node_distances
from app.core.network.topology import build_network
from bench.bench_network import SPACING, X0, Y0, N, street_lines
from layers.model import WORKING_CRS

R = 800.0


def _key(xy: np.ndarray) -> np.ndarray:
    """An undirected key per segment from its two end points (rounded to 0.5 m)."""
    a = np.round(xy[:, :2] * 2).astype(np.int64)
    b = np.round(xy[:, 2:] * 2).astype(np.int64)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    return np.array([f"{p}_{q}_{r}_{s}" for p, q, r, s in np.hstack([lo, hi]).tolist()])


def main() -> None:
    qgis = shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    if qgis is None:
        print("qgis_process not installed: nothing to compare")
        return
    rng = np.random.default_rng(18)
    lines, separated = street_lines(rng)
    net = build_network(lines, separated)
    size = N * SPACING
    rng.uniform(0, size, 200_000), rng.uniform(0, size, 200_000)  # the bench's draws
    rng.choice(["ICT", "AI", "bio", "fintech", "mobility"], 200_000)
    rng.integers(1, 50, 200_000)
    x = X0 + rng.uniform(500, size - 500, 50)[0]
    y = Y0 + rng.uniform(500, size - 500, 50)[0]
    site = np.array([shapely.Point(x, y)], dtype=object)

    starts = site_starts(net, site)
    dist = node_distances(net, starts, limit=R)
    _, edge, a, b = reached_pieces(net, starts, dist, np.array([R]))
    whole = np.isclose(a, 0) & np.isclose(b, net.edge_length[edge])
    ours_m = float((b - a).sum())
    iso = isochrones(net, site, [R])
    print(f"site ({x:.1f}, {y:.1f}), R = {R:.0f} m; network {net.n_edges} edges")
    print(
        f"ours: {ours_m:,.0f} m of street (isochrones() says {iso.reached_m[0]:,.0f} m): "
        f"{int(whole.sum())} whole edges {float((b - a)[whole].sum()):,.0f} m, "
        f"{int((~whole).sum())} partial pieces {float((b - a)[~whole].sum()):,.0f} m"
    )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "net.gpkg"
        gpd.GeoDataFrame(geometry=list(net.edges), crs=WORKING_CRS).to_file(path, layer="net")
        project = Path(tmp) / "empty.qgs"
        project.write_text(
            '<qgis projectname="" version="3.28.0"><projectCrs><spatialrefsys>'
            "<authid>EPSG:5186</authid></spatialrefsys></projectCrs></qgis>\n"
        )
        out = Path(tmp) / "sa.gpkg"
        done = subprocess.run(
            [
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
            ],
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        if done.returncode != 0:
            print("QGIS failed:", done.stderr.strip().splitlines()[-1:])
            return
        qgis_lines = gpd.read_file(out).geometry.values
    parts = shapely.get_parts(np.asarray(qgis_lines, dtype=object))
    coords, index = shapely.get_coordinates(parts, return_index=True)
    first = np.r_[0, np.flatnonzero(np.diff(index)) + 1]
    last = np.r_[first[1:] - 1, len(index) - 1]
    segs = np.hstack([coords[first], coords[last]])
    lengths = shapely.length(parts)
    keys = _key(segs)
    unique, counts = np.unique(keys, return_counts=True)
    print(
        f"QGIS: {len(parts)} lines, {float(lengths.sum()):,.0f} m; "
        f"{len(unique)} distinct segments ({int((counts == 2).sum())} written twice, "
        f"{int((counts == 1).sum())} once, {int((counts > 2).sum())} more often)"
    )
    _, first_of = np.unique(keys, return_index=True)
    distinct_m = float(lengths[first_of].sum())
    print(f"QGIS distinct segments: {distinct_m:,.0f} m")

    ecoords = net.edge_coords
    off = net.edge_offsets
    ends = np.hstack([ecoords[off[:-1]], ecoords[off[1:] - 1]])
    edge_keys = _key(ends)
    ours_whole = set(edge_keys[edge[whole]].tolist())
    ours_partial = set(edge_keys[edge[~whole]].tolist())
    theirs = set(unique.tolist())
    both = ours_whole & theirs
    length_of = dict(zip(edge_keys.tolist(), net.edge_length.tolist()))
    only_q = theirs - ours_whole - ours_partial
    q_partial = theirs & ours_partial
    only_ours = ours_whole - theirs
    metres = lambda keys: sum(length_of.get(k, 0.0) for k in keys)  # noqa: E731
    print(f"whole edges in both: {len(both)} ({metres(both):,.0f} m)")
    print(
        f"QGIS segments we reach only in part: {len(q_partial)} ({metres(q_partial):,.0f} m "
        "as whole edges)"
    )
    print(f"QGIS segments we do not reach at all: {len(only_q)} ({metres(only_q):,.0f} m)")
    print(f"whole edges we reach that QGIS lacks: {len(only_ours)} ({metres(only_ours):,.0f} m)")
    unmatched = [k for k in theirs if k not in length_of]
    print(f"QGIS segments that are no edge of ours (end points differ): {len(unmatched)}")
    union_m = float(shapely.union_all(parts).length)
    print(f"QGIS lines merged (each street once, overlaps dissolved): {union_m:,.0f} m")
    access = float(starts.cost.min())
    dist2 = node_distances(net, starts, limit=R + access)
    _, e2, a2, b2 = reached_pieces(net, starts, dist2, np.array([R + access]))
    print(
        f"ours without the site's access ({access:.1f} m from the site to its street, which "
        f"QGIS does not count): {float((b2 - a2).sum()):,.0f} m"
    )
    # per edge of ours: the length QGIS's merged lines cover on it against our pieces
    edges = net.edges
    merged = shapely.union_all(parts)
    on_edge = shapely.length(shapely.intersection(edges, merged.buffer(0.01, quad_segs=1)))
    ours_edge = np.bincount(e2, weights=b2 - a2, minlength=net.n_edges)
    diff = on_edge - ours_edge
    big = np.argsort(-np.abs(diff))[:8]
    print(
        f"QGIS's lines measured along our edges (each street once): {on_edge.sum():,.0f} m "
        f"(the merged geometry's {union_m:,.0f} m keeps slivers of nearly collinear overlaps)"
    )
    print(
        f"per edge, QGIS minus ours (without access): +{diff[diff > 0].sum():,.0f} m on "
        f"{int((diff > 1).sum())} edges, {diff[diff < 0].sum():,.0f} m on "
        f"{int((diff < -1).sum())} edges"
    )
    for e in big.tolist():
        print(
            f"   edge {e}: length {net.edge_length[e]:.1f}, QGIS {on_edge[e]:.1f}, ours "
            f"{ours_edge[e]:.1f}, D[u] {dist2[0, net.edge_u[e]]:.1f}, D[v] "
            f"{dist2[0, net.edge_v[e]]:.1f}"
        )


if __name__ == "__main__":
    main()
