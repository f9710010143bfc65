"""Opens one attribute table window per layer and turns its edits into undo steps."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from app.core.project.user_layers import is_user_layer
from app.core.sites.edits import EDITABLE
from app.ui.i18n import tr
from app.ui.sites.commands import SetAttributesCommand
from app.ui.table.commands import SetValueCommand, coerce
from app.ui.table.selection import FeatureSelection
from app.ui.table.window import AttributeTableWindow
from layers.model import Layer


class AttributeTables(QObject):
    """The attribute tables of a main window.

    Signals
    -------
    message(str)
        A one-line note for the status bar.
    """

    message = Signal(str)

    def __init__(self, window, selection: FeatureSelection) -> None:
        super().__init__(window)
        self.window = window
        self.selection = selection
        self.open_tables: dict[str, AttributeTableWindow] = {}

    def editable_columns(self, layer: Layer) -> set[str]:
        """The sites' editable fields; every field of an imported layer; none of the rest."""
        geometry = layer.data.geometry.name
        if layer.name == "sites":
            return set(EDITABLE) & set(layer.data.columns)
        if is_user_layer(layer):
            return {str(c) for c in layer.data.columns if c != geometry}
        return set()

    def open(self, layer: Layer | None) -> AttributeTableWindow | None:
        """Show ``layer``'s table (raised when already open)."""
        if layer is None:
            self.message.emit(tr("Select a layer in the Layers panel first"))
            return None
        table = self.open_tables.get(layer.name)
        if table is None or table.layer is not layer:
            table = AttributeTableWindow(
                layer, self.selection, self.editable_columns(layer), self.edit, self.window
            )
            table.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            table.zoomRequested.connect(lambda b: self.window.canvas.zoom_to_extent(b, 0.1))
            table.message.connect(self.message)
            table.destroyed.connect(lambda *_a, n=layer.name: self.open_tables.pop(n, None))
            self.open_tables[layer.name] = table
        table.show()
        table.raise_()
        table.activateWindow()
        return table

    def edit(self, layer: Layer, row: int, column: str, value: Any) -> bool:
        """Push the undo step that sets one value; a value of the wrong type is refused."""
        try:
            value = coerce(layer.data[column], value)
        except ValueError as err:
            self.message.emit(tr("Value not accepted: {error}", error=str(err)))
            return False
        if layer.name == "sites":
            if column == "name" and not value:
                self.message.emit(tr("A site needs a name"))
                return False
            site_id = str(layer.data["site_id"].iloc[row])
            command = SetAttributesCommand(layer, site_id, {column: value})
        else:
            command = SetValueCommand(layer, row, column, value)
        self.window.undo_stack.push(command)
        return True
