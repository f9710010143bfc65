"""Reading 1 000 000 start-up points (issue 15): ``read_vector`` against
``geopandas.read_file`` in the same run.

The files are those of ``make_points.py`` (GeoPackage and Shapefile in EPSG:5179, the
Shapefile in CP949 without .cpg; CSV with lon/lat columns). Ours: ``read_vector``
(encoding detection, every check, reprojection to EPSG:5186; Arrow record batches with
progress and cancel); also with ``make_points=False`` (coordinates only, as the CLI
reads start-ups). Peers: ``geopandas.read_file`` (pyogrio, and with ``use_arrow=True``)
followed by ``to_crs("EPSG:5186")``, the Shapefile with ``encoding="cp949"``; for the
CSV ``pandas.read_csv`` + ``points_from_xy`` + ``to_crs``. Medians of ``--repeats``
runs, each reader in turn.

Run: ``/work/main/.venv/bin/python bench/bench_read.py [-n 1000000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    for kind, path in write_points(args.folder, args.n).items():
        readers = {
            "read_vector": lambda path=path: read_vector(path, "start-ups"),
            "read_vector(make_points=False)": lambda path=path: read_vector(
                path, "start-ups", options=ReadOptions(make_points=False)
            ),
            **peers(path),
        }
        times: dict[str, list[float]] = {name: [] for name in readers}
        for _ in range(args.repeats):
            for name, read in readers.items():
                t = time.perf_counter()
                read()
                times[name].append(time.perf_counter() - t)
        ours = statistics.median(times["read_vector"])
        cells = [f"{name} {statistics.median(t):5.2f} s" for name, t in times.items()]
        best_peer = min(statistics.median(times[name]) for name in list(readers)[2:])
        print(
            f"{kind:4s} {args.n:,}: " + " | ".join(cells) + f" | fastest peer / ours "
            f"{best_peer / ours:.1f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
