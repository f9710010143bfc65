"""The web map's data: each layer as a record of WGS 84 GeoJSON, styles and labels.

Geometries go from the layer's CRS (EPSG:5186 when it has none) to WGS 84 with
coordinates rounded to 6 decimals and only the properties the page needs: the index
``_s`` of the feature's style, its label text ``n``, its key ``_k`` (districts and sites)
and, for sites, the popup rows ``_pop`` with their indicators (:func:`site_indicators`)
and the catchment circles. Labels are anchored once per name and 200 m cell; a site's
label carries its badge as on the canvas ("#2 71", red where the zoning does not permit
the centre, grey where that is unknown) and app-made site names ("Site 3") are in the
page's language. Qt-free.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyproj
import shapely

from app.core.export.webmap.points import PACK_THRESHOLD, can_pack, name_characters, pack_points
from app.core.export.webmap.styles import leaflet_style, safe_colour, style_indices
from app.core.indicators.engine import compute_indicators
from app.core.indicators.format import format_cell, is_missing
from app.core.indicators.labels import label as field_label
from app.core.indicators.score import rank_sites
from app.core.indicators.sectors import sector_name
from app.core.sites.names import display_name
from layers.model import WORKING_CRS, Layer, LayerStack
from layers.style import LabelStyle
from layers.themes.sites import DEFAULT_RADIUS_M

#: Point layers with more features than this are packed and drawn on a canvas
#: (:mod:`app.core.export.webmap.points`), not as one SVG element each.
CANVAS_THRESHOLD = PACK_THRESHOLD
#: The column whose value becomes a feature's ``inno-key-*`` class (tests, styling, links).
_KEY_COLUMNS = {"districts": "district_id", "sites": "site_id"}
_CONTEXT = ("startups", "education", "stations", "zoning")

#: The popup rows (docs/indicators.md columns, rank first), named as in the app
#: (:mod:`app.core.indicators.labels`).
_POPUP_FIELDS = (
    "rank",
    "score",
    "partial",
    "use_permitted",
    "zoning_coverage",
    "startups_coverage",
    "education_coverage",
    "stations_coverage",
    "startups_n",
    "startups_per_km2",
    "employees_sum",
    "top_sector",
    "top_sector_lq",
    "sector_shannon",
    "sector_evenness",
    "sector_hhi",
    "education_n",
    "education_nearest_m",
    "stations_n",
    "station_nearest_m",
    "site_area_m2",
    "dominant_zone",
    "zone_shares",
    "restrictions",
    "max_footprint_m2",
    "max_gfa_m2",
)


# -- geometry -------------------------------------------------------------------------------
_TO_WGS84 = pyproj.Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)


def extent_to_bounds(extent: Iterable[float]) -> list[list[float]]:
    """EPSG:5186 ``(xmin, ymin, xmax, ymax)`` → Leaflet ``[[south, west], [north, east]]``.

    The extent's outline is densified first, so the box holds the whole extent.

    Parameters
    ----------
    extent : iterable of float
        ``(xmin, ymin, xmax, ymax)`` in EPSG:5186 metres.

    Returns
    -------
    list of list of float
        ``[[south, west], [north, east]]`` in degrees, rounded to 6 decimals.
    """
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    t = np.linspace(0.0, 1.0, 9)
    xs = np.concatenate(
        [xmin + (xmax - xmin) * t, np.full(9, xmax), xmax - (xmax - xmin) * t, np.full(9, xmin)]
    )
    ys = np.concatenate(
        [np.full(9, ymin), ymin + (ymax - ymin) * t, np.full(9, ymax), ymax - (ymax - ymin) * t]
    )
    lon, lat = _TO_WGS84.transform(xs, ys)
    return [
        [round(float(np.min(lat)), 6), round(float(np.min(lon)), 6)],
        [round(float(np.max(lat)), 6), round(float(np.max(lon)), 6)],
    ]


def _transformer(crs: Any) -> pyproj.Transformer:
    """From a layer's CRS (EPSG:5186 when it has none) to WGS 84 longitude/latitude."""
    if crs is None:
        return _TO_WGS84
    return _transformer_from(pyproj.CRS.from_user_input(crs))


@lru_cache(maxsize=16)
def _transformer_from(crs: pyproj.CRS) -> pyproj.Transformer:
    # a few ms each: made once per CRS, not twice per layer and export
    return pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def _wgs84(geometries: np.ndarray, crs: Any) -> np.ndarray:
    """Geometries in WGS 84 with coordinates rounded to 6 decimals (about 0.1 m)."""
    transformer = _transformer(crs)

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), 6)

    return shapely.transform(geometries, project)


_LONG_DECIMAL = re.compile(r"\d+\.\d{7,}")


def _shortest(match: re.Match) -> str:
    return repr(round(float(match.group()), 6))


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element.

    Parameters
    ----------
    value : Any
        Anything :func:`json.dumps` encodes.

    Returns
    -------
    str
        Compact JSON, non-ASCII kept, with ``<``, ``>`` and ``&`` escaped so that no
        ``</script>``, ``<!--`` or ``<script`` in a string ends the element early or
        changes how the browser parses it, and U+2028/U+2029 escaped (line terminators
        in older JavaScript). The page's texts enter it only this way, as data.
    """
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# -- sites and indicators ---------------------------------------------------------------------
def site_indicators(
    stack: LayerStack,
    radius_m: float = DEFAULT_RADIUS_M,
    roles: dict[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Indicators of the project's sites, indexed by ``site_id``, with ``rank``.

    Parameters
    ----------
    stack : LayerStack
        The project's layers; the sites are its ``sites`` layer.
    radius_m : float
        The project's catchment radius R in metres.
    roles : dict of str to str, optional
        ``ProjectSettings.roles()``: the layers that play the start-up, education,
        station and zoning roles (default: the layers of those names).
    extra : mapping, optional
        ``ProjectSettings.extra``: the saved coverage areas of the role layers
        (app.core.project.coverage); without a record an imported layer covers where
        its features fall, a default layer the whole map.
    **options
        Passed to :func:`~app.core.indicators.engine.compute_indicators` (rules,
        weights, site_radius ...).

    Returns
    -------
    DataFrame
        One row per site, indexed by ``site_id``, ``rank`` first; empty when there are
        no sites.
    """
    from app.core.project.coverage import role_coverages
    from app.core.project.user_layers import role_layer

    layer = stack.get("sites")
    if layer is None or len(layer.data) == 0:
        return pd.DataFrame()
    sites = layer.data
    startups, education, stations, zoning = (
        None if found is None else found.data
        for found in (role_layer(stack, name, roles or {}) for name in _CONTEXT)
    )
    options.setdefault("coverage", role_coverages(stack, roles or {}, extra or {}))
    frame = compute_indicators(sites, startups, education, stations, zoning, radius_m, **options)
    frame.index = sites["site_id"].astype(str).to_numpy()
    frame.insert(0, "rank", rank_sites(frame).to_numpy())
    return frame


def _aligned(indicators: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame | None:
    """``indicators`` in the order of ``sites`` (by site_id, else by position)."""
    if indicators is None or len(indicators) == 0 or len(sites) == 0:
        return None
    ids = sites["site_id"].astype(str).to_numpy() if "site_id" in sites else None
    index = indicators.index.astype(str)
    if ids is not None and set(ids) <= set(index):
        frame = indicators.copy()
        frame.index = index
        frame = frame.loc[ids]
    elif len(indicators) == len(sites):
        frame = indicators.copy()
    else:
        return None
    if "rank" not in frame and "score" in frame:
        frame.insert(0, "rank", rank_sites(frame).to_numpy())
    return frame.reset_index(drop=True)


def _site_popups(frame: pd.DataFrame | None, n: int, language: str) -> list[list | None]:
    """Per site, the popup rows ``[label, text, css class]`` (None without indicators)."""
    if frame is None:
        return [None] * n
    fields = [f for f in _POPUP_FIELDS if f in frame.columns]
    labels = {f: field_label(f, language) for f in fields}
    rows: list[list | None] = []
    for record in frame[fields].to_dict("records"):
        permitted = record.get("use_permitted")
        blocked = not is_missing(permitted) and not bool(permitted)
        rows.append(
            [
                [
                    labels[f],
                    sector_name(record[f], language)
                    if f == "top_sector" and not is_missing(record[f])
                    else format_cell(f, record, language),
                    "inno-bad" if f == "use_permitted" and blocked else "",
                ]
                for f in fields
            ]
        )
    return rows


# -- layers -----------------------------------------------------------------------------------
def layer_record(
    layer: Layer, language: str, indicators: pd.DataFrame | None, radius_m: float | None
) -> dict | None:
    """What the page needs of one layer: its features as GeoJSON, styles and labels.

    Parameters
    ----------
    layer : Layer
        A layer of the project, in any CRS (EPSG:5186 when it has none).
    language : str
        ``"en"`` or ``"ko"``: the layer's title and the popups' labels.
    indicators : DataFrame, optional
        Site indicators (by ``site_id`` or in the sites' order) for the popups of the
        ``sites`` layer.
    radius_m : float, optional
        The catchment radius of sites without their own ``radius_m``.

    Returns
    -------
    dict or None
        ``name``, ``title``, ``kind``, ``shown``, ``styles`` (:func:`leaflet_style` of
        each class), ``features`` (a GeoJSON array as JSON text, each feature with the
        index ``_s`` of its style; empty for a packed layer), ``points`` and ``chars``
        for a large point layer (:func:`~app.core.export.webmap.points.pack_points` and
        the characters of its names), and ``labels`` and ``catchments`` where the layer
        has them; None without a usable geometry.
    """
    data = layer.data
    geometries = np.asarray(data.geometry.values, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    if not usable.any():
        return None
    codes, table = style_indices(layer)
    label_style = layer.style.label
    text_field = (
        label_style.field
        if label_style is not None and label_style.field in data
        else "name"
        if "name" in data
        else None
    )
    texts = (
        data[text_field].astype(object).where(data[text_field].notna(), "").astype(str).to_numpy()
        if text_field
        else np.full(len(data), "", dtype=object)
    )
    key_field = _KEY_COLUMNS.get(layer.name)
    key_field = key_field if key_field in data else None
    keys = data[key_field].astype(str).to_numpy() if key_field else None

    badges: np.ndarray | None = None
    popups: list = [None] * len(data)
    if layer.name == "sites":
        texts = np.array([display_name(t, language) if t else t for t in texts], dtype=object)
        frame = _aligned(indicators, data) if indicators is not None else None
        popups = _site_popups(frame, len(data), language)
        own = (
            data["radius_m"].to_numpy(dtype=float)
            if "radius_m" in data
            else np.full(len(data), np.nan)
        )
        radii = np.where(np.isfinite(own), own, np.nan if radius_m is None else radius_m)
        label = field_label("radius_m", language)
        for rows, radius in zip(popups, radii.tolist()):
            if rows is not None and math.isfinite(radius):
                rows.insert(1, [label, f"{radius:,.0f}", ""])
        if frame is not None and "rank" in frame:
            badges = site_badges(frame)

    point_kind = layer.geometry_kind == "point"
    record: dict[str, Any] = {
        "name": layer.name,
        "title": layer.title(language),
        "kind": layer.geometry_kind,
        "shown": layer.visible,
        "styles": [
            leaflet_style(symbol, layer.opacity, label, layer.geometry_kind == "line")
            for label, symbol in table
        ],
    }
    if point_kind and layer.name != "sites" and can_pack(geometries[usable]):
        # many points: typed arrays drawn on a canvas by the page (assets/points.js)
        record["points"] = pack_points(
            geometries[usable], _transformer(data.crs), codes[usable], len(table), texts[usable]
        )
        record["chars"] = name_characters(texts[usable]) if record["points"]["names"] else ""
        record["features"] = "[]"
        if label_style is not None and text_field == label_style.field:
            record["labels"] = _labels(layer, label_style, geometries, usable, texts, badges)
        return record
    wgs = _wgs84(geometries[usable], data.crs)
    # GEOS writes 126.99696900000001 for the rounded 126.996969: shorten those few numbers.
    geojson = [_LONG_DECIMAL.sub(_shortest, text) for text in shapely.to_geojson(wgs).tolist()]
    idx = np.flatnonzero(usable)
    features = []
    for position, geometry in zip(idx.tolist(), geojson):
        properties: dict[str, Any] = {"_s": int(codes[position])}
        if texts[position]:
            properties["n"] = texts[position]
        if keys is not None:
            properties["_k"] = keys[position]
        if popups[position] is not None:
            properties["_pop"] = popups[position]
        features.append(
            '{"type":"Feature","geometry":'
            + geometry
            + ',"properties":'
            + script_json(properties)
            + "}"
        )
    record["features"] = "[" + ",".join(features) + "]"
    if label_style is not None and text_field == label_style.field:
        record["labels"] = _labels(layer, label_style, geometries, usable, texts, badges)
    if layer.name == "sites":
        record["catchments"] = _catchments(wgs, radii[idx])
    return record


def _labels(
    layer: Layer,
    label: LabelStyle,
    geometries: np.ndarray,
    usable: np.ndarray,
    texts: np.ndarray,
    badges: np.ndarray | None = None,
) -> dict[str, Any]:
    """The label anchors ``[lat, lon, text]`` of ``layer`` in ``label``'s style, and how
    the page draws them (CSS, largest resolution, beside or centred, first); with
    ``badges`` (:func:`site_badges`) each anchor is ``[lat, lon, text, badge, state]``."""
    keep = usable & (texts != "")
    if badges is not None:
        keep |= usable & (badges[:, 0] != "")
    anchors = geometries[keep]
    is_point = np.isin(shapely.get_type_id(anchors), (0, 4))
    anchors = np.where(is_point, shapely.centroid(anchors), shapely.point_on_surface(anchors))
    coords = shapely.get_coordinates(anchors)
    words = texts[keep]
    # The same name close by (a station on two lines) is labelled once.
    cells = pd.DataFrame(
        {"t": words, "x": np.floor(coords[:, 0] / 200), "y": np.floor(coords[:, 1] / 200)}
    )
    once = ~cells.duplicated().to_numpy()
    lon, lat = _transformer(layer.data.crs).transform(coords[once, 0], coords[once, 1])
    items = [
        [round(float(a), 6), round(float(b), 6), str(t)]
        for a, b, t in zip(np.asarray(lat).tolist(), np.asarray(lon).tolist(), words[once].tolist())
    ]
    if badges is not None:
        for item, (badge, state) in zip(items, badges[keep][once].tolist()):
            if badge:
                item.extend([badge, state])
    halo = safe_colour(label.halo, "")
    colour = safe_colour(label.color, "#222222")
    css = (
        f"font-size:{label.size_pt * 96 / 72:.1f}px;color:{colour};"
        f"font-weight:{'bold' if label.bold else 'normal'};"
        + (
            f"text-shadow:-1px -1px 0 {halo},1px -1px 0 {halo},-1px 1px 0 {halo},"
            f"1px 1px 0 {halo},0 0 3px {halo};"
            if halo
            else ""
        )
    )
    first = layer.name == "sites"  # always shown, placed before every other label
    return {
        "items": items,
        "css": css,
        "max_res": None if first else label.max_resolution,
        "min_res": None if first else label.min_resolution,
        "beside": layer.geometry_kind != "polygon",
        "first": first,
    }


def site_badges(frame: pd.DataFrame) -> np.ndarray:
    """Each site's badge as the canvas draws it: ``[text, state]`` per row of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The sites' indicators in the layer's order, with ``rank`` and, where known,
        ``score`` and ``use_permitted``.

    Returns
    -------
    ndarray of object, shape (n, 2)
        ``"#2 71"`` (the rank alone without a score; ``""`` without a rank) and the
        state: ``"bad"`` where the zoning does not permit the centre, ``"unknown"``
        where that is not known, else ``""``.
    """
    index = frame.index
    ranks = pd.to_numeric(frame["rank"], errors="coerce")
    scores = pd.to_numeric(frame.get("score", pd.Series(np.nan, index=index)), errors="coerce")
    permitted = frame.get("use_permitted", pd.Series(None, index=index, dtype=object))
    text = ("#" + ranks.fillna(0).astype(int).astype(str)).where(ranks.notna(), "")
    text = text + (" " + scores.round().fillna(0).astype(int).astype(str)).where(
        ranks.notna() & scores.notna(), ""
    )
    missing = permitted.isna()
    bad = ~missing & ~permitted.where(~missing, True).astype(bool)
    state = np.where(bad, "bad", np.where(missing, "unknown", ""))
    return np.column_stack([text.to_numpy(dtype=object), state.astype(object)])


def _catchments(wgs: np.ndarray, radii: np.ndarray) -> list[list[float]]:
    """``[lat, lon, radius]`` of each point site's catchment circle (``radii``: each
    site's own radius, else the project's; NaN for none)."""
    points = shapely.get_type_id(wgs) == 0
    keep = points & np.isfinite(radii) & (radii > 0)
    coords = shapely.get_coordinates(wgs[keep])
    return [
        [float(lat), float(lon), float(r)]
        for (lon, lat), r in zip(coords.tolist(), radii[keep].tolist())
    ]


__all__ = [
    "CANVAS_THRESHOLD",
    "extent_to_bounds",
    "layer_record",
    "script_json",
    "site_badges",
    "site_indicators",
]
