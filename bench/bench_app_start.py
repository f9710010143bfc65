"""App start with a million start-ups: time to a drawn window, against the previous
behaviour and QGIS, in the same run.

The project is the default one with its start-ups replaced by ``N`` generated points
(``bench/make_points.py``), saved to ``/tmp/innoatlas_app_start/project_N.gpkg``.

- **InnoAtlas**: ``innoatlas --project P --screenshot S`` in a fresh process (offscreen);
  ``drawn`` is when the window has drawn its map (``INNOATLAS_TIMING``), with the
  large layer still being read in the background; ``complete`` when the large layer
  is drawn too (the screenshot waits for it).
- **before** (``--baseline /work/main``): the same command from another checkout,
  which reads every layer before the window shows.
- **QGIS**: ``/usr/bin/python3`` with PyQGIS loads the project's seven layers from the
  same GeoPackage and renders one 1280×800 map image (``QgsMapRendererSequentialJob``),
  with no window (a lower bound for the QGIS desktop).

Times from process start, medians of ``--runs``. Run:
``/work/main/.venv/bin/python bench/bench_app_start.py -n 1000000 --baseline /work/main``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path("/tmp/innoatlas_app_start")
LAYERS = ("gu", "dong", "zoning", "districts", "education", "stations", "startups")

QGIS_CODE = """
import sys, time
from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
app = QgsApplication([], False)
app.initQgis()
path, out = sys.argv[1], sys.argv[2]
layers = [QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in sys.argv[3:]]
assert all(layer.isValid() for layer in layers)
settings = QgsMapSettings()
settings.setLayers(layers[::-1])  # the start-ups on top
settings.setDestinationCrs(layers[0].crs())
settings.setExtent(QgsRectangle(180000, 538000, 215000, 558000))
settings.setOutputSize(QSize(1280, 800))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(out)
print(f"drawn {time.time():.6f}")
print(f"features {layers[-1].featureCount()}")
"""


def make_project(n: int) -> Path:
    """The default project with ``n`` start-ups (written once)."""
    path = FOLDER / f"project_{n}.gpkg"
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT))
    sys.path.insert(1, str(ROOT / "bench"))
    import geopandas as gpd
    import numpy as np
    import pyogrio
    from make_points import write_points

    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project, save_project
    from layers.themes.startups import SECTORS

    FOLDER.mkdir(exist_ok=True)
    source = pyogrio.read_dataframe(
        write_points(Path("/tmp/innoatlas_points"), n, kinds=("gpkg",))["gpkg"]
    ).to_crs("EPSG:5186")
    keys = np.array(list(SECTORS), dtype=object)
    data = gpd.GeoDataFrame(
        {
            "name": source["상호"],
            "sector": keys[np.arange(len(source)) % len(keys)],
            "founded": 2020,
            "employees": source["종사자수"].astype("int64"),
            "synthetic": True,
            "district_id": "",
        },
        geometry=source.geometry.values,
        crs="EPSG:5186",
    )
    project = open_project(DEFAULT_PROJECT)
    project.stack.get("startups").set_data(data)
    save_project(path, project.stack, project.settings)
    return path


def run_app(root: Path, project: Path) -> dict[str, float]:
    """One start of the app of checkout ``root``: seconds to ``drawn`` (and
    ``complete``, where it reports it) and to the process's end."""
    env = dict(os.environ, INNOATLAS_TIMING="1", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root))
    shot = FOLDER / "shot.png"
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-m", "app", "--project", str(project), "--screenshot", str(shot)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
    )
    times = {"exit": time.time() - start}
    for line in result.stderr.splitlines():
        if line.startswith("timing: "):
            _, name, value = line.split()
            times[name] = float(value) - start
    if result.returncode != 0 or "drawn" not in times:
        raise SystemExit(f"innoatlas ({root}) failed: {result.stderr[-2000:]}")
    return times


def run_qgis(project: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.time()
    result = subprocess.run(
        ["/usr/bin/python3", "-c", QGIS_CODE, str(project), str(FOLDER / "qgis.png"), *LAYERS],
        capture_output=True,
        text=True,
        env=env,
    )
    times = {"exit": time.time() - start}
    for line in result.stdout.splitlines():
        if line.startswith("drawn "):
            times["drawn"] = float(line.split()[1]) - start
    if "drawn" not in times:
        raise SystemExit(f"QGIS failed: {result.stderr[-2000:]}")
    return times


def _has_pyqgis() -> bool:
    python = Path("/usr/bin/python3")
    return python.exists() and (
        subprocess.run([str(python), "-c", "import qgis.core"], capture_output=True).returncode == 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. /work/main)")
    args = parser.parse_args()
    project = make_project(args.n)
    runners = [("InnoAtlas", lambda: run_app(ROOT, project))]
    if args.baseline:
        runners.append((f"before ({args.baseline})", lambda: run_app(args.baseline, project)))
    if shutil.which("qgis") or _has_pyqgis():
        runners.append(("QGIS (PyQGIS, one image)", lambda: run_qgis(project)))
    else:
        print("PyQGIS not found: no QGIS figure")
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runners}
    for _ in range(args.runs):  # interleaved: a load change hits every peer alike
        for name, run in runners:
            results[name].append(run())
    ours = statistics.median(r["drawn"] for r in results["InnoAtlas"])
    print(f"\n{args.n:,} start-ups, medians of {args.runs}; load average {os.getloadavg()[0]:.1f}")
    print("| start | drawn window | all layers drawn | process | drawn / ours |")
    print("|---|---|---|---|---|")
    for name, rows in results.items():
        drawn = statistics.median(r["drawn"] for r in rows)
        complete = statistics.median(r.get("complete", r["drawn"]) for r in rows)
        exit_ = statistics.median(r["exit"] for r in rows)
        print(
            f"| {name} | {drawn:.2f} s | {complete:.2f} s | {exit_:.2f} s | {drawn / ours:.1f}× |"
        )


if __name__ == "__main__":
    main()
