"""Measure distance and area on the map with real mouse and key events (issue 17)."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QRadioButton

A, B, C, D = (300.0, 300.0), (700.0, 300.0), (700.0, 700.0), (300.0, 700.0)


def at(window, xy) -> QPoint:
    return window.canvas.map_to_screen(*xy).toPoint()


def click(qtbot, window, xy):
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=at(window, xy))


@pytest.fixture
def w(qtbot, square_window):
    w = square_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(
        w, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert w.canvas.tool is w.measure_tool
    return w


def panel(w):
    return w.desk.measure_panel


def test_distance_with_segments_backspace_and_esc(qtbot, w):
    assert panel(w).isVisible()
    for point in (A, B, C):
        click(qtbot, w, point)
    qtbot.keyClick(w.canvas, Qt.Key.Key_Return)
    tool = w.measure_tool
    assert tool.finished
    # the clicks land on whole pixels: a few centimetres at this zoom
    assert tool.last.length == pytest.approx(800.0, abs=5)
    assert panel(w).segments.count() == 2
    assert panel(w).planar.text().endswith(" m")
    assert "Distance" in w.statusBar().currentMessage()
    assert tool.last.length_ellipsoidal != tool.last.length  # both shown

    qtbot.keyClick(w.canvas, Qt.Key.Key_Backspace)
    assert len(tool.points) == 2 and tool.last.length == pytest.approx(400.0, abs=3)
    assert panel(w).segments.count() == 1

    qtbot.keyClick(w.canvas, Qt.Key.Key_Escape)
    assert tool.points == [] and tool.last is None
    assert panel(w).segments.count() == 0


def test_area_mode_and_copy(qtbot, w):
    area = panel(w).findChild(QRadioButton, "measureArea")
    qtbot.mouseClick(area, Qt.MouseButton.LeftButton, pos=QPoint(6, area.height() // 2))
    assert w.measure_tool.mode == "area"
    for point in (A, B, C, D):
        click(qtbot, w, point)
    qtbot.mouseDClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, D))
    m = w.measure_tool.last
    assert m.area == pytest.approx(160_000, rel=0.02)
    assert len(m.segments) == 4  # the closing side too
    assert "ha" in panel(w).planar.text()
    copy = panel(w).findChild(QPushButton, "measureCopy")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert text.startswith("Area ") and "Segment 4" in text
    # a click after finishing starts a new measurement
    click(qtbot, w, A)
    assert len(w.measure_tool.points) == 1


def test_measure_snaps_to_vertices(qtbot, w):
    w.actions_by_name["actionSnapping"].setChecked(True)
    w.editing.snapping = True
    near = at(w, (500.0, 500.0)) + QPoint(3, 2)  # a few pixels off the green dot
    qtbot.mouseMove(w.canvas, near)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=near)
    corner = at(w, (1000.0, 1000.0)) + QPoint(-2, 3)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=corner)
    assert w.measure_tool.points == [(500.0, 500.0), (1000.0, 1000.0)]
    qtbot.keyClick(w.canvas, Qt.Key.Key_Return)
    assert w.measure_tool.last.length == pytest.approx(707.107, abs=1e-3)


def test_switching_tool_hides_the_panel(qtbot, w):
    qtbot.keyClick(
        w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert w.canvas.tool is w.pan_tool
    assert not panel(w).isVisible()
