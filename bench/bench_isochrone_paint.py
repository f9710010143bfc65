"""The isochrone polygon a resting drag shows: made (``isochrones``) and painted on a
1280 × 800 image as the canvas overlay paints it, on the bench network of
``bench_network.py`` (about 20 000 edges), 15 sites, R = 800 m. The moving drag's strokes
are measured by ``bench_network.py`` (section 2).

Run: ``.venv/bin/python bench/bench_isochrone_paint.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import shapely

from app.core.network.isochrone import isochrones
from app.core.network.topology import build_network
from bench.bench_network import X0, Y0, street_lines


def main() -> None:
    from PySide6.QtGui import QImage, QPainter

    from app.core.map.viewport import Viewport
    from app.ui.gui import application
    from app.ui.network.overlay import IsochroneOverlay

    net = build_network(*street_lines(np.random.default_rng(18)))
    application()
    image = QImage(1280, 800, QImage.Format.Format_ARGB32_Premultiplied)
    rng = np.random.default_rng(1)
    made, painted = [], []
    for _ in range(15):
        x, y = X0 + rng.uniform(1000, 5000), Y0 + rng.uniform(1000, 5000)
        t = time.perf_counter()
        polygon = isochrones(net, np.array([shapely.Point(x, y)], dtype=object), [800.0])
        made.append(time.perf_counter() - t)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        t = time.perf_counter()
        IsochroneOverlay._polygons(painter, Viewport(x, y, 2.5, 1280, 800), [polygon.geometry[0]])
        painted.append(time.perf_counter() - t)
        painter.end()
    print(
        f"isochrone polygon (one site, R = 800 m, {net.n_edges} edges): median "
        f"{statistics.median(made) * 1000:.0f} ms, max {max(made) * 1000:.0f} ms; painted "
        f"on 1280 × 800: median {statistics.median(painted) * 1000:.1f} ms, max "
        f"{max(painted) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
