"""The comparison table of every site's indicators and its CSV export.

:class:`ResultsTableModel` shows the indicator table (rank, name, then the docs/indicators.md
columns) with names and values in the UI's language and a numeric sort key;
:class:`ComparisonPage` is the indicators panel's "Compare" tab: the note naming the
criteria left out of every score, the sortable table and the button that saves it as CSV
(UTF-8 with a BOM, so that Excel reads Korean text). A partial site's name carries "◐"
(its coverage in the tooltip); unknown values are a grey "—" (or "unknown" outside a
layer's coverage), never 0; the coverage shares have their own columns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_text_atomically
from app.core.formats.csv_text import csv_text
from app.core.indicators.engine import COLUMNS, DEFINITIONS
from app.core.indicators.format import blocked, is_missing
from app.core.indicators.labels import tooltip
from app.core.indicators.score import BASIS, left_out_notes
from app.core.sites.names import display_name
from app.ui.i18n import language, tr
from app.ui.indicators.card import LEFT_OUT, NOT_PERMITTED
from app.ui.indicators.coverage_marks import (
    PARTIAL_MARK,
    UNKNOWN,
    cell_text,
    column_label,
    columns_of,
    is_partial,
    partial_text,
    unknown,
)
from app.ui.indicators.robust_cells import LABELS as ROBUST_LABELS
from app.ui.indicators.robust_cells import TABLE_COLUMNS as ROBUST_TABLE_COLUMNS
from app.ui.indicators.robust_cells import TOOLTIPS as ROBUST_TOOLTIPS
from app.ui.indicators.robust_cells import robust_columns_of, robust_sort_key, robust_text


class ResultsTableModel(QAbstractTableModel):
    """The results frame as a table: rank, name, then the docs/indicators.md columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()
        #: Workshop participants' dots per site id, a column after the name when set
        #: (app/ui/participation).
        self.dots: dict[str, int] | None = None

    def set_dots(self, dots: dict[str, int] | None) -> None:
        """Show (or, with None, leave out) the participants' dots column."""
        self.beginResetModel()
        self.dots = dots
        self.endResetModel()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame
        self.endResetModel()

    @property
    def columns(self) -> list[str]:
        if not len(self.frame.columns):
            return []
        dots = ["participant_dots"] if self.dots is not None else []
        return [
            "rank",
            "name",
            *dots,
            *columns_of(self.frame.columns, COLUMNS),
            *robust_columns_of(self.frame.columns),
        ]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if column == "participant_dots":
            return tr("Dots") if role == Qt.ItemDataRole.DisplayRole else None
        if column in ROBUST_TABLE_COLUMNS:
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(ROBUST_LABELS[column])
            return tr(ROBUST_TOOLTIPS[column]) if role == Qt.ItemDataRole.ToolTipRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_label(column, language())  # the column name is in the tooltip
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(column, DEFINITIONS.get(column, ""), language())
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if column == "participant_dots":
            count = (self.dots or {}).get(str(self.frame.index[index.row()]), 0)
            if role == Qt.ItemDataRole.DisplayRole:
                return str(count)
            return float(count) if role == Qt.ItemDataRole.UserRole else None
        if column in ROBUST_TABLE_COLUMNS:
            row = self.frame.iloc[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return robust_text(column, row)
            return robust_sort_key(column, row) if role == Qt.ItemDataRole.UserRole else None
        value = self.frame[column].iloc[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.frame.iloc[index.row()]
            text = cell_text(column, row, language())
            return f"{PARTIAL_MARK} {text}" if column == "name" and is_partial(row) else text
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return partial_text(self.frame.iloc[index.row()]) or None
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if is_missing(value):
                return float("-inf")
            if isinstance(value, (int, float, np.integer, np.floating, bool, np.bool_)):
                return float(value)
            return str(value)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "use_permitted" and blocked(value):
                return NOT_PERMITTED
            if unknown(self.frame.iloc[index.row()], column):
                return UNKNOWN
        return None

    def retranslate(self) -> None:
        """Tell the views that the headers changed language."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write the indicator table as UTF-8 CSV with a BOM (Excel reads Korean text).

    Parameters
    ----------
    frame : DataFrame
        The indicator table, indexed by site id.
    path : Path
        The CSV file; columns ``rank``, ``name``, ``site_id`` and the docs/indicators.md ones.

    Text cells that would start a spreadsheet formula are written as text
    (:mod:`app.core.formats.csv_text`); the file is replaced only by a complete one.

    Raises
    ------
    InnoAtlasError
        When the file cannot be written (one line).
    """
    out = frame.reset_index(names="site_id")[["rank", "name", "site_id", *COLUMNS]]
    write_text_atomically(Path(path), csv_text(out), InnoAtlasError, encoding="utf-8-sig")


class ComparisonPage(QWidget):
    """The sortable comparison table and its "Export CSV…" button.

    Parameters
    ----------
    results : callable
        Returns the current indicator table (what the CSV export writes).
    parent : QWidget, optional
    """

    def __init__(self, results: Callable[[], pd.DataFrame], parent=None) -> None:
        super().__init__(parent)
        self.results = results
        self.table_model = ResultsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setObjectName("comparisonTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.note = QLabel("", self)  # the criteria no score counts, and why
        self.note.setObjectName("comparisonScoreNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {LEFT_OUT.name()}")
        self.note.hide()
        self.table_model.modelReset.connect(self.update_note)
        self.table_model.modelReset.connect(self.fit_columns)
        self.export_button = QPushButton("", self)
        self.export_button.setObjectName("exportIndicatorsCsv")
        self.export_button.clicked.connect(self.export_dialog)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout.addLayout(row)

    def retranslate(self) -> None:
        """The button, its tooltip and the table's headers in the current UI language."""
        self.export_button.setText(tr("Export CSV…"))
        self.export_button.setToolTip(
            tr("Save the comparison table as CSV (UTF-8 with BOM, opens with Korean text in Excel)")
        )
        self.table_model.retranslate()
        self.table.viewport().update()
        self.update_note()
        self.fit_columns()

    #: The columns as wide as their header and values (the others keep the default).
    FITTED = ("rank", "name", "score", *ROBUST_TABLE_COLUMNS)

    def fit_columns(self) -> None:
        """Rank, name and score as wide as their header and every value, so that the
        score is never cut ("Score (0–100)", "58.2")."""
        columns = self.table_model.columns
        for column in self.FITTED:
            if column in columns:
                self.table.resizeColumnToContents(columns.index(column))

    def update_note(self) -> None:
        """Name the criteria left out of every score of the shown ranking (or hide)."""
        notes = left_out_notes(
            self.table_model.frame.attrs.get(BASIS),
            language(),
            name=lambda site: display_name(site, language()),
        )
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))

    def export_dialog(self) -> None:
        """Ask for a file name and export the table there."""
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export indicators"), "indicators.csv", "CSV (*.csv)"
        )
        if name:
            self.export_csv(Path(name))

    def export_csv(self, path: Path) -> bool:
        """Write the comparison table to ``path`` (:func:`write_csv`); False when it fails."""
        try:
            write_csv(self.results(), path)
        except InnoAtlasError as err:
            QMessageBox.warning(self, tr("Cannot export"), str(err))
            return False
        return True
