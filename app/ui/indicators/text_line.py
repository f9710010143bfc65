"""Word-wrapped text for the card (its title and notes) that lays the panel out again
only when its height changes.

A ``QLabel`` asks its parent's layout to lay everything out again on every new text
(``updateGeometry``); with the card's title and score note that cost 2–3 ms per change,
and a live drag changes them in most frames (the score; the note on rounded points
comes and goes) while their height almost never changes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

#: The width the text asks for before its dock gives it one (it wraps to any width).
HINT_WIDTH = 280


class TextLine(QWidget):
    """Read-only text that wraps to its width (``text()`` / ``setText()`` as a
    ``QLabel``'s): rich text (HTML) or plain text (lines split at ``\\n``).

    While :meth:`keep_height` is on, the widget does not shrink: a text with fewer
    lines leaves the space empty instead of laying the panel out again.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None, rich: bool = True) -> None:
        super().__init__(parent)
        self._text: str | None = None
        self._rich = rich
        self._keep = False
        self._floor = 0  # the height kept (keep_height)
        self._measured: dict[int, int] = {}
        self._document = QTextDocument(self)
        self._document.setDocumentMargin(0)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(text)

    def text(self) -> str:
        """The text shown (HTML for rich text)."""
        return self._text or ""

    def setText(self, text: str) -> None:
        """Show ``text``; the layout is asked again only if the height changes."""
        if text == self._text:
            return
        before = self._measured.get(self.width()) or self.heightForWidth(self.width())
        self._text = text
        self._document.setDefaultFont(self.font())
        if self._rich:
            self._document.setHtml(text)
        else:
            self._document.setPlainText(text)
        if self.heightForWidth(self.width()) != before:
            self.updateGeometry()
        self.update()

    def keep_height(self, keep: bool) -> None:
        """Keep the tallest height shown from now on (True) or follow the text again."""
        if keep == self._keep:
            return
        self._keep, self._floor, self._measured = keep, 0, {}
        if not keep:
            self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._document.setTextWidth(max(width, 1))
        height = math.ceil(self._document.size().height())
        if self._keep:
            self._floor = height = max(self._floor, height)
        self._measured = {width: height}  # the answer for this text at the last width
        return height

    def sizeHint(self) -> QSize:
        width = min(math.ceil(self._document.idealWidth()), HINT_WIDTH)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height())

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._document.setDefaultFont(self.font())  # a font change: the same text again
        self._measured = {}

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self._document.setTextWidth(max(self.width(), 1))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = self.palette()  # a style sheet's colour, as a label's
        context.palette.setColor(
            QPalette.ColorRole.Text, self.palette().color(QPalette.ColorRole.WindowText)
        )
        self._document.documentLayout().draw(painter, context)
