"""A table model over a layer's column arrays: no item per cell, 200 000 rows scroll.

The model keeps one numpy array per column and ``rows``, the source positions in view
order (after the filter and the sort). ``data()`` reads one array element; filtering
(:func:`layers.rule_expr.filter_mask`) and sorting are whole-column operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from layers.model import Layer
from layers.rule_expr import RuleSyntaxError, filter_mask

NULL_TEXT = "NULL"
Index = QModelIndex | QPersistentModelIndex
#: ``edit(layer, source_row, column, value) -> bool``: pushes an undo step.
Editor = Callable[[Layer, int, str, Any], bool]


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_GREY = QColor("#888888")
_HORIZONTAL = Qt.Orientation.Horizontal


def _is_null(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def display(value: Any) -> str:
    """A cell value as text: NULL for missing, whole floats without ``.0``."""
    if isinstance(value, str):
        return value
    if _is_null(value):
        return NULL_TEXT
    if isinstance(value, (float, np.floating)):
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.10g}"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


class AttributeTableModel(QAbstractTableModel):
    """The attributes of ``layer`` (every column but the geometry).

    Parameters
    ----------
    layer : Layer
        Its ``changed(layer, "data")`` reloads the model (filter and sort kept).
    editable : collection of str
        Columns whose cells can be edited.
    editor : callable, optional
        Applies an edit (as an undo step); see :data:`Editor`.
    """

    def __init__(
        self,
        layer: Layer,
        editable: frozenset[str] | set[str] = frozenset(),
        editor: Editor | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.layer = layer
        self.editable = set(editable)
        self.editor = editor
        self.filter_text = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.columns: list[str] = []
        self._arrays: list[np.ndarray] = []
        self.rows = np.zeros(0, dtype=np.int64)
        self._row_list: list[int] = []
        self._lists: list[list] = []
        self._align: list[int | None] = []
        self._flags: list[Qt.ItemFlag] = []
        self._view_of = np.zeros(0, dtype=np.int64)
        self._load()
        layer.changed.connect(self._on_layer_changed)

    def close(self) -> None:
        """Stop following the layer."""
        self.layer.changed.disconnect(self._on_layer_changed)

    # -- state ---------------------------------------------------------------------------
    def _load(self) -> None:
        data = self.layer.data
        geometry = data.geometry.name if hasattr(data, "geometry") else None
        self.columns = [str(c) for c in data.columns if c != geometry]
        self._set_arrays()
        rows = np.arange(len(data), dtype=np.int64)
        if self.filter_text:
            try:
                rows = np.flatnonzero(filter_mask(self.filter_text, data)).astype(np.int64)
            except RuleSyntaxError:
                self.filter_text = ""
        self._set_rows(self._sorted(rows))

    def _set_arrays(self) -> None:
        data = self.layer.data
        self._arrays = [data[c].to_numpy() for c in self.columns]
        self._lists = [array.tolist() for array in self._arrays]
        base = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        self._flags = [
            base | Qt.ItemFlag.ItemIsEditable if c in self.editable and self.editor else base
            for c in self.columns
        ]
        self._align = [
            _RIGHT
            if pd.api.types.is_numeric_dtype(data[c].dtype)
            and not pd.api.types.is_bool_dtype(data[c].dtype)
            else None
            for c in self.columns
        ]

    def _set_rows(self, rows: np.ndarray) -> None:
        self.rows = rows
        self._row_list = rows.tolist()
        self._view_of = np.full(len(self.layer.data), -1, dtype=np.int64)
        self._view_of[rows] = np.arange(len(rows))

    def _sorted(self, rows: np.ndarray) -> np.ndarray:
        if not 0 <= self.sort_column < len(self.columns) or len(rows) == 0:
            return rows
        column = self.layer.data[self.columns[self.sort_column]].iloc[rows]
        ascending = self.sort_order == Qt.SortOrder.AscendingOrder
        try:
            keyed = column.reset_index(drop=True)
            order = keyed.sort_values(ascending=ascending, kind="stable", na_position="last")
        except TypeError:  # mixed types: compare as text
            keyed = column.map(display).reset_index(drop=True)
            order = keyed.sort_values(ascending=ascending, kind="stable")
        return rows[order.index.to_numpy()]

    def reload(self) -> None:
        """Read the layer again, keeping the filter and the sort."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def set_filter(self, text: str) -> int:
        """Show the rows ``text`` keeps (empty: all); returns how many.

        Raises
        ------
        RuleSyntaxError
            The text is not an expression (the previous filter stays).
        """
        text = text.strip()
        data = self.layer.data
        rows = (
            np.flatnonzero(filter_mask(text, data)).astype(np.int64)
            if text
            else np.arange(len(data), dtype=np.int64)
        )
        self.beginResetModel()
        self.filter_text = text
        self._set_rows(self._sorted(rows))  # the column arrays stay as they are
        self.endResetModel()
        return len(self.rows)

    def source_row(self, view_row: int) -> int:
        """Position in ``layer.data`` of a view row."""
        return int(self.rows[view_row])

    def view_rows(self, source_rows: np.ndarray) -> np.ndarray:
        """View rows of source positions (those filtered out are left out), sorted."""
        source_rows = np.asarray(source_rows, dtype=np.int64)
        source_rows = source_rows[(source_rows >= 0) & (source_rows < len(self._view_of))]
        view = self._view_of[source_rows]
        return np.sort(view[view >= 0])

    def _on_layer_changed(self, _layer: Layer, what: str) -> None:
        if what != "data":
            return
        data = self.layer.data
        same_shape = len(data) == len(self._view_of) and self.columns == [
            str(c) for c in data.columns if c != data.geometry.name
        ]
        if same_shape and not self.filter_text and self.sort_column < 0:
            # Values edited in place (an edit or its undo): no reset, so that an open
            # editor and the selection stay as they are.
            self._set_arrays()
            if len(self.rows):
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
                )
            return
        self.reload()

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != _DISPLAY:
            return None
        if orientation == _HORIZONTAL:
            return self.columns[section] if 0 <= section < len(self.columns) else None
        return str(self._row_list[section] + 1) if 0 <= section < len(self._row_list) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every role of every visible cell on every frame: ints, no enums,
        # one list lookup per call (the lists are the column arrays as Python objects).
        if role == _DISPLAY:
            return display(self._lists[index.column()][self._row_list[index.row()]])
        if role == _ALIGN:
            return self._align[index.column()]
        if role == _FOREGROUND:
            value = self._lists[index.column()][self._row_list[index.row()]]
            return _GREY if _is_null(value) else None
        if role == _EDIT:
            value = self._lists[index.column()][self._row_list[index.row()]]
            return "" if _is_null(value) else display(value)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self._flags[index.column()]

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.editor is None:
            return False
        column = self.columns[index.column()]
        if column not in self.editable:
            return False
        return self.editor(self.layer, self.source_row(index.row()), column, value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        self._set_rows(self._sorted(np.sort(self.rows)))
        self.layoutChanged.emit()

    def rows_text(self, view_rows: np.ndarray) -> str:
        """Tab-separated header and ``view_rows`` (what Copy puts on the clipboard)."""
        lines = ["\t".join(self.columns)]
        for row in view_rows:
            source = self.rows[row]
            lines.append("\t".join(display(c[source]).replace("\t", " ") for c in self._lists))
        return "\n".join(lines)
