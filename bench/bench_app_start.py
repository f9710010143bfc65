"""App start with a million start-ups: time to a drawn window, against the previous
behaviour and QGIS, in the same run.

The project is the default one with its start-ups replaced by ``N`` generated points
(``bench/make_points.py``), saved to ``/tmp/innoatlas_app_start/project_N.gpkg``.

- **InnoAtlas**: ``innoatlas --project P --screenshot S`` in a fresh process (offscreen).
  ``first`` is when the window's first frame is painted: the kept picture of the
  unchanged project (``app/ui/window/first_frame.py``; one untimed start before the runs
  keeps it); ``drawn`` when the real window has drawn its map (``INNOATLAS_TIMING``),
  with the large layer still being read in the background; ``complete`` when the large
  layer is drawn too (the screenshot waits for it).
- **InnoAtlas, nothing kept** (``INNOATLAS_NO_FIRST_FRAME=1``): the same start without
  the kept picture (a first start, or a project changed since).
- **before** (``--baseline /work/main``): the same command from another checkout.
- **QGIS**: ``/usr/bin/python3`` with PyQGIS loads the project's seven layers from the
  same GeoPackage and renders one 1280×800 map image (``QgsMapRendererSequentialJob``),
  with no window (a lower bound for the QGIS desktop).

Times from process start, medians of ``--runs``, interleaved; ``cpu`` is the child's
CPU time (user + system, ``/proc/PID/stat``) when it reported its window drawn: the
machine's load inflates it far less than the wall clock. Run:
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


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_child(command: list[str], env: dict, cwd: Path, stream: str) -> dict[str, float]:
    """Run ``command``; every ``timing: NAME T`` (or ``NAME T``) line on ``stream`` gives
    ``NAME`` (seconds from the start) and ``cpu_NAME`` (the child's CPU seconds then)."""
    start = time.time()
    child = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
        stderr=subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL,
    )
    pipe = child.stdout if stream == "stdout" else child.stderr
    assert pipe is not None
    times: dict[str, float] = {}
    tail: list[str] = []
    for line in pipe:
        tail = (tail + [line])[-20:]
        words = line.split()
        if words[:1] == ["timing:"]:
            words = words[1:]
        if len(words) == 2 and words[0] in ("first", "drawn", "complete"):
            times[f"cpu_{words[0]}"] = _cpu_seconds(child.pid)
            times[words[0]] = float(words[1]) - start
    code = child.wait()
    times["exit"] = time.time() - start
    if code != 0 or "drawn" not in times:
        raise SystemExit(f"{command[0]} ({cwd}) failed: {''.join(tail)[-2000:]}")
    return times


def run_app(root: Path, project: Path, **extra: str) -> dict[str, float]:
    """One start of the app of checkout ``root``: seconds to ``first``, ``drawn`` and
    ``complete`` (where it reports them) and to the process's end."""
    env = dict(
        os.environ,
        INNOATLAS_TIMING="1",
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(root),
        INNOATLAS_DATA_DIR=str(FOLDER / f"userdata_{root.name}"),
        **extra,
    )
    shot = FOLDER / "shot.png"
    command = [sys.executable, "-m", "app", "--project", str(project), "--screenshot", str(shot)]
    return _run_child(command, env, root, "stderr")


def run_qgis(project: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = ["/usr/bin/python3", "-c", QGIS_CODE, str(project), str(FOLDER / "qgis.png")]
    return _run_child([*command, *LAYERS], env, FOLDER, "stdout")


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
    runners = [
        ("InnoAtlas", lambda: run_app(ROOT, project)),
        ("InnoAtlas, nothing kept", lambda: run_app(ROOT, project, INNOATLAS_NO_FIRST_FRAME="1")),
    ]
    if args.baseline:
        runners.append((f"before ({args.baseline})", lambda: run_app(args.baseline, project)))
    if shutil.which("qgis") or _has_pyqgis():
        runners.append(("QGIS (PyQGIS, one image)", lambda: run_qgis(project)))
    else:
        print("PyQGIS not found: no QGIS figure")
    run_app(ROOT, project)  # untimed: keeps the first frame (and compiles the modules)
    results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in runners}
    load = [os.getloadavg()[0]]
    for _ in range(args.runs):  # interleaved: a load change hits every peer alike
        for name, run in runners:
            results[name].append(run())
    load.append(os.getloadavg()[0])

    def median(rows: list[dict[str, float]], key: str, fallback: str = "drawn") -> float:
        return statistics.median(r.get(key, r.get(fallback, float("nan"))) for r in rows)

    ours = median(results["InnoAtlas"], "first")
    print(
        f"\n{args.n:,} start-ups, medians of {args.runs}; load average {load[0]:.1f}-{load[1]:.1f}"
    )
    print(
        "| start | first frame | drawn window | all layers drawn | process "
        "| cpu at drawn | cpu at all drawn | first frame / ours |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, rows in results.items():
        first = median(rows, "first")
        print(
            f"| {name} | {first:.2f} s | {median(rows, 'drawn'):.2f} s "
            f"| {median(rows, 'complete'):.2f} s | {median(rows, 'exit'):.2f} s "
            f"| {median(rows, 'cpu_drawn'):.2f} s "
            f"| {median(rows, 'cpu_complete', 'cpu_drawn'):.2f} s | {first / ours:.1f}× |"
        )


if __name__ == "__main__":
    main()
