"""Help → User guide (F1), Help → Data sources and Help → Keyboard shortcuts.

The guide is the project's own ``docs/guide.md`` (``docs/guide.ko.md`` in Korean), shown
offline in a :class:`QTextBrowser`, which renders Markdown itself (Qt's md4c; no HTML is
built from the file, links to other ``docs`` pages open in the same browser and web
links in the system browser). The shortcut list is built from the window's menus as
they are (every action with the shortcut it really has, Analysis included) and
:data:`app.ui.actions.MAP_KEYS`, so it is always true.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.paths import DOCS_DIR
from app.ui.actions import MAP_KEYS
from app.ui.i18n import tr


def guide_path(language: str, docs: Path = DOCS_DIR, page: str = "guide") -> Path:
    """The user guide page in ``language`` (the English one when there is no other).

    Parameters
    ----------
    language : str
        ``"en"`` or ``"ko"``.
    docs : Path
        The folder of the guide pages.

    page : str
        The page's name (``"guide"``, ``"datasets"``).

    Returns
    -------
    Path
        ``guide.ko.md`` for Korean when it exists, else ``guide.md``.
    """
    translated = docs / f"{page}.{language}.md"
    return translated if language != "en" and translated.exists() else docs / f"{page}.md"


class GuideBrowser(QTextBrowser):
    """Renders the docs pages as Markdown; web links go to the system browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideBrowser")
        self.setOpenLinks(True)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)

    def doSetSource(self, name: QUrl, type=QTextDocument.ResourceType.UnknownResource) -> None:
        if name.scheme() in ("http", "https", "mailto"):
            return  # opened by _on_anchor, the page stays
        if name.path().endswith(".md"):
            type = QTextDocument.ResourceType.MarkdownResource
        super().doSetSource(name, type)


def show_guide(parent: QWidget, language: str, page: str = "guide") -> QDialog:
    """Open the user guide (non-modal) in ``language``.

    Parameters
    ----------
    parent : QWidget
        The main window.
    language : str
        ``"en"`` or ``"ko"``.
    page : str
        ``"guide"`` or ``"datasets"`` (Help → Data sources: where the official datasets
        are published, their licences, what to download; docs/datasets.md).

    Returns
    -------
    QDialog
        The open dialog (object name ``guideDialog``, ``dataSourcesDialog`` for the
        data sources); its browser is ``guideBrowser``.
    """
    dialog = QDialog(parent)
    datasets = page == "datasets"
    dialog.setObjectName("dataSourcesDialog" if datasets else "guideDialog")
    dialog.setWindowTitle(tr("Data sources") if datasets else tr("InnoAtlas user guide"))
    browser = GuideBrowser(dialog)
    path = guide_path(language, page=page)
    if path.exists():
        browser.setSearchPaths([str(path.parent)])
        browser.setSource(
            QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
        )
    else:
        browser.setPlainText(tr("The user guide is missing: {path}", path=str(path)))
    _finish(dialog, browser, (860, 680))
    return dialog


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """Every keyboard shortcut: ``(menu, what, keys)`` as the menus show them now.

    Parameters
    ----------
    menu_bar : QMenuBar
        The window's menu bar; every action in its menus and submenus with a shortcut
        is listed (in the current language, with the shortcut it really has).

    Returns
    -------
    list of tuple of str
        The menus' shortcuts in menu order, then the keys of the map
        (:data:`~app.ui.actions.MAP_KEYS`).
    """
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), title)
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((title, _plain(action.text()), keys))

    for top in menu_bar.actions():
        if top.menu() is not None:
            walk(top.menu(), _plain(top.text()))
    rows.extend((tr("Map"), tr(what), keys) for keys, what in MAP_KEYS)
    return rows


def show_shortcuts(parent: QMainWindow) -> QDialog:
    """Open the list of keyboard shortcuts (non-modal).

    Parameters
    ----------
    parent : QMainWindow
        The main window, whose menus are listed.

    Returns
    -------
    QDialog
        The open dialog (object name ``shortcutsDialog``; the table ``shortcutsTable``).
    """
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle(tr("Keyboard shortcuts"))
    rows = shortcut_rows(parent.menuBar())
    table = QTableWidget(len(rows), 3, dialog)
    table.setObjectName("shortcutsTable")
    table.setHorizontalHeaderLabels([tr("Menu"), tr("Command"), tr("Keys")])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    _finish(dialog, table, (720, 640))
    return dialog


def _plain(text: str) -> str:
    """A menu text without its mnemonic: "&File" → "File", "파일(&F)" → "파일"."""
    return re.sub(r"\(&\w\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def _finish(dialog: QDialog, body: QWidget, size: tuple[int, int]) -> None:
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.resize(*size)
    dialog.show()


__all__ = ["GuideBrowser", "guide_path", "show_guide", "show_shortcuts", "shortcut_rows"]
