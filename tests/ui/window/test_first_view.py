"""On first start the three districts and all of their zoning (the airport height-limit
zone west of Magok too) fit inside the map, clear of the docks and of the attribution
box and scale bar drawn over it, at 1366×768 and 1920×1080 (issue 16)."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from app.core.project.scenes import districts_extent


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_districts_and_their_zoning_fit_the_free_map_area(qtbot, main_window, size):
    w = main_window
    w.resize(*size)
    for _ in range(5):
        QApplication.processEvents()
    canvas = w.canvas
    assert canvas.width() < w.width()  # the docks take their share; the map is the rest
    extent = districts_extent(w.stack)
    zoning = w.stack.get("zoning").data
    assert extent[0] < w.stack.get("districts").extent[0]  # the height zone reaches west
    assert extent[0] == pytest.approx(zoning.total_bounds[0])
    view = canvas.viewport
    assert (view.width, view.height) == (canvas.width(), canvas.height())
    left, top = view.map_to_screen(extent[0], extent[3])
    right, bottom = view.map_to_screen(extent[2], extent[1])
    free = canvas.renderer.free_area(view, canvas.decoration_scale, canvas.language)
    assert left >= 4 and top >= 4  # with a margin
    assert right <= view.width - 4 and bottom <= free[3] - 2
    assert free[3] < view.height - 20  # the attribution box is kept clear of
    # and in pixels: the map drawn at the west edge of the height zone shows it
    canvas.render_now()
    image = canvas.grab().toImage()
    ratio = canvas.devicePixelRatioF()
    x = int((left + 3) * ratio)
    zone = zoning.iloc[int(np.argmin(zoning.geometry.bounds["minx"].to_numpy()))].geometry
    y_map = zone.representative_point().y
    _, y = view.map_to_screen(zone.bounds[0], y_map)
    column = [image.pixelColor(x, int(y * ratio) + dy).name() for dy in range(-40, 41, 4)]
    assert len(set(column)) > 1  # something is drawn there, not cut off
