"""The card's title: word-wrapped rich text that lays the panel out again only when its
height changes.

A ``QLabel`` asks its parent's layout to lay everything out again on every new text
(``updateGeometry``); with the card's title that cost 2–3 ms per frame of a live drag,
where the text changes (the score) but its height almost never does.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

#: The width the title asks for before its dock gives it one (it wraps to any width).
HINT_WIDTH = 280


class TitleLine(QWidget):
    """A read-only rich-text title that wraps to its width (``text()`` / ``setText()``
    as a ``QLabel``'s)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(text)

    def text(self) -> str:
        """The title's text (HTML)."""
        return self._text

    def setText(self, text: str) -> None:
        """Show ``text`` (HTML); the layout is asked again only if the height changes."""
        if text == self._text:
            return
        before = self.heightForWidth(self.width())
        self._text = text
        self._document.setDefaultFont(self.font())
        self._document.setHtml(text)
        if self.heightForWidth(self.width()) != before:
            self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._document.setTextWidth(max(width, 1))
        return math.ceil(self._document.size().height())

    def sizeHint(self) -> QSize:
        width = min(math.ceil(self._document.idealWidth()), HINT_WIDTH)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._document.setDefaultFont(self.font())  # a font change: the same text again

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self._document.setTextWidth(max(self.width(), 1))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()
        self._document.documentLayout().draw(painter, context)
