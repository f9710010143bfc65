"""Presentation mode at its edges: one Esc at a time, where it starts and what leaving
gives back, the snap marker and the catchment of a dragged site."""

import math

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from tests.ui.presentation.test_presentation import present, press, wait_still


def view(window):
    v = window.canvas.viewport
    return (v.center_x, v.center_y, v.resolution)


def test_one_escape_closes_the_card_then_leaves(qtbot, gvalley):
    w, _cx, _cy = gvalley
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_I)
    assert w.presentation.show_card
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.show_card
    assert not w.actions_by_name["actionPresentationCard"].isChecked()
    assert w.presentation.active  # the first Esc closed only the card
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active


def test_presenting_starts_at_the_scene_of_the_view_and_gives_the_view_back(qtbot, main_window):
    w = main_window
    titles = [scene.title for scene in w.scenes.scenes]
    magok = next(i for i, scene in enumerate(w.scenes.scenes) if scene.scene_id == "magok")
    assert magok != 0
    press(qtbot, w, Qt.Key.Key_2)  # not Ctrl: the canvas pans; use the action's shortcut
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Magok
    w.canvas.zoom_by(1.5)  # working a little closer in, still in Magok
    before = view(w)
    present(qtbot, w)
    wait_still(qtbot, w)
    assert w.presentation.index == magok
    assert w.presentation.current_title() == titles[magok]
    press(qtbot, w, Qt.Key.Key_PageDown)
    wait_still(qtbot, w)
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active
    qtbot.waitUntil(lambda: w.canvas.size() != w.screen().geometry().size(), timeout=2000)
    QApplication.processEvents()
    after = view(w)
    assert math.isclose(after[2], before[2], rel_tol=1e-9)
    assert math.dist(after[:2], before[:2]) < 1e-6


def test_the_snap_marker_goes_when_the_cursor_leaves_the_map(qtbot, square_window):
    w = square_window
    w.actions_by_name["actionSnapping"].setChecked(True)
    w.canvas.zoom_to_extent((-200, -200, 400, 400), margin=0)
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_G)
    near = w.canvas.map_to_screen(0.0, 0.0).toPoint()
    hover(qtbot, w, near)
    assert w.polygon_tool.snap_result is not None
    QApplication.sendEvent(w.canvas, QEvent(QEvent.Type.Leave))  # the cursor goes out
    assert w.polygon_tool.snap_result is None


def hover(qtbot, window, point):
    """Move the mouse to ``point`` on the map (from beside it: a move to where the
    cursor already is sends no event)."""
    qtbot.mouseMove(window.canvas, point + QPoint(3, 2))
    qtbot.mouseMove(window.canvas, point)


def marker_pixels(window, point):
    """Magenta pixels of the snap marker around ``point`` (screen) on the drawn map."""
    image = window.canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    count = 0
    for dx in range(-9, 10):
        for dy in range(-9, 10):
            colour = image.pixelColor(point.x() + dx, point.y() + dy)
            if colour.red() > 180 and colour.green() < 60 and colour.blue() > 90:
                count += 1
    return count


def test_no_snap_marker_while_presenting(qtbot, square_window):
    w = square_window
    w.actions_by_name["actionSnapping"].setChecked(True)
    w.canvas.zoom_to_extent((-200, -200, 400, 400), margin=0)
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_G)
    near = w.canvas.map_to_screen(0.0, 0.0).toPoint()
    hover(qtbot, w, near)
    assert marker_pixels(w, near) > 10  # at the desk the marker shows
    w.presentation.enter()
    qtbot.waitUntil(lambda: w.canvas.size() == w.screen().geometry().size(), timeout=3000)
    w.canvas.set_view(0.0, 0.0, w.canvas.viewport.resolution)
    near = w.canvas.map_to_screen(0.0, 0.0).toPoint()
    hover(qtbot, w, near)
    assert w.polygon_tool.snap_result is not None
    assert marker_pixels(w, near) == 0
    w.presentation.leave()


def test_identify_highlight_goes_when_the_tool_changes(qtbot, square_window):
    w = square_window
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(
        w, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert w.canvas.tool is w.identify_tool
    qtbot.mouseClick(
        w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.map_to_screen(500, 500).toPoint()
    )
    assert w.canvas._highlight
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_E)
    assert w.canvas.tool is w.edit_tool
    assert not w.canvas._highlight


def test_the_catchment_follows_a_dragged_point_site(qtbot, square_window):
    w = square_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.radius_box.setValue(150)
    w.editing.radius_m = 150.0
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_P)
    start = w.canvas.map_to_screen(300.0, 300.0).toPoint()
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.keyClick(w, Qt.Key.Key_E)
    end = w.canvas.map_to_screen(700.0, 700.0).toPoint()
    qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 5):
        qtbot.mouseMove(w.canvas, start + (end - start) * (i / 4))
    # Mid-drag: a dashed circle of 150 m around the cursor, where the site goes.
    image = w.canvas.grab().toImage()
    radius = 150.0 / w.canvas.viewport.resolution
    ring = [
        image.pixelColor(int(end.x() + radius * math.cos(a)), int(end.y() + radius * math.sin(a)))
        for a in [k * math.pi / 36 for k in range(72)]
    ]
    plain = image.pixelColor(int(end.x() + radius * 0.5), int(end.y() + radius * 0.5))
    differs = sum(1 for c in ring if abs(c.lightness() - plain.lightness()) > 25)
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=end)
    assert differs >= 12, differs


def test_the_last_scene_notice_has_room_for_its_text(qtbot, main_window):
    w = main_window
    present(qtbot, w)
    for _ in range(len(w.scenes) + 1):
        press(qtbot, w, Qt.Key.Key_PageDown)
        wait_still(qtbot, w)
    assert "last scene" in w.presentation.message
    image = w.canvas.grab().toImage()
    box = w.presentation.overlay.message_rect.toAlignedRect()
    assert box.height() > 0
    text_rows = [
        y
        for y in range(box.top() + 2, box.bottom() - 1)
        if any(
            image.pixelColor(x, y).lightness() > 200
            for x in range(box.left() + 4, box.right() - 3, 2)
        )
    ]
    assert text_rows  # the white text is in the box ...
    margin = 8 * w.canvas.height() / 1080
    assert text_rows[0] - box.top() >= margin  # ... with room above
    assert box.bottom() - text_rows[-1] >= margin  # ... and below
    press(qtbot, w, Qt.Key.Key_Escape)
