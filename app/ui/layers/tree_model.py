"""Adapts a :class:`~layers.model.LayerStack` for the layer panel's tree view.

Top-level rows are layers (checkable = visible, draggable = reorder); child rows
are the legend entries of categorized layers. The model owns no state: it
reads the stack and writes through its methods.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, Qt

from app.core.analysis.map_layers import hotspot_reference
from app.core.i18n_catalog import translate
from app.core.project.user_layers import display_text
from app.ui.canvas.render.legend_icons import swatch_icon
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus
from layers.style_classes import legend_rows

MIME_TYPE = "application/x-innoatlas-layer-row"
#: The legend row of a hot-spot layer naming its z-scores' reference area.
REFERENCE_ROW = "z-scores against"
_ROOT = 0xFFFFFFFF  # internal id of top-level rows; children carry their layer row
LayerRole = Qt.ItemDataRole.UserRole + 1

_STATUS_TAG = {
    DataStatus.SYNTHETIC: "synthetic",
    DataStatus.ILLUSTRATIVE: "illustrative",
    DataStatus.APPROXIMATE: "approximate",
}


class LayerTreeModel(QAbstractItemModel):
    """Qt item model over a layer stack."""

    def __init__(self, stack: LayerStack, language: str = "en", parent=None) -> None:
        super().__init__(parent)
        self.stack = stack
        self.language = language
        #: ``coverage_text(layer)``: a role layer's coverage area in words (tooltip), or None
        self.coverage_text: Callable[[Layer], str | None] = lambda layer: None
        self._legend_cache: dict[int, list] = {}
        stack.inserted.connect(self._reset)
        stack.removed.connect(self._reset)
        stack.moved.connect(self._reset)
        stack.layer_changed.connect(self._on_layer_changed)

    def set_language(self, language: str) -> None:
        """Show layer titles and legend labels in ``language`` (``"en"`` or ``"ko"``)."""
        self.language = language
        self._reset()

    # -- structure --------------------------------------------------------------------
    def _reset(self, *_args) -> None:
        self.beginResetModel()
        self._legend_cache.clear()
        self.endResetModel()

    def _on_layer_changed(self, layer: Layer, what: str) -> None:
        if what in ("style", "data"):
            self._reset()
            return
        row = self.stack.index(layer)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def legend_rows(self, layer: Layer) -> list:
        """``(label, symbol)`` rows shown under a classified layer (classes present only)."""
        key = id(layer)
        if key not in self._legend_cache:
            style = layer.style
            if style.kind == "single":
                self._legend_cache[key] = []
            else:
                rows = legend_rows(style, layer.data)
                if hotspot_reference(layer.data):  # hot spots: the area the z-scores are
                    rows = [*rows, (REFERENCE_ROW, None)]  # computed against, last
                self._legend_cache[key] = rows
        return self._legend_cache[key]

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _ROOT) if row < len(self.stack) else QModelIndex()
        if parent.internalId() == _ROOT and parent.row() < len(self.stack):
            if row < len(self.legend_rows(self.stack[parent.row()])):
                return self.createIndex(row, 0, parent.row())
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _ROOT:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _ROOT)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self.stack)
        if parent.internalId() == _ROOT and parent.row() < len(self.stack):
            return len(self.legend_rows(self.stack[parent.row()]))
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    def layer_at(self, index: QModelIndex) -> Layer | None:
        """The layer of a layer row or of a legend row."""
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _ROOT else int(index.internalId())
        return self.stack[row] if row < len(self.stack) else None

    # -- data ------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() != _ROOT:
            return self._legend_data(index, role)
        layer = self.stack[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            tag = _STATUS_TAG.get(layer.provenance.status)
            tag = translate(tag, self.language) if tag else tag
            title = layer.title(self.language)
            return f"{title}  [{tag}]" if tag and tag not in title.lower() else title
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and layer.style.kind == "single":
            return swatch_icon(layer.style.symbol, layer.geometry_kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            p = layer.provenance
            t = lambda text, **kw: translate(text, self.language, **kw)  # noqa: E731
            covers = self.coverage_text(layer)
            return (
                f"<b>{layer.title(self.language)}</b> ({layer.name}, "
                + t("{n} features", n=f"{len(layer.data):,}")
                + f")<br>{display_text(layer.description, self.language)}<br>"
                f"<i>{t(p.status.value)}</i> · {display_text(p.source, self.language)}"
                f"<br>{t('Licence')}: {display_text(p.licence, self.language)}"
                + (f"<br><b>{p.notes}</b>" if p.notes else "")
                + (
                    "<br>" + html.escape(t("Covers: {area}", area=covers), quote=False)
                    if covers is not None
                    else ""
                )
            )
        if role == LayerRole:
            return layer
        return None

    def _legend_data(self, index: QModelIndex, role: int):
        layer = self.stack[int(index.internalId())]
        rows = self.legend_rows(layer)
        if index.row() >= len(rows):
            return None
        label, symbol = rows[index.row()]
        if label is REFERENCE_ROW:
            if role == Qt.ItemDataRole.DisplayRole:
                return hotspot_reference(layer.data, self.language)
            return layer if role == LayerRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return translate(label, self.language)
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch_icon(symbol, layer.geometry_kind)
        if role == LayerRole:
            return layer
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and index.internalId() == _ROOT
            and role == Qt.ItemDataRole.CheckStateRole
        ):
            state = value.value if hasattr(value, "value") else value
            self.stack[index.row()].set_visible(state == Qt.CheckState.Checked.value)
            return True
        return False

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.internalId() == _ROOT:
            return base | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled
        return base

    # -- drag and drop reordering --------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        rows = [i.row() for i in indexes if i.isValid() and i.internalId() == _ROOT]
        if rows:
            mime.setData(MIME_TYPE, QByteArray(str(rows[0]).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(MIME_TYPE) and not (parent.isValid() and parent.internalId() != _ROOT)

    def dropMimeData(
        self,
        data: QMimeData,
        action,
        row: int,
        column: int,
        parent: QModelIndex,
    ) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        old = int(bytes(data.data(MIME_TYPE)).decode())
        if parent.isValid():  # dropped onto a layer row: take its place
            row = parent.row() if parent.internalId() == _ROOT else int(parent.internalId())
        if row < 0:
            row = len(self.stack)
        new = row - 1 if row > old else row
        self.stack.move(old, new)
        return False  # the stack moved the layer; the view must not remove a row itself
