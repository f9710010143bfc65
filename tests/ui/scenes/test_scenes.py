"""The Scenes panel: add, rename, reorder and delete scenes, each undoable; saved in the project."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from app.core.project.store import open_project


def titles(window):
    return [scene.title for scene in window.scenes.scenes]


def row_centre(window, row):
    lst = window.scenes_panel.list
    return lst.visualItemRect(lst.item(row)).center()


def click_row(qtbot, window, row):
    lst = window.scenes_panel.list
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(window, row))


def show_panel(qtbot, window):
    window.scenes_dock.show()
    window.scenes_dock.raise_()
    qtbot.waitUntil(lambda: window.scenes_panel.list.isVisible(), timeout=2000)


def start_rename(qtbot, window, row):
    """Select ``row`` and press F2; returns the in-place editor."""
    lst = window.scenes_panel.list
    click_row(qtbot, window, row)
    qtbot.keyClick(lst, Qt.Key.Key_F2)
    assert lst.state() == QAbstractItemView.State.EditingState
    editor = lst.viewport().findChild(QLineEdit)
    editor.selectAll()
    return editor


def undo(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_default_scenes_are_the_three_districts(main_window):
    assert titles(main_window) == ["G-Valley", "Magok", "Yangjae/Gaepo"]
    assert main_window.scenes_panel.list.count() == 3


def test_add_current_view_with_the_shortcut_and_undo(qtbot, main_window):
    w = main_window
    w.canvas.zoom_by(3.0)
    w.stack.get("dong").set_visible(False)
    w.canvas.setFocus()
    qtbot.keyClick(
        w.canvas,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert titles(w) == ["G-Valley", "Magok", "Yangjae/Gaepo", "View 4"]
    scene = w.scenes[3]
    assert scene.extent == w.canvas.viewport.extent
    assert "dong" not in scene.visible_layers and "stations" in scene.visible_layers
    assert w.project.dirty
    assert w.actions_by_name["actionUndo"].text() == "&Undo Add scene “View 4”"
    undo(qtbot, w)
    assert titles(w) == ["G-Valley", "Magok", "Yangjae/Gaepo"]


def test_add_button_rename_inline_move_and_delete(qtbot, main_window):
    w = main_window
    panel = w.scenes_panel
    show_panel(qtbot, w)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert len(w.scenes) == 4 and panel.list.currentRow() == 3
    # Rename in place: F2, type, Enter.
    editor = start_rename(qtbot, w, 3)
    qtbot.keyClicks(editor, "Station area")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: titles(w)[3] == "Station area", timeout=2000)
    assert panel.list.item(3).text() == "Station area"
    # Move up twice with the button.
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    assert titles(w) == ["G-Valley", "Station area", "Magok", "Yangjae/Gaepo"]
    assert panel.list.currentRow() == 1
    # Delete with the Delete key.
    click_row(qtbot, w, 0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert titles(w) == ["Station area", "Magok", "Yangjae/Gaepo"]
    # Each step undoes on its own, in reverse.
    undo(qtbot, w)
    assert titles(w) == ["G-Valley", "Station area", "Magok", "Yangjae/Gaepo"]
    undo(qtbot, w)
    assert titles(w) == ["G-Valley", "Magok", "Station area", "Yangjae/Gaepo"]
    undo(qtbot, w)
    undo(qtbot, w)
    assert titles(w)[3] == "View 4"
    undo(qtbot, w)
    assert titles(w) == ["G-Valley", "Magok", "Yangjae/Gaepo"]


def test_an_empty_title_is_refused(qtbot, main_window):
    w = main_window
    show_panel(qtbot, w)
    panel = w.scenes_panel
    editor = start_rename(qtbot, w, 1)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: panel.list.state() != QAbstractItemView.State.EditingState, timeout=2000
    )
    qtbot.waitUntil(lambda: panel.list.item(1).text() == "Magok", timeout=2000)
    assert titles(w)[1] == "Magok" and not w.undo_stack.canUndo()


def test_drag_reorder_becomes_an_undoable_move(qtbot, main_window):
    w = main_window
    lst = w.scenes_panel.list
    # What a drop inside the list does to the list's own model:
    assert lst.model().moveRow(lst.rootIndex(), 2, lst.rootIndex(), 0)
    qtbot.waitUntil(lambda: titles(w)[0] == "Yangjae/Gaepo", timeout=2000)
    assert titles(w) == ["Yangjae/Gaepo", "G-Valley", "Magok"]
    assert [lst.item(i).text() for i in range(3)] == titles(w)
    undo(qtbot, w)
    assert titles(w) == ["G-Valley", "Magok", "Yangjae/Gaepo"]


def test_double_click_goes_to_the_scene(qtbot, main_window):
    w = main_window
    show_panel(qtbot, w)
    lst = w.scenes_panel.list
    # A real double click starts with a click; Qt's item views rely on that press.
    click_row(qtbot, w, 1)
    qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(w, 1))
    assert w.presentation.index == 1
    qtbot.waitUntil(lambda: not w.presentation.animating, timeout=3000)
    sx0, sy0, sx1, sy1 = w.scenes[1].extent
    xmin, ymin, xmax, ymax = w.canvas.viewport.extent
    assert xmin <= sx0 and ymin <= sy0 and xmax >= sx1 and ymax >= sy1
    assert abs(w.canvas.viewport.center_x - (sx0 + sx1) / 2) < w.canvas.viewport.resolution


def test_scenes_survive_save_and_open(qtbot, main_window, tmp_path):
    w = main_window
    w.presentation.add_current_view()
    w.scenes.rename(3, "결론 Conclusion")
    w.scenes.move(0, 2)
    expected = w.scenes.scenes
    path = tmp_path / "workshop.gpkg"
    assert w.project.save_to(path)
    saved = open_project(path).settings.extra["scenes"]
    assert [record["title"] for record in saved] == [s.title for s in expected]
    w.scenes.delete(0)
    w.project._set_clean()
    assert w.project.open_path(path)
    assert w.scenes.scenes == expected
    assert [w.scenes_panel.list.item(i).text() for i in range(4)] == [s.title for s in expected]
    assert not w.undo_stack.canUndo()  # a freshly opened project has nothing to undo


def test_the_qt_model_follows_the_scene_list(qtmodeltester):
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QUndoStack

    from app.core.project.scenes import Scene, SceneList
    from app.ui.scenes.model import ScenesModel

    extent = (0.0, 0.0, 100.0, 100.0)
    scene_list = SceneList([Scene("a", "A", extent), Scene("b", "B", extent)])
    stack = QUndoStack()
    model = ScenesModel(stack, scene_list=scene_list)
    qtmodeltester.check(model, force_py=True)  # checks the model again on every change
    rows = []
    model.rowsInserted.connect(lambda _p, first, last: rows.append(("inserted", first)))
    model.rowsRemoved.connect(lambda _p, first, last: rows.append(("removed", first)))
    model.rowsMoved.connect(lambda _p, start, _e, _d, row: rows.append(("moved", start, row)))
    model.dataChanged.connect(lambda top, _bottom: rows.append(("data", top.row())))
    model.modelReset.connect(lambda: rows.append(("reset",)))

    def shown():
        return [model.data(model.index(row, 0)) for row in range(model.rowCount())]

    assert shown() == ["A", "B"] and model.rowCount(model.index(0, 0)) == 0
    model.add(Scene("c", "C", extent))
    model.move(2, 0)
    model.rename(1, "Renamed")
    model.delete(2)
    assert shown() == ["C", "Renamed"] == [s.title for s in scene_list]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.UserRole) == "c"
    assert rows == [("inserted", 2), ("moved", 2, 0), ("data", 1), ("removed", 2)]
    while stack.canUndo():
        stack.undo()
    assert shown() == ["A", "B"]
    model.set_scenes([Scene("d", "D", extent)])
    assert shown() == ["D"] and rows[-1] == ("reset",)
    assert model.rowCount(QModelIndex()) == len(model) == 1
