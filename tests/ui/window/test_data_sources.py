"""Help → Data sources: where each official dataset is published, its licence and what
to download for the three districts, in the UI language (docs/datasets.md)."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QTextBrowser

from app.core.paths import DOCS_DIR
from app.ui import i18n


def _help_menu(window):
    for action in window.menuBar().actions():
        if action.menu() is not None and "actionGuide" in {
            a.objectName() for a in action.menu().actions()
        }:
            return action.menu()
    raise AssertionError("no Help menu")


@pytest.mark.parametrize(
    ("language", "title", "words"),
    [
        ("en", "Data sources", ("15083033", "OA-21136", "What to download for the three")),
        ("ko", "데이터 출처", ("15083033", "OA-21136", "세 지구에 필요한 파일")),
    ],
)
def test_help_data_sources_opens_the_page_in_the_ui_language(
    qtbot, main_window, language, title, words
):
    i18n.set_language(language, save=False)
    window = main_window
    menu = _help_menu(window)
    menu.popup(window.mapToGlobal(QPoint(100, 30)))
    qtbot.waitExposed(menu)
    action = window.actions_by_name["actionDataSources"]
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(
        lambda: window.findChild(QDialog, "dataSourcesDialog") is not None, timeout=3000
    )
    dialog = window.findChild(QDialog, "dataSourcesDialog")
    assert dialog.windowTitle() == title
    text = dialog.findChild(QTextBrowser, "guideBrowser").toPlainText()
    for word in words:
        assert word in text
    assert "## " not in text  # rendered, not Markdown source
    dialog.close()


def test_both_pages_name_every_dataset_and_its_licence():
    for name in ("datasets.md", "datasets.ko.md"):
        text = (DOCS_DIR / name).read_text(encoding="utf-8")
        for word in (
            "15083033",
            "15083277",
            "OA-21136",
            "OA-21123",
            "LSMD_CONT_UQ111",
            "UDV100",
            "공공누리 제1유형",
            "이용허락범위 제한 없음",
            "C26–C28",
        ):
            assert word in text, (name, word)
