"""Qt-free layer models: a :class:`Layer` holds data, style and provenance;
a :class:`LayerStack` orders them. Views (canvas, layer panel) subscribe to their
signals and never own state. :data:`GeometryKind` and :data:`LayerChange` name the
kinds of layer and of change as ``Literal`` strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, get_args

import geopandas as gpd
import numpy as np
import shapely

from layers.events import Signal
from layers.provenance import Provenance
from layers.style import LayerStyle

WORKING_CRS = "EPSG:5186"

#: What a layer's features are; ``"mixed"`` holds points and polygons (the sites).
GeometryKind = Literal["point", "line", "polygon", "mixed"]
#: What changed in a layer: the ``what`` of ``Layer.changed`` and ``LayerStack.layer_changed``.
LayerChange = Literal["visible", "opacity", "style", "data", "title"]

GEOMETRY_KINDS: tuple[GeometryKind, ...] = get_args(GeometryKind)


@dataclass(frozen=True)
class LayerSpec:
    """The fixed contract of one thematic layer (one module per layer in ``layers``).

    Parameters
    ----------
    name : str
        Table name in the GeoPackage; fixed, other tools rely on it.
    title_ko, title_en : str
        Display names.
    geometry_kind : GeometryKind
        ``"point"``, ``"line"``, ``"polygon"`` or ``"mixed"``.
    columns : dict
        Required attribute columns and their kind (``"str"``, ``"int"``,
        ``"float"``, ``"bool"``).
    style : LayerStyle
        Default style.
    provenance : Provenance
        Default provenance (the GeoPackage's provenance table overrides it).
    description : str
        One sentence for tooltips.
    """

    name: str
    title_ko: str
    title_en: str
    geometry_kind: GeometryKind
    columns: dict[str, str]
    style: LayerStyle
    provenance: Provenance
    description: str = ""


@dataclass(eq=False)
class Layer:
    """One map layer: features (EPSG:5186), style, provenance and view state.

    Signals
    -------
    changed(layer, what)
        ``what`` (a :data:`LayerChange`) says what changed.
    """

    name: str
    data: gpd.GeoDataFrame
    style: LayerStyle
    provenance: Provenance
    title_ko: str = ""
    title_en: str = ""
    geometry_kind: GeometryKind = "polygon"
    description: str = ""
    visible: bool = True
    opacity: float = 1.0
    changed: Signal = field(default_factory=Signal, repr=False)

    @classmethod
    def from_spec(
        cls, spec: LayerSpec, data: gpd.GeoDataFrame, provenance: Provenance | None = None
    ) -> Layer:
        """A layer with the spec's names, kind and default style."""
        return cls(
            name=spec.name,
            data=data,
            style=spec.style,
            provenance=provenance or spec.provenance,
            title_ko=spec.title_ko,
            title_en=spec.title_en,
            geometry_kind=spec.geometry_kind,
            description=spec.description,
        )

    def title(self, language: str = "ko") -> str:
        """Display name in ``language`` (``"ko"`` or ``"en"``), falling back to the table name."""
        text = self.title_ko if language == "ko" else self.title_en
        return text or self.title_en or self.title_ko or self.name

    @property
    def extent(self) -> tuple[float, float, float, float] | None:
        """``(xmin, ymin, xmax, ymax)`` of all features, or ``None`` when empty."""
        if len(self.data) == 0:
            return None
        bounds = shapely.total_bounds(self.data.geometry.values)
        if np.isnan(bounds).any():
            return None
        xmin, ymin, xmax, ymax = (float(b) for b in bounds)
        return (xmin, ymin, xmax, ymax)

    def _changed(self, what: LayerChange) -> None:
        self.changed.emit(self, what)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the layer; emits ``changed(layer, "visible")``."""
        if bool(visible) != self.visible:
            self.visible = bool(visible)
            self._changed("visible")

    def set_opacity(self, opacity: float) -> None:
        """Set opacity 0..1 (clamped); emits ``changed(layer, "opacity")``."""
        opacity = float(min(1.0, max(0.0, opacity)))
        if opacity != self.opacity:
            self.opacity = opacity
            self._changed("opacity")

    def set_style(self, style: LayerStyle) -> None:
        """Replace the style; emits ``changed(layer, "style")``."""
        self.style = style
        self._changed("style")

    def set_titles(self, title_en: str, title_ko: str) -> None:
        """Rename the layer for display (the table name stays); emits
        ``changed(layer, "title")``."""
        if (title_en, title_ko) != (self.title_en, self.title_ko):
            self.title_en, self.title_ko = title_en, title_ko
            self._changed("title")

    def set_data(self, data: gpd.GeoDataFrame) -> None:
        """Replace the features; emits ``changed(layer, "data")``."""
        self.data = data
        self._changed("data")


class LayerStack:
    """Ordered layers; index 0 is the top of the layer panel and is drawn last.

    Signals
    -------
    inserted(index, layer), removed(index, layer), moved(old, new),
    layer_changed(layer, what) — forwarded from every layer's ``changed``.
    """

    def __init__(self, layers: list[Layer] | None = None) -> None:
        self._layers: list[Layer] = []
        self.inserted = Signal()
        self.removed = Signal()
        self.moved = Signal()
        self.layer_changed = Signal()
        for layer in layers or []:
            self.append(layer)

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(list(self._layers))

    def __getitem__(self, index: int) -> Layer:
        return self._layers[index]

    def __contains__(self, name: object) -> bool:
        return any(layer.name == name for layer in self._layers)

    def names(self) -> list[str]:
        """Layer names, top first."""
        return [layer.name for layer in self._layers]

    def get(self, name: str) -> Layer | None:
        """The layer called ``name``, or ``None``."""
        return next((layer for layer in self._layers if layer.name == name), None)

    def index(self, layer: Layer) -> int:
        """Position of ``layer`` (0 = top)."""
        return self._layers.index(layer)

    def insert(self, index: int, layer: Layer) -> None:
        """Insert ``layer`` at ``index``; names must be unique."""
        if layer.name in self:
            raise ValueError(f"a layer called {layer.name!r} is already in the project")
        index = max(0, min(index, len(self._layers)))
        self._layers.insert(index, layer)
        layer.changed.connect(self.layer_changed.emit)
        self.inserted.emit(index, layer)

    def append(self, layer: Layer) -> None:
        """Add ``layer`` at the bottom."""
        self.insert(len(self._layers), layer)

    def remove(self, layer: Layer) -> None:
        """Take ``layer`` out of the stack."""
        index = self._layers.index(layer)
        del self._layers[index]
        layer.changed.disconnect(self.layer_changed.emit)
        self.removed.emit(index, layer)

    def move(self, old: int, new: int) -> None:
        """Move the layer at ``old`` so that it ends at ``new`` (both 0 = top)."""
        new = max(0, min(new, len(self._layers) - 1))
        if old == new or not 0 <= old < len(self._layers):
            return
        layer = self._layers.pop(old)
        self._layers.insert(new, layer)
        self.moved.emit(old, new)

    def draw_order(self) -> list[Layer]:
        """Layers bottom first, the order a renderer paints them."""
        return list(reversed(self._layers))

    def extent(self, visible_only: bool = False) -> tuple[float, float, float, float] | None:
        """Union of the layers' extents, or ``None`` if all are empty."""
        boxes = [
            layer.extent
            for layer in self._layers
            if (layer.visible or not visible_only) and layer.extent is not None
        ]
        if not boxes:
            return None
        arr = np.array(boxes)
        return (
            float(arr[:, 0].min()),
            float(arr[:, 1].min()),
            float(arr[:, 2].max()),
            float(arr[:, 3].max()),
        )
