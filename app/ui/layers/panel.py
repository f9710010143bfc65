"""The layer panel: visibility, order (drag or Ctrl+Up/Down), opacity, legend, properties."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSlider,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.ui import i18n
from app.ui.i18n import tr
from app.ui.layers.tree_model import LayerTreeModel
from layers.model import Layer, LayerStack


class LayerPanel(QWidget):
    """Tree of layers with legend rows, plus an opacity slider for the current layer.

    Signals
    -------
    propertiesRequested(Layer)
        The user double-clicked a layer.
    """

    propertiesRequested = Signal(object)

    def __init__(self, stack: LayerStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerPanel")
        self.stack = stack
        self.model = LayerTreeModel(stack, i18n.language(), parent=self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("layerTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.doubleClicked.connect(self._on_double_click)
        self.model.modelReset.connect(self._after_reset)

        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setObjectName("layerOpacity")
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)
        self.opacity_label = QLabel("", self)

        row = QHBoxLayout()
        row.addWidget(self.opacity_label)
        row.addWidget(self.opacity, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self._restore: str | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Texts, layer titles and legend rows in the current UI language."""
        self.tree.setToolTip(
            tr(
                "Tick to show a layer, drag to reorder (or Ctrl+Up/Down), "
                "double-click for its source and licence"
            )
        )
        self.opacity.setToolTip(tr("Opacity of the selected layer"))
        current = self.current_layer()
        self.model.set_language(i18n.language())
        if current is not None and current in self.stack:
            self.select_layer(current)
        self._after_reset()

    def current_layer(self) -> Layer | None:
        """The selected layer (a legend row selects its layer)."""
        return self.model.layer_at(self.tree.currentIndex())

    def select_layer(self, layer: Layer) -> None:
        """Make ``layer`` the current row."""
        self.tree.setCurrentIndex(self.model.index(self.stack.index(layer), 0))

    def move_current(self, delta: int) -> None:
        """Move the selected layer up (``delta`` < 0) or down the stack, keeping it selected."""
        layer = self.current_layer()
        if layer is None:
            return
        old = self.stack.index(layer)
        self.stack.move(old, old + delta)
        self.select_layer(layer)

    def _after_reset(self) -> None:
        # Layers with few categories open, big legends (start-up sectors) too: they are the point.
        for row in range(len(self.stack)):
            if self.model.rowCount(self.model.index(row, 0)) <= 20:
                self.tree.expand(self.model.index(row, 0))
        self._sync_opacity()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._sync_opacity()

    def _sync_opacity(self) -> None:
        layer = self.current_layer()
        self.opacity.setEnabled(layer is not None)
        self.opacity.blockSignals(True)
        self.opacity.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity.blockSignals(False)
        self.opacity_label.setText(tr("Opacity {value} %", value=self.opacity.value()))

    def _on_opacity(self, value: int) -> None:
        layer = self.current_layer()
        if layer is not None:
            layer.set_opacity(value / 100.0)
        self.opacity_label.setText(tr("Opacity {value} %", value=value))

    def _on_double_click(self, index: QModelIndex) -> None:
        layer = self.model.layer_at(index)
        if layer is not None:
            self.propertiesRequested.emit(layer)
