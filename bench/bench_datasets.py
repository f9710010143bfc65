"""Official datasets: recognise, read, clip to the study area and filter, against
``geopandas.read_file`` + the same mapping written by hand, in the same run.

Generated under a temporary folder (never the repository):

- a 500 000-row file in the 상가(상권)정보 schema (the size of Seoul's: 39 columns, UTF-8,
  WGS 84 경도/위도 spread over Seoul's box, KSIC codes drawn from 30 divisions);
- an 8 000-polygon 용도지역 file in the Seoul OA-21136 schema: zipped Shapefile, CP949
  without .cpg, EPSG:5174 .prj, a quarter of the rows with a blank SCLAS_CL.

InnoAtlas: :func:`app.core.datasets.project_import.recognise_or_refuse` (header sniffed)
then :func:`~app.core.datasets.project_import.read_dataset` (read with progress and
cancel, reprojected, clipped to the districts, KSIC-filtered, sectors mapped; zones
translated). Peer: ``geopandas.read_file`` (GDAL's CSV driver with X/Y_POSSIBLE_NAMES;
the Shapefile with ``encoding="cp949"``), ``to_crs``, ``contains_xy``/``intersects`` on
the same study area, the default KSIC prefixes with ``str.startswith``, the zone codes
through a dict: what a user writes who knows the schema already. Wall times are medians
of ``--repeats`` runs in this process (each read once first to warm the page cache);
peak RSS is the high-water mark (VmHWM) of a fresh child process doing only that call.

A second peer for the CSV, faster than GDAL's CSV driver: ``pandas.read_csv`` +
``points_from_xy`` + ``to_crs`` + the same clip and filter.

Run: ``/work/main/.venv/bin/python bench/bench_datasets.py [--rows 500000] [--zones 8000]
[--repeats 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from app.core.datasets.registry import SEMAS_COLUMNS
from app.core.paths import DEFAULT_PROJECT

KSIC = [
    "J62010", "J63120", "J58221", "J59111", "C21210", "C26110", "C27213", "C28111",
    "M70113", "M71531", "M72111", "M73201", "I56111", "I56221", "G47122", "G47190",
    "S96112", "S96912", "L68221", "P85501", "Q86201", "N75210", "H49231", "F41112",
    "C10711", "C13101", "K64191", "R91136", "C29199", "C30310",
]  # fmt: skip
ZONE_ROWS = [
    ("UQA100", "UQA120", "UQA122", "제2종일반주거지역"),
    ("UQA100", "UQA120", "UQA123", "제3종일반주거지역"),
    ("UQA300", "UQA330", "", "준공업지역"),
    ("UQA200", "UQA220", "", "일반상업지역"),
]


def write_semas(path: Path, n: int) -> None:
    """``n`` rows in the SEMAS schema (UTF-8), points over Seoul's box."""
    rng = np.random.default_rng(19)
    frame = pd.DataFrame({c: "" for c in SEMAS_COLUMNS}, index=range(n))
    frame["상가업소번호"] = [f"MA0101{i:012d}" for i in range(n)]
    frame["상호명"] = [f"업소{i}" for i in range(n)]
    codes = np.array(KSIC)[rng.integers(0, len(KSIC), n)]
    frame["표준산업분류코드"] = codes
    frame["표준산업분류명"] = "업종명"
    frame["시도명"] = "서울특별시"
    frame["행정동코드"] = "1154551000"
    frame["도로명주소"] = "서울특별시 금천구 디지털로 10"
    frame["경도"] = np.round(rng.uniform(126.76, 127.18, n), 9)
    frame["위도"] = np.round(rng.uniform(37.42, 37.70, n), 9)
    frame.to_csv(path, index=False, encoding="utf-8")


def write_zoning(path: Path, n: int) -> None:
    """``n`` square zones over Seoul (EPSG:5174), zipped Shapefile, CP949, no .cpg."""
    side = int(np.ceil(np.sqrt(n)))
    xs, ys = np.meshgrid(np.arange(side), np.arange(side))
    x0, y0, size = 180_000.0, 540_000.0, 30_000.0 / side  # EPSG:5186, Seoul
    cells = shapely.box(
        x0 + xs.ravel()[:n] * size,
        y0 + ys.ravel()[:n] * size,
        x0 + (xs.ravel()[:n] + 1) * size,
        y0 + (ys.ravel()[:n] + 1) * size,
    )
    rows = [ZONE_ROWS[i % 4] for i in range(n)]
    frame = gpd.GeoDataFrame(
        {
            "PRESENT_SN": [f"{i:015d}" for i in range(n)],
            "LCLAS_CL": [r[0] for r in rows],
            "MLSFC_CL": [r[1] for r in rows],
            "SCLAS_CL": [r[2] for r in rows],
            "DGM_NM": [r[3] for r in rows],
            "DGM_AR": shapely.area(cells),
            "NTFC_SN": "20190000",
        },
        geometry=shapely.segmentize(cells, size / 40),  # ~160 vertices each
        crs="EPSG:5186",
    ).to_crs("EPSG:5174")
    folder = path.parent / "zoning_parts"
    folder.mkdir(exist_ok=True)
    pyogrio.write_dataframe(frame, folder / "UPIS_C_UQ111.shp", encoding="cp949")
    (folder / "UPIS_C_UQ111.cpg").unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)


def ours(path: Path):
    from app.core.datasets.project_import import read_dataset, recognise_or_refuse

    stack = _stack()
    return read_dataset(recognise_or_refuse(path), stack, progress=lambda f, m: None).layers[0]


_STACK = None


def _stack():
    global _STACK
    if _STACK is None:
        from app.core.project.store import open_project

        _STACK = open_project(DEFAULT_PROJECT).stack
    return _STACK


def _area():
    districts = pyogrio.read_dataframe(DEFAULT_PROJECT, layer="districts")
    area = shapely.union_all(districts.geometry.values)
    shapely.prepare(area)
    return area


PREFIXES = ("C21", "C26", "C27", "C28", "J58", "J59", "J60", "J61", "J62", "J63",
            "M70", "M71", "M72", "M73")  # fmt: skip
SECTOR = {"J62": "ICT/SW", "J63": "AI/Data", "C21": "Bio/Health", "C26": "Electronics"}
ZONE_TYPE = {"UQA122": "제2종일반주거", "UQA123": "제3종일반주거", "UQA330": "준공업",
             "UQA220": "일반상업"}  # fmt: skip


def peer_semas(path: Path):
    frame = gpd.read_file(path, engine="pyogrio", X_POSSIBLE_NAMES="경도", Y_POSSIBLE_NAMES="위도")
    frame = frame.set_crs("EPSG:4326").to_crs("EPSG:5186")
    area = _area()
    inside = shapely.contains_xy(area, frame.geometry.x, frame.geometry.y)
    frame = frame[inside]
    firms = frame[frame["표준산업분류코드"].str.startswith(PREFIXES)].copy()
    firms["sector"] = firms["표준산업분류코드"].str[:3].map(SECTOR)
    return firms


def peer_semas_pandas(path: Path):
    """The faster peer for a CSV: pandas.read_csv + points_from_xy + to_crs."""
    table = pd.read_csv(path, dtype={"표준산업분류코드": str, "행정동코드": str})
    frame = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["경도"], table["위도"]), crs="EPSG:4326"
    ).to_crs("EPSG:5186")
    inside = shapely.contains_xy(_area(), frame.geometry.x, frame.geometry.y)
    frame = frame[inside]
    firms = frame[frame["표준산업분류코드"].str.startswith(PREFIXES)].copy()
    firms["sector"] = firms["표준산업분류코드"].str[:3].map(SECTOR)
    return firms


def peer_zoning(path: Path):
    frame = gpd.read_file(path, engine="pyogrio", encoding="cp949").to_crs("EPSG:5186")
    frame = frame[frame.intersects(_area())].copy()
    code = frame["SCLAS_CL"].where(frame["SCLAS_CL"].fillna("") != "", frame["MLSFC_CL"])
    frame["zone_type"] = code.map(ZONE_TYPE).fillna("unknown")
    return frame


CHILD = """
import sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
from pathlib import Path
import bench_datasets as b
def peak():
    with open("/proc/self/status") as s:
        return next(int(l.split()[1]) for l in s if l.startswith("VmHWM:"))
if {ours!r}:
    b._stack()
base = peak()
result = b.{call}(Path({path!r}))
print(base, peak(), len(result.frame) if hasattr(result, "frame") else len(result))
"""


def child_peak(call: str, path: Path) -> tuple[float, float]:
    code = CHILD.format(
        root=str(ROOT),
        bench=str(ROOT / "bench"),
        call=call,
        path=str(path),
        ours=call == "ours",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[1]) / 1024, int(out[0]) / 1024


def timed(function, path: Path, repeats: int) -> tuple[float, int]:
    function(path)  # warm: page cache, imports, the project read once
    times, n = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        result = function(path)
        times.append(time.perf_counter() - start)
        n = len(result.frame) if hasattr(result, "frame") else len(result)
    return statistics.median(times), n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--zones", type=int, default=8_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_datasets_") as folder:
        semas = Path(folder) / "store_info_seoul_202403.csv"
        zoning = Path(folder) / "seoul_zoning.zip"
        start = time.perf_counter()
        write_semas(semas, args.rows)
        write_zoning(zoning, args.zones)
        print(
            f"wrote {args.rows} SEMAS rows ({semas.stat().st_size / 2**20:.0f} MiB) and "
            f"{args.zones} zones in {time.perf_counter() - start:.1f} s"
        )
        for label, path, peer, goal in (
            (f"상가(상권)정보, {args.rows} rows", semas, peer_semas, 5.0),
            (f"상가(상권)정보, {args.rows} rows (peer: pandas)", semas, peer_semas_pandas, 5.0),
            (f"용도지역, {args.zones} polygons", zoning, peer_zoning, 3.0),
        ):
            ours_s, ours_n = timed(ours, path, args.repeats)
            peer_s, peer_n = timed(peer, path, args.repeats)
            ours_mib, ours_base = child_peak("ours", path)
            peer_mib, peer_base = child_peak(peer.__name__, path)
            print(
                f"{label}: InnoAtlas {ours_s:.2f} s ({ours_n} kept, goal ≤ {goal:.0f} s: "
                f"{'met' if ours_s <= goal else 'NOT met'}), peer {peer_s:.2f} s "
                f"({peer_n} kept), ratio {ours_s / peer_s:.2f}×; peak RSS InnoAtlas "
                f"{ours_mib:.0f} MiB (after imports {ours_base:.0f}), peer {peer_mib:.0f} "
                f"MiB (after imports {peer_base:.0f})"
            )


if __name__ == "__main__":
    main()
