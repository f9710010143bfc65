"""Generated start-up files for the scale benches (never committed: write them to /tmp).

``make_points.py -n 1000000 --out /tmp/innoatlas_points`` writes ``startups_N.gpkg``
(EPSG:5179, layer ``startups``), ``startups_N.shp`` (CP949 without .cpg, EPSG:5179) and
``startups_N.csv`` (UTF-8, lon/lat columns) with Korean names, sectors and employees
around Seoul's three innovation districts (the points of ``bench_import.startups``), and
``sites_M.gpkg`` with M point sites inside the districts. Existing files are kept.

Run: ``/work/main/.venv/bin/python bench/make_points.py -n 200000 1000000 --sites 50``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from bench_import import startups


def write_points(folder: Path, n: int, kinds=("gpkg", "shp", "csv")) -> dict[str, Path]:
    """The start-up files of ``n`` points in ``folder`` (written when missing)."""
    paths = {kind: folder / f"startups_{n}.{kind}" for kind in kinds}
    if all(path.exists() for path in paths.values()):
        return paths
    points = startups(n)
    if "gpkg" in paths and not paths["gpkg"].exists():
        pyogrio.write_dataframe(points, paths["gpkg"], layer="startups")
    if "shp" in paths and not paths["shp"].exists():
        pyogrio.write_dataframe(points, paths["shp"], encoding="CP949")
        paths["shp"].with_suffix(".cpg").unlink(missing_ok=True)
    if "csv" in paths and not paths["csv"].exists():
        lonlat = shapely.get_coordinates(points.to_crs("EPSG:4326").geometry.values)
        pd.DataFrame(
            {
                "상호": points["상호"],
                "업종": points["업종"],
                "종사자수": points["종사자수"],
                "lon": lonlat[:, 0].round(7),
                "lat": lonlat[:, 1].round(7),
            }
        ).to_csv(paths["csv"], index=False, encoding="utf-8")
    return paths


def write_sites(folder: Path, m: int, seed: int = 5) -> Path:
    """``m`` point sites near the districts' centres (EPSG:5179, layer ``sites``)."""
    path = folder / f"sites_{m}.gpkg"
    if not path.exists():
        rng = np.random.default_rng(seed)
        centres = np.array([[948_500, 1_942_300], [941_000, 1_951_500], [958_800, 1_940_600]])
        xy = centres[rng.integers(0, 3, m)] + rng.normal(0, 1_200, (m, 2))
        frame = gpd.GeoDataFrame(
            {"name": [f"site {i + 1}" for i in range(m)], "radius_m": 800.0},
            geometry=shapely.points(xy),
            crs="EPSG:5179",
        )
        pyogrio.write_dataframe(frame, path, layer="sites")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--sites", type=int, nargs="+", default=[50])
    parser.add_argument("--out", type=Path, default=Path("/tmp/innoatlas_points"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for n in args.n:
        for kind, path in write_points(args.out, n).items():
            print(f"{kind:5s} {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    for m in args.sites:
        print(f"sites {write_sites(args.out, m)}")


if __name__ == "__main__":
    main()
