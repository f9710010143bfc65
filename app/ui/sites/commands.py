"""Undo commands for every kind of site edit (QGIS: one QUndoCommand per kind of edit).

Each command holds the before and after states and applies them through
app.core.sites.edits, which replaces the layer's data; views react to the layer's
``changed`` signal. Consecutive moves of the same site merge into one step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand
from shapely.geometry.base import BaseGeometry

from app.core.sites import edits as site_ops
from app.ui.i18n import tr
from layers.model import Layer

MOVE_ID = 1001  # QUndoCommand.id(): equal ids may merge


def set_text(command: QUndoCommand, template: str, **values) -> None:
    """Give ``command`` the text ``template`` in the UI language, kept for :func:`retranslate`."""
    command.text_source = (template, values)
    command.setText(tr(template, **values))


def retranslate(stack) -> None:
    """Show the texts of the commands on ``stack`` (Edit → Undo …) in the UI language."""
    for index in range(stack.count()):
        source = getattr(stack.command(index), "text_source", None)
        if source is not None:
            stack.command(index).setText(tr(source[0], **source[1]))


class AddSiteCommand(QUndoCommand):
    """Add a new site."""

    def __init__(self, layer: Layer, record: dict[str, Any]) -> None:
        super().__init__()
        set_text(self, "Add site “{name}”", name=record["name"])
        self.layer, self.record = layer, record

    def redo(self) -> None:
        site_ops.insert_site(self.layer, self.record)

    def undo(self) -> None:
        site_ops.remove_site(self.layer, self.record["site_id"])


class DeleteSiteCommand(QUndoCommand):
    """Delete a site (undo puts it back at its place)."""

    def __init__(self, layer: Layer, site_id: str) -> None:
        self.layer, self.site_id = layer, site_id
        self.record = site_ops.record_of(layer, site_id)
        self.position = site_ops.row_of(layer, site_id)
        super().__init__()
        set_text(self, "Delete site “{name}”", name=self.record["name"])

    def redo(self) -> None:
        self.position, self.record = site_ops.remove_site(self.layer, self.site_id)

    def undo(self) -> None:
        site_ops.insert_site(self.layer, self.record, self.position)


class ChangeGeometryCommand(QUndoCommand):
    """Replace a site's geometry: a move, a vertex drag, an added or deleted vertex.

    Parameters
    ----------
    action : str
        Shown in the Edit menu ("Move", "Move vertex of", ...). Commands whose
        action is ``"Move"`` and site is the same merge into one undo step.
    """

    def __init__(
        self,
        layer: Layer,
        site_id: str,
        after: BaseGeometry,
        action: str,
        before: BaseGeometry | None = None,
    ) -> None:
        self.layer, self.site_id, self.action = layer, site_id, action
        self.before = before if before is not None else site_ops.geometry_of(layer, site_id)
        self.after = after
        name = site_ops.record_of(layer, site_id)["name"]
        super().__init__()
        set_text(self, action + " site “{name}”", name=name)  # one catalog entry each

    def id(self) -> int:
        return MOVE_ID if self.action == "Move" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, ChangeGeometryCommand)
            or other.site_id != self.site_id
            or other.action != "Move"
            or self.action != "Move"
        ):
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        site_ops.set_geometry(self.layer, self.site_id, self.after)

    def undo(self) -> None:
        site_ops.set_geometry(self.layer, self.site_id, self.before)


class SetAttributesCommand(QUndoCommand):
    """Rename a site, change its notes, catchment radius or lot area."""

    _LABELS = {
        "name": "Rename",
        "notes": "Edit notes of",
        "radius_m": "Change radius of",
        "lot_area_m2": "Change lot area of",
    }

    def __init__(self, layer: Layer, site_id: str, values: dict[str, Any]) -> None:
        self.layer, self.site_id = layer, site_id
        record = site_ops.record_of(layer, site_id)
        self.before = {key: record[key] for key in values}
        self.after = dict(values)
        label = self._LABELS.get(next(iter(values)), "Edit") if len(values) == 1 else "Edit"
        super().__init__()
        set_text(self, label + " site “{name}”", name=record["name"])

    def redo(self) -> None:
        site_ops.set_attributes(self.layer, self.site_id, self.after)

    def undo(self) -> None:
        site_ops.set_attributes(self.layer, self.site_id, self.before)
