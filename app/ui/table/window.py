"""The attribute table window of one layer: filter, table, selection tools, export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InnoAtlasError
from app.core.export.selection import export_selection
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.table.model import AttributeTableModel, Editor
from app.ui.table.selection import FeatureSelection
from layers.model import Layer
from layers.rule_expr import RuleSyntaxError


def runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Sorted rows as ``(first, last)`` runs of consecutive numbers."""
    if len(rows) == 0:
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = np.concatenate([[rows[0]], rows[breaks + 1]])
    ends = np.concatenate([rows[breaks], [rows[-1]]])
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


class AttributeTableWindow(QWidget):
    """A layer's features as a table, its selection linked with the map.

    Signals
    -------
    zoomRequested(object)
        ``(xmin, ymin, xmax, ymax)`` of the selected features: zoom the map there.
    message(str)
        A one-line note for the main window's status bar.
    """

    zoomRequested = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        layer: Layer,
        selection: FeatureSelection,
        editable: set[str],
        editor: Editor | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("attributeTable")
        self.layer = layer
        self.selection = selection
        self.model = AttributeTableModel(layer, editable, editor, self)
        self._syncing = False

        self.filter = QLineEdit(self)
        self.filter.setObjectName("tableFilter")
        self.filter.setClearButtonEnabled(True)
        self.apply = QPushButton(self)
        self.apply.setObjectName("tableApplyFilter")
        self.view = QTableView(self)
        self.view.setObjectName("tableView")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 6)
        self.view.horizontalHeader().setDefaultSectionSize(120)
        self.status = QLabel(self)
        self.status.setObjectName("tableStatus")
        self.zoom = QPushButton(self)
        self.zoom.setObjectName("tableZoomToSelection")
        self.copy = QPushButton(self)
        self.copy.setObjectName("tableCopyRows")
        self.export = QPushButton(self)
        self.export.setObjectName("tableExportSelection")
        self.clear = QPushButton(self)
        self.clear.setObjectName("tableClearSelection")

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.apply)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for button in (self.zoom, self.copy, self.export, self.clear):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self.filter.returnPressed.connect(self.apply_filter)
        self.apply.clicked.connect(self.apply_filter)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.model.modelReset.connect(self._show_selection)
        self.model.layoutChanged.connect(self._show_selection)
        selection.changed.connect(self._on_selection_changed)
        self.zoom.clicked.connect(self.zoom_to_selection)
        self.copy.clicked.connect(self.copy_rows)
        self.export.clicked.connect(self.export_dialog)
        self.clear.clicked.connect(lambda: self.selection.clear(self.layer))
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.retranslate()
        self._show_selection()
        self.resize(900, 520)

    # -- texts ---------------------------------------------------------------------------
    def retranslate(self, *_args) -> None:
        """Texts in the current UI language."""
        self.setWindowTitle(
            tr("Attribute table — {layer}", layer=self.layer.title(i18n.language()))
        )
        self.filter.setPlaceholderText(
            tr('Filter expression, e.g. "sector" = \'AI\' AND "employees" > 10')
        )
        self.filter.setToolTip(
            tr(
                "QGIS-style expression: = <> < > <= >=, IN (…), LIKE '%text%', ILIKE, "
                "IS NULL, + - * /, AND, OR, NOT. Enter applies; empty shows every feature"
            )
        )
        self.apply.setText(tr("Filter"))
        self.zoom.setText(tr("Zoom to selection"))
        self.copy.setText(tr("Copy rows"))
        self.copy.setToolTip(tr("Copy the selected rows (or all shown rows) as tab-separated text"))
        self.export.setText(tr("Export selection…"))
        self.export.setToolTip(
            tr("Save the selected features as CSV (UTF-8 with BOM) or GeoPackage")
        )
        self.clear.setText(tr("Clear selection"))
        self._update_status()

    def _update_status(self) -> None:
        self.status.setText(
            tr(
                "{shown} of {total} features shown, {selected} selected",
                shown=f"{self.model.rowCount():,}",
                total=f"{len(self.layer.data):,}",
                selected=f"{self.selection.count(self.layer):,}",
            )
        )

    # -- filter ----------------------------------------------------------------------------
    def apply_filter(self) -> bool:
        """Apply the filter text; a bad expression is a status note (the filter stays)."""
        try:
            self.model.set_filter(self.filter.text())
        except RuleSyntaxError as err:
            self.status.setText(tr("Filter not understood: {error}", error=str(err)))
            self.message.emit(tr("Filter not understood: {error}", error=str(err)))
            return False
        self._update_status()
        return True

    # -- selection ---------------------------------------------------------------------------
    def selected_view_rows(self) -> np.ndarray:
        rows = [index.row() for index in self.view.selectionModel().selectedRows()]
        return np.sort(np.asarray(rows, dtype=np.int64))

    def _on_view_selection(self, *_args) -> None:
        if self._syncing:
            return
        sources = self.model.rows[self.selected_view_rows()]
        hidden = np.setdiff1d(self.selection.rows(self.layer), self.model.rows)
        self._syncing = True
        try:
            self.selection.select(self.layer, np.union1d(sources, hidden))
        finally:
            self._syncing = False
        self._update_status()

    def _on_selection_changed(self, name: str) -> None:
        if name == self.layer.name and not self._syncing:
            self._show_selection()

    def _show_selection(self) -> None:
        """Select in the view the rows the shared selection holds."""
        view_rows = self.model.view_rows(self.selection.rows(self.layer))
        qt_selection = QItemSelection()
        last = self.model.columnCount() - 1
        for first, end in runs(view_rows):
            qt_selection.select(self.model.index(first, 0), self.model.index(end, max(0, last)))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                qt_selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        finally:
            self._syncing = False
        if len(view_rows):
            self.view.scrollTo(self.model.index(int(view_rows[0]), 0))
        self._update_status()

    def zoom_to_selection(self) -> bool:
        rows = self.selection.rows(self.layer)
        if len(rows) == 0:
            self.message.emit(tr("Nothing selected"))
            return False
        geometries = self.layer.data.geometry.values[rows]
        import shapely

        bounds = shapely.total_bounds(np.asarray(geometries))
        if np.isnan(bounds).any():
            return False
        self.zoomRequested.emit(tuple(float(b) for b in bounds))
        return True

    def copy_rows(self) -> str:
        """Copy the selected rows (all shown rows when none) to the clipboard."""
        rows = self.selected_view_rows()
        if len(rows) == 0:
            rows = np.arange(self.model.rowCount())
        text = self.model.rows_text(rows)
        QApplication.clipboard().setText(text)
        self.message.emit(tr("{n} rows copied", n=len(rows)))
        return text

    def export_to(self, path: Path) -> bool:
        """Export the selected features to ``path`` (.csv or .gpkg); notes go to the status."""
        try:
            count = export_selection(self.layer, self.selection.rows(self.layer), path)
        except InnoAtlasError as err:
            self.message.emit(tr("Export failed: {error}", error=str(err)))
            self.status.setText(tr("Export failed: {error}", error=str(err)))
            return False
        self.message.emit(tr("{n} features exported to {path}", n=count, path=str(path)))
        return True

    def export_dialog(self) -> bool:
        if self.selection.count(self.layer) == 0:
            self.message.emit(tr("Nothing selected"))
            return False
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Export selection"),
            f"{self.layer.name}_selection.csv",
            tr("CSV (UTF-8 with BOM) (*.csv);;GeoPackage (*.gpkg)"),
        )
        return bool(path) and self.export_to(Path(path))

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_rows()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:
        self.model.close()
        super().closeEvent(event)
