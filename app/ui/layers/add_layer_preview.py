"""The Add layer dialog's preview table: the first rows of the file's attributes as text
(never interpreted: a value is shown as it is, never as HTML)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView


def fill_preview(model: QStandardItemModel, table: QTableView, frame: pd.DataFrame) -> None:
    """Show ``frame`` (at most the preview's rows) in ``model``; empty cells for NaN."""
    model.clear()
    model.setHorizontalHeaderLabels([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):  # at most PREVIEW_ROWS rows
        items = []
        for value in row:
            item = QStandardItem(
                "" if value is None or (isinstance(value, float) and value != value) else str(value)
            )
            item.setEditable(False)
            items.append(item)
        model.appendRow(items)
    table.resizeColumnsToContents()
