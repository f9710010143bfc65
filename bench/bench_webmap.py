"""Web map with many start-ups: page size, load time and zoom time in headless Chromium.

Builds the default project's web map with its start-ups replaced by ``N`` generated ones
(``bench/make_points.py``; Korean names, eight sectors) and, in the same run, the same
points as folium's ``GeoDataFrame.explore(column="sector")`` page and (``--baseline``)
the page of another checkout (e.g. main before the packed points). Each page is opened
in the system's Chromium through Playwright (``/usr/bin/chromium``):

- **load**: from navigation start to the first frame after the ``load`` event with the
  points drawn (``performance.now()`` in the page);
- **zoom**: one zoom step in (no animation), from the call to the second frame after
  ``zoomend`` (the points redrawn and painted); median of ``--zooms`` steps in and out
  (of every round), and the 90th percentile of the steps;
- **zoom CPU**: the CPU time of all the browser's processes (``SystemInfo.getProcessInfo``)
  over the zoom steps, per step (on this shared machine, wall times grow with the load;
  the CPU time less so).

With ``--rounds R`` the pages are built first, then measured R times, one after the other
in each round (so that the load falls on all of them alike).

Run: ``/work/main/.venv/bin/python bench/bench_webmap.py -n 200000 --baseline /work/main``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def build_ours(n: int, out: Path, root: Path) -> float:
    """Write the web map of the default project with ``n`` start-ups; seconds taken."""
    sys.path.insert(0, str(root))
    import numpy as np

    from app.core.export.webmap.page import export_html
    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project
    from layers.themes.startups import SECTORS

    # after the app's modules: make_points puts this checkout first on the path
    sys.path.insert(1, str(ROOT / "bench"))
    from make_points import write_points

    points = _points(n, write_points)
    project = open_project(DEFAULT_PROJECT)
    layer = project.stack.get("startups")
    data = points.to_crs("EPSG:5186")
    keys = np.array(list(SECTORS), dtype=object)
    data = data.assign(
        name=data["상호"],
        sector=keys[np.arange(len(data)) % len(keys)],
        founded=2020,
        employees=data["종사자수"],
        synthetic=True,
        district_id="",
    )[["name", "sector", "founded", "employees", "synthetic", "district_id", "geometry"]]
    layer.set_data(data)
    start = time.perf_counter()
    export_html(out, project.stack, title="bench", language="en")
    return time.perf_counter() - start


def _points(n: int, write_points):
    import pyogrio

    folder = Path("/tmp/innoatlas_points")
    folder.mkdir(exist_ok=True)
    return pyogrio.read_dataframe(write_points(folder, n, kinds=("gpkg",))["gpkg"])


FOLIUM_CODE = """
import sys, time
import numpy as np, pyogrio
n, path, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
keys = np.array(sys.argv[4].split(","), dtype=object)
points = pyogrio.read_dataframe(path).to_crs("EPSG:4326")
points = points.assign(name=points["상호"], sector=keys[np.arange(len(points)) % len(keys)])
start = time.perf_counter()
points[["name", "sector", "geometry"]].explore(column="sector", tiles=None).save(out)
print(f"{time.perf_counter() - start:.2f}")
"""


def build_folium(n: int, out: Path, python: str) -> float:
    """The same points as ``GeoDataFrame.explore(column="sector")`` (run by ``python``,
    an environment with folium, matplotlib and mapclassify); its CDN scripts and styles
    are put inline where offlinefolium has them (the page is opened offline). Seconds
    taken by ``explore`` and ``save``."""
    sys.path.insert(0, str(ROOT / "bench"))
    import re

    from make_points import write_points
    from offlinefolium.elements import _res as inline

    from layers.themes.startups import SECTORS

    source = write_points(Path("/tmp/innoatlas_points"), n, kinds=("gpkg",))["gpkg"]
    done = subprocess.run(
        [python, "-c", FOLIUM_CODE, str(n), str(source), str(out), ",".join(SECTORS)],
        check=True,
        capture_output=True,
        text=True,
    )
    text = out.read_text(encoding="utf-8")
    text = re.sub(
        r'<script src="([^"]+)"></script>',
        lambda m: f"<script>{inline[m.group(1)]}</script>" if m.group(1) in inline else m.group(0),
        text,
    )
    text = re.sub(
        r'<link rel="stylesheet" href="([^"]+)"\s*/?>',
        lambda m: f"<style>{inline[m.group(1)]}</style>" if m.group(1) in inline else m.group(0),
        text,
    )
    out.write_text(text, encoding="utf-8")
    return float(done.stdout.split()[-1])


_MAP = (
    "(window.innoatlas && innoatlas.map) || "
    "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"
)


def _cpu_seconds(browser) -> float:
    """The CPU time so far of all the browser's processes."""
    session = browser.new_browser_cdp_session()
    info = session.send("SystemInfo.getProcessInfo")["processInfo"]
    session.detach()
    return sum(process["cpuTime"] for process in info)


def measure(path: Path, zooms: int, timeout_s: int = 600) -> tuple[float, list[float], float]:
    """``(load ms, zoom ms of each step, CPU ms per zoom)`` of a page in headless
    Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        # offline, as a planner's laptop in a workshop: only the page itself loads
        tab.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:"))
                else route.abort()
            ),
        )
        try:
            tab.goto(path.as_uri(), wait_until="load", timeout=timeout_s * 1000)
        except Exception as err:  # Playwright's TimeoutError: the page never loaded
            print(f"  {path.name}: not loaded in {timeout_s} s ({type(err).__name__})")
            browser.close()
            return float("inf"), [float("inf")], float("inf")
        load = tab.evaluate(
            """async () => {
              const drawn = () => !document.querySelector("canvas.inno-points") ||
                  document.querySelector("canvas.inno-points[data-inno-drawn]");
              while (!drawn()) { await new Promise(r => requestAnimationFrame(r)); }
              return await new Promise(r => requestAnimationFrame(() => r(performance.now())));
            }"""
        )
        times = []
        cpu = _cpu_seconds(browser)
        for step in range(zooms):
            times.append(
                tab.evaluate(
                    """([dz]) => new Promise(res => {
                      const m = """
                    + _MAP
                    + """;
                      const t0 = performance.now();
                      m.once("zoomend", () => requestAnimationFrame(() =>
                        requestAnimationFrame(() => res(performance.now() - t0))));
                      m.setZoom(m.getZoom() + dz, {animate: false});
                    })""",
                    [1 if step % 2 == 0 else -1],
                )
            )
        cpu = (_cpu_seconds(browser) - cpu) * 1000 / zooms
        browser.close()
    return load, times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000)
    parser.add_argument("--baseline", type=Path, help="another checkout (e.g. /work/main)")
    parser.add_argument("--no-folium", action="store_true")
    parser.add_argument(
        "--folium-python",
        default="/tmp/foliumenv/bin/python",
        help="a Python with folium, matplotlib, mapclassify, geopandas (explore's needs)",
    )
    parser.add_argument("--zooms", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=1, help="measurements of each page")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a page may take")
    parser.add_argument("--out", type=Path, default=Path("/tmp/innoatlas_webmap"))
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--folium", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:  # a child process: build one page and print the seconds
        seconds = (
            build_folium(args.n, args.build, args.folium_python)
            if args.folium
            else build_ours(args.n, args.build, args.root)
        )
        print(f"{seconds:.2f}")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    pages = [("InnoAtlas", ROOT, False)]
    if args.baseline:
        pages.append((f"before ({args.baseline})", args.baseline, False))
    if not args.no_folium:
        pages.append(("folium explore", ROOT, True))
    built_pages = []
    for number, (name, root, folium) in enumerate(pages):
        path = args.out / f"page{number}_{args.n}.html"
        env = dict(os.environ, PYTHONPATH=str(root))
        command = [sys.executable, __file__, "-n", str(args.n), "--build", str(path)]
        command += ["--root", str(root)]
        command += ["--folium", "--folium-python", args.folium_python] if folium else []
        built = float(
            subprocess.run(
                command, env=env, check=True, capture_output=True, text=True
            ).stdout.split()[-1]
        )
        built_pages.append((name, path, built))
    loads: dict[str, list[float]] = {name: [] for name, _, _ in built_pages}
    zoom_times: dict[str, list[float]] = {name: [] for name, _, _ in built_pages}
    cpus: dict[str, list[float]] = {name: [] for name, _, _ in built_pages}
    for round_ in range(args.rounds):
        for name, path, _ in built_pages:
            load, times, cpu = measure(path, args.zooms, args.timeout)
            loads[name].append(load)
            zoom_times[name] += times
            cpus[name].append(cpu)
            print(
                f"round {round_ + 1}, {name}: load {load:.0f} ms, "
                f"zoom {statistics.median(times):.0f} ms, CPU {cpu:.0f} ms per zoom, "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    rows = [
        (
            name,
            path.stat().st_size / 1e6,
            built,
            statistics.median(loads[name]),
            statistics.median(zoom_times[name]),
            statistics.quantiles(zoom_times[name], n=10)[-1],
            statistics.median(cpus[name]),
        )
        for name, path, built in built_pages
    ]
    ours = rows[0]
    print(f"\n{args.n:,} start-ups; load average {os.getloadavg()[0]:.1f}")
    print(
        "| page | size | export | load | zoom | zoom p90 | zoom CPU | size / ours "
        "| load / ours | zoom / ours | CPU / ours |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, size, built, load, zoom, p90, cpu in rows:
        print(
            f"| {name} | {size:.1f} MB | {built:.1f} s | {load:,.0f} ms | {zoom:,.0f} ms | "
            f"{p90:,.0f} ms | {cpu:,.0f} ms | {size / ours[1]:.1f}× | {load / ours[3]:.1f}× | "
            f"{zoom / ours[4]:.1f}× | {cpu / ours[6]:.1f}× |"
        )


if __name__ == "__main__":
    main()
