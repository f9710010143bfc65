"""File → Export map…: the dialog driven with real clicks and keys."""

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox


@pytest.fixture
def dialog(main_window, qtbot):
    from app.ui.export.map_dialog import MapExportDialog

    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    found = main_window.findChild(MapExportDialog, "mapExportDialog")
    assert found is not None and found.isVisible()
    return found


def type_into(qtbot, edit, text):
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)  # ASCII only: Hangul via keyClicks aborts


def choose(qtbot, combo, index):
    """Pick an item with the keyboard (Home, then Down)."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(index):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == index


def click_export(qtbot, dialog):
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_every_scene_pdf_from_the_dialog(dialog, main_window, qtbot, tmp_path):
    before = {layer.name: layer.visible for layer in main_window.stack}
    out = tmp_path / "handout.pdf"
    type_into(qtbot, dialog.path_edit, str(out))
    assert dialog.format_label.text().startswith("PDF")
    assert not dialog.width_spin.isEnabled() and dialog.page_combo.isEnabled()
    choose(qtbot, dialog.what_combo, 2)  # every scene
    # The title is the handout's: each page reads "title — scene title".
    assert dialog.title_edit.isEnabled() and "scene" in dialog.title_edit.placeholderText()
    type_into(qtbot, dialog.title_edit, "Spring workshop")
    choose(qtbot, dialog.orientation_combo, 1)  # portrait
    click_export(qtbot, dialog)
    assert out.exists() and not dialog.isVisible()
    assert "handout.pdf (3 pages)" in main_window.statusBar().currentMessage()
    assert {layer.name: layer.visible for layer in main_window.stack} == before
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        assert "Pages:           3" in info and "595 x 842" in info
        assert "Title:           Spring workshop\n" in info
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        titles = [page.splitlines()[0] for page in text.split("\f")[:3]]
        assert titles == [f"Spring workshop — {scene.title}" for scene in dialog.scenes]


def test_one_scene_png_with_size_and_title(dialog, main_window, qtbot, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "magok.png"
    type_into(qtbot, dialog.path_edit, str(out))
    assert dialog.format_label.text().startswith("PNG") and not dialog.page_combo.isEnabled()
    choose(qtbot, dialog.what_combo, 1)  # one scene
    ids = [dialog.scene_combo.itemData(i) for i in range(dialog.scene_combo.count())]
    assert ids == ["gvalley", "magok", "yangjae"]
    choose(qtbot, dialog.scene_combo, 1)
    assert dialog.title_edit.placeholderText() == "Magok"
    type_into(qtbot, dialog.width_spin.lineEdit(), "900")
    type_into(qtbot, dialog.height_spin.lineEdit(), "600")
    type_into(qtbot, dialog.dpi_spin.lineEdit(), "96")
    type_into(qtbot, dialog.title_edit, "Magok workshop")
    click_export(qtbot, dialog)
    image = QImage(str(out))
    assert image.size().toTuple() == (900, 600)
    assert round(image.dotsPerMeterX() * 0.0254) == 96
    assert "magok.png" in main_window.statusBar().currentMessage()


def test_unwritable_path_warns_and_keeps_the_dialog(dialog, qtbot, tmp_path):
    (tmp_path / "file.txt").write_text("a file, not a folder")
    bad = tmp_path / "file.txt" / "out.png"
    type_into(qtbot, dialog.path_edit, str(bad))
    type_into(qtbot, dialog.title_edit, "Kept title")
    click_export(qtbot, dialog)
    box = dialog.error_box
    assert box is not None and box.isVisible()
    assert "is not a folder" in box.text()
    assert dialog.isVisible() and dialog.title_edit.text() == "Kept title"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # closes the warning only
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and not bad.exists()
    # fix the path: the same dialog now exports
    good = tmp_path / "out.png"
    type_into(qtbot, dialog.path_edit, str(good))
    qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)  # Enter = Export
    assert good.exists() and not dialog.isVisible()


def test_cancel_writes_nothing(dialog, qtbot, tmp_path):
    out = tmp_path / "never.pdf"
    type_into(qtbot, dialog.path_edit, str(out))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not out.exists()


def test_view_pdf_from_the_dialog_has_the_sites_rank_badges(gvalley, qtbot, tmp_path):
    import re

    from app.ui.export.map_dialog import MapExportDialog

    w, _, _ = gvalley
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = w.findChild(MapExportDialog, "mapExportDialog")
    out = tmp_path / "view.pdf"
    type_into(qtbot, dialog.path_edit, str(out))
    click_export(qtbot, dialog)
    assert out.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        score = w.indicators.results["score"].iloc[0]
        assert re.search(rf"#1 {score:.0f}\b", text), text[:400]  # as on the canvas
