"""Interactive HTML web map of a project that works without internet (File → Export web map).

One self-contained ``.html`` file: Leaflet's JavaScript and CSS inline (folium-offline,
imported as ``offlinefolium``), every visible layer as GeoJSON in WGS 84 (coordinates
rounded to 6 decimals, only the properties the map needs) styled from the one style
model (:mod:`layers.style`) with the styles precomputed per layer (each feature
carries the index ``_s`` of its style), labels, a layer control, a legend, site popups
with their indicators, the attribution with the synthetic/illustrative notes and the
project's scenes as buttons that fly to each scene's extent. An OpenStreetMap basemap
is optional; offline its tiles just stay blank. The bundled Korean font, subset to the
page's characters, is embedded so Hangul shows without Korean system fonts
(:mod:`app.core.export.webmap.font`).

Qt-free.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyproj
import shapely

from app.core.errors import InnoAtlasError
from app.core.export.webmap.font import FONT_STACK, font_face_css
from app.core.formats.atomic_write import write_atomically
from app.core.indicators.engine import compute_indicators
from app.core.indicators.format import format_value, is_missing
from app.core.indicators.labels import label as field_label
from app.core.indicators.score import rank_sites
from app.core.project.attribution import attribution_parts
from app.core.project.scenes import Scene, default_scenes, find_scene
from layers.model import WORKING_CRS, Layer, LayerStack
from layers.style import LayerStyle, Symbol
from layers.themes.sites import DEFAULT_RADIUS_M

SUFFIXES = (".html", ".htm")
#: Point layers with more features than this are drawn on a canvas (fast), not as SVG.
CANVAS_THRESHOLD = 1500
#: Where the optional basemap comes from (only fetched when the user asked for it).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: The column whose value becomes a feature's ``inno-key-*`` class (tests, styling, links).
_KEY_COLUMNS = {"districts": "district_id", "sites": "site_id"}
_CONTEXT = ("startups", "education", "stations", "zoning")


class HtmlExportError(InnoAtlasError):
    """The web map cannot be written (wrong suffix, missing or read-only folder)."""


#: The words the page itself shows, per language.
TEXT = {
    "en": {
        "legend": "Legend",
        "scenes": "Scenes",
        "data": "Data notes",
        "basemap": "OpenStreetMap basemap (online)",
        "all": "Full extent",
    },
    "ko": {
        "legend": "범례",
        "scenes": "장면",
        "data": "자료 안내",
        "basemap": "OpenStreetMap 배경지도 (온라인)",
        "all": "전체 보기",
    },
}

#: The popup rows (INDICATORS.md columns, rank first), named as in the app
#: (:mod:`app.core.indicators.labels`).
_POPUP_FIELDS = (
    "rank",
    "score",
    "use_permitted",
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


def _words(language: str) -> dict[str, str]:
    return TEXT["ko" if language == "ko" else "en"]


# -- styles -------------------------------------------------------------------------------
def _dash(symbol: Symbol) -> str | None:
    width = max(symbol.stroke_width, 1.0)
    if symbol.stroke_style == "dash":
        return f"{4 * width:g} {2 * width:g}"
    if symbol.stroke_style == "dot":
        return f"{width:g} {2 * width:g}"
    return None


def _hatch_id(symbol: Symbol) -> str:
    return f"inno-hatch-{symbol.hatch}-{(symbol.fill or '#000000').lstrip('#')}"


def _fill_paint(symbol: Symbol) -> str:
    """SVG paint of the fill: the colour, or the hatch pattern (defined on the page)."""
    return f"url(#{_hatch_id(symbol)})" if symbol.hatch else (symbol.fill or "none")


def leaflet_style(
    symbol: Symbol, opacity: float = 1.0, label: str = "", line: bool = False
) -> dict[str, Any]:
    """Leaflet path options (plus ``marker``/``svg`` for points) of one symbol.

    ``line`` styles are never filled (Leaflet would fill the area a line encloses).
    """
    style: dict[str, Any] = {
        "stroke": symbol.stroke is not None and symbol.stroke_width > 0,
        "color": symbol.stroke or symbol.fill or "#000000",
        "weight": float(symbol.stroke_width),
        "opacity": round(opacity, 3),
        "fill": symbol.fill is not None and not line,
        "fillColor": _fill_paint(symbol),
        "fillOpacity": round(
            (max(symbol.fill_alpha, 0.6) if symbol.hatch else symbol.fill_alpha) * opacity, 3
        ),
        "radius": float(symbol.size) / 2,
        "marker": symbol.marker,
        "label": label,
    }
    dash = _dash(symbol)
    if dash:
        style["dashArray"] = dash
    if symbol.marker != "circle":
        style["svg"], style["box"] = marker_svg(symbol, opacity)
    return style


def marker_svg(symbol: Symbol, opacity: float = 1.0, box: float | None = None) -> tuple[str, float]:
    """An inline SVG of a point marker and the size of its square box in pixels."""
    stroke = symbol.stroke_width if symbol.stroke else 0.0
    size = float(symbol.size)
    box = box or math.ceil(size * 1.2 + 2 * stroke + 2)
    c, h = box / 2, size / 2
    paint = (
        f'fill="{symbol.fill or "none"}" fill-opacity="{symbol.fill_alpha * opacity:.3g}" '
        f'stroke="{symbol.stroke or "none"}" stroke-width="{stroke:g}" '
        f'stroke-opacity="{opacity:.3g}"'
    )
    if symbol.marker == "square":
        shape = (
            f'<rect x="{c - h:.2f}" y="{c - h:.2f}" width="{size:.2f}" '
            f'height="{size:.2f}" {paint}/>'
        )
    elif symbol.marker == "triangle":
        points = [(c, c - h * 1.15), (c + h, c + h * 0.85), (c - h, c + h * 0.85)]
        shape = f'<polygon points="{_points(points)}" {paint}/>'
    elif symbol.marker == "diamond":
        points = [(c, c - h), (c + h, c), (c, c + h), (c - h, c)]
        shape = f'<polygon points="{_points(points)}" {paint}/>'
    else:
        shape = f'<circle cx="{c:.2f}" cy="{c:.2f}" r="{h:.2f}" {paint}/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box:g}" height="{box:g}" '
        f'viewBox="0 0 {box:g} {box:g}">{shape}</svg>'
    ), box


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def swatch_svg(symbol: Symbol, geometry_kind: str) -> str:
    """The legend swatch of one symbol (18×14 px), as inline SVG."""
    if geometry_kind == "point":
        return marker_svg(symbol, box=18)[0]
    stroke = symbol.stroke or "none"
    dash = _dash(symbol)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    if geometry_kind == "line":
        shape = (
            f'<line x1="1" y1="7" x2="17" y2="7" stroke="{stroke}" '
            f'stroke-width="{max(symbol.stroke_width, 1):g}"{dash_attr}/>'
        )
    else:
        alpha = max(symbol.fill_alpha, 0.6) if symbol.hatch else symbol.fill_alpha
        shape = (
            f'<rect x="1.5" y="1.5" width="15" height="11" fill="{_fill_paint(symbol)}" '
            f'fill-opacity="{alpha:.3g}" stroke="{stroke}" '
            f'stroke-width="{min(max(symbol.stroke_width, 0.8), 2.5):g}"{dash_attr}/>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="18" height="14" '
        f'viewBox="0 0 18 14">{shape}</svg>'
    )


def _hatch_defs(stack_layers: Iterable[Layer]) -> str:
    """SVG ``<pattern>`` definitions of every hatched symbol the map uses."""
    patterns: dict[str, str] = {}
    for layer in stack_layers:
        style = layer.style
        for symbol in [style.symbol] + [c.symbol for c in style.categories]:
            if not symbol.hatch:
                continue
            colour = symbol.fill or "#000000"
            lines = f'<path d="M0,8 L8,0" stroke="{colour}" stroke-width="1.2"/>'
            if symbol.hatch == "cross":
                lines += f'<path d="M0,0 L8,8" stroke="{colour}" stroke-width="1.2"/>'
            patterns[_hatch_id(symbol)] = (
                f'<pattern id="{_hatch_id(symbol)}" width="8" height="8" '
                f'patternUnits="userSpaceOnUse">{lines}</pattern>'
            )
    if not patterns:
        return ""
    return (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
        + "".join(patterns.values())
        + "</defs></svg>"
    )


def _style_indices(layer: Layer) -> tuple[np.ndarray, list[tuple[str, Symbol]]]:
    """Index of each feature's symbol in the layer's style table, and that table."""
    style: LayerStyle = layer.style
    n = len(layer.data)
    if style.kind != "categorized" or style.field not in layer.data:
        return np.zeros(n, dtype=np.int64), [("", style.symbol)]
    values = layer.data[style.field].to_numpy(dtype=object)
    codes = np.full(n, len(style.categories), dtype=np.int64)
    for number, category in enumerate(style.categories):  # a loop over classes, not features
        codes[(values == category.value) & (codes == len(style.categories))] = number
    table = [(c.label, c.symbol) for c in style.categories] + [(style.other_label, style.symbol)]
    return codes, table


# -- geometry -------------------------------------------------------------------------------
_TO_WGS84 = pyproj.Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)


def extent_to_bounds(extent: Iterable[float]) -> list[list[float]]:
    """EPSG:5186 ``(xmin, ymin, xmax, ymax)`` → Leaflet ``[[south, west], [north, east]]``.

    The extent's outline is densified first, so the box holds the whole extent.
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


def _json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


# -- sites and indicators ---------------------------------------------------------------------
def site_indicators(
    stack: LayerStack,
    radius_m: float = DEFAULT_RADIUS_M,
    roles: dict[str, str] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Indicators of the project's sites, indexed by ``site_id``, with ``rank``.

    ``roles`` (``ProjectSettings.roles()``) names the layers that play the start-up,
    education, station and zoning roles (default: the layers of those names).
    ``options`` go to :func:`~app.core.indicators.engine.compute_indicators` (rules,
    weights, site_radius ...). Empty when there are no sites.
    """
    from app.core.project.user_layers import role_layer

    layer = stack.get("sites")
    if layer is None or len(layer.data) == 0:
        return pd.DataFrame()
    sites = layer.data
    context = (role_layer(stack, name, roles or {}) for name in _CONTEXT)
    frame = compute_indicators(
        sites, *(None if found is None else found.data for found in context), radius_m, **options
    )
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
    rows = []
    for record in frame[fields].to_dict("records"):
        permitted = record.get("use_permitted")
        blocked = not is_missing(permitted) and not bool(permitted)
        rows.append(
            [
                [
                    labels[f],
                    format_value(f, record[f], language),
                    "inno-bad" if f == "use_permitted" and blocked else "",
                ]
                for f in fields
            ]
        )
    return rows


# -- layers -----------------------------------------------------------------------------------
def _layer_record(
    layer: Layer, language: str, indicators: pd.DataFrame | None, radius_m: float | None
) -> dict | None:
    data = layer.data
    geometries = np.asarray(data.geometry.values, dtype=object)
    usable = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    if not usable.any():
        return None
    codes, table = _style_indices(layer)
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

    rank_texts = texts
    popups: list = [None] * len(data)
    if layer.name == "sites":
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
            ranks = frame["rank"].to_numpy()
            rank_texts = np.array(
                [f"#{int(r)} {t}" if not is_missing(r) else t for r, t in zip(ranks, texts)],
                dtype=object,
            )

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
            '{"type":"Feature","geometry":' + geometry + ',"properties":' + _json(properties) + "}"
        )
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
        "canvas": bool(
            point_kind
            and usable.sum() > CANVAS_THRESHOLD
            and layer.style.symbol.marker == "circle"
            and all(s.marker == "circle" for _, s in table)
        ),
        "features": "[" + ",".join(features) + "]",
    }
    if label_style is not None and text_field == label_style.field:
        record["labels"] = _labels(layer, geometries, usable, rank_texts)
    if layer.name == "sites":
        record["catchments"] = _catchments(wgs, radii[idx])
    return record


def _labels(
    layer: Layer, geometries: np.ndarray, usable: np.ndarray, texts: np.ndarray
) -> dict[str, Any]:
    label = layer.style.label
    keep = usable & (texts != "")
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
    halo = label.halo
    css = (
        f"font-size:{label.size_pt * 96 / 72:.1f}px;color:{label.color};"
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
        "beside": layer.geometry_kind != "polygon",
        "first": first,
    }


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


# -- page -------------------------------------------------------------------------------------
def _legend_html(layers: list[Layer], notes: tuple[list[str], list[str]], language: str) -> str:
    """The legend of ``layers`` (top first) and the data notes ``(warnings, sources)``
    of :func:`~app.core.project.attribution.attribution_parts`; the page shows the blocks of
    the layers that are on the map."""
    words = _words(language)
    parts = [
        f'<div id="inno-legend" class="inno-panel"><details open><summary>'
        f"{html.escape(words['legend'])}</summary>"
    ]
    for layer in layers:
        style = layer.style
        if style.kind == "categorized":
            present = (
                layer.data[style.field].unique().tolist() if style.field in layer.data else None
            )
            rows = style.legend(present)
        else:
            rows = [(layer.title(language), style.symbol)]
        kind = "point" if layer.geometry_kind in ("point", "mixed") else layer.geometry_kind
        hidden = "" if layer.visible else ' style="display:none"'
        parts.append(
            f'<div class="inno-legend-layer" data-layer="{html.escape(layer.name)}"'
            f'{hidden}><div class="inno-legend-title">'
            f"{html.escape(layer.title(language))}</div>"
        )
        for label, symbol in rows:
            parts.append(
                f'<div class="inno-legend-row">{swatch_svg(symbol, kind)}'
                f"<span>{html.escape(str(label))}</span></div>"
            )
        parts.append("</div>")
    warnings, sources = notes
    if warnings or sources:
        parts.append(
            f'<div class="inno-notes"><div class="inno-legend-title">'
            f"{html.escape(words['data'])}</div>"
        )
        parts.extend(f'<div class="inno-warning">{html.escape(w)}</div>' for w in warnings)
        parts.extend(f'<div class="inno-source">{html.escape(s)}</div>' for s in sources)
        parts.append("</div>")
    parts.append("</details></div>")
    return "".join(parts)


def _top_html(title: str, scenes: list[dict], language: str) -> str:
    words = _words(language)
    buttons = "".join(
        f'<button type="button" class="inno-scene" data-scene="{html.escape(s["id"])}">'
        f"{html.escape(s['title'])}</button>"
        for s in scenes
    )
    bar = (
        f'<div id="inno-scenes" aria-label="{html.escape(words["scenes"])}">'
        f'<span class="inno-scenes-label">{html.escape(words["scenes"])}</span>'
        f'<button type="button" class="inno-scene" data-scene="">'
        f"{html.escape(words['all'])}</button>{buttons}</div>"
    )
    heading = f'<h1 id="inno-title">{html.escape(title)}</h1>' if title else ""
    return f'<div id="inno-top" class="inno-panel">{heading}{bar}</div>'


#: Where the ``@font-face`` rules of the embedded font go (after the page is rendered,
#: so that the subset holds every character of the page).
_FONT_SLOT = "/*__INNO_FONT_FACE__*/"

_CSS = """
body, .leaflet-container, .inno-panel, .leaflet-popup-content, .leaflet-tooltip,
.inno-label span, button, .leaflet-control-layers, .leaflet-control-attribution,
.leaflet-control-scale-line { font-family: __FONT_STACK__; }
.leaflet-container { background: #f4f3ef; }
.inno-panel { position: absolute; z-index: 1100; background: rgba(255,255,255,0.94);
              border-radius: 6px; box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 12px; }
#inno-top { top: 10px; left: 50%; transform: translateX(-50%); padding: 6px 10px;
            text-align: center; max-width: 70%; }
#inno-title { font-size: 17px; margin: 0 0 5px 0; }
#inno-scenes { display: flex; flex-wrap: wrap; gap: 4px; justify-content: center;
               align-items: center; }
.inno-scenes-label { color: #555; margin-right: 4px; }
.inno-scene { font: inherit; padding: 3px 9px; border: 1px solid #999; border-radius: 4px;
              background: #fff; cursor: pointer; }
.inno-scene:hover { background: #eef3ff; }
.inno-scene.inno-active { background: #24508f; color: #fff; border-color: #24508f; }
#inno-legend { left: 10px; top: 84px; max-height: calc(100% - 170px); overflow: auto;
               padding: 6px 10px; max-width: 300px; }
#inno-legend summary { font-weight: bold; cursor: pointer; font-size: 13px; }
.inno-legend-layer { margin-top: 6px; }
.inno-legend-title { font-weight: bold; margin-bottom: 2px; }
.inno-legend-row { display: flex; align-items: center; gap: 6px; line-height: 16px; }
.inno-legend-row svg { flex: none; }
.inno-notes { margin-top: 8px; border-top: 1px solid #ddd; padding-top: 4px; }
.inno-warning { color: #9d0208; font-weight: bold; }
.inno-source { color: #444; }
.inno-label span { position: absolute; white-space: nowrap; transform: translate(-50%, -50%);
                   pointer-events: none; }
.inno-label-beside span { transform: translate(9px, -50%); }
.inno-marker { background: none; border: none; }
.inno-popup { font-size: 12px; line-height: 1.35; }
.inno-popup table { border-collapse: collapse; }
.inno-popup td { padding: 1px 6px 1px 0; vertical-align: top; }
.inno-popup td:first-child { color: #555; }
.inno-popup .inno-bad { color: #b00020; font-weight: bold; }
.inno-popup-layer { color: #666; font-size: 11px; }
.leaflet-control-layers { font-size: 12px; }
.leaflet-control-attribution { font-size: 10px; max-width: 55vw; line-height: 1.35; }
""".replace("__FONT_STACK__", FONT_STACK)

_SCRIPT = """
(function () {
  var map = __MAP__;
  var D = __DATA__;
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function slug(s) { return String(s).replace(/[^A-Za-z0-9_-]/g, "_"); }
  map.attributionControl.setPrefix("Leaflet");
  if (D.attribution) { map.attributionControl.addAttribution(esc(D.attribution)); }
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  var labelPane = map.createPane("inno-labels");
  labelPane.style.zIndex = 640;
  labelPane.style.pointerEvents = "none";
  // The sites' labels (rank and name) are what the workshop is about: above the others.
  var siteLabelPane = map.createPane("inno-site-labels");
  siteLabelPane.style.zIndex = 650;
  siteLabelPane.style.pointerEvents = "none";
  var overlays = [], labelSets = [], groups = {}, featureLayers = {};
  function popupHtml(lay, f) {
    var p = f.properties, st = lay.styles[p._s];
    var out = '<div class="inno-popup"><div class="inno-popup-layer">' + esc(lay.title) + "</div>";
    if (p.n) { out += "<b>" + esc(p.n) + "</b>"; }
    if (st.label && lay.styles.length > 1) { out += "<div>" + esc(st.label) + "</div>"; }
    if (p._pop) {
      out += "<table>";
      p._pop.forEach(function (row) {
        out += '<tr class="inno-row"><td>' + esc(row[0]) + '</td><td class="' + row[2] + '">'
          + esc(row[1]) + "</td></tr>";
      });
      out += "</table>";
    }
    return out + "</div>";
  }
  D.layers.forEach(function (lay, i) {
    var paneName = "inno-pane-" + slug(lay.name);
    map.createPane(paneName).style.zIndex = 400 + i;
    var group = L.featureGroup();
    var base = "inno-feature inno-layer-" + slug(lay.name);
    function cls(f) {
      return base + (f.properties._k !== undefined ? " inno-key-" + slug(f.properties._k) : "");
    }
    var options = {
      pane: paneName,
      style: function (f) { return lay.styles[f.properties._s]; },
      pointToLayer: function (f, latlng) {
        var st = lay.styles[f.properties._s];
        if (st.marker === "circle") { return L.circleMarker(latlng, {pane: paneName}); }
        return L.marker(latlng, {pane: paneName, keyboard: false, icon: L.divIcon({
          className: "inno-marker " + cls(f), html: st.svg, iconSize: [st.box, st.box],
          iconAnchor: [st.box / 2, st.box / 2], popupAnchor: [0, -st.box / 2]})});
      },
      onEachFeature: function (f, layer) {
        layer.options.className = cls(f);
        layer.bindPopup(function () { return popupHtml(lay, f); }, {maxWidth: 360});
      }
    };
    if (lay.canvas) { options.renderer = L.canvas({pane: paneName}); }
    var features = L.geoJSON(lay.features, options).addTo(group);
    if (lay.catchments && lay.catchments.length) {
      lay.catchments.forEach(function (c) {
        L.circle([c[0], c[1]], {radius: c[2], pane: paneName, color: "#c43e00", weight: 1.6,
          dashArray: "6 4", fillColor: "#c43e00", fillOpacity: 0.06, interactive: false,
          className: "inno-catchment"}).addTo(group);
      });
    }
    if (lay.labels) {
      var labels = L.layerGroup();
      var beside = lay.labels.beside ? " inno-label-beside" : "";
      var labelPaneName = lay.labels.first ? "inno-site-labels" : "inno-labels";
      lay.labels.items.forEach(function (it) {
        L.marker([it[0], it[1]], {pane: labelPaneName, interactive: false, keyboard: false,
          icon: L.divIcon({className: "inno-label inno-label-" + slug(lay.name) + beside,
            iconSize: null, html: '<span style="' + lay.labels.css + '">' + esc(it[2])
            + "</span>"})}).addTo(labels);
      });
      labelSets.push({labels: labels, group: group, maxRes: lay.labels.max_res,
                      beside: lay.labels.beside, first: lay.labels.first});
    }
    if (lay.shown) { group.addTo(map); }
    groups[lay.name] = group;
    featureLayers[lay.name] = features;
    overlays.unshift([lay.title, group]);  // the control lists the top layer first
  });
  function resolution() {
    var lat = map.getCenter().lat * Math.PI / 180;
    return 40075016.686 * Math.cos(lat) / (256 * Math.pow(2, map.getZoom()));
  }
  function updateLabels() {
    var res = resolution();
    labelSets.forEach(function (s) {
      var show = s.maxRes === null || res <= s.maxRes;
      if (show && !s.group.hasLayer(s.labels)) { s.group.addLayer(s.labels); }
      if (!show && s.group.hasLayer(s.labels)) { s.group.removeLayer(s.labels); }
    });
    declutter();
  }
  // As on the canvas: a label that would overlap one already placed is left out; the
  // sites' labels go first (always shown, stacked where they overlap), then the top
  // layer's. The boxes come from the map's projection, not the DOM, so they are right
  // even while a zoom animation is pending.
  function labelBox(set, marker, span) {
    var p = map.latLngToContainerPoint(marker.getLatLng());
    var w = span.offsetWidth, h = span.offsetHeight, left = set.beside ? p.x + 9 : p.x - w / 2;
    return {left: left, top: p.y - h / 2, right: left + w, bottom: p.y + h / 2};
  }
  function declutter() {
    var placed = [], size = map.getSize();
    var order = labelSets.filter(function (s) { return s.first; })
      .concat(labelSets.filter(function (s) { return !s.first; }).reverse());
    order.forEach(function (set) {
      if (!map.hasLayer(set.labels)) { return; }
      set.labels.eachLayer(function (marker) {
        var span = marker.getElement() && marker.getElement().firstChild;
        if (!span) { return; }
        span.style.visibility = "visible";
        span.style.top = "";
        var r = labelBox(set, marker, span);
        if (r.right < 0 || r.bottom < 0 || r.left > size.x || r.top > size.y) { return; }
        function clash() {
          return placed.some(function (p) {
            return r.left < p.right && p.left < r.right && r.top < p.bottom && p.top < r.bottom;
          });
        }
        if (set.first) {  // a site's label is always shown: below another site's if need be
          for (var shift = 0; shift < 20 && clash(); shift++) {
            r = {left: r.left, right: r.right, top: r.bottom, bottom: 2 * r.bottom - r.top};
          }
          if (shift) { span.style.top = (r.top - labelBox(set, marker, span).top) + "px"; }
          placed.push(r);
        } else if (clash()) {
          span.style.visibility = "hidden";
        } else {
          placed.push(r);
        }
      });
    });
  }
  var base = {}, over = {};
  if (D.basemap) {
    over[D.text.basemap] = L.tileLayer(D.basemap.url, {maxZoom: 19,
      attribution: esc(D.basemap.attribution)}).addTo(map);
  }
  overlays.forEach(function (o) { over[o[0]] = o[1]; });
  L.control.layers(base, over, {collapsed: false, position: "topright"}).addTo(map);
  var scenes = {};
  D.scenes.forEach(function (s) { scenes[s.id] = s; });
  function showScene(id, animate) {
    var s = scenes[id];
    document.querySelectorAll(".inno-scene").forEach(function (b) {
      b.classList.toggle("inno-active", b.getAttribute("data-scene") === id);
    });
    if (!s) { map.fitBounds(D.bounds, {animate: animate}); return; }
    if (s.layers) {
      D.layers.forEach(function (lay) {
        if (lay.name === "sites") { return; }
        var want = s.layers.indexOf(lay.name) >= 0, group = groups[lay.name];
        if (want && !map.hasLayer(group)) { map.addLayer(group); }
        if (!want && map.hasLayer(group)) { map.removeLayer(group); }
      });
    }
    if (animate) {
      map.flyToBounds(s.bounds, {duration: 0.8});
    } else {
      map.fitBounds(s.bounds, {animate: false});
    }
  }
  document.querySelectorAll(".inno-scene").forEach(function (b) {
    b.addEventListener("click", function () { showScene(b.getAttribute("data-scene"), true); });
  });
  map.on("zoomend", updateLabels);
  // The view on the page, for links and tests: "west,south,east,north".
  function noteView() {
    map.getContainer().setAttribute("data-inno-view", map.getBounds().toBBoxString());
  }
  map.on("moveend", function () { declutter(); noteView(); });
  // The legend shows the layers that are on the map.
  function syncLegend() {
    document.querySelectorAll(".inno-legend-layer").forEach(function (block) {
      var group = groups[block.getAttribute("data-layer")];
      block.style.display = group && map.hasLayer(group) ? "" : "none";
    });
  }
  var layerGroups = Object.keys(groups).map(function (name) { return groups[name]; });
  map.on("layeradd layerremove", function (e) {
    if (layerGroups.indexOf(e.layer) < 0) { return; }
    setTimeout(function () { syncLegend(); declutter(); }, 0);
  });
  // A link can open a scene: web-map.html#scene=magok
  // Without one the page opens at the view it was exported with (the app's map view).
  var wanted = /(?:^#|&)scene=([^&]*)/.exec(window.location.hash);
  if (wanted || D.start || !D.view) {
    showScene(wanted ? decodeURIComponent(wanted[1]) : (D.start || ""), false);
  } else {
    map.options.zoomSnap = 0;  // fit the view exactly, then zoom in steps again
    map.fitBounds(D.view, {animate: false});
    map.options.zoomSnap = 0.25;
  }
  updateLabels();
  noteView();
  // ... and a site's popup: web-map.html#site=SITE_ID
  var site = /(?:^#|&)site=([^&]*)/.exec(window.location.hash);
  if (site && featureLayers.sites) {
    featureLayers.sites.eachLayer(function (l) {
      if (String(l.feature.properties._k) === decodeURIComponent(site[1])) { l.openPopup(); }
    });
  }
  window.innoatlas = {map: map, groups: groups, showScene: showScene};
})();
"""


def build_html(
    stack: LayerStack,
    *,
    title: str = "",
    language: str = "en",
    indicators: pd.DataFrame | None = None,
    scenes: list[Scene] | None = None,
    basemap: bool = False,
    start_scene: str | None = None,
    view: Iterable[float] | None = None,
    radius_m: float | None = None,
    embed_font: bool = True,
) -> str:
    """The self-contained HTML page of the web map (see :func:`export_html`)."""
    from branca.element import MacroElement
    from offlinefolium import Map
    from offlinefolium.template import Template

    language = "ko" if language == "ko" else "en"
    words = _words(language)
    scenes = default_scenes(stack, language) if scenes is None else list(scenes)
    start = find_scene(scenes, start_scene).scene_id if start_scene else ""
    # The visible layers, and the hidden ones that a scene shows (they start unticked).
    in_scenes = {name for scene in scenes for name in (scene.visible_layers or ())}
    exported = [
        layer
        for layer in stack.draw_order()
        if (layer.visible or layer.name in in_scenes) and len(layer.data) and layer.opacity > 0
    ]
    radius_m = DEFAULT_RADIUS_M if radius_m is None else float(radius_m)
    if indicators is None and stack.get("sites") is not None and len(stack.get("sites").data):
        indicators = site_indicators(stack, radius_m)
    records = [
        record
        for layer in exported
        if (record := _layer_record(layer, language, indicators, radius_m))
    ]
    extent = stack.extent(visible_only=True) or (180000.0, 540000.0, 220000.0, 570000.0)
    bounds = extent_to_bounds(extent)
    if view is None and not start:
        view = _districts_extent(stack)
    scene_records = [
        {
            "id": s.scene_id,
            "title": s.title,
            "bounds": extent_to_bounds(s.extent),
            "layers": None if s.visible_layers is None else list(s.visible_layers),
        }
        for s in scenes
    ]
    warnings, sources = attribution_parts(stack, language, [lay.name for lay in exported])
    data = {
        "layers": records,
        "scenes": scene_records,
        "bounds": bounds,
        "start": start,
        "view": None if view is None or start else extent_to_bounds(view),
        "attribution": "  ·  ".join(warnings + sources),
        "text": words,
        "basemap": {"url": OSM_TILES, "attribution": OSM_ATTRIBUTION} if basemap else None,
    }
    # The features are already JSON: splice them in instead of encoding them twice.
    features = [record.pop("features") for record in records]
    for number, record in enumerate(records):
        record["features"] = {"__features__": number}
    blob = _json(data)
    for number, text in enumerate(features):
        blob = blob.replace(_json({"__features__": number}), text, 1)

    class OfflineMap(Map):
        # Leaflet only: no jQuery, Bootstrap or icon fonts the page does not use.
        default_js = [pair for pair in Map.default_js if pair[0] == "leaflet"]
        default_css = [pair for pair in Map.default_css if pair[0] == "leaflet_css"]

    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = OfflineMap(
        location=center,
        zoom_start=12,
        tiles=None,
        zoom_snap=0.25,
        zoom_delta=0.5,
        control_scale=False,
    )
    root = fmap.get_root()
    root.title = html.escape(title or "InnoAtlas")

    page = MacroElement()
    page._name = "InnoAtlasPage"
    # Variables, not template text: jinja does not interpret what they hold.
    page.header_html = (
        f'<meta charset="utf-8"><meta name="generator" content="InnoAtlas">'
        f"<style>{_FONT_SLOT if embed_font else ''}{_CSS}</style>"
    )
    page.body_html = (
        _hatch_defs(exported)
        + _top_html(title, scene_records, language)
        + _legend_html(exported[::-1], (warnings, sources), language)
    )
    page.script_js = _SCRIPT.replace("__DATA__", blob).replace("__MAP__", fmap.get_name())
    page._template = Template(
        "{% macro header(this, kwargs) %}{{ this.header_html }}{% endmacro %}"
        "{% macro html(this, kwargs) %}{{ this.body_html }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.script_js }}{% endmacro %}"
    )
    fmap.add_child(page)
    text = root.render().replace("<html>", f'<html lang="{language}">', 1)
    if embed_font:
        # The whole page (script, data, legend) is a superset of what it shows.
        text = text.replace(_FONT_SLOT, font_face_css(text), 1)
    return text


def _districts_extent(stack: LayerStack) -> tuple[float, float, float, float] | None:
    """The innovation districts' extent (where the workshop happens), if the project has
    them."""
    layer = stack.get("districts")
    return None if layer is None else layer.extent


def export_html(
    path: Path,
    stack: LayerStack,
    *,
    title: str = "",
    language: str = "en",
    indicators: pd.DataFrame | None = None,
    scenes: list[Scene] | None = None,
    basemap: bool = False,
    start_scene: str | None = None,
    view: Iterable[float] | None = None,
    radius_m: float | None = None,
    embed_font: bool = True,
) -> Path:
    """Write the project as an interactive web map that works without internet.

    Parameters
    ----------
    path : Path
        ``.html`` (or ``.htm``) file; replaced atomically if it exists.
    stack : LayerStack
        The project's layers; the visible ones are drawn, in the stack's order (hidden
        layers that a scene shows are in the file too, unticked).
    title : str
        Page and map title.
    language : str
        ``"en"`` or ``"ko"``: layer titles, legend, popups and buttons.
    indicators : DataFrame, optional
        Site indicators indexed by ``site_id`` (or in the sites' order), as the app's
        indicator results; computed with the default settings when omitted.
    scenes : list of Scene, optional
        Buttons that fly to each scene (default: one per district).
    basemap : bool
        Add the OpenStreetMap basemap (needs internet; blank when offline).
    start_scene : str, optional
        Id (or title) of the scene the map opens on (before ``view``).
    view : (xmin, ymin, xmax, ymax), optional
        EPSG:5186 extent the map opens at (the app's map view); default: the
        innovation districts (every visible layer without them). The "Full extent"
        button shows every visible layer.
    radius_m : float, optional
        The project's catchment radius R, for sites without their own ``radius_m``
        (default 800 m).
    embed_font : bool
        Embed the bundled Korean font, subset to the page's characters (a few hundred
        kB), so Hangul shows on machines without Korean fonts
        (:mod:`app.core.export.webmap.font`); without fontTools or the font files, or when False,
        the page uses the system's fonts.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    HtmlExportError
        Wrong suffix, missing or unwritable folder.
    SceneError
        ``start_scene`` is not one of ``scenes``.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise HtmlExportError(f"cannot export a web map as {path.name!r}: use a .html file name")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise HtmlExportError(f"cannot write the web map to {path}: no such folder")
    text = build_html(
        stack,
        title=title,
        language=language,
        indicators=indicators,
        scenes=scenes,
        basemap=basemap,
        start_scene=start_scene,
        view=view,
        radius_m=radius_m,
        embed_font=embed_font,
    )

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    write_atomically(path, write, HtmlExportError, verb="export", suffix=".exporting.html")
    return path


__all__ = [
    "HtmlExportError",
    "build_html",
    "export_html",
    "extent_to_bounds",
    "leaflet_style",
    "site_indicators",
    "swatch_svg",
    "TEXT",
]
