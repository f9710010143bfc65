"""Full canvas redraw time with many start-ups (issue: ≤ 50 ms at 200k, ≤ 150 ms at 1M).

Peer, in the same run: the naive way the architecture warns against — one
QGraphicsEllipseItem per start-up in a QGraphicsScene — rendered into an image of
the same size. Run: ``.venv/bin/python bench/bench_render.py [--sizes 200000 1000000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from app.core.paths import DEFAULT_PROJECT
from app.core.project.loader import load_project
from app.ui.canvas.map_canvas import MapCanvas
from app.ui.gui import application
from layers.themes.synthetic import generate_startups

SIZE = (1280, 800)


def stack_with(n: int):
    stack = load_project(DEFAULT_PROJECT)
    layer = stack.get("startups")
    layer.set_data(
        generate_startups(
            n, stack.get("districts").data, stack.get("stations").data, stack.get("education").data
        )
    )
    return stack


def time_canvas(stack, repeats: int = 7) -> tuple[float, float]:
    canvas = MapCanvas(stack)
    canvas.resize(*SIZE)
    canvas.zoom_to_extent(stack.get("districts").extent, 0.06)
    first = time.perf_counter()
    canvas.render_now()  # builds the per-layer caches
    first_ms = (time.perf_counter() - first) * 1000
    times = []
    for i in range(repeats):
        canvas.zoom_by(1.1 if i % 2 else 1 / 1.1)  # a new view each time: no image cache
        start = time.perf_counter()
        canvas.render_now()
        times.append((time.perf_counter() - start) * 1000)
    return first_ms, statistics.median(times)


def time_item_per_point(stack, cap: int) -> tuple[float, int]:
    """Render the start-ups as one QGraphicsItem each (at most ``cap`` items)."""
    data = stack.get("startups").data.iloc[:cap]
    x, y = data.geometry.x.to_numpy(), -data.geometry.y.to_numpy()
    scene = QGraphicsScene()
    pen, brush = QPen(Qt.PenStyle.NoPen), QBrush(QColor("#4e79a7"))
    for px, py in zip(x.tolist(), y.tolist()):
        scene.addEllipse(px - 10, py - 10, 20, 20, pen, brush)
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    xmin, ymin, xmax, ymax = stack.get("districts").extent
    target = QRectF(0, 0, *SIZE)
    start = time.perf_counter()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    scene.render(painter, target, QRectF(xmin, -ymax, xmax - xmin, ymax - ymin))
    painter.end()
    elapsed = (time.perf_counter() - start) * 1000
    teardown = time.perf_counter()
    scene.clear()
    return elapsed, len(data), (time.perf_counter() - teardown) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--peer-cap", type=int, default=200_000)
    args = parser.parse_args()
    application()
    for n in args.sizes:
        stack = stack_with(n)
        first, median = time_canvas(stack)
        print(
            f"{n:>9,} start-ups: full redraw median {median:6.1f} ms "
            f"(first, building caches: {first:6.1f} ms)"
        )
        if n <= args.peer_cap:
            peer, count, teardown = time_item_per_point(stack, args.peer_cap)
            print(
                f"          peer, one QGraphicsItem per point ({count:,}): render "
                f"{peer:6.1f} ms, teardown {teardown:6.1f} ms -> ratio {peer / median:4.1f}x"
            )


if __name__ == "__main__":
    main()
