"""View › Catchments and its toolbar button: outlines, fill or off, as one undo step,
saved with the project and with each scene, drawn the same in the PNG export (issue 16)."""

import numpy as np
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMenu, QToolButton

from app.core.map.catchments import mode_of
from app.core.project.store import open_project


def rgb(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[..., :3].copy()


def choose_from_button(qtbot, w, text):
    """Click the map toolbar's Catchments button, then the menu entry ``text``."""
    button = w.findChild(QToolButton, "catchmentsButton")
    assert button.isVisible() and button.toolTip()

    def click_entry():
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    QTimer.singleShot(150, click_entry)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


def sites_in_magok(qtbot, w):
    """Two point sites far apart in Magok (their catchments do not overlap)."""
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.zoom_to_district("magok")
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_P)
    rect = w.canvas.rect()
    spots = [
        QPoint(rect.width() // 3, rect.height() // 2),
        QPoint(2 * rect.width() // 3, rect.height() // 2),
    ]
    for spot in spots:
        qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=spot)
    qtbot.keyClick(w.canvas, Qt.Key.Key_Escape)
    w.actions_by_name["actionPan"].trigger()
    w.indicators.wait()
    radius = w.editing.radius_m / w.canvas.viewport.resolution
    return spots, radius


def canvas_pixels(w):
    w.canvas.render_now()
    return rgb(w.canvas.grab().toImage())


def test_catchments_outline_fill_off_from_the_toolbar_undo_and_save(qtbot, main_window, tmp_path):
    w = main_window
    spots, r = sites_in_magok(qtbot, w)
    assert w.actions_by_name["actionCatchmentsAuto"].isChecked()
    ratio = w.canvas.devicePixelRatioF()
    x, y = int(spots[0].x() * ratio), int(spots[0].y() * ratio)
    cy = y + int(0.5 * r * ratio)  # inside the circle, below the badge and label
    inside = (slice(cy - 8, cy + 9), slice(x - 8, x + 9))
    ring = (y, x + int(r * ratio))  # on the dashed ring (its east point)

    choose_from_button(qtbot, w, "Hidden")
    assert w.actions_by_name["actionCatchmentsOff"].isChecked()
    off = canvas_pixels(w)
    choose_from_button(qtbot, w, "Filled")
    filled = canvas_pixels(w)
    choose_from_button(qtbot, w, "Outlines only")
    outline = canvas_pixels(w)

    def near_ring(pixels):  # the dashed ring: look a few pixels around its east point
        ry, rx = ring
        return pixels[ry - 6 : ry + 7, rx - 3 : rx + 4].astype(int)

    changed = np.abs(filled[inside].astype(int) - off[inside]).sum(axis=2) > 2
    assert changed.mean() > 0.5  # a faint fill (start-up dots over it stay the same)
    assert np.array_equal(outline[inside], off[inside])  # no fill
    assert np.abs(near_ring(outline) - near_ring(off)).max() > 60  # the dashed ring
    assert mode_of(w.project.settings.extra) == "outline"
    assert w.undo_stack.undoText() == "Catchments: outlines only"

    # saved with the project
    path = tmp_path / "p.gpkg"
    assert w.project.save_to(path)
    assert mode_of(open_project(path).settings.extra) == "outline"
    # each choice was an undo step
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mode_of(w.project.settings.extra) == "fill"
    assert w.actions_by_name["actionCatchmentsFill"].isChecked()

    # the PNG export draws the project's mode
    def export(mode, name):
        w.catchments.change(mode)
        out = tmp_path / name
        assert w.export_map(out, title="t")
        return rgb(QImage(str(out)))

    assert not np.array_equal(export("fill", "fill.png"), export("off", "off.png"))


def test_a_scene_keeps_its_catchments_and_basemap(qtbot, main_window):
    from app.core.basemap.sources import BasemapSettings

    w = main_window
    sites_in_magok(qtbot, w)
    w.catchments.change("off")
    faint = BasemapSettings(enabled=False, opacity=0.4, greyscale=True)
    w.basemap.change(faint)
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(
        w.canvas,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    scene = w.scenes.scenes[-1]
    assert scene.catchments == "off" and scene.basemap == faint
    # changed afterwards ...
    w.catchments.change("fill")
    w.basemap.change(BasemapSettings())
    assert w.actions_by_name["actionCatchmentsFill"].isChecked()
    # ... showing the scene (select it in the Scenes panel, Enter) brings its state back
    w.scenes_dock.show()
    w.scenes_dock.raise_()
    panel = w.scenes_panel
    item = panel.list.item(len(w.scenes) - 1)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert w.catchments.current() == "off"
    assert w.actions_by_name["actionCatchmentsOff"].isChecked()
    assert w.basemap.current() == faint
    assert w.canvas.basemap.settings == faint
    # and it is saved with the scene
    record = w.project.capture_settings().extra["scenes"][-1]
    assert record["catchments"] == "off" and record["basemap"]["opacity"] == 0.4
