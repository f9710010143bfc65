"""Presentation mode with real key and mouse events on the default project."""

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit, QToolBar

from app.core.project.scenes import Scene
from app.ui.presentation.controller import LABEL_SCALE
from app.ui.presentation.overlay import band_height

DIRECT = Qt.FindChildOption.FindDirectChildrenOnly


def press(qtbot, window, key):
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, key)


def present(qtbot, window):
    """F5, then wait until the window covers the screen."""
    press(qtbot, window, Qt.Key.Key_F5)
    size = window.screen().geometry().size()
    qtbot.waitUntil(lambda: window.canvas.size() == size, timeout=3000)
    qtbot.wait(30)  # the scene is fitted again to the full-screen map after the resize


def press_ctrl(qtbot, window, key):
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, key, Qt.KeyboardModifier.ControlModifier)


def wheel(widget, delta):
    """A real wheel turn over the middle of ``widget``."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def visible_docks(window):
    return {
        dock.objectName(): dock.isVisible()
        for dock in window.findChildren(QDockWidget, options=DIRECT)
    }


def wait_still(qtbot, window):
    qtbot.waitUntil(lambda: not window.presentation.animating, timeout=3000)


def test_f5_enters_and_esc_restores_the_window_exactly(qtbot, main_window):
    w = main_window
    geometry, state = w.geometry(), w.saveState()
    docks = visible_docks(w)
    tool = w.canvas.tool
    present(qtbot, w)
    assert w.presentation.active and w.isFullScreen()
    assert not any(visible_docks(w).values())
    assert not any(bar.isVisible() for bar in w.findChildren(QToolBar, options=DIRECT))
    assert not w.menuBar().isVisible() and not w.statusBar().isVisible()
    assert w.canvas.label_scale == LABEL_SCALE
    image = w.grab().toImage()
    band = band_height(w.canvas.height())
    # The dark title band across the top, the white legend box below it on the left.
    band_pixel = QColor(image.pixel(w.width() // 2, int(band / 2)))
    assert band_pixel.lightness() < 90
    legend = w.presentation.overlay.legend_rect
    assert legend.height() > 200 and legend.top() >= band
    inside = QColor(image.pixel(int(legend.right() - 6), int(legend.bottom() - 6)))
    assert inside.lightness() > 235
    assert w.presentation.bar.isVisible()

    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active and not w.isFullScreen()
    qtbot.waitUntil(lambda: w.geometry() == geometry, timeout=2000)
    qtbot.waitUntil(lambda: w.saveState() == state, timeout=2000)
    assert visible_docks(w) == docks
    assert w.menuBar().isVisible() and w.statusBar().isVisible()
    assert w.canvas.label_scale == 1.0
    assert w.canvas.tool is tool or (tool.name == "pan" and w.canvas.tool is w.pan_tool)
    assert not w.presentation.bar.isVisible()


def free_area(window):
    """The part of the map the title band and the legend leave free (screen pixels)."""
    overlay = window.presentation.overlay
    w, h = window.canvas.width(), window.canvas.height()
    legend = overlay.legend_box(w, h)
    return QRectF(legend.right(), band_height(h), w - legend.right(), h - band_height(h))


def assert_scene_shown(window, scene):
    """The scene's extent is whole and centred in the free part of the map."""
    canvas = window.canvas
    sx0, sy0, sx1, sy1 = scene.extent
    top_left, bottom_right = canvas.map_to_screen(sx0, sy1), canvas.map_to_screen(sx1, sy0)
    shown = QRectF(top_left, bottom_right)
    area = free_area(window)
    assert area.adjusted(-1, -1, 1, 1).contains(shown), (shown, area)
    assert abs(shown.center().x() - area.center().x()) < 1.5
    assert abs(shown.center().y() - area.center().y()) < 1.5
    assert window.presentation.current_title() == scene.title


def test_page_down_and_arrows_step_through_the_scenes(qtbot, main_window):
    w = main_window
    scenes = w.scenes.scenes
    assert [s.scene_id for s in scenes] == ["gvalley", "magok", "yangjae"]
    present(qtbot, w)  # starts at the scene selected in the Scenes panel: the first
    wait_still(qtbot, w)
    assert_scene_shown(w, scenes[0])
    assert w.presentation.bar.counter.text() == "Scene 1 of 3"
    for index, key in (
        (1, Qt.Key.Key_PageDown),
        (2, Qt.Key.Key_Right),
        (1, Qt.Key.Key_Up),
        (0, Qt.Key.Key_PageUp),
        (1, Qt.Key.Key_Down),
        (0, Qt.Key.Key_Left),
    ):
        press(qtbot, w, key)
        assert w.presentation.animating  # it moves there, it does not jump
        wait_still(qtbot, w)
        assert_scene_shown(w, scenes[index])
        assert w.presentation.bar.counter.text() == f"Scene {index + 1} of 3"
    press(qtbot, w, Qt.Key.Key_PageUp)  # before the first: stays, says so
    assert not w.presentation.animating and "first scene" in w.presentation.message
    # The legend does not cover the scene: nothing of it is left of the legend's edge.
    legend = w.presentation.overlay.legend_rect
    sx0 = w.canvas.map_to_screen(scenes[0].extent[0], scenes[0].extent[1]).x()
    assert legend.width() > 100 and sx0 >= legend.right() - 1


def test_scene_with_a_missing_layer_says_so_and_shows_the_rest(qtbot, main_window):
    w = main_window
    extent = w.scenes[0].extent
    w.scenes.set_scenes([Scene("old", "Old workshop", extent, ("dong", "metro_lines"))])
    present(qtbot, w)  # goes to the (only) scene
    wait_still(qtbot, w)
    assert "metro_lines" in w.presentation.message
    assert w.stack.get("dong").visible and not w.stack.get("stations").visible
    w.canvas.repaint()
    assert w.presentation.overlay.message_rect.width() > 0
    # The message is on the map, where the audience (and the facilitator) look.
    image = w.grab().toImage()
    rect = w.presentation.overlay.message_rect
    assert QColor(image.pixel(int(rect.left() + 4), int(rect.center().y()))).red() > 90
    assert w.scenes[0].visible_layers == ("dong", "metro_lines")  # the scene is kept as is
    press(qtbot, w, Qt.Key.Key_F5)  # F5 again leaves too
    assert not w.presentation.active and not w.isFullScreen()
    assert w.presentation.message == ""  # not carried into the next presentation


def rename_in_panel(qtbot, window, text):
    """F2 on the selected scene, type ``text``, Enter."""
    lst = window.scenes_panel.list
    lst.setFocus()
    qtbot.keyClick(lst, Qt.Key.Key_F2)
    editor = lst.viewport().findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_scene_added_renamed_and_moved_is_the_one_presented(qtbot, main_window):
    """The walkthrough: zoom to Magok, Add view, F2 rename, up twice, F5."""
    w = main_window
    w.presentation.animation_ms = 0
    press_ctrl(qtbot, w, Qt.Key.Key_2)  # zoom to Magok
    w.canvas.zoom_by(2.0)
    w.scenes_dock.show()
    w.scenes_dock.raise_()
    qtbot.waitUntil(w.scenes_panel.list.isVisible, timeout=2000)
    panel = w.scenes_panel
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert "Added scene" in w.presentation.message  # a desk message
    rename_in_panel(qtbot, w, "Magok close-up")
    for _ in range(2):
        qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert [s.title for s in w.scenes.scenes] == [
        "G-Valley",
        "Magok close-up",
        "Magok",
        "Yangjae/Gaepo",
    ]
    present(qtbot, w)
    assert w.presentation.message == ""  # the desk message stays on the desk
    assert_scene_shown(w, w.scenes[1])
    assert w.presentation.current_title() == "Magok close-up"
    assert w.presentation.bar.counter.text() == "Scene 2 of 4"
    for title, number in (("Magok", 3), ("Yangjae/Gaepo", 4)):
        press(qtbot, w, Qt.Key.Key_PageDown)
        assert w.presentation.current_title() == title
        assert w.presentation.bar.counter.text() == f"Scene {number} of 4"
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert "last scene" in w.presentation.message
    # Ctrl+1 moves away from the scene: a neutral title; Page Down is not stuck.
    press_ctrl(qtbot, w, Qt.Key.Key_1)
    neutral = w.presentation.current_title()
    assert neutral not in [s.title for s in w.scenes.scenes]
    assert w.presentation.bar.counter.text() == "4 scenes"
    press(qtbot, w, Qt.Key.Key_PageDown)  # after the last one shown: back to it
    assert w.presentation.current_title() == "Yangjae/Gaepo"
    press(qtbot, w, Qt.Key.Key_PageUp)
    assert w.presentation.current_title() == "Magok"
    # The wheel zooms away too; Page Down goes to the scene after the last one shown.
    qtbot.wait(10)
    wheel(w.canvas, 120)
    assert w.presentation.current_title() == neutral
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert w.presentation.current_title() == "Yangjae/Gaepo"
    # A site sketched live does not move the map: the band keeps the scene's title.
    press(qtbot, w, Qt.Key.Key_P)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.rect().center())
    assert len(w.stack.get("sites").data) == 1
    assert w.presentation.current_title() == "Yangjae/Gaepo"


def test_the_scene_shown_is_followed_across_edits(qtbot, main_window):
    w = main_window
    w.presentation.animation_ms = 0
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert w.presentation.current_title() == "Magok"
    w.scenes.move(1, 0)  # moved: still Magok, now the first
    assert w.presentation.bar.counter.text() == "Scene 1 of 3"
    w.scenes.rename(0, "Airport side")
    assert w.presentation.current_title() == "Airport side"
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert w.presentation.current_title() == "G-Valley"
    w.scenes.delete(1)  # the scene shown goes: Page Down shows the one now at its place
    assert w.presentation.current_title() != "G-Valley"
    press(qtbot, w, Qt.Key.Key_PageDown)
    assert w.presentation.current_title() == "Yangjae/Gaepo"
    press(qtbot, w, Qt.Key.Key_PageUp)
    assert w.presentation.current_title() == "Airport side"
    index = w.presentation.add_current_view()  # added while presenting: shown now
    assert index == 2 and w.presentation.bar.counter.text() == "Scene 3 of 3"
    w.undo_stack.undo()  # ...and taken back: Page Up goes to the one before it
    press(qtbot, w, Qt.Key.Key_PageUp)
    assert w.presentation.current_title() == "Yangjae/Gaepo"


def scene_hiding_stations(window):
    """Two scenes: the first shows every layer, the second hides the stations."""
    extent = window.scenes[0].extent
    shown = tuple(layer.name for layer in window.stack if layer.visible)
    assert "stations" in shown
    window.scenes.set_scenes(
        [
            Scene("all", "Everything", extent, shown),
            Scene(
                "no_stations",
                "Without stations",
                extent,
                tuple(name for name in shown if name != "stations"),
            ),
        ]
    )


def test_leaving_restores_layer_visibility_and_the_unsaved_mark(qtbot, main_window):
    w = main_window
    scene_hiding_stations(w)
    dong = w.stack.get("dong")
    dong.set_opacity(0.5)
    w.project._set_clean()  # a saved project: no unsaved mark
    before = {layer.name: (layer.visible, layer.opacity) for layer in w.stack}
    assert not w.isWindowModified()
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_PageDown)
    press(qtbot, w, Qt.Key.Key_PageDown)
    wait_still(qtbot, w)
    assert w.presentation.current_title() == "Without stations"
    assert not w.stack.get("stations").visible
    dong.set_opacity(0.9)  # touched while presenting
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active
    assert {layer.name: (layer.visible, layer.opacity) for layer in w.stack} == before
    assert w.stack.get("stations").visible
    assert not w.isWindowModified() and not w.project.dirty
    # An unsaved project stays unsaved.
    w.stack.get("dong").set_visible(False)
    assert w.isWindowModified()
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_PageDown)
    press(qtbot, w, Qt.Key.Key_PageDown)
    wait_still(qtbot, w)
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.isWindowModified() and not w.stack.get("dong").visible
    assert w.stack.get("stations").visible


def test_a_site_added_while_presenting_keeps_the_project_unsaved(qtbot, main_window):
    w = main_window
    scene_hiding_stations(w)
    w.actions_by_name["actionSnapping"].setChecked(False)
    w.project._set_clean()
    assert not w.isWindowModified()
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_PageDown)
    press(qtbot, w, Qt.Key.Key_PageDown)
    wait_still(qtbot, w)
    press(qtbot, w, Qt.Key.Key_P)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.rect().center())
    assert len(w.stack.get("sites").data) == 1
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active
    assert w.stack.get("stations").visible
    assert len(w.stack.get("sites").data) == 1
    assert w.isWindowModified() and w.project.dirty


def test_point_site_while_presenting(qtbot, main_window):
    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_P)
    assert w.canvas.tool is w.point_tool
    assert not any(visible_docks(w).values())  # the tool does not bring the docks back
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.rect().center())
    assert len(w.stack.get("sites").data) == 1
    assert w.presentation.active
    # The indicator card: I shows it big over the map, with the site's values.
    w.indicators.wait()
    press(qtbot, w, Qt.Key.Key_I)
    assert w.presentation.show_card
    w.canvas.repaint()
    card = w.presentation.overlay.card_rect
    assert card.height() > 300 and card.right() <= w.canvas.width()
    press(qtbot, w, Qt.Key.Key_I)
    assert not w.presentation.show_card
    qtbot.mouseClick(w.presentation.bar.card, Qt.MouseButton.LeftButton)  # or the button
    assert w.presentation.show_card and w.actions_by_name["actionPresentationCard"].isChecked()


def test_escape_pauses_a_polygon_sketch_before_leaving(qtbot, main_window):
    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_G)
    centre = w.canvas.rect().center()
    for dx, dy in ((0, 0), (80, 0), (80, 80)):
        qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(dx, dy))
    assert len(w.polygon_tool.vertices) == 3
    bar = w.polygon_tool.bar
    assert bar.isVisible() and bar.y() >= band_height(w.canvas.height())  # not on the title
    press(qtbot, w, Qt.Key.Key_Escape)
    assert w.presentation.active and w.polygon_tool.paused
    assert len(w.polygon_tool.vertices) == 3
    assert "Esc leaves" in bar.label.text()
    press(qtbot, w, Qt.Key.Key_Escape)  # nothing left to pause: leaves, sketch kept
    assert not w.presentation.active
    assert len(w.polygon_tool.vertices) == 3
    assert w.canvas.tool is w.pan_tool  # the tool of before presenting
    assert bar.top == 8 and "Esc again discards" in bar.paused_hint
    assert w.actions_by_name["actionPan"].isChecked()


def test_presentation_screenshot(qtbot, main_window, tmp_path):
    """The title band and legend are drawn large (look at the file when changing them)."""
    w = main_window
    present(qtbot, w)
    press(qtbot, w, Qt.Key.Key_PageDown)
    wait_still(qtbot, w)
    path = tmp_path / "presentation.png"
    assert w.grab().save(str(path))
    title = w.presentation.overlay.title_rect
    assert title.height() >= 60 and title.width() == w.canvas.width()


TWO_SCREENS_SCRIPT = r"""
import json, sys
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from app.core.paths import DEFAULT_PROJECT
from app.core.project.loader import load_project
from app.ui.gui import application, fit_window, wait_until_drawn
from app.ui.window.main_window import MainWindow
from app.ui.presentation.overlay import band_height

application()
w = MainWindow(load_project(DEFAULT_PROJECT))
fit_window(w, (1200, 700), clamp_to_screen=False)
w.show()
wait_until_drawn(w)
before = w.geometry()
w.actions_by_name["actionPresent"].trigger()
menu = w.findChild(QMenu, "presentScreenMenu")
out = {"choices": [a.text() for a in menu.actions()],
       "default": menu.defaultAction().text()}
menu.actions()[1].trigger()
QTest.qWait(300)
w.presentation.next_scene()
QTest.qWait(700)
image = w.grab().toImage()
image.save(sys.argv[1])
out.update(screen=w.screen().name(), size=[w.width(), w.height()],
           band=QColor(image.pixel(960, int(band_height(1080) / 2))).lightness())
w.presentation.leave()
QTest.qWait(200)
out.update(back=w.screen().name(), same=w.geometry() == before)
w.project._set_clean()
w.close()
print(json.dumps(out))
"""


def test_choice_of_screen_on_a_two_screen_machine(tmp_path):
    """Laptop + 1920x1080 projector: F5 offers both, the window's own first."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    screens = {
        "screens": [
            {
                "name": "laptop",
                "x": 0,
                "y": 0,
                "width": 1280,
                "height": 800,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            },
            {
                "name": "projector",
                "x": 1280,
                "y": 0,
                "width": 1920,
                "height": 1080,
                "logicalDpi": 96,
                "logicalBaseDpi": 96,
                "dpr": 1,
            },
        ]
    }
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(screens))
    shot = tmp_path / "projector.png"
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", TWO_SCREENS_SCRIPT, str(shot)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["choices"][0].startswith("laptop") and out["default"] == out["choices"][0]
    assert out["choices"][1].startswith("projector — 1920×1080")
    assert out["screen"] == "projector" and out["size"] == [1920, 1080]
    assert out["band"] < 90  # the dark title band
    assert out["back"] == "laptop" and out["same"]
    assert shot.exists()


def test_overlays_keep_clear_of_each_other_while_presenting(qtbot, main_window):
    """Sketch bar, legend, title band, north arrow and indicator card do not overlap."""
    from app.ui.canvas.render.decorations import north_arrow_rect

    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    present(qtbot, w)
    wait_still(qtbot, w)
    press(qtbot, w, Qt.Key.Key_G)
    centre = w.canvas.rect().center()
    for dx, dy in ((0, 0), (60, 0), (60, 60)):
        qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=centre + QPoint(dx, dy))
    press(qtbot, w, Qt.Key.Key_Escape)  # paused: the bar shows its long hint
    press(qtbot, w, Qt.Key.Key_I)
    w.canvas.repaint()
    canvas, overlay = w.canvas, w.presentation.overlay
    bar = w.polygon_tool.bar
    arrow = north_arrow_rect(canvas.width(), canvas.decoration_scale, canvas.decoration_top)
    box = QRectF(bar.geometry())
    assert not box.intersects(overlay.legend_rect) and not box.intersects(arrow)
    assert box.top() >= overlay.title_rect.bottom()
    assert not overlay.card_rect.isEmpty() and not overlay.card_rect.intersects(arrow)
    assert not overlay.card_rect.intersects(box)
    for button in bar.buttons:
        rect = button.geometry().translated(bar.pos())
        assert canvas.rect().contains(rect) and canvas.childAt(rect.center()) is button
    qtbot.mouseClick(bar.pause, Qt.MouseButton.LeftButton)  # Resume
    assert not w.polygon_tool.paused and len(w.polygon_tool.vertices) == 3
    qtbot.mouseClick(bar.discard, Qt.MouseButton.LeftButton)
    assert w.polygon_tool.vertices == [] and w.presentation.active
