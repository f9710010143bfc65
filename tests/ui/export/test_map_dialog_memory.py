"""File → Export map remembers title, folder, size and format per project, and opens in
the project's folder."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.export.map_dialog import MapExportDialog
from tests.ui.export.test_map_dialog import click_export, type_into


def open_dialog(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialogs = [d for d in window.findChildren(MapExportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_the_dialog_opens_in_the_project_folder(qtbot, main_window, tmp_path):
    main_window.project.path = tmp_path / "plan.gpkg"  # a saved project
    dialog = open_dialog(qtbot, main_window)
    assert dialog.path().parent == tmp_path
    dialog.reject()


def test_the_dialog_remembers_the_last_export_of_the_project(qtbot, main_window, tmp_path):
    w = main_window
    folder = tmp_path / "maps"
    folder.mkdir()
    dialog = open_dialog(qtbot, w)
    type_into(qtbot, dialog.path_edit, str(folder / "magok.png"))
    type_into(qtbot, dialog.width_spin.lineEdit(), "900")
    type_into(qtbot, dialog.height_spin.lineEdit(), "600")
    type_into(qtbot, dialog.title_edit, "Magok workshop")
    click_export(qtbot, dialog)
    assert (folder / "magok.png").exists()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: w.findChild(MapExportDialog) is None, timeout=2000)  # deleted
    again = open_dialog(qtbot, w)
    assert again.title_edit.text() == "Magok workshop"
    assert again.path() == folder / "magok.png"
    assert again.format_label.text().startswith("PNG")
    assert (again.width_spin.value(), again.height_spin.value()) == (900, 600)
    # Kept in the project's settings, so saved with it.
    assert w.project.settings.extra["export_map"]["title"] == "Magok workshop"
    again.reject()
