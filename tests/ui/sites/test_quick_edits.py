"""Quick edits: Delete right after adding a corner, quick polygon clicks."""

import pytest
import shapely
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.ui.sites.test_tools import A, B, C, D, at, click, drag, key, sites, use


@pytest.fixture
def w(square_window):
    square_window.actions_by_name["actionSnapping"].setChecked(False)
    return square_window


def corners(window):
    return len(shapely.get_coordinates(sites(window).geometry.iloc[0])) - 1


def test_delete_right_after_adding_a_corner_removes_that_corner(qtbot, w):
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, C)
    use(qtbot, w, Qt.Key.Key_E)
    click(qtbot, w, (500.0, 500.0))  # select
    before = corners(w)
    qtbot.mouseMove(w.canvas, at(w, (480.0, 300.0)))
    qtbot.mouseDClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, (500.0, 300.0)))
    assert corners(w) == before + 1
    key(qtbot, w, Qt.Key.Key_Delete)  # the mouse did not move
    assert len(sites(w)) == 1  # not the whole site
    assert corners(w) == before
    assert w.undo_stack.undoText().startswith("Delete vertex")


def quick_click(qtbot, window, xy):
    """A click that follows the one before within the double-click interval but at
    another place: Qt delivers it as a press and a double click."""
    canvas, point = window.canvas, QPointF(at(window, xy))
    global_point = QPointF(canvas.mapToGlobal(point.toPoint()))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())
    double = QMouseEvent(
        QEvent.Type.MouseButtonDblClick,
        point,
        global_point,
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, double)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=point.toPoint())


def test_quick_polygon_clicks_each_add_a_corner(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    quick_click(qtbot, w, B)
    quick_click(qtbot, w, C)
    quick_click(qtbot, w, D)
    quick_click(qtbot, w, (200.0, 500.0))
    tool = w.polygon_tool
    assert len(tool.vertices) == 5
    assert "5 corners" in tool.bar.label.text()
    assert len(sites(w)) == 0  # nothing finished on its own
    key(qtbot, w, Qt.Key.Key_Return)
    assert len(sites(w)) == 1 and corners(w) == 5


def test_a_real_double_click_still_finishes(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    click(qtbot, w, B)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, C))
    quick_click(qtbot, w, C)  # the second click of a double click, where the first was
    assert len(sites(w)) == 1 and corners(w) == 3


def test_the_bar_counts_corners_as_finishing_does(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    click(qtbot, w, B)
    click(qtbot, w, (B[0] + 2 * w.canvas.viewport.resolution, B[1]))  # 2 px: the same corner
    assert "2 corners" in w.polygon_tool.bar.label.text()
    key(qtbot, w, Qt.Key.Key_Return)
    assert len(sites(w)) == 0
    assert "3 distinct corners" in w.editing.last_message
