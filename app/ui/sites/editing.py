"""Shared state of the site tools: the sites layer, undo stack, selection and snapping."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPointF, Signal
from PySide6.QtGui import QUndoStack
from shapely.geometry.base import BaseGeometry

from app.core.map.snapping import SnapResult, snap
from app.core.sites import edits as site_ops
from app.core.sites.geometry import CheckedGeometry
from app.ui.canvas.map_canvas import MapCanvas
from app.ui.i18n import tr
from app.ui.sites.commands import AddSiteCommand, DeleteSiteCommand
from layers.model import Layer
from layers.themes.sites import DEFAULT_RADIUS_M

SNAP_TOLERANCE_PX = 10
PICK_TOLERANCE_PX = 6


class SiteEditing(QObject):
    """What every site tool and the sites panel share.

    Signals
    -------
    selectionChanged(object)
        The selected ``site_id`` (or ``None``).
    message(str)
        A one-line notice for the status bar (repairs, refusals).
    """

    selectionChanged = Signal(object)
    message = Signal(str)
    previewRequested = Signal(object, object)
    #: The unfinished polygon sketch changed (its corners are worth autosaving).
    sketchChanged = Signal()

    def __init__(self, canvas: MapCanvas, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.canvas = canvas
        self.undo_stack = undo_stack
        self.selected: str | None = None
        self.snapping = True
        self.radius_m = DEFAULT_RADIUS_M
        self.last_message = ""
        #: (sites data, site id, its geometry): looked up once per data, not every frame
        self._geometry_cache: tuple | None = None

    @property
    def layer(self) -> Layer:
        """The project's ``sites`` layer."""
        return self.canvas.stack.get("sites")

    def notify(self, text: str) -> None:
        """Tell the user something (status bar); kept in ``last_message`` for tests."""
        self.last_message = text
        self.message.emit(text)

    # -- selection -------------------------------------------------------------------
    def select(self, site_id: str | None) -> None:
        """Select a site (or nothing); emits ``selectionChanged`` when it changes."""
        if site_id is not None and site_id not in set(self.layer.data["site_id"]):
            site_id = None
        if site_id != self.selected:
            self.selected = site_id
            self.selectionChanged.emit(site_id)
            self.canvas.update()

    def selected_geometry(self) -> BaseGeometry | None:
        """Geometry of the selected site, if any."""
        if self.selected is None:
            return None
        data = self.layer.data  # replaced, never changed in place, by every edit
        cached = self._geometry_cache
        if cached is not None and cached[0] is data and cached[1] == self.selected:
            return cached[2]
        try:
            geometry = site_ops.geometry_of(self.layer, self.selected)
        except KeyError:
            geometry = None
        self._geometry_cache = (data, self.selected, geometry)
        return geometry

    # -- positions -------------------------------------------------------------------
    def pixels(self, count: float) -> float:
        """``count`` screen pixels in metres at the current zoom."""
        return count * self.canvas.viewport.resolution

    def snapped(
        self, position: QPointF, exclude_site: str | None = None
    ) -> tuple[float, float, SnapResult | None]:
        """Map position of a screen point, snapped when snapping is on."""
        x, y = self.canvas.screen_to_map(position)
        if not self.snapping:
            return x, y, None
        exclude = {"sites": exclude_site} if exclude_site else None
        result = snap(self.canvas.stack, x, y, self.pixels(SNAP_TOLERANCE_PX), exclude)
        return (result.x, result.y, result) if result else (x, y, None)

    def site_at(self, position: QPointF) -> str | None:
        """The site under a screen point."""
        x, y = self.canvas.screen_to_map(position)
        return site_ops.site_at(self.layer, x, y, self.pixels(PICK_TOLERANCE_PX))

    def preview(self, site_id: str | None, geometry: BaseGeometry | None) -> None:
        """A site's shape while it is drawn or dragged (None when the gesture ends)."""
        self.previewRequested.emit(site_id, geometry)

    # -- edits -----------------------------------------------------------------------
    def add_site(self, checked: CheckedGeometry, **attributes) -> str:
        """Push an undoable "add site" with a default name; returns the new id."""
        if checked.message:
            self.notify(checked.message)
        name = site_ops.next_site_name(self.layer, tr("Site"))  # "후보지 N" in Korean
        record = site_ops.make_site(
            checked.geometry, name, radius_m=attributes.pop("radius_m", None), **attributes
        )
        self.undo_stack.push(AddSiteCommand(self.layer, record))
        self.select(record["site_id"])
        return record["site_id"]

    def delete_selected(self) -> bool:
        """Delete the selected site (undoable)."""
        if self.selected is None:
            return False
        self.undo_stack.push(DeleteSiteCommand(self.layer, self.selected))
        self.select(None)
        return True
