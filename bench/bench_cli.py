"""End to end: ``innoatlas indicators`` in a fresh process against ``qgis_process``.

For each size (default 200 000 and 1 000 000 start-ups) the generated files of
``bench/make_points.py`` (GeoPackage, EPSG:5179; written to ``--folder``, never to the
repository) are used: ``innoatlas indicators sites_50.gpkg --startups startups_N.gpkg``
computes every indicator of 50 sites (the education, station and zoning layers from the
embedded project) and writes a CSV. The peer, in the same run and on the same start-ups:
``qgis_process run native:countpointsinpolygon`` with the 50 catchments (800 m buffers,
made once, untimed) headless (``QT_QPA_PLATFORM=offscreen``): one count only, against all
our indicators. Each command runs ``--repeats`` times in turn (so that the load of the
shared machine falls on both); medians of the wall time and the peak RSS of the child
(``wait4``) are printed, with the ratio peer / InnoAtlas, and the child's CPU time (user +
system), which the machine's load inflates far less than the wall clock.
``--baseline /work/main`` times the same command with another checkout's code too
(before/after in one run) and checks that both wrote byte-identical files. ``--floor``
first times ``python -c "import X"`` for the libraries the command needs, each in a fresh
process: the fixed cost no change to InnoAtlas's own code removes.

Run: ``/work/main/.venv/bin/python bench/bench_cli.py [-n 200000 1000000] [--repeats 3]``.
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
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import geopandas as gpd
import pyogrio
from make_points import write_points, write_sites


def run(command: list[str], env: dict, cwd: Path = ROOT) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MiB), exit code and CPU seconds of one child process."""
    t = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    if child.stderr is not None:
        child.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), cpu


FLOOR = ("", "numpy", "shapely", "pyproj", "pyarrow", "pandas", "pyogrio", "geopandas")


def floor(env: dict, repeats: int) -> None:
    """Median wall and CPU seconds of ``python -c "import X"`` in a fresh process."""
    print("| fresh process | wall | cpu |\n|---|---|---|")
    cases = [(name or "python alone", f"import {name}" if name else "pass") for name in FLOOR]
    cases.append(("innoatlas parser", "from app.cli.main import build_parser; build_parser()"))
    for name, code in cases:
        rows = [run([sys.executable, "-c", code], env) for _ in range(repeats)]
        wall = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[3] for r in rows)
        print(f"| {name} | {wall:.3f} s | {cpu:.3f} s |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/innoatlas_points"))
    parser.add_argument("--no-qgis", action="store_true")
    parser.add_argument("--floor", action="store_true", help="time the libraries' imports")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (e.g. /work/main): its CLI timed too"
    )
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    if args.floor:
        floor(env, max(args.repeats, 5))
    sites = write_sites(args.folder, args.sites)
    # Debian's qgis_process wrapper passes /etc/default/qgis's --noversioncheck, which
    # qgis_process refuses ("Command --noversioncheck not known!"): run the binary
    qgis = (
        None if args.no_qgis else shutil.which("qgis_process.bin") or shutil.which("qgis_process")
    )
    if qgis is None:
        print("qgis_process: not run (not on PATH or --no-qgis); no peer figures")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catchments = folder / "catchments.gpkg"
        frame = gpd.read_file(sites)
        frame["geometry"] = frame.geometry.buffer(800.0)
        pyogrio.write_dataframe(frame, catchments, layer="catchments")
        for n in args.n:
            points = write_points(args.folder, n, kinds=("gpkg",))["gpkg"]
            ours_cmd = [sys.executable, "-m", "app.cli.main", "indicators", str(sites),
                        "--startups", str(points), "--out", str(folder / "ours.csv")]  # fmt: skip
            peer_cmd = [qgis or "qgis_process", "run", "native:countpointsinpolygon",
                        f"--POLYGONS={catchments}", f"--POINTS={points}", "--FIELD=NUMPOINTS",
                        f"--OUTPUT={folder / 'qgis.gpkg'}"]  # fmt: skip
            base_env = {**env, "PYTHONPATH": str(args.baseline)} if args.baseline else None
            base_cmd = [*ours_cmd[:-1], str(folder / "base.csv")]
            ours, theirs, base = [], [], []
            for _ in range(args.repeats):
                ours.append(run(ours_cmd, env))
                if base_env is not None:
                    base.append(run(base_cmd, base_env, args.baseline))
                if qgis:
                    (folder / "qgis.gpkg").unlink(missing_ok=True)
                    theirs.append(run(peer_cmd, env))
            if any(r[2] for r in ours):
                print(f"innoatlas failed (exit {ours[0][2]})")
                continue
            wall = statistics.median(r[0] for r in ours)
            rss = statistics.median(r[1] for r in ours)
            cpu = statistics.median(r[3] for r in ours)
            line = (
                f"{n:>9,} start-ups x {args.sites} sites: innoatlas indicators "
                f"{wall:6.2f} s (cpu {cpu:.2f} s), {rss:5.0f} MiB"
            )
            if theirs and not any(r[2] for r in theirs):
                peer = statistics.median(r[0] for r in theirs)
                peer_rss = statistics.median(r[1] for r in theirs)
                peer_cpu = statistics.median(r[3] for r in theirs)
                line += (
                    f" | qgis_process countpointsinpolygon {peer:6.2f} s (cpu {peer_cpu:.2f} s),"
                    f" {peer_rss:5.0f} MiB"
                    f" | ratio {peer / wall:.1f}x"
                )
            elif qgis:
                line += " | qgis_process failed"
            if base and not any(r[2] for r in base):
                before = statistics.median(r[0] for r in base)
                before_rss = statistics.median(r[1] for r in base)
                before_cpu = statistics.median(r[3] for r in base)
                same = (folder / "ours.csv").read_bytes() == (folder / "base.csv").read_bytes()
                line += (
                    f" | baseline {before:6.2f} s (cpu {before_cpu:.2f} s), {before_rss:5.0f} MiB"
                    f" | output {'byte-identical' if same else 'DIFFERS'}"
                )
            print(f"{line} | load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
