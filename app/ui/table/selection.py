"""Which features are selected, per layer: shared by the attribute tables, the
box-select tool and the map's highlight."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from layers.model import Layer, LayerStack


class FeatureSelection(QObject):
    """Selected rows (positions in ``layer.data``) of each layer.

    Signals
    -------
    changed(str)
        The selection of the named layer changed.
    """

    changed = Signal(str)

    def __init__(self, stack: LayerStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = stack
        self._rows: dict[str, np.ndarray] = {}
        self._sizes: dict[str, int] = {}
        stack.layer_changed.connect(self._on_layer_changed)
        stack.removed.connect(lambda *args: self._forget_missing())

    def rows(self, layer: Layer | str) -> np.ndarray:
        """Selected row positions of ``layer`` (sorted, possibly empty)."""
        name = layer if isinstance(layer, str) else layer.name
        return self._rows.get(name, np.zeros(0, dtype=np.int64))

    def count(self, layer: Layer | str) -> int:
        return len(self.rows(layer))

    def select(self, layer: Layer, rows, mode: str = "replace") -> None:
        """Select ``rows`` of ``layer``: ``"replace"``, ``"add"`` or ``"remove"``."""
        new = np.unique(np.asarray(rows, dtype=np.int64))
        new = new[(new >= 0) & (new < len(layer.data))]
        old = self.rows(layer)
        if mode == "add":
            new = np.union1d(old, new)
        elif mode == "remove":
            new = np.setdiff1d(old, new)
        if len(new) == len(old) and np.array_equal(new, old):
            return
        self._rows[layer.name] = new
        self._sizes[layer.name] = len(layer.data)
        self.changed.emit(layer.name)

    def clear(self, layer: Layer) -> None:
        self.select(layer, [])

    def selected_geometries(self) -> list:
        """Geometries of every selected feature of the visible layers (for the highlight)."""
        out: list = []
        for name, rows in self._rows.items():
            layer = self.stack.get(name)
            if layer is not None and layer.visible and len(rows):
                out.extend(layer.data.geometry.values[rows])
        return out

    def _on_layer_changed(self, layer: Layer, what: str) -> None:
        # Rows added or removed renumber the features: the selection no longer holds.
        if what == "data" and layer.name in self._rows:
            if len(layer.data) != self._sizes.get(layer.name):
                self._rows.pop(layer.name)
                self.changed.emit(layer.name)
        elif what == "visible" and layer.name in self._rows:
            self.changed.emit(layer.name)

    def _forget_missing(self) -> None:
        for name in [n for n in self._rows if n not in self.stack]:
            self._rows.pop(name)
            self.changed.emit(name)
