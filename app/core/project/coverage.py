"""Coverage areas: the part of the map a role layer speaks for (Qt-free).

A start-up file of Magok says nothing about G-Valley: a site there has *unknown*
start-up counts, not zero. Every layer that plays a role (start-ups, education,
stations, zoning) therefore has a **coverage area**:

- ``map``: the whole map (the default layers, and any layer the user says covers all);
- ``districts``: chosen innovation districts (``ids`` = ``district_id`` values);
- ``dongs``: chosen administrative dongs (``ids`` = ``code`` values of the ``dong`` layer);
- ``polygons``: the layer's own polygons (zoning: where a zone is drawn, data exist).

An imported layer's default is the districts its features fall in, or the admin
dongs when some fall outside every district, or the whole map when some fall outside
every dong (:func:`default_coverage`). The choice is saved in the project settings,
``extra["coverage"] = {layer name: {"mode": ..., "ids": [...]}}``, and a layer with no
saved record gets its default. A coverage naming districts or dongs the project does
not have covers only those it has (possibly nothing: then every value is unknown).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import shapely

from app.core.i18n_catalog import translate
from app.core.indicators.catchment import FULL_SHARE, coverage_share
from layers.model import Layer, LayerStack

CoverageMode = Literal["map", "districts", "dongs", "polygons"]
MODES: tuple[CoverageMode, ...] = ("map", "districts", "dongs", "polygons")
#: ``ProjectSettings.extra`` key of the saved coverage records.
COVERAGE_KEY = "coverage"
#: The layers whose features name the districts and the dongs.
DISTRICTS_LAYER = "districts"
DONGS_LAYER = "dong"


@dataclass(frozen=True)
class Coverage:
    """Where a layer's data speak.

    Parameters
    ----------
    mode : {"map", "districts", "dongs", "polygons"}
        See the module docstring.
    ids : tuple of str
        District ids (``districts`` mode) or dong codes (``dongs`` mode), sorted;
        empty for the other modes.
    """

    mode: CoverageMode = "map"
    ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, mode: str, ids: Iterable[str] = ()) -> Coverage:
        """A coverage with ``ids`` normalised (sorted, unique, only where the mode uses them).

        Raises
        ------
        ValueError
            When ``mode`` is not one of :data:`MODES`.
        """
        if mode not in MODES:
            raise ValueError(f"unknown coverage mode {mode!r}")
        keep = mode in ("districts", "dongs")
        return cls(mode, tuple(sorted({str(i) for i in ids})) if keep else ())

    @property
    def whole_map(self) -> bool:
        """True when the layer claims the whole map."""
        return self.mode == "map"

    def to_record(self) -> dict[str, Any]:
        """The JSON record saved in the project settings."""
        return {"mode": self.mode, "ids": list(self.ids)}

    @classmethod
    def from_record(cls, record: object) -> Coverage | None:
        """Parse a saved record; ``None`` when it is unusable (the default then applies)."""
        if not isinstance(record, Mapping):
            return None
        ids = record.get("ids") or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return None
        try:
            return cls.of(str(record.get("mode")), ids)
        except ValueError:
            return None


# -- saved records ------------------------------------------------------------------------
def saved_coverage(extra: Mapping[str, Any], layer_name: str) -> Coverage | None:
    """The coverage saved for ``layer_name`` in ``extra``, or ``None``."""
    records = extra.get(COVERAGE_KEY)
    if not isinstance(records, Mapping):
        return None
    return Coverage.from_record(records.get(layer_name))


def with_coverage(
    extra: Mapping[str, Any], layer_name: str, coverage: Coverage | None
) -> dict[str, Any]:
    """A copy of ``extra`` with ``layer_name``'s coverage set (``None`` removes it)."""
    out = dict(extra)
    records = (
        dict(out.get(COVERAGE_KEY) or {}) if isinstance(out.get(COVERAGE_KEY), Mapping) else {}
    )
    if coverage is None:
        records.pop(layer_name, None)
    else:
        records[layer_name] = coverage.to_record()
    if records:
        out[COVERAGE_KEY] = records
    else:
        out.pop(COVERAGE_KEY, None)
    return out


def prune_coverage(extra: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """A copy of ``extra`` keeping only the coverage records of layers in ``names``."""
    out = dict(extra)
    records = out.get(COVERAGE_KEY)
    if isinstance(records, Mapping):
        wanted = set(names)
        kept = {name: rec for name, rec in records.items() if name in wanted}
        if kept:
            out[COVERAGE_KEY] = kept
        else:
            out.pop(COVERAGE_KEY, None)
    return out


# -- defaults -----------------------------------------------------------------------------
def _points_of(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = np.asarray(frame.geometry.values, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return shapely.get_coordinates(shapely.point_on_surface(geoms))


def _hits(areas: gpd.GeoDataFrame | None, key: str, xy: np.ndarray) -> tuple[set[str], bool]:
    """The ``key`` values of ``areas`` that hold a point of ``xy``, and whether all do."""
    if areas is None or len(areas) == 0 or key not in areas.columns:
        return set(), False
    geoms = np.asarray(areas.geometry.values, dtype=object)
    tree = shapely.STRtree(geoms)
    point_index, area_index = tree.query(shapely.points(xy), predicate="intersects")
    keys = areas[key].astype(str).to_numpy()
    return set(keys[np.unique(area_index)]), len(np.unique(point_index)) == len(xy)


def default_coverage(
    frame: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    dongs: gpd.GeoDataFrame | None,
) -> Coverage:
    """The default coverage of imported features (EPSG:5186).

    Parameters
    ----------
    frame : GeoDataFrame
        The layer's features.
    districts, dongs : GeoDataFrame or None
        The project's ``districts`` (``district_id``) and ``dong`` (``code``) layers.

    Returns
    -------
    Coverage
        The districts the features fall in when every feature falls in one; else the
        dongs they fall in when every feature falls in one; else the whole map. A
        layer without features covers the whole map (it claims nothing anywhere).
    """
    xy = _points_of(frame)
    if len(xy) == 0:
        return Coverage()
    hit, all_in = _hits(districts, "district_id", xy)
    if all_in:
        return Coverage.of("districts", hit)
    hit, all_in = _hits(dongs, "code", xy)
    if all_in:
        return Coverage.of("dongs", hit)
    return Coverage()


def layer_coverage(stack: LayerStack, layer: Layer, extra: Mapping[str, Any]) -> Coverage:
    """The coverage of ``layer``: the saved one, else the default.

    The default layers of the project claim the whole map; an imported layer gets
    :func:`default_coverage` of its features.
    """
    return named_coverage(
        layer.name, layer.data, extra, _data(stack, DISTRICTS_LAYER), _data(stack, DONGS_LAYER)
    )


def named_coverage(
    name: str,
    frame: gpd.GeoDataFrame | None,
    extra: Mapping[str, Any],
    districts: gpd.GeoDataFrame | None,
    dongs: gpd.GeoDataFrame | None,
) -> Coverage:
    """The coverage of the layer (table) ``name`` with features ``frame``, without a stack
    (the command line reads tables): the saved one, else the whole map for a default
    layer, else :func:`default_coverage` of ``frame``."""
    saved = saved_coverage(extra, name)
    if saved is not None:
        return saved
    from app.core.project.user_layers import is_user_name

    if not is_user_name(name) or frame is None:
        return Coverage()
    return default_coverage(frame, districts, dongs)


def _data(stack: LayerStack, name: str) -> gpd.GeoDataFrame | None:
    layer = stack.get(name)
    return layer.data if layer is not None else None


# -- geometry -----------------------------------------------------------------------------
def coverage_geometry(
    coverage: Coverage,
    districts: gpd.GeoDataFrame | None,
    dongs: gpd.GeoDataFrame | None,
    own: gpd.GeoDataFrame | None = None,
) -> shapely.Geometry | None:
    """The covered area (EPSG:5186), or ``None`` for the whole map.

    Parameters
    ----------
    coverage : Coverage
    districts, dongs : GeoDataFrame or None
        The project's ``districts`` and ``dong`` layers.
    own : GeoDataFrame, optional
        The layer's own features (``polygons`` mode).

    Returns
    -------
    shapely geometry or None
        A (possibly empty) polygonal geometry, made valid; ``None`` means no limit.
    """
    if coverage.mode == "map":
        return None
    if coverage.mode == "polygons":
        frame, key = own, None
    elif coverage.mode == "districts":
        frame, key = districts, "district_id"
    else:
        frame, key = dongs, "code"
    if frame is None or len(frame) == 0 or (key is not None and key not in frame.columns):
        return shapely.Polygon()
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if key is not None:
        geoms = geoms[frame[key].astype(str).isin(coverage.ids).to_numpy()]
    geoms = geoms[~shapely.is_missing(geoms)]
    geoms = shapely.make_valid(geoms[shapely.get_dimensions(geoms) == 2]) if len(geoms) else geoms
    if len(geoms) == 0:
        return shapely.Polygon()
    area = shapely.union_all(geoms)
    shapely.prepare(area)
    return area


def covered_area(
    stack: LayerStack, layer: Layer, extra: Mapping[str, Any]
) -> shapely.Geometry | None:
    """:func:`coverage_geometry` of ``layer``'s coverage in ``stack`` (``None``: whole map)."""
    return coverage_geometry(
        layer_coverage(stack, layer, extra),
        _data(stack, DISTRICTS_LAYER),
        _data(stack, DONGS_LAYER),
        layer.data,
    )


def role_coverages(
    stack: LayerStack, roles: Mapping[str, str], extra: Mapping[str, Any]
) -> dict[str, shapely.Geometry | None]:
    """``{role: covered area or None}`` for the layers that play each role.

    A role whose layer is missing is absent from the result.
    """
    from app.core.project.user_layers import ROLE_NAMES, role_layer

    out: dict[str, shapely.Geometry | None] = {}
    for role in ROLE_NAMES:
        layer = role_layer(stack, role, dict(roles))
        if layer is not None:
            out[role] = covered_area(stack, layer, extra)
    return out


def suggest_inputs(
    stack: LayerStack, roles: Mapping[str, str], extra: Mapping[str, Any], language: str = "en"
) -> dict[str, Any]:
    """The ``coverage`` and ``titles`` keyword arguments of
    :func:`app.core.analysis.suggest.suggest_sites` for the project's role layers."""
    from app.core.project.user_layers import role_layer

    titles = {
        role: layer.title(language)
        for role in ("startups", "zoning")
        if (layer := role_layer(stack, role, dict(roles))) is not None
    }
    return {"coverage": role_coverages(stack, roles, extra), "titles": titles}


# -- words --------------------------------------------------------------------------------
def describe(
    coverage: Coverage,
    districts: gpd.GeoDataFrame | None,
    dongs: gpd.GeoDataFrame | None,
    language: str = "en",
) -> str:
    """One short phrase for the UI, the CLI and the exports' provenance.

    Examples: "whole map", "Magok", "G-Valley, Magok", "dongs: 가산동, 구로3동",
    "the layer's own polygons". Ids the project does not know are shown as they are.
    """
    if coverage.mode == "map":
        return translate("whole map", language)
    if coverage.mode == "polygons":
        return translate("the layer's own polygons", language)
    if coverage.mode == "districts":
        names = _names(districts, "district_id", "name_ko" if language == "ko" else "name_en")
        text = ", ".join(names.get(i, i) for i in coverage.ids)
        return text or translate("no district", language)
    names = _names(dongs, "code", "name")
    text = ", ".join(names.get(i, i) for i in coverage.ids)
    return (
        translate("dongs: {names}", language, names=text)
        if text
        else translate("no dong", language)
    )


def describe_layer(
    stack: LayerStack, layer: Layer, extra: Mapping[str, Any], language: str = "en"
) -> str:
    """:func:`describe` of ``layer``'s coverage in ``stack``."""
    return describe(
        layer_coverage(stack, layer, extra),
        _data(stack, DISTRICTS_LAYER),
        _data(stack, DONGS_LAYER),
        language,
    )


#: Each role in the words of the provenance lines (English; translated where shown).
ROLE_WORDS = {
    "startups": "start-ups",
    "education": "universities",
    "stations": "stations",
    "zoning": "zoning",
}


def coverage_line(
    role: str, title: str, coverage: Coverage, area: str, language: str = "en"
) -> str:
    """One provenance line: ``"start-ups: 'magok_firms' (covers Magok)"``.

    Parameters
    ----------
    role : str
        A role (:data:`ROLE_WORDS`).
    title : str
        The layer's display name.
    coverage : Coverage
        Its coverage.
    area : str
        :func:`describe` of the coverage.
    language : str
        "en" or "ko".
    """
    words = translate(ROLE_WORDS.get(role, role), language)
    if coverage.whole_map:
        return translate(
            "{role}: '{layer}' (covers the whole map)", language, role=words, layer=title
        )
    return translate(
        "{role}: '{layer}' (covers {area})", language, role=words, layer=title, area=area
    )


def role_coverage_lines(
    stack: LayerStack, roles: Mapping[str, str], extra: Mapping[str, Any], language: str = "en"
) -> dict[str, list[str]]:
    """``{layer name: its coverage lines}`` of the layers that play a role (a layer
    playing two roles gets two lines), in role order."""
    from app.core.project.user_layers import ROLE_NAMES, role_layer

    out: dict[str, list[str]] = {}
    for role in ROLE_NAMES:
        layer = role_layer(stack, role, dict(roles))
        if layer is None:
            continue
        coverage = layer_coverage(stack, layer, extra)
        area = describe(
            coverage, _data(stack, DISTRICTS_LAYER), _data(stack, DONGS_LAYER), language
        )
        out.setdefault(layer.name, []).append(
            coverage_line(role, layer.title(language), coverage, area, language)
        )
    return out


def coverage_lines(
    stack: LayerStack, roles: Mapping[str, str], extra: Mapping[str, Any], language: str = "en"
) -> list[str]:
    """A :func:`coverage_line` per role whose layer is in ``stack``: what the exports'
    provenance writes about the coverage of each role layer."""
    lines = role_coverage_lines(stack, roles, extra, language)
    return [line for layer_lines in lines.values() for line in layer_lines]


__all__ = [
    "COVERAGE_KEY",
    "FULL_SHARE",
    "MODES",
    "Coverage",
    "coverage_geometry",
    "coverage_line",
    "coverage_lines",
    "role_coverage_lines",
    "coverage_share",
    "covered_area",
    "default_coverage",
    "describe",
    "describe_layer",
    "layer_coverage",
    "named_coverage",
    "prune_coverage",
    "role_coverages",
    "saved_coverage",
    "suggest_inputs",
    "with_coverage",
]


def _names(frame: gpd.GeoDataFrame | None, key: str, column: str) -> dict[str, str]:
    if frame is None or key not in frame.columns or column not in frame.columns:
        return {}
    return dict(zip(frame[key].astype(str), frame[column].astype(str), strict=False))
