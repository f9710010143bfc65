"""The key-figure table of the Compare view: one row per KPI (and per district's share),
one column per scenario, the difference to the first scenario beside each value (green
where better, red where worse)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from app.core.project.scenario_report import Comparison, display_rows
from app.ui.i18n import tr

BETTER = QColor("#1b7f3b")
WORSE = QColor("#b00020")


def fill_kpi_table(table: QTableWidget, result: Comparison | None, language: str) -> None:
    """Show ``result`` in ``table`` (empty when None)."""
    table.clear()
    if result is None:
        table.setRowCount(0)
        table.setColumnCount(0)
        table.setFixedHeight(0)
        return
    rows = display_rows(result, language)
    names = [str(n) for n in result.table.index]
    table.setColumnCount(len(names))
    table.setRowCount(len(rows))
    headers = [names[0] + " " + tr("(baseline)")] + names[1:]
    table.setHorizontalHeaderLabels(headers)
    table.setVerticalHeaderLabels([row.label for row in rows])
    for r, row in enumerate(rows):
        for c, value in enumerate(row.values):
            text = value
            colour = None
            if c > 0 and row.deltas:
                delta = row.deltas[c - 1]
                if delta:
                    text = f"{value}  ({delta})"
                better = row.better[c - 1]
                colour = None if better is None else (BETTER if better else WORSE)
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colour is not None:
                item.setForeground(colour)
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.resizeRowsToContents()
    height = (
        table.horizontalHeader().sizeHint().height()
        + table.verticalHeader().length()
        + 2 * table.frameWidth()
        + 2
    )
    table.setFixedHeight(height)
