"""Undo steps for attribute values edited in the attribute table.

Sites go through :class:`app.ui.sites.commands.SetAttributesCommand` (the only code that
changes the sites is :mod:`app.core.sites.edits`); imported layers through
:class:`SetValueCommand`, which replaces the layer's data with ``Layer.set_data``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtGui import QUndoCommand

from app.ui.sites.commands import set_text
from layers.model import Layer


def coerce(series: pd.Series, text: Any) -> Any:
    """``text`` as a value of the column's type; ValueError when it is not one.

    An empty text is NULL. Integers stay integers (a NULL in an integer column makes
    pandas use floats, which :class:`SetValueCommand` allows).
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        word = str(text).strip().lower()
        if word in ("true", "1", "yes", "y", "참", "예"):
            return True
        if word in ("false", "0", "no", "n", "거짓", "아니오"):
            return False
        raise ValueError(f"{text!r} is not true or false")
    if pd.api.types.is_integer_dtype(dtype):
        number = float(str(text).replace(",", ""))
        if not number.is_integer():
            raise ValueError(f"{text!r} is not a whole number")
        return int(number)
    if pd.api.types.is_float_dtype(dtype):
        return float(str(text).replace(",", ""))
    return str(text)


class SetValueCommand(QUndoCommand):
    """One attribute value of one feature of an imported layer."""

    def __init__(self, layer: Layer, row: int, column: str, value: Any) -> None:
        super().__init__()
        self.layer, self.row, self.column = layer, int(row), column
        self.before = layer.data[column].iloc[self.row]
        self.after = value
        set_text(self, "Edit “{field}” of {layer}", field=column, layer=layer.name)

    def _set(self, value: Any) -> None:
        data = self.layer.data.copy()
        position = data.columns.get_loc(self.column)
        missing = value is None or (isinstance(value, float) and np.isnan(value))
        if missing and pd.api.types.is_integer_dtype(data[self.column].dtype):
            data[self.column] = data[self.column].astype("float64")
        if isinstance(value, str) and not pd.api.types.is_string_dtype(data[self.column].dtype):
            data[self.column] = data[self.column].astype(object)
        data.iat[self.row, position] = value
        self.layer.set_data(data)

    def redo(self) -> None:
        self._set(self.after)

    def undo(self) -> None:
        self._set(self.before)
