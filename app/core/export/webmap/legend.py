"""The web map's panels as HTML: the legend with the data notes, and the top bar.

The legend has one block per layer (the page shows the blocks of the layers that are on
the map) with a swatch per symbol (:func:`~app.core.export.webmap.styles.swatch_svg`),
then the synthetic/illustrative warnings and the sources; the top bar holds the title
and a button per scene. :data:`TEXT` holds the words the page shows, per language.
Qt-free.
"""

from __future__ import annotations

import html
import math

import numpy as np

from app.core.analysis.map_layers import hotspot_reference
from app.core.export.webmap.styles import swatch_svg
from app.core.map.catchments import filled
from layers.model import Layer
from layers.style_classes import legend_rows

#: The words the page itself shows, per language.
TEXT = {
    "en": {
        "legend": "Legend",
        "scenes": "Scenes",
        "data": "Data notes",
        "basemap": "OpenStreetMap basemap (online)",
        "custom basemap": "Basemap: {credit} (online)",
        "all": "Full extent",
    },
    "ko": {
        "legend": "범례",
        "scenes": "장면",
        "data": "자료 안내",
        "basemap": "OpenStreetMap 배경지도 (온라인)",
        "custom basemap": "배경지도: {credit} (온라인)",
        "all": "전체 보기",
    },
}


def words_for(language: str) -> dict[str, str]:
    """The page's words (:data:`TEXT`) in ``language``: Korean for ``"ko"``, else
    English."""
    return TEXT["ko" if language == "ko" else "en"]


def basemap_label(attribution: str, language: str) -> str:
    """The basemap's name in the page's layer list: "OpenStreetMap basemap (online)" for
    OpenStreetMap, else the chosen source named by its credit ("Basemap: © Example
    tiles (online)").

    Examples
    --------
    >>> basemap_label("© OpenStreetMap contributors", "en")
    'OpenStreetMap basemap (online)'
    >>> basemap_label("© Example tiles", "ko")
    '배경지도: © Example tiles (온라인)'
    """
    words = words_for(language)
    credit = " ".join(str(attribution or "").split())
    if not credit or "openstreetmap" in credit.casefold():
        return words["basemap"]
    return words["custom basemap"].format(credit=credit)


def catchment_mode(records: list[dict], mode: str) -> None:
    """Apply the project's catchment mode (View › Catchments) to the layer records.

    ``"off"`` drops the records' ``catchments``; otherwise ``catchmentFill`` says
    whether the page fills them (:func:`app.core.map.catchments.filled`, with the
    circles' centres on a local metric plane), as the canvas does.
    """
    for record in records:
        circles = record.get("catchments")
        if not circles:
            continue
        if mode == "off":
            record.pop("catchments")
            continue
        lat, lon, radius = np.asarray(circles, dtype=float).reshape(-1, 3).T
        x = np.radians(lon) * 6371008.8 * math.cos(math.radians(float(np.mean(lat))))
        y = np.radians(lat) * 6371008.8
        record["catchmentFill"] = filled(mode, x, y, radius)


def legend_html(layers: list[Layer], notes: tuple[list[str], list[str]], language: str) -> str:
    """The legend panel: a block per layer with its swatches, then the data notes.

    Parameters
    ----------
    layers : list of Layer
        The layers on the page, top first; the page shows the blocks of the layers
        that are on the map (hidden layers' blocks start hidden).
    notes : tuple of (list of str, list of str)
        ``(warnings, sources)`` of
        :func:`~app.core.project.attribution.attribution_parts`.
    language : str
        ``"en"`` or ``"ko"``.

    Returns
    -------
    str
        The ``#inno-legend`` element.
    """
    words = words_for(language)
    parts = [
        f'<div id="inno-legend" class="inno-panel"><details open><summary>'
        f"{html.escape(words['legend'])}</summary>"
    ]
    for layer in layers:
        style = layer.style
        if style.kind != "single":
            rows = legend_rows(style, layer.data)
        else:
            rows = [(layer.title(language), style.symbol)]
        kind = "point" if layer.geometry_kind in ("point", "mixed") else layer.geometry_kind
        hidden = "" if layer.visible else ' style="display:none"'
        parts.append(
            f'<div class="inno-legend-layer" data-layer="{html.escape(layer.name)}"'
            f'{hidden}><div class="inno-legend-title">'
            f"{html.escape(layer.title(language))}</div>"
        )
        note = hotspot_reference(layer.data, language)  # the hot spots' reference area
        if note:
            parts.append(
                f'<div class="inno-legend-note" style="font-size:90%;color:#444">'
                f"{html.escape(note)}</div>"
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


def top_html(title: str, scenes: list[dict], language: str) -> str:
    """The top bar: the title and a button per scene after the "Full extent" one.

    Parameters
    ----------
    title : str
        The map's title (no heading when empty).
    scenes : list of dict
        The scene records of the page, each with ``id`` and ``title``.
    language : str
        ``"en"`` or ``"ko"``.

    Returns
    -------
    str
        The ``#inno-top`` element.
    """
    words = words_for(language)
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


__all__ = [
    "TEXT",
    "basemap_label",
    "catchment_mode",
    "legend_html",
    "top_html",
    "words_for",
]
