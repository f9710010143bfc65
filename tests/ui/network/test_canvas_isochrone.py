"""The canvas draws the isochrone the exports draw: when a drag rests, and after it, the
green area on the map is the exported polygon, pixel for pixel away from its edge (real
mouse events)."""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tests.ui.network.test_walking import choose_walking_network
from tests.ui.sites.test_tools import at, click, use

MARGIN_PX = 4.0


def _image(window) -> np.ndarray:
    QApplication.processEvents()
    image = window.canvas.grab().toImage()
    return np.array(
        [
            [image.pixelColor(x, y).getRgb()[:3] for x in range(image.width())]
            for y in range(0, image.height())
        ]
    )


def _straight_lines(qtbot, window) -> None:
    """Analysis → Walking network…, 'Straight line', OK (real clicks)."""

    def answer():
        dialog = QApplication.activeModalWidget()
        qtbot.mouseClick(dialog.line, Qt.MouseButton.LeftButton)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, answer)
    window.walking.action.trigger()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    QApplication.processEvents()


def _painted_where(
    window, polygon, site, radius, with_iso, without, away=None
) -> tuple[np.ndarray, np.ndarray]:
    """Per sample pixel clearly inside or clearly outside ``polygon`` (and outside the
    disc ``away``, where the dragged site was): (inside?, painted?)."""
    canvas = window.canvas
    step = 3
    ys, xs = np.mgrid[4 : canvas.height() - 4 : step, 4 : canvas.width() - 4 : step]
    xs, ys = xs.ravel(), ys.ravel()
    res = canvas.viewport.resolution
    mx, my = canvas.viewport.screen_to_map(xs.astype(float), ys.astype(float))
    points = shapely.points(mx, my)
    edge = shapely.distance(points, polygon.boundary) / res
    ring = np.abs(shapely.distance(points, site) - radius) / res
    near_site = shapely.distance(points, site) / res
    keep = (edge > MARGIN_PX) & (ring > MARGIN_PX) & (near_site > 60)
    if away is not None:  # while dragging, the site is still drawn where it was
        keep &= shapely.distance(points, away) / res > MARGIN_PX
    inside = shapely.contains_xy(polygon, mx, my)
    diff = np.abs(with_iso[ys, xs].astype(int) - without[ys, xs].astype(int)).sum(axis=1)
    return inside[keep], diff[keep] > 12


def test_the_canvas_shows_the_exported_isochrone_when_the_drag_rests(qtbot, w):
    controller = w.walking.controller
    choose_walking_network(qtbot, w)
    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, (600.0, 900.0))
    w.indicators.wait()
    use(qtbot, w, Qt.Key.Key_E)
    click(qtbot, w, (600.0, 900.0))
    canvas = w.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(w, (600.0, 900.0)))
    for x in (900.0, 1200.0, 1500.0):
        qtbot.mouseMove(canvas, at(w, (x, 700.0)))
    assert controller.live is not None and controller.live[4] is None  # moving: strokes
    qtbot.waitUntil(lambda: controller.live[4] is not None, timeout=5000)  # it rests
    resting = _image(w)
    site, radius = controller.live[1], controller.live[2]
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(w, (1500.0, 700.0)))
    released = _image(w)
    exported = w.walking.export_stack().get("walking_isochrones").data.geometry.iloc[0]
    assert exported.equals(controller.polygon(site, radius))
    assert exported.intersects(shapely.Point(1800, 1150))  # over the bridge
    _straight_lines(qtbot, w)
    assert controller.network is None
    circles = _image(w)
    old = shapely.Point(600, 900).buffer(radius)
    for shown, away in ((resting, old), (released, None)):
        inside, painted = _painted_where(w, exported, site, radius, shown, circles, away)
        assert inside.sum() > 100 and (~inside).sum() > 1000
        assert painted[inside].all()  # every pixel of the exported area is green
        assert not painted[~inside].any()  # and none outside it
