"""Start-up density draw time per frame at 1280 × 800 (issue 16: smooth at 1:12 000).

Ours: the 50 m cells of the kernel-density layer interpolated bilinearly in numpy and
coloured through the class colours (``app/ui/canvas/render/smooth_grid.py``). Peer, in
the same run: the same cells drawn as polygons, one path per class (the blocky drawing
of before). Both from the layer's frame cache, at 1:12 000, 1:50 000 and city scale.
Run: ``.venv/bin/python bench/bench_density.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter

from app.core.analysis.map_layers import density_layer
from app.core.map.viewport import METRES_PER_INCH, Viewport
from app.core.paths import DEFAULT_PROJECT
from app.core.project.loader import load_project
from app.ui.canvas.render.layer_painter import _PolygonGroup, build_cache, group_rows, paint_layer
from app.ui.gui import application

SIZE = (1280, 800)
SCALES = {"1:12 000": 12_000, "1:50 000": 50_000, "city (1:200 000)": 200_000}


def timed(fn, repeat: int = 15) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    application()
    stack = load_project(DEFAULT_PROJECT)
    layer = density_layer(stack.get("startups"), 800.0)
    smooth = build_cache(layer)
    blocky = build_cache(layer)
    blocky.grid = None
    geometries = np.asarray(layer.data.geometry.values)
    blocky.polygons = [_PolygonGroup(s, geometries[rows]) for s, rows in group_rows(layer)]
    magok = stack.get("districts").data.query("district_id == 'magok'").geometry.iloc[0].centroid
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    print(f"{len(layer.data):,} cells of 50 m")
    for name, scale in SCALES.items():
        view = Viewport(width=SIZE[0], height=SIZE[1])
        view.center_x, view.center_y = magok.x, magok.y
        view.resolution = scale * METRES_PER_INCH / 96.0

        def draw(cache, view=view):
            image.fill(QColor("white"))
            painter = QPainter(image)
            paint_layer(painter, layer, cache, view)
            painter.end()

        ours, peer = timed(lambda: draw(smooth)), timed(lambda: draw(blocky))
        print(
            f"{name:>18}: smooth {ours:6.1f} ms   cells (peer) {peer:6.1f} ms   ratio {ours / peer:4.2f}"
        )


if __name__ == "__main__":
    main()
