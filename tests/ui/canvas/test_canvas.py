"""The map canvas: drawing, pan/zoom by mouse and keys, status bar coordinates."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication


def pixel(window, x, y) -> QColor:
    """Colour the canvas shows at map point (x, y)."""
    canvas = window.canvas
    image = canvas.render_now()
    point = canvas.map_to_screen(x, y)
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def test_canvas_screen_map_round_trip(square_window):
    canvas = square_window.canvas
    for x, y in [(0.0, 0.0), (123.4, 987.6), (1000.0, 250.0)]:
        point = canvas.map_to_screen(x, y)
        back = canvas.screen_to_map(point)
        assert back == pytest.approx((x, y), abs=1e-6)


def test_top_layer_is_drawn_over_lower_layers(square_window):
    assert pixel(square_window, 200, 200).name() == "#ff0000"
    assert pixel(square_window, 500, 500).name() == "#00ff00"


def test_drag_pans_the_map(qtbot, square_window):
    canvas = square_window.canvas
    before = canvas.screen_to_map(QPointF(300, 300))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(350, 320))
    qtbot.mouseMove(canvas, QPoint(400, 340))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 340))
    # The map point that was under (300, 300) is now under (400, 340).
    assert canvas.screen_to_map(QPointF(400, 340)) == pytest.approx(before, abs=1e-6)


def _wheel(canvas, pos: QPoint, notches: int):
    event = QWheelEvent(
        QPointF(pos),
        QPointF(canvas.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def test_wheel_zooms_around_the_cursor(square_window):
    canvas = square_window.canvas
    pos = QPoint(150, 120)
    anchor = canvas.screen_to_map(QPointF(pos))
    resolution = canvas.viewport.resolution
    _wheel(canvas, pos, 2)
    assert canvas.viewport.resolution == pytest.approx(resolution / 1.25**2)
    assert canvas.screen_to_map(QPointF(pos)) == pytest.approx(anchor, abs=1e-6)
    _wheel(canvas, pos, -2)
    assert canvas.viewport.resolution == pytest.approx(resolution)


def test_keys_pan_and_zoom(qtbot, square_window):
    canvas = square_window.canvas
    canvas.setFocus()
    centre = (canvas.viewport.center_x, canvas.viewport.center_y)
    resolution = canvas.viewport.resolution
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.viewport.center_x > centre[0]
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert canvas.viewport.center_y > centre[1]
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.viewport.resolution < resolution
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.viewport.resolution > resolution


def test_status_bar_shows_cursor_position(qtbot, main_window):
    canvas = main_window.canvas
    districts = main_window.stack.get("districts").data
    magok = districts[districts.district_id == "magok"].geometry.iloc[0].centroid
    qtbot.mouseMove(canvas, canvas.map_to_screen(magok.x, magok.y).toPoint())
    text = main_window.coords_label.text()
    assert "EPSG:5186" in text
    # Magok lies near 37.56 N, 126.83 E.
    assert "37.5" in text and "126.8" in text
    assert main_window.scale_label.text().startswith("1:")


def test_zoom_to_district_shortcuts(qtbot, main_window):
    canvas = main_window.canvas
    districts = main_window.stack.get("districts").data.set_index("district_id")
    for key, district in (
        (Qt.Key.Key_1, "gvalley"),
        (Qt.Key.Key_2, "magok"),
        (Qt.Key.Key_3, "yangjae"),
    ):
        qtbot.keyClick(main_window, key, Qt.KeyboardModifier.ControlModifier)
        xmin, ymin, xmax, ymax = canvas.viewport.extent
        bxmin, bymin, bxmax, bymax = districts.geometry[district].bounds
        assert xmin <= bxmin and ymin <= bymin and xmax >= bxmax and ymax >= bymax
        # ...and the district fills a good part of the view.
        assert (bxmax - bxmin) > 0.5 * (xmax - xmin) or (bymax - bymin) > 0.5 * (ymax - ymin)
    qtbot.keyClick(
        main_window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    full = main_window.stack.extent()
    xmin, ymin, xmax, ymax = canvas.viewport.extent
    assert xmin <= full[0] and xmax >= full[2]


def test_scale_bar_and_north_arrow_are_drawn(main_window):
    image = main_window.canvas.grab().toImage()
    height = image.height()
    # The scale bar's black first half sits in the bottom-left corner.
    dark = sum(
        1
        for x in range(10, 200)
        for y in range(height - 40, height - 10)
        if image.pixelColor(x, y).lightness() < 60
    )
    assert dark > 100
    width = image.width()
    arrow = sum(
        1
        for x in range(width - 70, width - 5)
        for y in range(5, 80)
        if image.pixelColor(x, y).lightness() < 60
    )
    assert arrow > 50
