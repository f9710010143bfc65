"""The catchment circles on the screen come from a pixmap drawn once per radius (a live
drag redraws them every frame): they must look like the circles stroked directly, as
print and PDF draw them."""

import numpy as np
from PySide6.QtGui import QBrush, QImage, QPainter

from app.ui.canvas.render.sites_painter import catchment_fill, catchment_pen, draw_catchment


def _draw(qapp, radius: float, cached: bool, centre=(150.0, 140.0)) -> np.ndarray:
    image = QImage(300, 300, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    brush = QBrush(catchment_fill(1.0))
    draw_catchment(painter, *centre, radius, catchment_pen(), brush, cached)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(300, 300, 4)
    return pixels[:, :, :3].astype(float)


def test_a_cached_circle_looks_like_the_stroked_one(qapp):
    stroked = _draw(qapp, 100.0, cached=False)
    cached = _draw(qapp, 100.0, cached=True)
    again = _draw(qapp, 100.0, cached=True)  # from the cache this time
    ring = (255 - stroked).sum(axis=2) > 60  # the dashed outline's pixels
    assert ring.sum() > 300
    assert np.abs(cached - stroked).mean() < 1.5
    assert np.array_equal(cached, again)
    # the outline lands where the stroked one is, within a pixel (the pixmap is placed
    # on whole pixels)
    near = ring.copy()
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near |= np.roll(np.roll(ring, dy, axis=0), dx, axis=1)
    outline = (255 - cached).sum(axis=2) > 60
    assert outline.sum() > 300
    assert near[outline].mean() > 0.97
    bigger = (255 - _draw(qapp, 106.0, cached=True)).sum(axis=2) > 60
    assert near[bigger].mean() < 0.5


def test_a_cached_circle_of_another_size_or_place_differs(qapp):
    stroked = _draw(qapp, 100.0, cached=False)
    assert np.abs(_draw(qapp, 106.0, cached=True) - stroked).mean() > 1.5
    moved = _draw(qapp, 100.0, cached=True, centre=(158.0, 140.0))
    assert np.abs(moved - stroked).mean() > 1.5
