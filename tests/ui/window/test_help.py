"""Help: the user guide on F1 in the UI language, and the keyboard-shortcut list."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QTableWidget, QTextBrowser

from app.core.paths import DOCS_DIR
from app.ui import i18n


def open_dialog(qtbot, window, key, modifier, name):
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, key, modifier)
    qtbot.waitUntil(lambda: window.findChild(QDialog, name) is not None, timeout=3000)
    dialog = window.findChild(QDialog, name)
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize(
    ("language", "title", "section"),
    [
        ("en", "InnoAtlas user guide", "Present to a room"),
        ("ko", "InnoAtlas 사용 안내", "발표하기"),
    ],
)
def test_f1_opens_the_guide_in_the_ui_language(qtbot, main_window, language, title, section):
    i18n.set_language(language, save=False)
    dialog = open_dialog(
        qtbot, main_window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier, "guideDialog"
    )
    browser = dialog.findChild(QTextBrowser, "guideBrowser")
    text = browser.toPlainText()
    assert text.startswith(title)
    assert section in text
    # Markdown is rendered, not shown as source: no "## " or "**" left.
    assert "## " not in text and "**" not in text
    assert main_window.findChild(QDialog, "aboutBox") is None  # F1 is the guide now
    dialog.close()


def test_both_guides_cover_the_first_hour():
    for name in ("guide.md", "guide.ko.md"):
        text = (DOCS_DIR / name).read_text(encoding="utf-8")
        # open, layers, sketch, indicators, suggest, export, present, let the room take part
        assert text.count("\n## ") == 8, name
        for key in ("F5", "Ctrl+Shift+G", "Ctrl+P", "Ctrl+Z", "`G`", "`E`"):
            assert key in text, (name, key)


def test_the_shortcut_list_is_the_menus_shortcuts(qtbot, main_window):
    w = main_window
    w.actions_by_name["actionZoomMagok"].setShortcut(QKeySequence("Ctrl+9"))  # as it is now
    dialog = open_dialog(
        qtbot, w, Qt.Key.Key_F1, Qt.KeyboardModifier.ControlModifier, "shortcutsDialog"
    )
    table = dialog.findChild(QTableWidget, "shortcutsTable")
    rows = {table.item(r, 1).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert rows["Present"] == "F5"
    assert rows["User guide"] == "F1"
    assert rows["Zoom to Magok"] == "Ctrl+9"
    assert rows["Suggest sites…"] == "Ctrl+Shift+G"  # the Analysis menu's own action
    assert "Polygon: remove the last corner" in rows
    shown = {table.item(r, 2).text() for r in range(table.rowCount())}
    for action in w.actions_by_name.values():
        if not action.shortcut().isEmpty():
            assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in shown
    dialog.close()
    QApplication.processEvents()
