"""The Sites panel: editing a cell keeps the selection and logs no Qt warning."""

import pytest
from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.ui.sites.test_tools import A, B, C, click, sites, use


@pytest.fixture
def w(square_window):
    square_window.actions_by_name["actionSnapping"].setChecked(False)
    return square_window


@pytest.fixture
def qt_warnings():
    """Every Qt warning logged during the test."""
    messages: list[str] = []

    def handler(kind, _context, message):
        if kind != QtMsgType.QtDebugMsg:
            messages.append(message)

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)


def edit_cell(qtbot, window, row, column, text):
    """Double-click a cell of the Sites table, type ``text`` and press Enter."""
    table = window.sites_panel.table
    rect = table.visualRect(window.sites_panel.model.index(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


@pytest.mark.parametrize(
    ("column", "text", "key"), [(0, "Library", "name"), (2, "650", "radius_m")]
)
def test_editing_a_cell_keeps_the_selection_and_logs_no_warning(
    qtbot, w, qt_warnings, column, text, key
):
    use(qtbot, w, Qt.Key.Key_P)
    for xy in (A, B, C):
        click(qtbot, w, xy)
    second = sites(w)["site_id"].iloc[1]
    edit_cell(qtbot, w, 1, column, text)
    assert str(sites(w)[key].iloc[1]).startswith(text)
    table = w.sites_panel.table
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    assert w.editing.selected == second
    assert w.indicators_panel.site_card.title.text().find(sites(w)["name"].iloc[1]) >= 0
    assert not [m for m in qt_warnings if "commitData" in m or "editor" in m], qt_warnings
    # Undo puts the value back and the selection still stays.
    w.undo_stack.undo()
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    assert w.editing.selected == second


def test_sites_named_in_english_show_in_korean(qtbot, w):
    from app.ui import i18n

    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, A)  # "Site 1", named while the UI was English
    i18n.set_language("ko", save=False)
    click(qtbot, w, B)  # named in Korean: the next number, not a second "1"
    model = w.sites_panel.model
    shown = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert shown == ["후보지 1", "후보지 2"]
    assert list(sites(w)["name"]) == ["Site 1", "후보지 2"]  # stored as given
