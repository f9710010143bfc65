"""The Add layer dialog's "walking network" use: a line layer (or the Seoul pedestrian
network CSV, OA-21208, recognised by its columns) added as the project's walking network,
with the same effect and undo as Analysis → Walking network… (one undo step: the layer
and the catchment). A network the app refuses (no lines, outside the districts, mostly
disconnected) is reported and nothing is added.
"""

from __future__ import annotations

from pathlib import Path

from app.core.network.read import is_oa21208

__all__ = [
    "WALKING_ROLE",
    "is_oa21208",
    "network_problem",
    "network_rows",
    "push_walking_network",
]
from app.core.project.layer_import import ImportRequest, ImportResult
from app.ui.i18n import tr

#: The role box's data for "Use as walking network" (not an indicator role of the core).
WALKING_ROLE = "walking_network"


def network_problem(dialog) -> str | None:
    """Why the dialog's layer cannot be the walking network ('' when it can); None when
    the walking network is not chosen (the general checks apply)."""
    if dialog.role_box.currentData() != WALKING_ROLE:
        return None
    if is_oa21208(dialog.path):
        return ""  # read as published: WKT in WGS 84, no columns or CRS to choose
    chosen = next(
        (info for info in dialog.info.layers if info.name == dialog.info.layer),
        dialog.info.layers[0] if len(dialog.info.layers) == 1 else None,
    )
    kind = (chosen.geometry_type or "") if chosen is not None else ""
    if "line" not in kind.lower():
        return tr(
            "A walking network is a line layer (streets, footways); {name} holds {kind}",
            name=dialog.path.name,
            kind=kind or tr("no geometry"),
        )
    return ""


def network_rows(dialog) -> None:
    """An OA-21208 CSV read as the walking network has no coordinate columns or CRS to
    choose: those rows hide and the CRS row says how it is read (shown again otherwise)."""
    if not is_oa21208(dialog.path):
        return
    walking = dialog.role_box.currentData() == WALKING_ROLE
    for box in (dialog.x_box, dialog.y_box):
        dialog._set_row_visible(box, not walking)
    dialog._set_row_visible(
        dialog.crs_box, not walking and dialog.info.crs is None and dialog.ready
    )
    if walking:
        dialog.crs_label.setText(
            tr(
                "Seoul pedestrian network (OA-21208): the LINK rows are read as lines from "
                "LNKG_WKT (WGS 84), reprojected to EPSG:5186"
            )
        )
    else:
        dialog._update_crs_label()


def read_oa21208_import(
    request: ImportRequest, progress=None, cancelled=None, **_coverage
) -> ImportResult:
    """The worker's call for an OA-21208 CSV: its LINK rows as lines in EPSG:5186
    (a network has no coverage area: the districts and dongs are not used)."""
    from app.core.network.read import read_network

    if progress is not None:
        progress(0.1, request.path.name)
    lines = read_network(Path(request.path))
    return ImportResult(request, lines.frame, list(lines.notes))


def push_walking_network(window, push_layer, frame, title: str) -> None:
    """Check ``frame`` as a walking network, then add its layer (``push_layer()`` pushes
    the add-layer command and returns the layer) and make it the catchment, as one undo
    step. Raises :class:`~app.core.formats.vector.InputError` (nothing added) when the
    network is refused."""
    from app.core.network.settings import CatchmentSetting

    walking = window.walking
    walking.controller.check_lines(frame, title)  # raises: nothing added
    stack = window.undo_stack
    stack.beginMacro(tr("Add walking network {title}", title=title))
    try:
        layer = push_layer()
        setting = walking.controller.setting
        walking.set_setting(CatchmentSetting(layer.name, "network", setting.tolerance_m))
    finally:
        stack.endMacro()
    return layer
