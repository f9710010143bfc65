"""Scenes: an ordered list of saved views (extent, visible layers, title) for workshops.

A project keeps its scenes in ``ProjectSettings.extra["scenes"]`` as a list of plain
dicts (:meth:`Scene.as_record`). A project without saved scenes gets the three
districts (:func:`default_scenes`). Presentation mode steps through them, the map
export can render one or every scene, and the HTML export shows them as buttons.
The app edits them in a :class:`SceneList`, an evented list that Qt views adapt
(as they adapt :class:`~layers.model.LayerStack`).

Qt-free.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import shapely

from app.core.basemap.sources import BasemapSettings
from app.core.errors import InnoAtlasError
from app.core.map.catchments import checked_mode
from layers.events import Signal
from layers.model import LayerStack
from layers.themes.districts import DISTRICTS

SCENES_KEY = "scenes"
#: A scene's catchment: straight-line circles or walks along its walking network.
SCENE_CATCHMENTS = ("line", "network")
#: Fraction of the district extent added around it when zooming to a district scene.
DISTRICT_MARGIN = 0.08

Extent = tuple[float, float, float, float]


class SceneError(InnoAtlasError):
    """A scene cannot be used (unknown id, damaged record, no extent)."""


@dataclass(frozen=True)
class Scene:
    """One saved view.

    Parameters
    ----------
    scene_id : str
        Stable identifier (``"gvalley"``, ``"scene-4"``, ...), used by ``--scene``.
    title : str
        Shown as the big title in presentation mode and on exports.
    extent : tuple of float
        ``(xmin, ymin, xmax, ymax)`` in EPSG:5186.
    visible_layers : tuple of str or None
        Names of the layers shown in the scene, or None to keep the current visibility.
    catchments : str or None
        How the scene draws the sites' catchments (one of
        :data:`app.core.map.catchments.CATCHMENT_MODES`), or None to keep the current mode.
    basemap : BasemapSettings or None
        The scene's basemap (source, opacity, greyscale, on/off), or None to keep the
        current basemap.
    catchment_mode : str or None
        How the indicators measure catchments while the scene is shown: ``"line"``
        (straight-line circles) or ``"network"`` (walks along ``network_layer``); None
        keeps the project's setting (scenes saved before they kept it).
    network_layer : str or None
        The walking network's table (with ``"network"``; kept with ``"line"`` too).
    """

    scene_id: str
    title: str
    extent: Extent
    visible_layers: tuple[str, ...] | None = None
    catchments: str | None = None
    basemap: BasemapSettings | None = None
    catchment_mode: str | None = None
    network_layer: str | None = None

    def as_record(self) -> dict[str, Any]:
        """A JSON-friendly dict, as stored in the project settings."""
        return {
            "id": self.scene_id,
            "title": self.title,
            "extent": [float(v) for v in self.extent],
            "visible_layers": None if self.visible_layers is None else list(self.visible_layers),
            "catchments": self.catchments,
            "basemap": None if self.basemap is None else self.basemap.as_record(),
            "catchment": self.catchment_mode,
            "network_layer": self.network_layer,
        }

    @classmethod
    def from_record(cls, record: Any) -> Scene:
        """Inverse of :meth:`as_record`.

        Raises
        ------
        SceneError
            When the record is not a dict with an id, a title and a finite,
            non-degenerate extent.
        """
        try:
            scene_id = str(record["id"]).strip()
            title = str(record.get("title") or scene_id)
            extent = tuple(float(v) for v in record["extent"])
            layers = record.get("visible_layers")
            visible = None if layers is None else tuple(str(name) for name in layers)
            catchments = record.get("catchments")
            catchments = None if catchments is None else checked_mode(catchments)
            basemap = record.get("basemap")
            basemap = BasemapSettings.from_record(basemap) if isinstance(basemap, dict) else None
            mode = record.get("catchment")
            mode = mode if mode in SCENE_CATCHMENTS else None  # damaged: keep the project's
            network = record.get("network_layer")
            network = str(network) if isinstance(network, str) and network else None
            if mode == "network" and network is None:
                mode = None
        except (TypeError, KeyError, ValueError, AttributeError):
            raise SceneError("a saved scene is damaged (needs id, title and extent)") from None
        if (
            not scene_id
            or len(extent) != 4
            or not all(math.isfinite(v) for v in extent)
            or extent[2] <= extent[0]
            or extent[3] <= extent[1]
        ):
            raise SceneError(f"scene {scene_id or '?'} has no usable extent")
        return cls(scene_id, title, extent, visible, catchments, basemap, mode, network)

    def missing_layers(self, stack: LayerStack) -> list[str]:
        """Layers the scene shows that the project no longer has."""
        if self.visible_layers is None:
            return []
        return [name for name in self.visible_layers if name not in stack]

    def apply_visibility(self, stack: LayerStack) -> list[str]:
        """Show exactly the scene's layers (the sites stay as they are).

        Returns
        -------
        list of str
            The scene's layers that are missing from the project (ignored).
        """
        if self.visible_layers is None:
            return []
        wanted = set(self.visible_layers)
        for layer in stack:
            if layer.name != "sites":
                layer.set_visible(layer.name in wanted)
        return self.missing_layers(stack)


class SceneList:
    """The project's scenes in presentation order, as an evented list (Qt-free).

    Views subscribe to its signals and never own the list; the app's Qt model
    (``app.ui.scenes.model.ScenesModel``) adapts it and makes its edits undoable.

    Signals
    -------
    inserting(index), inserted(index, scene)
    removing(index), removed(index, scene)
    moving(index, to), moved(index, to)
    replaced(index, old, new)
    resetting(), reset()
    changed() — once after every edit, after the signals above.

    The ``...ing`` signals come before the list changes (a Qt model begins its row
    change there), the others after it.
    """

    def __init__(self, scenes: Iterable[Scene] = ()) -> None:
        self._scenes: list[Scene] = list(scenes)
        self.inserting = Signal()
        self.inserted = Signal()
        self.removing = Signal()
        self.removed = Signal()
        self.moving = Signal()
        self.moved = Signal()
        self.replaced = Signal()
        self.resetting = Signal()
        self.reset = Signal()
        self.changed = Signal()

    # -- reading -------------------------------------------------------------------------
    @property
    def scenes(self) -> list[Scene]:
        """A copy of the list, in presentation order."""
        return list(self._scenes)

    def __len__(self) -> int:
        return len(self._scenes)

    def __iter__(self) -> Iterator[Scene]:
        return iter(list(self._scenes))

    def __getitem__(self, index: int) -> Scene:
        return self._scenes[index]

    def index_of(self, scene_id: str) -> int:
        """Position of the scene called ``scene_id``, -1 when there is none."""
        for i, scene in enumerate(self._scenes):
            if scene.scene_id == scene_id:
                return i
        return -1

    # -- editing -------------------------------------------------------------------------
    def _check(self, index: int) -> None:
        if not 0 <= index < len(self._scenes):
            raise IndexError(f"no scene at position {index} (there are {len(self._scenes)})")

    def set_scenes(self, scenes: Iterable[Scene]) -> None:
        """Replace the whole list (a newly opened project); emits ``resetting``, ``reset``."""
        self.resetting.emit()
        self._scenes = list(scenes)
        self.reset.emit()
        self.changed.emit()

    def insert(self, index: int, scene: Scene) -> int:
        """Insert ``scene`` at ``index`` (clamped to the list); returns its position."""
        index = max(0, min(index, len(self._scenes)))
        self.inserting.emit(index)
        self._scenes.insert(index, scene)
        self.inserted.emit(index, scene)
        self.changed.emit()
        return index

    def remove(self, index: int) -> Scene:
        """Take out the scene at ``index`` and return it.

        Raises
        ------
        IndexError
            When there is no scene at ``index``.
        """
        self._check(index)
        self.removing.emit(index)
        scene = self._scenes.pop(index)
        self.removed.emit(index, scene)
        self.changed.emit()
        return scene

    def replace(self, index: int, scene: Scene) -> Scene:
        """Put ``scene`` at ``index`` instead of the scene there; returns the old one.

        Raises
        ------
        IndexError
            When there is no scene at ``index``.
        """
        self._check(index)
        old, self._scenes[index] = self._scenes[index], scene
        self.replaced.emit(index, old, scene)
        self.changed.emit()
        return old

    def move(self, index: int, to: int) -> None:
        """Move the scene at ``index`` so that it ends at ``to`` (nothing when equal).

        Raises
        ------
        IndexError
            When ``index`` or ``to`` is not a position of the list.
        """
        self._check(index)
        self._check(to)
        if index == to:
            return
        self.moving.emit(index, to)
        self._scenes.insert(to, self._scenes.pop(index))
        self.moved.emit(index, to)
        self.changed.emit()

    def localize(self, language: str) -> bool:
        """Give the untouched default district scenes their title in ``language``.

        Renamed scenes keep their titles (:func:`localized`). Emits ``replaced`` for
        each scene retitled, then ``changed`` once; True when a title changed.
        """
        scenes = [localized(scene, language) for scene in self._scenes]
        retitled = [i for i, (a, b) in enumerate(zip(scenes, self._scenes)) if a is not b]
        if not retitled:
            return False
        old, self._scenes = self._scenes, scenes
        for i in retitled:
            self.replaced.emit(i, old[i], scenes[i])
        self.changed.emit()
        return True


def _padded(bounds: Iterable[float], margin: float) -> Extent:
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    dx, dy = (xmax - xmin) * margin, (ymax - ymin) * margin
    return (xmin - dx, ymin - dy, xmax + dx, ymax + dy)


def default_scenes(stack: LayerStack, language: str = "en") -> list[Scene]:
    """One scene per district of the ``districts`` layer, in G-Valley, Magok, Yangjae order.

    They keep the layers as they are (``visible_layers`` None), so a layer added later is
    not hidden by stepping to a district. Empty when there is no districts layer.
    """
    layer = stack.get("districts")
    if layer is None or "district_id" not in layer.data or len(layer.data) == 0:
        return []
    ids = layer.data["district_id"].astype(str).to_numpy()
    geoms = np.asarray(layer.data.geometry.values, dtype=object)
    scenes = []
    for district_id in DISTRICTS:
        mask = ids == district_id
        if not mask.any():
            continue
        bounds = shapely.total_bounds(geoms[mask])
        if not np.isfinite(bounds).all():
            continue
        title = _district_title(DISTRICTS[district_id], language)
        scenes.append(Scene(district_id, title, _padded(bounds, DISTRICT_MARGIN), None))
    return scenes


def districts_extent(stack: LayerStack) -> Extent | None:
    """What the map shows on first start: the districts with everything of their zoning
    (the zones and the overlays that reach beyond a district, e.g. Gimpo airport's
    height-limit zone west of Magok); None without a districts layer."""
    layer = stack.get("districts")
    if layer is None or layer.extent is None:
        return None
    boxes: list[Iterable[float]] = [layer.extent]
    zoning = stack.get("zoning")
    if zoning is not None and len(zoning.data) and "district_id" in zoning.data:
        ids = set(layer.data["district_id"].astype(str)) if "district_id" in layer.data else set()
        mine = zoning.data[zoning.data["district_id"].astype(str).isin(ids)]
        bounds = shapely.total_bounds(np.asarray(mine.geometry.values))
        if len(mine) and np.isfinite(bounds).all():
            boxes.append(bounds.tolist())
    array = np.array(boxes, dtype=float)
    return (
        float(array[:, 0].min()),
        float(array[:, 1].min()),
        float(array[:, 2].max()),
        float(array[:, 3].max()),
    )


def default_title(scene_id: str, language: str = "en") -> str | None:
    """The title a default district scene has in ``language``; None for other scenes."""
    names = DISTRICTS.get(scene_id)
    return None if names is None else _district_title(names, language)


def _district_title(names: tuple[str, str, str], language: str) -> str:
    korean, english, _colour = names
    return korean if language == "ko" else english


def localized(scene: Scene, language: str) -> Scene:
    """``scene`` with its default district title in ``language``.

    A district scene whose title is still the default (in either language) follows the
    language; any other title (renamed by the user) is kept as it is.
    """
    if scene.title not in (
        default_title(scene.scene_id, "en"),
        default_title(scene.scene_id, "ko"),
    ):
        return scene
    title = default_title(scene.scene_id, language)
    return scene if title is None or title == scene.title else replace(scene, title=title)


def scenes_from_settings(
    extra: dict[str, Any], stack: LayerStack, language: str = "en"
) -> list[Scene]:
    """The project's saved scenes, or the default district scenes when none are saved.

    Damaged records are skipped (the rest still load). Saved district scenes that
    still have their default title get it in ``language`` (:func:`localized`).
    """
    records = extra.get(SCENES_KEY)
    if not isinstance(records, list):
        return default_scenes(stack, language)
    scenes = []
    for record in records:
        try:
            scenes.append(localized(Scene.from_record(record), language))
        except SceneError:
            continue
    return scenes


def scenes_to_settings(extra: dict[str, Any], scenes: Iterable[Scene]) -> None:
    """Store ``scenes`` in the settings' ``extra`` dict (replacing what was there)."""
    extra[SCENES_KEY] = [scene.as_record() for scene in scenes]


def find_scene(scenes: Iterable[Scene], scene_id: str) -> Scene:
    """The scene called ``scene_id`` (id first, then a case-insensitive title).

    Raises
    ------
    SceneError
        When no scene matches; the message lists the ids there are.
    """
    scenes = list(scenes)
    for scene in scenes:
        if scene.scene_id == scene_id:
            return scene
    for scene in scenes:
        if scene.title.casefold() == scene_id.casefold():
            return scene
    ids = ", ".join(s.scene_id for s in scenes) or "none"
    raise SceneError(f"no scene '{scene_id}' (scenes: {ids})")


def scene_for_view(scenes: Iterable[Scene], view: Iterable[float]) -> int | None:
    """The scene the map's view is in: presentation mode starts there.

    Parameters
    ----------
    scenes : iterable of Scene
        The project's scenes, in order.
    view : iterable of float
        The map's current extent ``(xmin, ymin, xmax, ymax)`` (EPSG:5186).

    Returns
    -------
    int or None
        The position of the scene whose extent contains the view's centre and overlaps
        the view most (intersection over union); None when no scene contains the centre.
    """
    extents = np.array([scene.extent for scene in scenes], dtype=float).reshape(-1, 4)
    x0, y0, x1, y1 = (float(v) for v in view)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    inside = (
        (extents[:, 0] <= cx)
        & (cx <= extents[:, 2])
        & (extents[:, 1] <= cy)
        & (cy <= extents[:, 3])
    )
    if not inside.any():
        return None
    width = np.clip(np.minimum(extents[:, 2], x1) - np.maximum(extents[:, 0], x0), 0, None)
    height = np.clip(np.minimum(extents[:, 3], y1) - np.maximum(extents[:, 1], y0), 0, None)
    common = width * height
    areas = (extents[:, 2] - extents[:, 0]) * (extents[:, 3] - extents[:, 1])
    union = areas + (x1 - x0) * (y1 - y0) - common
    overlap = np.where(inside, common / np.where(union > 0, union, 1.0), -1.0)
    return int(np.argmax(overlap))


def new_scene_id(scenes: Iterable[Scene]) -> str:
    """An id not used yet: ``scene-N``."""
    used = {s.scene_id for s in scenes}
    numbers = [int(m.group(1)) for s in used if (m := re.fullmatch(r"scene-(\d+)", s))]
    number = max(numbers, default=0) + 1
    while f"scene-{number}" in used:
        number += 1
    return f"scene-{number}"


def renamed(scene: Scene, title: str) -> Scene:
    """A copy of ``scene`` with another title."""
    return replace(scene, title=title)


__all__ = [
    "scene_for_view",
    "Scene",
    "SceneError",
    "SceneList",
    "default_scenes",
    "districts_extent",
    "default_title",
    "localized",
    "scenes_from_settings",
    "scenes_to_settings",
    "find_scene",
    "new_scene_id",
    "renamed",
    "SCENES_KEY",
]
