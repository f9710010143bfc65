"""Basemap tile draw time per frame at 1280 × 800 (issue 17).

Ours: plan the tiles of the view (zoom, tiles, their warps onto EPSG:5186, the mesh
where needed) and draw every tile warped. Peer, in the same run: the same tile images
drawn unwarped (one axis-aligned drawImage per tile, as a Web Mercator map would), i.e.
the least a tile basemap can cost ("blit"), and the same scaled by a non-integer
factor ("scaled", what any map between zoom levels pays). "+plan" is a frame of a new
view (tile choice and warps planned again); "ours" a redraw of the same view (tiles
arriving). Tiles come from a loopback server (never a real one)
and are decoded before timing. Run: ``.venv/bin/python bench/bench_basemap.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from app.core.basemap.sources import CUSTOM, BasemapSettings
from app.core.basemap.tiles import View, plan
from app.core.map.viewport import Viewport
from app.ui.canvas.basemap import BasemapLayer
from app.ui.gui import application
from tests.tile_server import TileServer

SIZE = (1280, 800)
CASES = {"street (0.6 m/px)": 0.6, "district (8 m/px)": 8.0, "Korea (400 m/px)": 400.0}


def timed(fn, repeat: int = 15) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    app = application()
    with TileServer() as server, tempfile.TemporaryDirectory() as folder:
        layer = BasemapLayer(Path(folder))
        layer.configure(BasemapSettings(True, CUSTOM, custom_url=server.template))
        image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
        print(
            f"{'view':<20}{'tiles':>6}{'ours ms':>10}{'+plan ms':>10}{'blit ms':>10}"
            f"{'scaled ms':>10}{'/blit':>9}{'/scaled':>9}"
        )
        for name, resolution in CASES.items():
            viewport = Viewport(203000.0, 544000.0, resolution, *SIZE)
            painter = QPainter(image)
            layer.paint(painter, viewport)  # ask for the tiles
            painter.end()
            deadline = time.monotonic() + 60
            while layer.pending() and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.01)
            app.processEvents()
            images = list(layer._images.values())
            tile_image = images[0]
            count = len(plan(View(viewport.center_x, viewport.center_y, resolution, *SIZE)))

            def ours():
                painter = QPainter(image)
                layer.paint(painter, viewport)
                painter.end()

            def peer(size=256.0):
                painter = QPainter(image)
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                for i in range(count):
                    x, y = (i % 6) * size - 64, (i // 6) * size - 64
                    painter.drawImage(QRectF(x, y, size, size), tile_image)
                painter.end()

            def first_frame():
                layer._plan = None  # a new view: plan the tiles too
                ours()

            a, b, c = timed(ours), timed(peer), timed(lambda: peer(289.3))
            f = timed(first_frame, 5)
            print(
                f"{name:<20}{count:>6}{a:>10.2f}{f:>10.2f}{b:>10.2f}{c:>10.2f}"
                f"{a / b:>9.1f}{a / c:>9.1f}"
            )
        layer.shutdown()


if __name__ == "__main__":
    main()
