"""Adding a recognised official dataset to the window's project in one undo step
(app.core.datasets.project_import.plan_dataset_layers → undo commands): each new layer
with its role and coverage area (:class:`~app.ui.layers.commands.AddLayerCommand`), the
features a layer gets from it (the greenbelt joining the zoning layer, employees matched
onto the start-ups: :class:`SetLayerDataCommand`).
"""

from __future__ import annotations

import geopandas as gpd
from PySide6.QtGui import QUndoCommand

from app.core.datasets.project_import import (
    DATASETS_KEY,
    DatasetImport,
    plan_dataset_layers,
    with_datasets,
)
from app.core.project.coverage import saved_coverage
from app.ui.i18n import tr
from app.ui.layers.commands import add_layer_command, role_change
from app.ui.sites.commands import set_text
from layers.model import Layer


class SetLayerDataCommand(QUndoCommand):
    """Replace a layer's features (undo puts the previous ones back)."""

    def __init__(self, layer: Layer, after: gpd.GeoDataFrame) -> None:
        super().__init__()
        set_text(self, "Change the features of “{name}”", name=layer.title_en)
        self.layer, self.before, self.after = layer, layer.data, after

    def redo(self) -> None:
        self.layer.set_data(self.after)

    def undo(self) -> None:
        self.layer.set_data(self.before)


def add_dataset(window, result: DatasetImport, role: str | None, title: str) -> list[Layer]:
    """Add the layers of ``result`` to ``window``'s project as one undo step.

    Parameters
    ----------
    window : MainWindow
    result : DatasetImport
        The read made in the Add layer dialog.
    role : str or None
        The role chosen for the first layer (preset to the dataset's own).
    title : str
        Its display name.

    Returns
    -------
    list of Layer
        The layers added, the main one first.
    """
    stack, extra = window.stack, window.project.settings.extra
    plan = plan_dataset_layers(stack, extra, result, role, title)
    # which dataset each layer comes from: kept for later imports (e.g. NPS matching
    # onto the start-ups); a record of a layer removed later is harmless
    window.project.settings.extra[DATASETS_KEY] = with_datasets(extra, plan.datasets)[DATASETS_KEY]
    position = 1 if stack.names()[:1] == ["sites"] else 0
    undo = window.undo_stack
    undo.beginMacro(tr("Add dataset “{name}”", name=result.recognition.name))
    try:
        for layer, data in plan.changes:
            undo.push(SetLayerDataCommand(layer, data))
        for layer, layer_role, coverage in plan.additions:
            undo.push(
                add_layer_command(
                    window,
                    layer,
                    position,
                    role_change(window, layer.name, layer_role),
                    (saved_coverage(extra, layer.name), coverage) if layer_role else None,
                )
            )
    finally:
        undo.endMacro()
    added = [layer for layer, _, _ in plan.additions]
    if added:
        window.layer_panel.select_layer(added[0])
    notes = plan.notes + [n for item in result.layers for n in item.notes]  # the match rate first
    window.statusBar().showMessage(
        result.summary + (" — " + "; ".join(notes) if notes else ""), 30000
    )
    return added
