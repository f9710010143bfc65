"""Print-ready map exports (PNG and vector PDF) drawn by the canvas renderer.

:func:`render_map` lays out a page: a title bar (bundled Korean font) with the date,
the map (:class:`~app.ui.canvas.render.map_renderer.MapRenderer`, as on the canvas) with
scale bar and north arrow, a legend of every visible layer (a column at the right of a
landscape page, columns below the map on a portrait page), and a footer with the data
attribution including the synthetic/illustrative notes; :func:`render_scenes` writes a
PDF handout with a page per scene. This module checks the request and picks what to
draw (scene, extent, title); :mod:`~app.ui.export.layout` composes the page,
:mod:`~app.ui.export.png` and :mod:`~app.ui.export.pdf` write it, and
:mod:`~app.ui.export.output` checks and writes the file.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from PySide6.QtGui import QFontMetricsF

from app.core.progress import Progress
from app.core.project.scenes import Scene
from app.ui.canvas.basemap import BasemapSpec
from app.ui.export.layout import MapLayout, MapPage, SiteMarks
from app.ui.export.output import MapExportError, check_output
from app.ui.export.pdf import render_pdf
from app.ui.export.png import render_png
from app.ui.fonts import map_font
from layers.events import Signal
from layers.model import LayerStack


def render_map(
    stack: LayerStack,
    out_path,
    *,
    extent=None,
    size=(1600, 1000),
    dpi=150,
    title: str = "",
    page: str | None = None,
    orientation: str | None = None,
    language: str = "en",
    date: _dt.date | None = None,
    scene: Scene | None = None,
    indicators=None,
    radius_m: float | None = None,
    basemap: BasemapSpec | None = None,
    catchments: str = "auto",
    progress: Progress | None = None,
) -> MapLayout:
    """Export ``stack`` as a map to ``out_path`` (``.png`` or ``.pdf``).

    Parameters
    ----------
    stack : LayerStack
        The layers (visibility, order, opacity and style as on the canvas).
    out_path : str or Path
        Output file; its suffix picks the format. Written only when the whole map
        was drawn (an existing file is replaced in one step).
    extent : (xmin, ymin, xmax, ymax), optional
        Map extent in EPSG:5186 metres; default the scene's extent, else the
        districts' bounds (else all layers').
    size : (int, int)
        PNG size in pixels; for a PDF only its aspect picks the orientation when
        ``orientation`` is not given.
    dpi : int
        Resolution stored in the PNG; furniture (fonts, symbols) scales by ``dpi / 96``.
    title : str
        Title bar text (Korean welcome); default the scene's title, else "InnoAtlas".
    page : "A4" or "A3", optional
        PDF page size (default A4).
    orientation : "landscape" or "portrait", optional
        PDF orientation (default: landscape when ``size`` is wider than high).
    language : "en" or "ko"
        Language of the layer names in the legend and attribution.
    date : datetime.date, optional
        Date printed on the map (default today).
    scene : Scene, optional
        Draw this scene: its extent, visible layers and title. ``stack`` is not
        changed (the scene's visibility applies to a copy).
    indicators : pandas.DataFrame, optional
        Indicator results of the sites (indexed by ``site_id``, with ``rank``,
        ``score``, ``use_permitted``): each site gets its "#rank score" badge as on
        the canvas. Without it the sites show no badges.
    radius_m : float, optional
        The project's catchment radius R (metres) for the circles around point sites
        without a ``radius_m`` of their own (default 800 m).
    basemap : BasemapSpec, optional
        The tile basemap under the layers, with its credit in the footer (its tiles
        are waited for; missing ones become a note). A scene that keeps a basemap of
        its own draws that one instead (with this one's key and cache).
    catchments : str
        How the sites' catchments are drawn
        (:data:`app.core.map.catchments.CATCHMENT_MODES`; a scene's own mode wins).
    progress : callable, optional
        ``progress(fraction, message)`` while the basemap's tiles are waited for (the
        GUI runs the export in its worker when the basemap is on); it may raise
        :class:`~app.core.progress.Cancelled`, and then no file is written.

    Returns
    -------
    MapLayout
        The rectangles of title, map, legend, footer, scale bar and north arrow, and
        ``notes`` (scene layers the project no longer has, title characters the map
        font lacks).

    Raises
    ------
    MapExportError
        Unknown extension, unwritable path, bad size/dpi/page, or no extent.
    """
    path, suffix, width, height = check_output(out_path, size, dpi)
    if basemap is not None and progress is not None:
        basemap = replace(basemap, progress=progress)
    one = _with_scene_state(_page(stack, scene, extent, title), scene, basemap)
    sites = SiteMarks(indicators, radius_m, catchments)
    if suffix == ".png":
        return render_png(one, path, width, height, float(dpi), language, _when(date), sites)
    return render_pdf(
        [one], path, width, height, page, orientation, language, _when(date), sites=sites
    )[0]


def render_scenes(
    stack: LayerStack,
    out_path,
    scenes,
    *,
    size=(1600, 1000),
    page: str | None = None,
    orientation: str | None = None,
    language: str = "en",
    date: _dt.date | None = None,
    title: str = "",
    indicators=None,
    radius_m: float | None = None,
    basemap: BasemapSpec | None = None,
    catchments: str = "auto",
    progress: Progress | None = None,
) -> list[MapLayout]:
    """A PDF handout with one page per scene (same page size and orientation).

    Every page has the scene's title, legend, scale bar, north arrow and footer;
    ``stack`` is not changed. ``title``, when given, is the handout's title: each page
    reads "<title> — <scene title>" and the PDF is titled ``title``. Other parameters
    (``indicators`` and ``radius_m`` for the sites' badges and catchments too) as
    :func:`render_map`.

    Returns
    -------
    list of MapLayout
        One per page, in the order of ``scenes``.

    Raises
    ------
    MapExportError
        Not a .pdf path, no scenes, or the checks of :func:`render_map`.
    """
    scenes = list(scenes)
    path, suffix, width, height = check_output(out_path, size, 150)
    if suffix != ".pdf":
        raise MapExportError("one page per scene needs a .pdf file name")
    if not scenes:
        raise MapExportError("this project has no scenes to export")
    title = title.strip()
    if basemap is not None and progress is not None:
        basemap = replace(basemap, progress=progress)
    pages = [
        _with_scene_state(
            _page(stack, scene, None, handout_title(title, scene.title)), scene, basemap
        )
        for scene in scenes
    ]
    return render_pdf(
        pages,
        path,
        width,
        height,
        page,
        orientation,
        language,
        _when(date),
        document_title=title,
        sites=SiteMarks(indicators, radius_m, catchments),
    )


def handout_title(title: str, scene_title: str) -> str:
    """A handout page's title: "<title> — <scene title>" (the scene's alone without one)."""
    title, scene_title = title.strip(), scene_title.strip()
    if title and scene_title:
        return f"{title} — {scene_title}"
    return title or scene_title


def scene_stack(stack: LayerStack, scene: Scene | None) -> tuple[LayerStack, list[str]]:
    """A stack showing ``scene``'s layers, sharing data and styles with ``stack``.

    The layers are shallow copies with their own visibility and no listeners, so the
    project (and the canvas watching it) never sees the scene's visibility.

    Returns
    -------
    (LayerStack, list of str)
        The copy, and the scene's layers missing from the project.
    """
    if scene is None:
        return stack, []
    copy = LayerStack([replace(layer, changed=Signal()) for layer in stack])
    return copy, scene.apply_visibility(copy)


def _page(stack: LayerStack, scene: Scene | None, extent, title: str) -> MapPage:
    """What one page shows: the scene's layers, extent and title, with notes for the user."""
    view, missing = scene_stack(stack, scene)
    notes = []
    if missing:
        notes.append(
            f"scene {scene.scene_id!r}: layers no longer in the project: "
            f"{', '.join(missing)} (drawn without them)"
        )
    if extent is None and scene is not None:
        extent = scene.extent
    text = title.strip() or (scene.title if scene is not None else "") or "InnoAtlas"
    lacking = _missing_glyphs(text)
    if lacking:
        notes.append(
            f"the map font has no glyph for {' '.join(lacking)} (title {text!r}): "
            "another font or a box is drawn instead"
        )
    return MapPage(view, _extent(view, extent), text, tuple(notes))


def _with_scene_state(page: MapPage, scene: Scene | None, basemap: BasemapSpec | None) -> MapPage:
    """``page`` with the basemap and the scene's own catchment mode and basemap."""
    if scene is not None and scene.basemap is not None and basemap is not None:
        basemap = replace(basemap, settings=scene.basemap)
    catchments = scene.catchments if scene is not None else None
    return replace(page, basemap=basemap, catchments=catchments)


def _missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the map font cannot draw."""
    metrics = QFontMetricsF(map_font(12))
    return sorted({ch for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))})


def _when(date: _dt.date | None) -> str:
    """The printed date: ``date`` (default today) in ISO format."""
    return (date or _dt.date.today()).isoformat()


def _extent(stack: LayerStack, extent) -> tuple[float, float, float, float]:
    """``extent`` checked, else the districts' bounds (else the visible layers', else all)."""
    if extent is not None:
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        if not (xmax > xmin and ymax > ymin):
            raise MapExportError(f"the map extent {extent} is empty")
        return xmin, ymin, xmax, ymax
    districts = stack.get("districts")
    bounds = districts.extent if districts is not None else None
    bounds = bounds or stack.extent(visible_only=True) or stack.extent()
    if bounds is None:
        raise MapExportError("nothing to map: every layer is empty")
    return bounds


def district_extent(stack: LayerStack, district_id: str) -> tuple[float, float, float, float]:
    """Bounds of one district (``district_id`` column of the districts layer).

    Returns
    -------
    (xmin, ymin, xmax, ymax)
        The district's bounds in the layer's CRS (EPSG:5186 metres).

    Raises
    ------
    MapExportError
        The project has no districts layer, or no district ``district_id``.
    """
    layer = stack.get("districts")
    if layer is None or "district_id" not in layer.data:
        raise MapExportError("this project has no districts layer")
    rows = layer.data[layer.data["district_id"] == district_id]
    if rows.empty:
        known = ", ".join(sorted(str(v) for v in layer.data["district_id"].unique()))
        raise MapExportError(f"no district {district_id!r} in this project (known: {known})")
    return tuple(float(v) for v in rows.total_bounds)


__all__ = [
    "district_extent",
    "handout_title",
    "render_map",
    "render_scenes",
    "scene_stack",
]
