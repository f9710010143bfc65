"""Which features are selected, per layer: shared by the attribute tables, the
box-select tool and the map's highlight."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QObject, Signal

from layers.model import Layer, LayerStack

#: Columns that identify a feature, first one present and unique wins.
ID_COLUMNS = ("site_id", "fid", "feature_id", "id", "station_id", "code")


def feature_keys(data: pd.DataFrame) -> np.ndarray:
    """One key per row that stays the feature's own when rows are added or removed.

    The first :data:`ID_COLUMNS` column present whose values are unique, else a hash of
    the row's values and geometry (features that are equal in everything share it).
    """
    for column in ID_COLUMNS:
        if column in data.columns and data[column].notna().all() and data[column].is_unique:
            return data[column].astype(str).to_numpy(dtype=object)
    plain = data.drop(columns=[data.geometry.name]) if hasattr(data, "geometry") else data
    hashed = pd.util.hash_pandas_object(plain.astype(str), index=False).to_numpy()
    if hasattr(data, "geometry"):
        wkb = pd.Series(shapely.to_wkb(np.asarray(data.geometry.values)))
        hashed = hashed ^ pd.util.hash_pandas_object(wkb, index=False).to_numpy()
    return hashed.astype(object)


class FeatureSelection(QObject):
    """Selected rows (positions in ``layer.data``) of each layer.

    The selection is kept by feature (:func:`feature_keys`): when rows are added or
    removed, the same features stay selected at their new positions.

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
        self._keys: dict[str, np.ndarray] = {}
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
        self._keys[layer.name] = feature_keys(layer.data)[new] if len(new) else new
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
        # Rows added or removed renumber the features: the same features stay selected.
        if what == "data" and layer.name in self._rows:
            kept = self._keys.get(layer.name, np.zeros(0, dtype=object))
            old = self._rows[layer.name]
            if len(kept) == 0:
                return
            keys = feature_keys(layer.data)
            if len(layer.data) == self._sizes.get(layer.name):
                # values edited in place: the same rows, with their keys as they are now
                self._keys[layer.name] = keys[old]
                return
            rows = np.flatnonzero(np.isin(keys, kept)).astype(np.int64)
            self._sizes[layer.name] = len(layer.data)
            self._keys[layer.name] = keys[rows]
            if not np.array_equal(rows, old):
                self._rows[layer.name] = rows
                self.changed.emit(layer.name)
        elif what == "visible" and layer.name in self._rows:
            self.changed.emit(layer.name)

    def _forget_missing(self) -> None:
        for name in [n for n in self._rows if n not in self.stack]:
            self._rows.pop(name)
            self._keys.pop(name, None)
            self.changed.emit(name)
