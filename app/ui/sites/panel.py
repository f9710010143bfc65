"""The sites panel: a table of sites; editing a cell is an undoable command."""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.sites.names import display_name
from app.ui.i18n import language, tr
from app.ui.sites.commands import SetAttributesCommand
from app.ui.sites.editing import SiteEditing

COLUMNS = (
    ("name", "Name"),
    ("kind", "Kind"),
    ("radius_m", "Radius (m)"),
    ("lot_area_m2", "Lot area (m²)"),
    ("notes", "Notes"),
)
EDITABLE = {"name", "radius_m", "lot_area_m2", "notes"}


class SitesTableModel(QAbstractTableModel):
    """Rows are the sites layer's features; writes go through the undo stack."""

    def __init__(self, editing: SiteEditing, parent=None) -> None:
        super().__init__(parent)
        self.editing = editing
        self._layer = None
        self._ids: list[str] = []
        self.bind()

    def bind(self) -> None:
        """Follow the current project's sites layer."""
        if self._layer is not None:
            self._layer.changed.disconnect(self._on_changed)
        self._layer = self.editing.layer
        if self._layer is not None:
            self._layer.changed.connect(self._on_changed)
        self.beginResetModel()
        self._ids = self._current_ids()
        self.endResetModel()

    def _current_ids(self) -> list[str]:
        if self._layer is None or "site_id" not in self._layer.data:
            return []
        return [str(site_id) for site_id in self._layer.data["site_id"]]

    def _on_changed(self, _layer, what: str) -> None:
        if what != "data":
            return
        ids = self._current_ids()
        if ids == self._ids:
            # The same sites in the same order (a rename, a radius, a moved shape): the
            # rows change in place, so the selection and an open editor stay valid.
            if ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._ids = ids
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._layer is None else len(self._layer.data)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(COLUMNS[section][1])
        return None

    def site_id(self, row: int) -> str:
        return str(self._layer.data["site_id"].iloc[row])

    def row_of(self, site_id: str) -> int:
        ids = self._layer.data["site_id"].tolist()
        return ids.index(site_id) if site_id in ids else -1

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = COLUMNS[index.column()][0]
        value = self._layer.data[key].iloc[index.row()]
        if key == "radius_m" and isinstance(value, float) and math.isnan(value):
            if role == Qt.ItemDataRole.DisplayRole:
                return tr("{radius} (project)", radius=f"{self.editing.radius_m:,.0f}")
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr(
                    "Follows the project radius (toolbar). Double-click to give this "
                    "site its own radius; clear the cell to follow the project again."
                )
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#777777")
        if key == "kind" and role == Qt.ItemDataRole.DisplayRole:
            return tr(str(value))
        if key == "name" and role == Qt.ItemDataRole.DisplayRole:
            return display_name(str(value), language())  # "Site 3" → "후보지 3"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if isinstance(value, float):
                if math.isnan(value):
                    return "" if role == Qt.ItemDataRole.DisplayRole else 0.0
                return f"{value:,.0f}" if role == Qt.ItemDataRole.DisplayRole else value
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("Double-click to edit") if key in EDITABLE else None
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key = COLUMNS[index.column()][0]
        kind = self._layer.data["kind"].iloc[index.row()]
        if key in EDITABLE and not (key == "lot_area_m2" and kind != "point"):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = COLUMNS[index.column()][0]
        if key in ("radius_m", "lot_area_m2") and str(value).strip() == "":
            value = float("nan")  # back to the project radius / no lot area
        elif key in ("radius_m", "lot_area_m2"):
            try:
                value = float(str(value).replace(",", ""))
            except ValueError:
                self.editing.notify(
                    tr("{column} must be a number", column=tr(COLUMNS[index.column()][1]))
                )
                return False
            if value < 0 or math.isinf(value):
                self.editing.notify(
                    tr("{column} must be 0 or more", column=tr(COLUMNS[index.column()][1]))
                )
                return False
        else:
            value = str(value)
        current = self._layer.data[key].iloc[index.row()]
        if current == value or (
            isinstance(value, float)
            and isinstance(current, float)
            and math.isnan(value)
            and math.isnan(current)
        ):
            return False
        self.editing.undo_stack.push(
            SetAttributesCommand(self._layer, self.site_id(index.row()), {key: value})
        )
        return True


class SitesPanel(QWidget):
    """Table of sites; selection follows the map and back."""

    def __init__(self, editing: SiteEditing, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sitesPanel")
        self.editing = editing
        self.model = SitesTableModel(editing, self)
        self.table = QTableView(self)
        self.table.setObjectName("sitesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # The name takes the width the numbers leave; lot area and notes come after the
        # radius, so that a narrow dock shows name, kind and radius without scrolling.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        # Rows one text line high, so that a short dock (1366×768 screens) shows more.
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hint = self.hint = QLabel("", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.model.modelReset.connect(self._restore_selection)
        editing.selectionChanged.connect(self._on_map_selection)
        self.retranslate()

    def retranslate(self) -> None:
        """Headers and hint in the current UI language."""
        self.hint.setText(
            tr(
                "Sketch with P (point), G (polygon), R (rectangle), C (circle); "
                "E edits. Double-click a cell to rename or add notes."
            )
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        rows = self.model.rowCount()
        if rows:  # the app-made names and the kinds in the new language
            self.model.dataChanged.emit(
                self.model.index(0, 0), self.model.index(rows - 1, len(COLUMNS) - 1)
            )
        self.table.viewport().update()

    def height_for_rows(self, rows: int) -> int:
        """The panel's height that shows ``rows`` whole site rows, the header and the hint.

        Parameters
        ----------
        rows : int
            How many rows must show without scrolling.

        Returns
        -------
        int
            Pixels, for the dock layout.
        """
        table = self.table
        frame = 2 * table.frameWidth()
        header = table.horizontalHeader().sizeHint().height()
        rows_height = rows * table.verticalHeader().defaultSectionSize()
        scroll = table.horizontalScrollBar().sizeHint().height()  # a narrow dock scrolls
        margins = self.layout().contentsMargins()
        hint = self.hint.heightForWidth(max(self.width(), 300) - 8)
        spacing = self.layout().spacing()
        layout = self.layout()
        others = sum(  # rows added above the table (the scenario combo)
            item.widget().sizeHint().height() + spacing
            for i in range(layout.count())
            if (item := layout.itemAt(i)).widget() not in (None, self.table, self.hint)
        )
        return (
            others
            + frame
            + header
            + rows_height
            + scroll
            + margins.top()
            + margins.bottom()
            + max(hint, self.hint.sizeHint().height())
            + spacing
        )

    def rebind(self) -> None:
        """Call after a new project is loaded."""
        self.model.bind()

    def _on_table_selection(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.editing.select(self.model.site_id(rows[0].row()))

    def _on_map_selection(self, site_id) -> None:
        row = self.model.row_of(site_id) if site_id else -1
        selection = self.table.selectionModel()
        current = [index.row() for index in selection.selectedRows()]
        if row < 0:
            if current:
                selection.clearSelection()
            return
        if current != [row]:
            selection.select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))

    def _restore_selection(self) -> None:
        self._on_map_selection(self.editing.selected)
