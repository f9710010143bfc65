"""Frame time while dragging a vertex of a polygon site with 200 000 start-ups loaded.

Issue 3: "dragging a vertex with 200 000 start-ups loaded stays fluid". The edit tool is
driven with real QMouseEvents sent to the canvas (press on a vertex, N moves, release);
each move is timed together with a synchronous ``canvas.repaint()``, i.e. the time from
the mouse event to the finished frame.

Peer, in the same run: the naive way — re-render the whole map on every move
(``canvas.refresh(); canvas.repaint()``), as a canvas without a cached map image would.

Run: ``.venv/bin/python bench/bench_vertex_drag.py [--startups 200000] [--moves 60]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import shapely
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from app.core.paths import DEFAULT_PROJECT
from app.core.project.loader import load_project
from app.core.sites.geometry import check_polygon, polygon_vertices
from app.ui.gui import application, wait_until_drawn
from app.ui.window.main_window import MainWindow
from layers.themes.synthetic import generate_startups

SIZE = (1280, 800)
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def mouse(canvas, kind: QEvent.Type, pos: QPointF, button, buttons) -> None:
    """Deliver one real QMouseEvent to the canvas (synchronously, like a user's)."""
    event = QMouseEvent(
        kind, pos, canvas.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, event)


def build_window(n: int) -> MainWindow:
    stack = load_project(DEFAULT_PROJECT)
    stack.get("startups").set_data(
        generate_startups(
            n, stack.get("districts").data, stack.get("stations").data, stack.get("education").data
        )
    )
    window = MainWindow(stack)
    window.resize(*SIZE)
    window.show()
    if not wait_until_drawn(window):
        raise SystemExit("the map was not drawn")
    # G-Valley: the densest start-up cluster, so snapping has the most candidates.
    window.zoom_to_district("gvalley")
    window.canvas.repaint()
    return window


def add_polygon_site(window: MainWindow) -> str:
    """A 12-corner polygon site in the middle of the view, about a third of its width."""
    vp = window.canvas.viewport
    radius = vp.resolution * SIZE[0] / 6
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    ring = np.c_[vp.center_x + radius * np.cos(angles), vp.center_y + radius * np.sin(angles)]
    return window.editing.add_site(check_polygon(shapely.Polygon(ring)))


def drag_vertex(window: MainWindow, moves: int, naive: bool) -> tuple[list[float], float]:
    """Drag vertex 0 of the selected site; per-move ms and the release frame's ms."""
    canvas = window.canvas
    geometry = window.editing.selected_geometry()
    x, y = polygon_vertices(geometry)[0]
    start = canvas.map_to_screen(float(x), float(y))
    count_before = window.undo_stack.count()
    mouse(canvas, QEvent.Type.MouseButtonPress, start, LEFT, LEFT)
    assert window.edit_tool.mode == "vertex", "the press did not grab the vertex"
    times = []
    for i in range(1, moves + 1):
        pos = QPointF(start.x() + 2.0 * i, start.y() + 1.0 * i)
        t0 = time.perf_counter()
        mouse(canvas, QEvent.Type.MouseMove, pos, NONE, LEFT)
        if naive:
            canvas.refresh()  # throw the cached map away: render every layer again
        canvas.repaint()
        times.append((time.perf_counter() - t0) * 1000)
    assert window.edit_tool.preview is not None
    t0 = time.perf_counter()
    mouse(canvas, QEvent.Type.MouseButtonRelease, pos, LEFT, NONE)
    canvas.repaint()
    release_ms = (time.perf_counter() - t0) * 1000
    assert window.undo_stack.count() == count_before + 1, "the drag was not committed"
    return times, release_ms


def summary(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), float(np.percentile(times, 95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startups", type=int, default=200_000)
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--drags", type=int, default=3, help="drags per variant")
    args = parser.parse_args()

    application()
    t0 = time.perf_counter()
    window = build_window(args.startups)
    add_polygon_site(window)
    window.set_tool("edit_tool")
    window.canvas.repaint()
    loaded = len(window.stack.get("startups").data)
    assert loaded == args.startups
    print(
        f"InnoAtlas vertex drag, {loaded:,} start-ups, canvas {SIZE[0]}x{SIZE[1]}, "
        f"{args.drags} drags x {args.moves} moves (set-up {time.perf_counter() - t0:.1f} s; "
        f"full render {window.canvas.last_render_ms:.1f} ms)"
    )
    drag_vertex(window, 5, naive=False)  # warm-up (spatial indexes, caches)

    results = {}
    for label, snapping, naive in (
        ("edit tool, snapping on (default)", True, False),
        ("edit tool, snapping off", False, False),
        ("peer: full re-render per move", True, True),
    ):
        window.editing.snapping = snapping
        times, releases = [], []
        for _ in range(args.drags):
            moved, release = drag_vertex(window, args.moves, naive)
            times += moved
            releases.append(release)
        results[label] = summary(times)
        median, p95 = results[label]
        print(
            f"  {label:36s} median {median:6.2f} ms  p95 {p95:6.2f} ms  "
            f"(~{1000 / median:5.0f} fps)  release+commit frame {statistics.median(releases):6.1f} ms"
        )
    ours = results["edit tool, snapping on (default)"]
    peer = results["peer: full re-render per move"]
    print(f"  ratio peer/ours: median {peer[0] / ours[0]:.1f}x, p95 {peer[1] / ours[1]:.1f}x")
    print(f"  fluid (p95 <= 16.7 ms, 60 fps): {'yes' if ours[1] <= 1000 / 60 else 'NO'}")
    window.undo_stack.clear()
    window.project._set_clean()
    window.close()


if __name__ == "__main__":
    main()
