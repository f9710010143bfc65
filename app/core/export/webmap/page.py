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

This module assembles the page; the layer records are made in
:mod:`~app.core.export.webmap.records`, styles in :mod:`~app.core.export.webmap.styles`,
the legend and top bar in :mod:`~app.core.export.webmap.legend`, and the page's
stylesheet and script are the package resources ``assets/webmap.css`` and
``assets/webmap.js``. Qt-free.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from app.core.errors import InnoAtlasError
from app.core.export.webmap.font import FONT_STACK, font_face_css
from app.core.export.webmap.legend import (
    basemap_label,
    catchment_mode,
    legend_html,
    top_html,
    words_for,
)
from app.core.export.webmap.records import (
    extent_to_bounds,
    layer_record,
    script_json,
    site_indicators,
)
from app.core.export.webmap.scenario_layers import scenario_layers
from app.core.export.webmap.styles import hatch_defs
from app.core.formats.atomic_write import write_atomically
from app.core.map.catchments import mode_of
from app.core.progress import Progress, no_progress
from app.core.project.attribution import attribution_parts
from app.core.project.coverage import coverage_lines
from app.core.project.scenes import Scene, default_scenes, find_scene
from app.core.project.user_layers import roles_of
from layers.model import LayerStack
from layers.themes.sites import DEFAULT_RADIUS_M

SUFFIXES = (".html", ".htm")
#: Where the optional basemap comes from (only fetched when the user asked for it).
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: Where the ``@font-face`` rules of the embedded font go (after the page is rendered,
#: so that the subset holds every character of the page); a random token per page is
#: added, so that no text of the page can be taken for the slot.
_FONT_SLOT = "/*__INNO_FONT_FACE_{token}__*/"
#: The two slots of ``assets/webmap.js``.
_SCRIPT_SLOTS = re.compile(r"__DATA__|__MAP__")


class HtmlExportError(InnoAtlasError):
    """The web map cannot be written (wrong suffix, missing or read-only folder)."""


@cache
def _asset(name: str) -> str:
    """A file of the package's ``assets`` folder, read once."""
    folder = resources.files("app.core.export.webmap") / "assets"
    return (folder / name).read_text(encoding="utf-8")


def _css() -> str:
    """The page's stylesheet, with the font stack filled in."""
    return _asset("webmap.css").replace("__FONT_STACK__", FONT_STACK)


def _script(data: str, map_name: str) -> str:
    """The page's script, with the map's data (JSON) and its Leaflet map variable.

    Both slots are filled in one pass over the script, so a text inside the data that
    reads ``__MAP__`` stays that text.
    """
    fill = {"__DATA__": data, "__MAP__": map_name}
    return _asset("points.js") + _SCRIPT_SLOTS.sub(
        lambda match: fill[match.group()], _asset("webmap.js")
    )


def build_html(
    stack: LayerStack,
    *,
    title: str = "",
    language: str = "en",
    indicators: pd.DataFrame | None = None,
    scenes: list[Scene] | None = None,
    basemap: bool | tuple[str, str] = False,
    start_scene: str | None = None,
    view: Iterable[float] | None = None,
    radius_m: float | None = None,
    embed_font: bool = True,
    extra: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> str:
    """The self-contained HTML page of the web map.

    Parameters
    ----------
    stack : LayerStack
        The project's layers.
    title, language, indicators, scenes, basemap, start_scene, view, radius_m, embed_font, extra
        As in :func:`export_html`.
    progress : callable, optional
        ``progress(fraction, message)`` after each layer and before the font; it may
        raise :class:`~app.core.progress.Cancelled` to stop.

    Returns
    -------
    str
        The whole page.

    Raises
    ------
    SceneError
        ``start_scene`` is not one of ``scenes``.
    """
    from branca.element import Figure, MacroElement
    from offlinefolium import Map
    from offlinefolium.template import Template

    language = "ko" if language == "ko" else "en"
    words = words_for(language)
    scenes = default_scenes(stack, language) if scenes is None else list(scenes)
    start = find_scene(scenes, start_scene).scene_id if start_scene else ""
    # The visible layers, and the hidden ones that a scene shows (they start unticked).
    in_scenes = {name for scene in scenes for name in (scene.visible_layers or ())}
    exported = [
        layer
        for layer in stack.draw_order()
        if (layer.visible or layer.name in in_scenes) and len(layer.data) and layer.opacity > 0
    ]
    report = progress or no_progress
    report(0.0, "")
    radius_m = DEFAULT_RADIUS_M if radius_m is None else float(radius_m)
    sites = stack.get("sites")
    if indicators is None and sites is not None and len(sites.data):
        indicators = site_indicators(stack, radius_m, roles_of(dict(extra or {})), extra)
    records = []
    for number, layer in enumerate(exported):
        report(0.05 + 0.75 * number / max(len(exported), 1), layer.title(language))
        record = layer_record(layer, language, indicators, radius_m)
        if record:
            records.append(record)
    scenario_records, scenario_switch = scenario_layers(stack, language, extra)  # switcher
    records += scenario_records
    catchment_mode(records, mode_of(extra))  # View › Catchments, as on the canvas
    extent = stack.extent(visible_only=True) or (180000.0, 540000.0, 220000.0, 570000.0)
    bounds = extent_to_bounds(extent)
    districts = _districts_extent(stack)
    if view is None and not start:
        view = districts
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
    coverage = (
        [] if extra is None else coverage_lines(stack, roles_of(dict(extra)), extra, language)
    )
    data = {
        "layers": records,
        "scenes": scene_records,
        "bounds": bounds,
        "start": start,
        "view": None if view is None or start else extent_to_bounds(view),
        # a phone opens on the districts, whatever the desktop view was
        "districts": None if districts is None else extent_to_bounds(districts),
        "attribution": "  ·  ".join(warnings + sources),
        "text": dict(
            words,
            basemap=basemap_label(basemap[1] if isinstance(basemap, tuple) else "", language),
        ),
        "scenarios": scenario_switch,
        "basemap": (
            {"url": basemap[0], "attribution": basemap[1]}  # the project's chosen source
            if isinstance(basemap, tuple)
            else {"url": OSM_TILES, "attribution": OSM_ATTRIBUTION}
        )
        if basemap
        else None,
    }
    # The packed layers' names are compressed: the font subset needs their characters.
    name_chars = "".join(record.pop("chars", "") for record in records)
    # The features are already JSON: splice them in instead of encoding them twice.
    features = [record.pop("features") for record in records]
    for number, record in enumerate(records):
        record["features"] = {"__features__": number}
    blob = script_json(data)
    for number, text in enumerate(features):
        blob = blob.replace(script_json({"__features__": number}), text, 1)

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
    assert isinstance(root, Figure)  # a Map's root is always its Figure
    # branca renders what a macro returns as a new jinja template (Element(template)):
    # text from a file ("{{ ... }}" in a layer title) would be evaluated, as Python. So
    # the page's parts go through the template as random slot names only, and are put
    # in place after rendering, in one pass (no part is searched for another's slot).
    token = secrets.token_hex(8)
    slots = {
        name: f"__INNO_{name.upper()}_{token}__" for name in ("title", "header", "html", "script")
    }
    font_slot = _FONT_SLOT.format(token=token)
    parts = {
        slots["title"]: html.escape(title or "InnoAtlas"),
        slots["header"]: (
            f'<meta charset="utf-8"><meta name="generator" content="InnoAtlas">'
            f"<style>{font_slot if embed_font else ''}{_css()}</style>"
        ),
        slots["html"]: (
            hatch_defs(exported)
            + top_html(title, scene_records, language)
            + legend_html(exported[::-1], (warnings, sources + coverage), language)
        ),
        slots["script"]: _script(blob, fmap.get_name()),
    }
    root.title = slots["title"]

    class Page(MacroElement):
        _template = Template(
            "".join(
                f"{{% macro {name}(this, kwargs) %}}{slots[name]}{{% endmacro %}}"
                for name in ("header", "html", "script")
            )
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "InnoAtlasPage"

    fmap.add_child(Page())
    rendered = root.render().replace("<html>", f'<html lang="{language}">', 1)
    text = re.sub("|".join(map(re.escape, parts)), lambda match: parts[match.group()], rendered)
    report(0.85, "")
    if embed_font:
        # The whole page (script, data, legend) is a superset of what it shows.
        text = text.replace(font_slot, font_face_css(text + name_chars), 1)
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
    basemap: bool | tuple[str, str] = False,
    start_scene: str | None = None,
    view: Iterable[float] | None = None,
    radius_m: float | None = None,
    embed_font: bool = True,
    extra: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
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
    basemap : bool or (str, str)
        Add the OpenStreetMap basemap (needs internet; blank when offline), or the
        basemap of this ``(XYZ URL template, attribution)``.
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
    extra : mapping, optional
        ``ProjectSettings.extra``: the layers' roles and their saved coverage areas
        (app.core.project.coverage). The legend's data notes name each role layer's
        coverage ("start-ups: 'magok_firms' (covers Magok)"); without it they do not (the
        roles are not known) and indicators computed here use the default layers.
    progress : callable, optional
        ``progress(fraction, message)`` now and then (after each layer); it may raise
        :class:`~app.core.progress.Cancelled`, and then no file is written.

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
        extra=extra,
        progress=progress,
    )
    (progress or no_progress)(0.95, "")

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    write_atomically(path, write, HtmlExportError, verb="export", suffix=".exporting.html")
    return path


__all__ = [
    "HtmlExportError",
    "OSM_ATTRIBUTION",
    "OSM_TILES",
    "SUFFIXES",
    "build_html",
    "export_html",
]
