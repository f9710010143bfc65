"""The site card's two tables: every indicator (name | value) and the score breakdown.

:class:`CardTable` and :class:`BreakdownTable` size their columns for a narrow dock;
:func:`batched` turns many cell changes into one model change per run of rows (the live
drag updates the card at every frame).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView, QSizePolicy, QTableView, QTableWidget

#: The breakdown's columns: criterion | raw | transform | reference | 0–1 | share | points.
BREAKDOWN_COLUMNS = 7
POINTS_COLUMN = BREAKDOWN_COLUMNS - 1
SHARE_COLUMN = BREAKDOWN_COLUMNS - 2


@contextmanager
def batched(table: QTableWidget) -> Iterator[set[int]]:
    """Cell changes made inside as one model change per run of changed rows (add each
    changed row to the set yielded): each ``setText`` would otherwise make the view
    lay its rows out again (about 0.2 ms a cell)."""
    model = table.model()
    blocked_before = model.blockSignals(True)
    changed: set[int] = set()
    try:
        yield changed
    finally:
        model.blockSignals(blocked_before)
    last = table.columnCount() - 1
    rows = sorted(r for r in changed if 0 <= r < table.rowCount())
    while rows and last >= 0:
        first = end = rows.pop(0)
        while rows and rows[0] == end + 1:
            end = rows.pop(0)
        model.dataChanged.emit(model.index(first, 0), model.index(end, last), [])


def compact_rows(table: QTableView) -> None:
    """Rows one text line high (more where a cell wraps), so that a narrow dock shows more."""
    table.setWordWrap(True)
    header = table.verticalHeader()
    header.setMinimumSectionSize(table.fontMetrics().height() + 6)
    header.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class CardTable(QTableWidget):
    """Name and value columns that share the width: names wrap past 55 % of it."""

    NAME_SHARE = 0.55

    def __init__(self, parent=None) -> None:
        super().__init__(0, 2, parent)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        compact_rows(self)

    def fit_columns(self) -> None:
        """Give the name column its text's width, up to :attr:`NAME_SHARE` of the table."""
        wanted = max(self.sizeHintForColumn(0), self.horizontalHeader().sectionSizeHint(0))
        self.setColumnWidth(0, min(wanted, int(self.viewport().width() * self.NAME_SHARE)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def sizeHint(self) -> QSize:
        """About six rows: the score below gets the rest (the splitter moves it)."""
        return QSize(super().sizeHint().width(), 7 * self.verticalHeader().defaultSectionSize())


class BreakdownTable(QTableWidget):
    """The score breakdown: as high as its rows, numbers as wide as they need, the
    criterion column takes the rest (its names wrap).

    Where the table is too narrow for all seven columns (the default 330 px dock), the
    transform and reference columns are hidden and :attr:`on_compact` is told, so that
    the card writes them in a line under the table instead. Criterion names do not wrap:
    a long one is elided ("Start-up conc…"), its whole name in the cell's tooltip, so
    that the numbers keep their width and nothing scrolls sideways.
    """

    #: The columns hidden when the table is narrow: transform and reference.
    DETAIL_COLUMNS = (2, 3)
    #: The narrowest the criterion column gets before the details are hidden.
    MIN_CRITERION = 90

    def __init__(self, parent=None) -> None:
        super().__init__(0, BREAKDOWN_COLUMNS, parent)
        self.compact = False
        self._wanted: dict[int, int] = {}  # column -> its widest line (fit_columns)
        self.on_compact: Callable[[bool], None] = lambda compact: None
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, BREAKDOWN_COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        compact_rows(self)
        self.setWordWrap(False)  # one line per criterion; long names are elided
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().sectionResized.connect(lambda *_: self.updateGeometry())

    def sizeHint(self) -> QSize:
        height = (
            self.horizontalHeader().sizeHint().height()
            + self.verticalHeader().length()
            + 2 * self.frameWidth()
        )
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def wanted_width(self, column: int) -> int:
        """The width of ``column``'s widest line (cells and header), with padding."""
        metrics = self.fontMetrics()
        texts = [
            self.horizontalHeaderItem(column).text() if self.horizontalHeaderItem(column) else ""
        ]
        texts += [item.text() for row in range(self.rowCount()) if (item := self.item(row, column))]
        lines = [line for text in texts for line in text.split("\n")]
        return max(metrics.horizontalAdvance(line) for line in lines) + 14

    def fit_columns(self, columns=None) -> None:
        """Show the transform and reference columns when every column fits.

        ``columns``: the columns whose cells changed (their widths are measured again;
        the others' are remembered); None: all.
        """
        for column in range(1, self.columnCount()) if columns is None else columns:
            if column:
                self._wanted[column] = self.wanted_width(column)
        need = self.MIN_CRITERION + sum(
            self._wanted.get(c) or self.wanted_width(c) for c in range(1, self.columnCount())
        )
        compact = need > self.viewport().width()
        for column in self.DETAIL_COLUMNS:
            self.setColumnHidden(column, compact)
        if compact != self.compact:
            self.compact = compact
            self.on_compact(compact)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()
