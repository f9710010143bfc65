"""Cold start to a drawn window (issue: ≤ 1.0 s), against QGIS started the same way.

Both run under ``xvfb-run`` (a real X server), in fresh processes, several times:
- InnoAtlas: ``innoatlas --screenshot`` (starts, loads the default project, draws the
  map, saves the window, exits) — the time to the drawn window is printed by the
  app itself through INNOATLAS_TIMING=1, the total process time is measured here too.
- QGIS: ``qgis --nologo --noplugins --noversioncheck --code shown.py``, where shown.py
  notes the time once the main window is visible and quits (no project: an empty window).
Run: ``.venv/bin/python bench/bench_startup.py [--runs 5]``.
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

ROOT = Path(__file__).resolve().parents[1]

# Run by QGIS (--code) once its main window is up: note the time, then quit.
QGIS_CODE = """
import time
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface
with open({out!r}, "w") as f:
    f.write(str(time.time()) if iface.mainWindow().isVisible() else "hidden")
QTimer.singleShot(0, QApplication.instance().quit)
"""


def run_innoatlas(tmp: Path) -> tuple[float, float]:
    env = dict(os.environ, INNOATLAS_TIMING="1")
    env.pop("QT_QPA_PLATFORM", None)
    start = time.time()
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "app", "--screenshot", str(tmp / "shot.png")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    total = time.time() - start
    drawn = None
    for line in result.stderr.splitlines():
        if line.startswith("timing: drawn"):
            drawn = float(line.split()[-1])
    if result.returncode != 0 or drawn is None:
        raise SystemExit(f"innoatlas failed: {result.stderr}")
    return drawn - start, total


def run_qgis(tmp: Path) -> tuple[float, float]:
    marker = tmp / "qgis_shown.txt"
    script = tmp / "shown.py"
    script.write_text(QGIS_CODE.format(out=str(marker)))
    env = dict(os.environ, QT_QPA_PLATFORM="xcb")
    start = time.time()
    subprocess.run(
        [
            "xvfb-run",
            "-a",
            "qgis",
            "--nologo",
            "--noplugins",
            "--noversioncheck",
            "--profiles-path",
            str(tmp / "profiles"),
            "--code",
            str(script),
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    total = time.time() - start
    if not marker.exists() or marker.read_text() == "hidden":
        raise SystemExit("QGIS did not report a visible window")
    shown = float(marker.read_text()) - start
    marker.unlink()
    return shown, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("xvfb-run"):
        raise SystemExit("xvfb-run is needed (apt-get install xvfb)")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ours = [run_innoatlas(tmp) for _ in range(args.runs + 1)][1:]  # first run warms disk
        drawn = statistics.median(t[0] for t in ours)
        print(
            f"InnoAtlas: drawn window {drawn:.3f} s median of {args.runs} "
            f"(process incl. xvfb-run {statistics.median(t[1] for t in ours):.3f} s)"
        )
        if shutil.which("qgis"):
            theirs = [run_qgis(tmp) for _ in range(args.runs + 1)][1:]
            shown = statistics.median(t[0] for t in theirs)
            print(
                f"QGIS:      empty window {shown:.3f} s median of {args.runs} "
                f"(process {statistics.median(t[1] for t in theirs):.3f} s)"
            )
            print(f"ratio InnoAtlas/QGIS: {drawn / shown:.2f}")
        else:
            print("QGIS not installed: no peer figure (apt-get install qgis)")


if __name__ == "__main__":
    main()
