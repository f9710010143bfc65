"""Reading 1 000 000 start-up points (issue 15): ``read_vector`` against
``geopandas.read_file`` in the same run.

The files are those of ``make_points.py`` (GeoPackage and Shapefile in EPSG:5179, the
Shapefile in CP949 without .cpg; CSV with lon/lat columns). Ours: ``read_vector``
(encoding detection, every check, reprojection to EPSG:5186; Arrow record batches with
progress and cancel); also with ``make_points=False`` (coordinates only, as the CLI
reads start-ups). Peers: ``geopandas.read_file`` (pyogrio, and with ``use_arrow=True``)
followed by ``to_crs("EPSG:5186")``, the Shapefile with ``encoding="cp949"``; for the
CSV ``pandas.read_csv`` + ``points_from_xy`` + ``to_crs``. For the Shapefile also the
previous path (GDAL's Arrow stream instead of the numpy reader ``shp_points``), marked
"before". Medians of ``--repeats`` runs, each reader in turn; wall and CPU time
(``time.process_time``) beside each other, and the load average.

Run: ``/work/main/.venv/bin/python bench/bench_read.py [-n 1000000] [--repeats 3]
[--kinds shp]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geopandas as gpd
import pandas as pd
from make_points import write_points

from app.core.formats.vector import ReadOptions, read_vector
from app.core.formats.vector import read as vector_read


def before(path: Path, options: ReadOptions | None = None):
    """``read_vector`` through GDAL's Arrow stream, as before the numpy Shapefile reader."""
    kept = vector_read.SHP_POINT_SUFFIXES
    vector_read.SHP_POINT_SUFFIXES = set()
    try:
        return read_vector(path, "start-ups", options=options)
    finally:
        vector_read.SHP_POINT_SUFFIXES = kept


def peers(path: Path) -> dict:
    kind = path.suffix
    if kind == ".csv":

        def pandas_csv():
            table = pd.read_csv(path, encoding="utf-8")
            points = gpd.points_from_xy(table["lon"], table["lat"], crs="EPSG:4326")
            return gpd.GeoDataFrame(table, geometry=points).to_crs("EPSG:5186")

        return {"pandas.read_csv + to_crs": pandas_csv}
    encoding = "cp949" if kind == ".shp" else None
    return {
        "gpd.read_file + to_crs": lambda: gpd.read_file(path, encoding=encoding).to_crs(
            "EPSG:5186"
        ),
        "gpd.read_file(use_arrow) + to_crs": lambda: gpd.read_file(
            path, encoding=encoding, use_arrow=True
        ).to_crs("EPSG:5186"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/innoatlas_points"))
    parser.add_argument("--kinds", nargs="+", default=["gpkg", "shp", "csv"])
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    for kind, path in write_points(args.folder, args.n).items():
        if kind not in args.kinds:
            continue
        coords = ReadOptions(make_points=False)
        readers = {
            "read_vector": lambda path=path: read_vector(path, "start-ups"),
            "read_vector(make_points=False)": lambda path=path: read_vector(
                path, "start-ups", options=coords
            ),
        }
        if kind == "shp":
            readers["before"] = lambda path=path: before(path)
            readers["before(make_points=False)"] = lambda path=path: before(path, coords)
        ours_count = len(readers)
        readers.update(peers(path))
        times: dict[str, list[float]] = {name: [] for name in readers}
        cpu: dict[str, list[float]] = {name: [] for name in readers}
        for _ in range(args.repeats):
            for name, read in readers.items():
                t, c = time.perf_counter(), time.process_time()
                read()
                times[name].append(time.perf_counter() - t)
                cpu[name].append(time.process_time() - c)
        ours = statistics.median(times["read_vector"])
        cells = [
            f"{name} {statistics.median(t):5.2f} s (cpu {statistics.median(cpu[name]):4.2f})"
            for name, t in times.items()
        ]
        best_peer = min(statistics.median(times[name]) for name in list(readers)[ours_count:])
        extra = ""
        if kind == "shp":
            extra = f" | before / ours {statistics.median(times['before']) / ours:.1f}x"
        print(
            f"{kind:4s} {args.n:,}: " + " | ".join(cells) + f" | fastest peer / ours "
            f"{best_peer / ours:.1f}x" + extra + f" | load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
