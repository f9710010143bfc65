"""Import time: ``read_vector`` (the app's import) against what a geopandas user writes.

``app.core.formats.vector.read_vector`` detects the text encoding, checks and repairs the
features, reads in batches of ``BATCH_ROWS`` (progress and cancel between batches) and
reprojects to EPSG:5186. It is timed on generated files, written under a temporary
folder in the same run:

- 200 000 start-up points (상호, 업종, 종사자수 in Korean) as a CP949 Shapefile without
  .cpg in EPSG:5179, the same as a GeoPackage in EPSG:5179, and as a UTF-8 CSV with
  lon/lat columns (EPSG:4326);
- 5 000 zoning polygons of a few hundred vertices each (용도지역 in Korean) as a CP949
  Shapefile with an EPSG:5174 .prj (Bessel: a datum shift on the way to EPSG:5186).

Peers, in the same run, on the same files:

(a) ``geopandas.read_file(path, engine="pyogrio", encoding=...)`` then
    ``.to_crs("EPSG:5186")``, given the right encoding (a fair comparison: no detection);
(b) ``ogr2ogr -t_srs EPSG:5186 -f GPKG out.gpkg in`` (Debian ``gdal-bin``; skipped with
    a message when ``ogr2ogr`` is not on PATH); this one also writes its output, so it is
    an upper bound of what GDAL alone needs to read and reproject;
(c) for the CSV: ``pandas.read_csv`` + ``geopandas.points_from_xy`` + ``to_crs``.

Wall times are medians of ``--repeats`` runs (in-process, files in the page cache after
one warm-up read each; InnoAtlas and its in-process peer run in turn so that the load of
the shared machine falls on both). Peak RSS is that of a fresh child process that
imports the module and does only that one read (the peak after its imports is printed
too); the child reads its own VmHWM, as ``ru_maxrss`` of a child of this big process
starts at the parent's peak on Linux.
Batching: ``read_vector`` with ``progress=lambda f, m: None`` vs. without, and vs. one
unbatched read (``BATCH_ROWS`` raised above the feature count). Cancel: ``cancelled()``
turns True at a chosen time after the start (a simulated click); the latency is the time
from then to ``Cancelled``.

Run: ``/work/main/.venv/bin/python bench/bench_import.py [--repeats 3] [-n 200000]``.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this worktree's app, not an installed one

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from app.core.formats.vector import read as vector_read
from app.core.formats.vector import read_vector
from app.core.progress import Cancelled

TARGET = "EPSG:5186"
SECTORS = np.array(
    [
        "소프트웨어 개발",
        "바이오·헬스케어",
        "인공지능",
        "핀테크",
        "콘텐츠·미디어",
        "제조·하드웨어",
        "에너지·환경",
        "모빌리티",
        "교육서비스",
        "유통·물류",
    ]
)
ZONES = np.array(
    [
        "제1종전용주거지역",
        "제2종일반주거지역",
        "제3종일반주거지역",
        "준주거지역",
        "일반상업지역",
        "근린상업지역",
        "준공업지역",
        "자연녹지지역",
    ]
)
SYLLABLES = np.array(
    list(
        "가나다라마바사아자차카타파하한국서울강남양재마곡구로디지털"
        "혁신창업벤처테크랩스솔루션미래세계통신바이오에너지"
    )
)


# ---------------------------------------------------------------------------------------
# data


def korean_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` company names such as ``(주)혁신테크랩 3지점``: Hangul of varying length."""
    names = np.full(n, "(주)", dtype=object)
    for _ in range(4):
        names = names + SYLLABLES[rng.integers(0, len(SYLLABLES), n)].astype(object)
    branch = rng.integers(0, 20, n)
    names = np.where(branch < 5, names + " " + branch.astype(str).astype(object) + "지점", names)
    return names


def startups(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """``n`` start-up points around Seoul's districts, in EPSG:5179."""
    rng = np.random.default_rng(seed)
    centres = np.array([[948_500, 1_942_300], [941_000, 1_951_500], [958_800, 1_940_600]])
    which = rng.integers(0, 3, n)
    xy = centres[which] + rng.normal(0, 1_800, (n, 2))
    return gpd.GeoDataFrame(
        {
            "상호": korean_names(rng, n),
            "업종": SECTORS[rng.integers(0, len(SECTORS), n)],
            "종사자수": rng.lognormal(1.6, 1.0, n).astype(np.int32) + 1,
        },
        geometry=shapely.points(xy),
        crs="EPSG:5179",
    )


def zoning(n: int, vertices: int, seed: int = 2) -> gpd.GeoDataFrame:
    """``n`` star-shaped (hence valid) polygons of ``vertices`` vertices, EPSG:5174."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    cx = 185_000 + (i % side) * 400.0 + rng.uniform(-40, 40, n)
    cy = 540_000 + (i // side) * 400.0 + rng.uniform(-40, 40, n)
    angle = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 150 * (1 + 0.25 * rng.uniform(-1, 1, (n, vertices)))
    x = cx[:, None] + radius * np.cos(angle)
    y = cy[:, None] + radius * np.sin(angle)
    rings = np.stack([x, y], axis=2)
    rings = np.concatenate([rings, rings[:, :1]], axis=1)  # close the rings
    polygons = shapely.polygons(rings)
    frame = gpd.GeoDataFrame(
        {
            "용도지역": ZONES[rng.integers(0, len(ZONES), n)],
            "지구명": korean_names(rng, n),
            "면적": shapely.area(polygons),
        },
        geometry=polygons,
        crs=TARGET,
    )
    return frame.to_crs("EPSG:5174")


def write_files(folder: Path, n_points: int, n_polygons: int, vertices: int) -> dict:
    """The four test files; returns name -> (path, encoding the peers are given)."""
    points = startups(n_points)
    shp = folder / "startups_5179.shp"
    pyogrio.write_dataframe(points, shp, encoding="CP949")
    shp.with_suffix(".cpg").unlink(missing_ok=True)  # as portals ship them
    gpkg = folder / "startups_5179.gpkg"
    pyogrio.write_dataframe(points, gpkg, layer="startups")
    lonlat = points.to_crs("EPSG:4326")
    csv = folder / "startups_4326.csv"
    pd.DataFrame(
        {
            "상호": points["상호"],
            "업종": points["업종"],
            "종사자수": points["종사자수"],
            "lon": lonlat.geometry.x.round(7),
            "lat": lonlat.geometry.y.round(7),
        }
    ).to_csv(csv, index=False, encoding="utf-8")
    zones = zoning(n_polygons, vertices)
    zshp = folder / "zoning_5174.shp"
    pyogrio.write_dataframe(zones, zshp, encoding="CP949")
    zshp.with_suffix(".cpg").unlink(missing_ok=True)
    return {
        "points .shp (CP949, 5179)": (shp, "cp949"),
        "points .gpkg (5179)": (gpkg, None),
        "points .csv (lon/lat)": (csv, "utf-8"),
        "zoning .shp (CP949, 5174)": (zshp, "cp949"),
    }


# ---------------------------------------------------------------------------------------
# timing


def median_s(function, repeats: int) -> float:
    return race({"f": function}, repeats)["f"]


def race(functions: dict, repeats: int) -> dict[str, float]:
    """Median seconds of each function, run in turn (round-robin) so that the load of
    the shared machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            gc.collect()
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def app_read(path: Path, **kwargs):
    return read_vector(path, "start-ups", **kwargs)


def peer_geopandas(path: Path, encoding: str | None):
    frame = gpd.read_file(path, engine="pyogrio", encoding=encoding)
    return frame.to_crs(TARGET)


def peer_pandas_csv(path: Path, encoding: str):
    table = pd.read_csv(path, encoding=encoding)
    frame = gpd.GeoDataFrame(
        table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
    )
    return frame.to_crs(TARGET)


def peer_ogr2ogr(path: Path, folder: Path):
    out = folder / "ogr2ogr_out.gpkg"
    out.unlink(missing_ok=True)
    command = ["ogr2ogr", "-t_srs", TARGET, "-f", "GPKG", str(out), str(path)]
    if path.suffix == ".csv":
        command[5:5] = [
            "-s_srs",
            "EPSG:4326",
            "-oo",
            "X_POSSIBLE_NAMES=lon",
            "-oo",
            "Y_POSSIBLE_NAMES=lat",
        ]
    if path.suffix == ".shp":
        command[1:1] = ["--config", "SHAPE_ENCODING", "CP949"]
    subprocess.run(command, check=True, capture_output=True)


# ru_maxrss of a child forked from this (large) process starts at the parent's peak on
# Linux (it survives exec), so the child reads its own high-water mark, VmHWM, which
# belongs to the new address space; ru_maxrss is the fallback without /proc.
CHILD = """
import resource, sys
from pathlib import Path
def peak_kib():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
{setup}
baseline = peak_kib()
result = {call}
print(baseline, peak_kib(), len(result))
"""


def child_rss(setup: str, call: str, path: Path) -> tuple[float, float]:
    """Peak RSS (MiB) of a fresh process doing only ``call``, and its peak after the
    imports (before reading)."""
    code = CHILD.format(setup=setup, call=call.format(path=str(path)))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return int(out[1]) / 1024, int(out[0]) / 1024


APP_SETUP = "from app.core.formats.vector import read_vector"
UNBATCHED_SETUP = APP_SETUP + "; import app.core.formats.vector.read as v; v.BATCH_ROWS = 10**9"
APP_CALL = "read_vector(Path({path!r})).frame"
GPD_SETUP = "import geopandas as gpd"
CSV_SETUP = """import geopandas as gpd, pandas as pd
def peer(path, encoding):
    table = pd.read_csv(path, encoding=encoding)
    geometry = gpd.points_from_xy(table["lon"], table["lat"])
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326").to_crs("EPSG:5186")
"""
CSV_CALL = "peer(Path({path!r}), {encoding!r})"
GPD_CALL = (
    "gpd.read_file(Path({path!r}), engine='pyogrio', encoding={encoding!r}).to_crs('EPSG:5186')"
)


def cancel_latency(path: Path, fraction: float, total_s: float) -> tuple[float, bool]:
    """Seconds from ``cancelled()`` turning True (a click ``fraction`` of a full read
    after the start) to Cancelled, or to the return when read_vector finished
    anyway (then False)."""
    deadline = time.perf_counter() + fraction * total_s
    try:
        read_vector(path, cancelled=lambda: time.perf_counter() >= deadline)
    except Cancelled:
        return time.perf_counter() - deadline, True
    return time.perf_counter() - deadline, False


# ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=200_000, help="start-up points")
    parser.add_argument("--polygons", type=int, default=5_000)
    parser.add_argument("--vertices", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--ogr-repeats", type=int, default=3, help="ogr2ogr runs (slow)")
    args = parser.parse_args()
    started = time.perf_counter()
    has_ogr2ogr = shutil.which("ogr2ogr") is not None
    print(
        f"pyogrio {pyogrio.__version__}, GDAL {pyogrio.__gdal_version_string__}, "
        f"geopandas {gpd.__version__}, shapely {shapely.__version__}, pyproj "
        f"{pyproj.__version__}, PROJ {pyproj.proj_version_str}; BATCH_ROWS "
        f"{vector_read.BATCH_ROWS}; medians of {args.repeats} runs ({args.ogr_repeats} "
        "for ogr2ogr)"
    )
    if not has_ogr2ogr:
        print("peer (b) skipped: ogr2ogr not found (Debian: apt-get install gdal-bin)")
    else:
        version = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True)
        print(f"peer (b): ogr2ogr of {version.stdout.strip().split(',')[0]}")
    with tempfile.TemporaryDirectory(prefix="innoatlas-bench-import-") as tmp:
        folder = Path(tmp)
        files = write_files(folder, args.n, args.polygons, args.vertices)
        sizes = {
            p.name: sum(f.stat().st_size for f in folder.glob(p.stem + ".*"))
            for p, _ in files.values()
        }
        print(
            f"files written in {time.perf_counter() - started:.1f} s: "
            + ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in sizes.items())
        )
        print()
        header = (
            f"{'file':<27} {'InnoAtlas':>9}  {'(a) gpd':>8} {'ratio':>6}  "
            f"{'(b) ogr2ogr':>11} {'ratio':>6}  {'(c) pandas':>10} {'ratio':>6}  "
            f"{'peak RSS app':>12} {'peer':>6} {'(import)':>8}"
        )
        print(header)
        print("-" * len(header))
        timings, rss = {}, {}
        for name, (path, encoding) in files.items():
            layer = app_read(path)  # warm-up: page cache, PROJ database
            assert len(layer.frame) in (args.n, args.polygons), len(layer.frame)
            assert layer.frame.crs.to_epsg() == 5186
            if encoding == "cp949":
                assert layer.encoding == "CP949", layer.encoding
            assert str(layer.frame.iloc[0, 0]).startswith("(주)") or str(
                layer.frame.iloc[0, 0]
            ).endswith("지역"), layer.frame.iloc[0, 0]
            is_csv = path.suffix == ".csv"  # read_file gives no geometry: peer (c)
            candidates = {"app": lambda: app_read(path)}
            if is_csv:
                candidates["c"] = lambda: peer_pandas_csv(path, encoding)
            else:
                candidates["a"] = lambda: peer_geopandas(path, encoding)
            medians = race(candidates, args.repeats)
            app_s = timings[name] = medians["app"]
            gpd_s, csv_s = medians.get("a"), medians.get("c")
            ogr_s = (
                median_s(lambda: peer_ogr2ogr(path, folder), args.ogr_repeats)
                if has_ogr2ogr
                else None
            )
            app_rss, base_rss = child_rss(APP_SETUP, APP_CALL, path)
            rss[path] = app_rss
            peer_call = (CSV_CALL if is_csv else GPD_CALL).replace("{encoding!r}", repr(encoding))
            gpd_rss, _ = child_rss(CSV_SETUP if is_csv else GPD_SETUP, peer_call, path)

            def cell(peer: float | None, width: int) -> str:
                if peer is None:
                    return f"{'-':>{width}} {'-':>6}"
                return f"{peer:>{width - 2}.2f} s {app_s / peer:>5.2f}x"

            print(
                f"{name:<27} {app_s:>7.2f} s  {cell(gpd_s, 8)}  {cell(ogr_s, 11)}  "
                f"{cell(csv_s, 10)}  {app_rss:>8.0f} MiB {gpd_rss:>6.0f} {base_rss:>8.0f}"
            )
        print(
            "ratio = InnoAtlas / peer (above 1: InnoAtlas slower); peak RSS in MiB "
            "(peer: (a), for the CSV (c));\n'(import)' = the app child's RSS after its "
            "imports, before reading"
        )

        print()
        path, _ = files["points .shp (CP949, 5179)"]
        gpkg, _ = files["points .gpkg (5179)"]
        print(f"batching ({args.n:,} points, {vector_read.BATCH_ROWS:,} per batch):")
        for label, target in (("shp", path), ("gpkg", gpkg)):

            def unbatched(target=target):
                saved, vector_read.BATCH_ROWS = vector_read.BATCH_ROWS, args.n + 1
                try:
                    return app_read(target)
                finally:
                    vector_read.BATCH_ROWS = saved

            candidates = {"plain": lambda: app_read(target), "single": unbatched}
            if label == "shp":
                candidates["progress"] = lambda: app_read(target, progress=lambda f, m: None)
            medians = race(candidates, args.repeats)
            plain, single = medians["plain"], medians["single"]
            text = (
                f"progress=lambda f, m: None {medians['progress']:.2f} s vs none "
                f"{plain:.2f} s ({medians['progress'] / plain:.2f}x); "
                if "progress" in medians
                else f"batched {plain:.2f} s; "
            )
            single_rss, _ = child_rss(UNBATCHED_SETUP, APP_CALL, target)
            print(
                f"  {label:<4} {text}one unbatched read {single:.2f} s: batching costs "
                f"{plain / single:.2f}x time; peak RSS {rss[target]:.0f} MiB batched, "
                f"{single_rss:.0f} unbatched"
            )
        print()
        print("cancel: time from cancelled() turning True to Cancelled")
        for target in (path, files["zoning .shp (CP949, 5174)"][0]):
            total = timings[next(k for k, v in files.items() if v[0] == target)]
            print(f"  {target.name} (full read {total:.2f} s):")
            for fraction in (0.05, 0.25, 0.5, 0.75, 0.95):
                latency, raised = cancel_latency(target, fraction, total)
                if raised:
                    outcome = f"{latency * 1000:5.0f} ms to Cancelled"
                elif latency < 0:
                    outcome = "      the read finished before (faster than the median)"
                else:
                    outcome = (
                        f"{latency * 1000:5.0f} ms to the return: NOT cancelled, "
                        "the layer was returned"
                    )
                print(f"    True at {fraction:4.0%} of a read: {outcome}")
    print(f"\ntotal bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
