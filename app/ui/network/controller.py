"""The project's walking network in the app: which layer, which catchment, its isochrones.

:class:`WalkingNetworkController` reads the project's catchment setting
(:class:`app.core.network.settings.CatchmentSetting` in ``settings.extra``), builds the
graph of the chosen line layer once (cached on disk by a hash of its lines), hands the
indicators their walking distance and answers the overlay's questions: the isochrone
polygon of a site (cached per site shape and R; the very polygon the exports draw) and,
while a site is dragged, its reached street pieces (cheap enough for every mouse move),
then, once the drag pauses for :data:`PAUSE_MS`, the polygon of where it is.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import shapely
from PySide6.QtCore import QObject, QTimer, Signal

from app.core.formats.vector import InputError
from app.core.network.catchment import WalkingDistances
from app.core.network.isochrone import isochrones, reached_pieces, substrings, vertex_distances
from app.core.network.join import site_starts
from app.core.network.paths import node_distances
from app.core.network.read import separated_flags
from app.core.network.settings import CatchmentSetting
from app.core.network.source import build_cached, check_network
from app.core.network.topology import Network

_CACHE = 256
#: A drag that rests this long (ms) shows the isochrone polygon instead of the strokes.
PAUSE_MS = 150
#: Isochrone polygons made per paint (about 0.1 s each on a 20 000-edge network): with
#: every site's isochrone shown, the rest follow in the next paints (strokes meanwhile).
PER_PAINT = 4


class WalkingNetworkController(QObject):
    """The walking network of the window's project.

    Signals
    -------
    changed()
        The setting, the network or what is drawn changed (redraw).
    message(str)
        One line for the status bar (a network refused, islands reported).
    """

    changed = Signal()
    message = Signal(str)

    def __init__(self, stack, indicators, editing, settings_extra: dict) -> None:
        super().__init__()
        self.stack, self.indicators, self.editing = stack, indicators, editing
        self.extra = settings_extra
        self.setting = CatchmentSetting.from_extra(settings_extra)
        #: draw the isochrones of every site, not only the selected one
        self.show_all = False
        self.network: Network | None = None
        self.distances: WalkingDistances | None = None
        self._built_for: tuple | None = None
        self._polygons: OrderedDict[tuple, shapely.Geometry] = OrderedDict()
        self._cum: np.ndarray | None = None
        #: the site being dragged: (site_id, geometry, radius, reached pieces, polygon or
        #: None while it moves) or None
        self.live: tuple | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self._on_pause)
        stack.layer_changed.connect(self._on_layer_changed)
        stack.removed.connect(lambda *_: self.refresh())
        editing.previewRequested.connect(self._on_preview)
        editing.selectionChanged.connect(lambda *_: self.changed.emit())

    # -- setting -------------------------------------------------------------------------
    def line_layers(self) -> list:
        """The project's line layers (candidates for the walking network)."""
        return [layer for layer in self.stack if layer.geometry_kind == "line"]

    def set_setting(self, setting: CatchmentSetting, extra: dict | None = None) -> bool:
        """Use ``setting`` (undo commands call this); False when its network is refused
        (then nothing changes and :attr:`message` says why)."""
        if extra is not None:
            self.extra = extra
        previous = self.setting
        self.setting = setting
        if not self.refresh():
            self.setting = previous
            self.refresh()
            return False
        setting.to_extra(self.extra)
        return True

    def refresh(self) -> bool:
        """Build (or drop) the network for the current setting; hand it to the indicators."""
        layer = self.stack.get(self.setting.layer) if self.setting.layer else None
        network = None
        if self.setting.uses_network and layer is not None:
            key = (id(layer), id(layer.data), self.setting.tolerance_m)
            if key == self._built_for and self.network is not None:
                network = self.network
            else:
                try:
                    network = self._build(layer)
                except InputError as err:
                    self.message.emit(str(err))
                    return False
                self._built_for = key
        changed = network is not self.network
        self.network = network
        self.distances = WalkingDistances(network, layer.title_en) if network else None
        if changed:
            self._polygons.clear()
            self._cum = None
        self.indicators.walking = self.distances
        self.indicators.invalidate_engine()
        self.changed.emit()
        return True

    def check_lines(self, frame, title: str) -> Network:
        """The network of ``frame``'s lines, checked (cached on disk by a hash of the
        lines); raises :class:`InputError` with one line when it is refused."""
        geoms = np.asarray(frame.geometry.values, dtype=object)
        types = shapely.get_type_id(geoms)
        lines = np.isin(types, (1, 2, 5))
        if not lines.any():
            raise InputError(f"{title} has no lines: a walking network is a line layer")
        network, _ = build_cached(
            geoms[lines], separated_flags(frame)[lines], self.setting.tolerance_m
        )
        districts = self.stack.get("districts")
        area = shapely.union_all(districts.data.geometry.values) if districts else None
        check_network(network, title, area)
        return network

    def _build(self, layer) -> Network:
        network = self.check_lines(layer.data, layer.title_en)
        islands = network.islands
        if islands.count:
            self.message.emit(
                f"{layer.title_en}: {islands.count} disconnected parts hold "
                f"{islands.share_outside_main:.1%} of its length"
            )
        return network

    def _on_layer_changed(self, layer, what: str) -> None:
        if what == "data" and layer.name == self.setting.layer:
            self.refresh()
        elif what == "data" and layer.name == "sites":
            self.changed.emit()

    # -- isochrones ----------------------------------------------------------------------
    @property
    def radius(self) -> float:
        return float(self.editing.radius_m)

    def site_radius(self, record) -> float:
        value = record.get("radius_m") if hasattr(record, "get") else None
        try:
            value = float(value)
        except (TypeError, ValueError):
            return self.radius
        return value if np.isfinite(value) and value >= 0 else self.radius

    def polygon(self, geometry, radius: float) -> shapely.Geometry | None:
        """The isochrone of a site (cached per shape and R); None without a network."""
        if self.network is None or geometry is None or geometry.is_empty:
            return None
        key = (geometry.wkb, float(radius))
        found = self._polygons.get(key)
        if found is None:
            iso = isochrones(self.network, np.array([geometry], dtype=object), [radius])
            found = iso.geometry[0]
            self._polygons[key] = found
            while len(self._polygons) > _CACHE:
                self._polygons.popitem(last=False)
        else:
            self._polygons.move_to_end(key)
        return found

    def polygons(self, shown: list[tuple[str, object, float]]) -> list:
        """The isochrone polygons of ``(site_id, geometry, radius)`` rows: the ones not
        cached yet computed in one call (one Dijkstra from all their starts), at most
        :data:`PER_PAINT` of them; the rest are None now (the overlay strokes their
        streets) and computed in the next event-loop turns, then drawn."""
        if self.network is None:
            return [None] * len(shown)
        keys = [(g.wkb, float(r)) if g is not None else None for _, g, r in shown]
        missing = {
            k: (g, r)
            for k, (_, g, r) in zip(keys, shown)
            if k is not None and k not in self._polygons and not g.is_empty
        }
        if len(missing) > PER_PAINT:
            missing = dict(list(missing.items())[:PER_PAINT])
            QTimer.singleShot(0, self.changed.emit)  # the next ones on the next paint
        for radius in {r for _, r in missing.values()}:
            group = [(k, g) for k, (g, r) in missing.items() if r == radius]
            sites = np.array([g for _, g in group], dtype=object)
            iso = isochrones(self.network, sites, [radius])
            for (key, _), polygon in zip(group, iso.geometry):
                self._polygons[key] = polygon
        while len(self._polygons) > _CACHE:
            self._polygons.popitem(last=False)
        return [self._polygons.get(k) if k is not None else None for k in keys]

    def reached(self, geometry, radius: float) -> np.ndarray:
        """:meth:`pieces`, cached per site shape and R (what the canvas draws)."""
        if self.network is None or geometry is None or geometry.is_empty:
            return np.zeros(0, dtype=object)
        key = ("pieces", geometry.wkb, float(radius))
        found = self._polygons.get(key)
        if found is None:
            found = self.pieces(geometry, radius)
            self._polygons[key] = found
            while len(self._polygons) > _CACHE:
                self._polygons.popitem(last=False)
        return found

    def pieces(self, geometry, radius: float) -> np.ndarray:
        """The street pieces a site reaches within ``radius`` (LineStrings; fast)."""
        if self.network is None or geometry is None:
            return np.zeros(0, dtype=object)
        sites = np.array([geometry], dtype=object)
        starts = site_starts(self.network, sites)
        dist = node_distances(self.network, starts, limit=radius)
        _, edge, a, b = reached_pieces(self.network, starts, dist, np.array([radius]))
        if self._cum is None:
            self._cum = vertex_distances(self.network)
        return substrings(self.network, edge, a, b, self._cum)

    def shown(self) -> list[tuple[str, object, float]]:
        """``(site_id, geometry, radius)`` of the sites whose isochrone is drawn."""
        layer = self.stack.get("sites")
        if self.network is None or layer is None or len(layer.data) == 0:
            return []
        data = layer.data
        if self.show_all:
            rows = data
        else:
            selected = self.editing.selected
            rows = data[data["site_id"] == selected] if selected is not None else data.iloc[:0]
        return [(str(r["site_id"]), r.geometry, self.site_radius(r)) for _, r in rows.iterrows()]

    def _on_preview(self, site_id, geometry) -> None:
        if self.network is None:
            return
        if geometry is None:
            self.live = None
        else:
            radius = self.radius
            layer = self.stack.get("sites")
            if site_id is not None and layer is not None:
                rows = layer.data[layer.data["site_id"] == site_id]
                if len(rows):
                    radius = self.site_radius(rows.iloc[0])
            self.live = (site_id, geometry, radius, self.pieces(geometry, radius), None)
        if self.live is None:
            self._pause.stop()
        else:
            self._pause.start()  # restarted by every move: fires when the drag rests
        self.changed.emit()

    def _on_pause(self) -> None:
        """The drag rests: the polygon of where the site is (the exports' isochrone)."""
        if self.live is None or self.network is None:
            return
        site_id, geometry, radius, pieces, _ = self.live
        self.live = (site_id, geometry, radius, pieces, self.polygon(geometry, radius))
        self.changed.emit()
