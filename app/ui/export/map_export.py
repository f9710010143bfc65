"""Print-ready map exports (PNG and vector PDF) drawn by the canvas renderer.

:func:`render_map` lays out a page: a title bar (bundled Korean font) with the date,
the map (:class:`~app.ui.canvas.render.map_renderer.MapRenderer`, as on the canvas) with
scale bar and north arrow, a legend of every visible layer (a column at the right of a
landscape page, columns below the map on a portrait page), and a footer with the data
attribution including the synthetic/illustrative notes.

Furniture sizes are given in canvas pixels (1/96 inch) and multiplied by a ``scale``:
for a PNG ``dpi / 96`` (the image is painted at 96 dpi and tagged with ``dpi`` when
saved, so point-sized fonts and pixel-sized symbols grow together); for a PDF the
writer works in 1/96-inch units and ``scale`` is 1, the output is vector (paths and
text), apart from the numpy-rasterised dense point layers.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import shapely
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_atomically
from app.core.i18n_catalog import translate
from app.core.map.viewport import Viewport
from app.core.project.scenes import Scene
from app.ui.canvas.render.decorations import attribution_text, paint_north_arrow, paint_scale_bar
from app.ui.canvas.render.legend_icons import SWATCH, paint_swatch
from app.ui.canvas.render.map_renderer import BACKGROUND, MapRenderer
from app.ui.canvas.render.sites_painter import paint_sites
from app.ui.fonts import map_font
from layers.events import Signal
from layers.model import Layer, LayerStack

FORMATS = (".png", ".pdf")
PAGES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
CSS_DPI = 96.0
INK = QColor("#202020")
MUTED = QColor("#555555")
#: A portrait page's legend (below the map) takes at most this share of the body height.
MAX_LEGEND_SHARE = 0.4
#: Narrowest column of a portrait legend (canvas px, times the furniture scale).
MIN_COLUMN_W = 120
#: Lines a legend label may take before the rest is elided.
LEGEND_LINES = 2


class MapExportError(InnoAtlasError):
    """A map could not be exported (bad path, format, size or extent)."""


@dataclass
class MapLayout:
    """Where the parts of an exported map went, in output pixels / PDF units (1/96 in)."""

    width: float
    height: float
    title: QRectF = field(default_factory=QRectF)
    map: QRectF = field(default_factory=QRectF)
    legend: QRectF = field(default_factory=QRectF)
    footer: QRectF = field(default_factory=QRectF)
    scale_bar: QRectF = field(default_factory=QRectF)
    north_arrow: QRectF = field(default_factory=QRectF)
    viewport: Viewport | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _SiteMarks:
    """What the sites need besides their layer: indicator results and the project's R."""

    indicators: object = None
    radius_m: float | None = None


@dataclass(frozen=True)
class _Page:
    """One page (or image) to draw: its stack, extent and title."""

    stack: LayerStack
    bounds: tuple[float, float, float, float]
    title: str
    notes: tuple[str, ...] = ()


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
    path, suffix, width, height = _check_output(out_path, size, dpi)
    one = _page(stack, scene, extent, title)
    sites = _SiteMarks(indicators, radius_m)
    if suffix == ".png":
        return _render_png(one, path, width, height, float(dpi), language, _when(date), sites)
    return _render_pdf(
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
    path, suffix, width, height = _check_output(out_path, size, 150)
    if suffix != ".pdf":
        raise MapExportError("one page per scene needs a .pdf file name")
    if not scenes:
        raise MapExportError("this project has no scenes to export")
    title = title.strip()
    pages = [_page(stack, scene, None, handout_title(title, scene.title)) for scene in scenes]
    return _render_pdf(
        pages,
        path,
        width,
        height,
        page,
        orientation,
        language,
        _when(date),
        document_title=title,
        sites=_SiteMarks(indicators, radius_m),
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


def _page(stack: LayerStack, scene: Scene | None, extent, title: str) -> _Page:
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
    return _Page(view, _extent(view, extent), text, tuple(notes))


def _missing_glyphs(text: str) -> list[str]:
    metrics = QFontMetricsF(map_font(12))
    return sorted({ch for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))})


def _when(date: _dt.date | None) -> str:
    return (date or _dt.date.today()).isoformat()


# -- checks ------------------------------------------------------------------------------
def _check_output(out_path, size, dpi) -> tuple[Path, str, int, int]:
    from app.ui.gui import application

    application()  # QApplication + bundled Korean font
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MapExportError(f"cannot export a map as {path.name!r}: use a .png or .pdf file name")
    _check_writable(path)
    width, height = _check_size(size)
    if not (30 <= float(dpi) <= 1200):
        raise MapExportError(f"dpi must be between 30 and 1200, not {dpi}")
    return path, suffix, width, height


def _check_writable(path: Path) -> None:
    parent = path.absolute().parent
    if not parent.exists():
        # a path under a regular file ("notes.txt/map.png") is "not a folder"
        above = next((p for p in parent.parents if p.exists()), None)
        if above is not None and not above.is_dir():
            raise MapExportError(f"cannot write the map to {path}: {above} is not a folder")
        raise MapExportError(f"cannot write the map to {path}: no such folder")
    if not parent.is_dir():
        raise MapExportError(f"cannot write the map to {path}: {parent} is not a folder")
    if path.is_dir():
        raise MapExportError(f"cannot write the map to {path}: it is a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise MapExportError(f"cannot write the map to {path}: the folder is read-only")


def _check_size(size) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise MapExportError(f"size must be (width, height) in pixels, not {size!r}") from None
    if width < 200 or height < 150 or width * height > 200_000_000:
        raise MapExportError(
            f"size must be at least 200x150 pixels and at most 200 megapixels, not {width}x{height}"
        )
    return width, height


def _extent(stack: LayerStack, extent) -> tuple[float, float, float, float]:
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
    """Bounds of one district (``district_id`` column of the districts layer)."""
    layer = stack.get("districts")
    if layer is None or "district_id" not in layer.data:
        raise MapExportError("this project has no districts layer")
    rows = layer.data[layer.data["district_id"] == district_id]
    if rows.empty:
        known = ", ".join(sorted(str(v) for v in layer.data["district_id"].unique()))
        raise MapExportError(f"no district {district_id!r} in this project (known: {known})")
    return tuple(float(v) for v in rows.total_bounds)


# -- outputs -----------------------------------------------------------------------------
def _render_png(
    page: _Page, path: Path, width, height, dpi, language, when, sites: _SiteMarks = _SiteMarks()
) -> MapLayout:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)  # the image is 96 dpi while painting: fonts match symbols
    try:
        layout = _compose(
            painter,
            page.stack,
            page.bounds,
            width,
            height,
            dpi / CSS_DPI,
            page.title,
            language,
            when,
            sites,
        )
    finally:
        painter.end()
    layout.notes = list(page.notes)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise MapExportError(f"cannot encode the map as PNG ({width}x{height} pixels)")
    buffer.close()
    _write_atomic(path, bytes(data))
    return layout


def _render_pdf(
    pages: list[_Page],
    path: Path,
    width,
    height,
    page,
    orientation,
    language,
    when,
    document_title: str = "",
    sites: _SiteMarks = _SiteMarks(),
) -> list[MapLayout]:
    page = (page or "A4").upper()
    if page not in PAGES:
        raise MapExportError(f"page must be one of {', '.join(PAGES)}, not {page!r}")
    orientation = (orientation or ("landscape" if width >= height else "portrait")).lower()
    if orientation not in ("landscape", "portrait"):
        raise MapExportError(f"orientation must be landscape or portrait, not {orientation!r}")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(int(CSS_DPI))  # units of 1/96 in, as the canvas: fonts match
    writer.setTitle(document_title or " · ".join(p.title for p in pages))
    writer.setCreator("InnoAtlas")
    writer.setDocumentXmpMetadata(
        _xmp(document_title or pages[0].title, attribution_text(pages[0].stack, language), when)
    )
    layout_ = QPageLayout(
        QPageSize(PAGES[page]),
        QPageLayout.Orientation.Landscape
        if orientation == "landscape"
        else QPageLayout.Orientation.Portrait,
        QMarginsF(10, 10, 10, 10),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout_)
    painter = QPainter()
    if not painter.begin(writer):
        raise MapExportError(f"cannot start the PDF for {path}")
    layouts = []
    try:
        device = painter.device()
        for number, one in enumerate(pages):
            if number:
                writer.newPage()
            layout = _compose(
                painter,
                one.stack,
                one.bounds,
                device.width(),
                device.height(),
                1.0,
                one.title,
                language,
                when,
                sites,
            )
            layout.notes = list(one.notes)
            layouts.append(layout)
    finally:
        painter.end()
    buffer.close()
    _write_atomic(path, fix_pdf_spaces(bytes(data)))
    return layouts


#: A ``<hex>`` destination in a ToUnicode CMap naming a C0 control character.
_CONTROL_DEST = re.compile(rb"<(000[1-9A-Fa-f]|001[0-9A-Fa-f])>")


def fix_pdf_spaces(pdf: bytes) -> bytes:
    """Map the space glyph of every embedded font back to U+0020 in the PDF's text layer.

    Qt's PDF engine writes each font's ToUnicode CMap by asking, for code points from
    U+0000 up, which glyph each one uses, and keeps the first hit. NanumGothic maps
    U+0000–U+001F to its space glyph (and Qt draws a missing tab as a space), so the
    space glyph came out as U+0001 (or U+0009): ``pdftotext`` and copy/paste gave
    ``Workshop\\x01map``. A control character is never text we draw, so every
    control-character destination in the CMaps becomes U+0020. The edit keeps every
    byte count (``<0001>`` → ``<0020>``), so the cross-reference offsets stay valid.
    """
    out = bytearray(pdf)
    start = 0
    while (begin := pdf.find(b"begincmap", start)) >= 0:
        end = pdf.find(b"endcmap", begin)
        if end < 0:
            break
        for section in re.finditer(rb"begin(bfrange|bfchar)(.*?)end\1", pdf[begin:end], re.S):
            for line in re.finditer(rb"[^\n]+", section.group(2)):
                codes = list(re.finditer(rb"<[0-9A-Fa-f]+>", line.group(0)))
                # bfchar: <src> <dst>; bfrange: <lo> <hi> [<dst> ...] or <lo> <lo> <dst>
                first_dest = 1 if section.group(1) == b"bfchar" else 2
                if (
                    first_dest == 2
                    and b"[" not in line.group(0)
                    and (len(codes) < 3 or codes[0].group(0) != codes[1].group(0))
                ):
                    continue  # an incrementing range: leave it
                offset = begin + section.start(2) + line.start()
                for code in codes[first_dest:]:
                    if _CONTROL_DEST.fullmatch(code.group(0)):
                        at = offset + code.start()
                        out[at : at + 6] = b"<0020>"
        start = end
    return bytes(out)


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a failure leaves any old file."""
    write_atomically(
        path,
        lambda temp: temp.write_bytes(data),
        MapExportError,
        verb="write",
        suffix=f".exporting{path.suffix}",
    )


def _xmp(title: str, description: str, when: str) -> bytes:
    """XMP metadata: the title and the data notes stay machine-readable in the PDF."""
    from xml.sax.saxutils import escape

    return (
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}'
        "</rdf:li></rdf:Alt></dc:description>"
        f"<dc:date><rdf:Seq><rdf:li>{when}</rdf:li></rdf:Seq></dc:date>"
        "<xmp:CreatorTool>InnoAtlas</xmp:CreatorTool>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


# -- page layout -------------------------------------------------------------------------
def _compose(
    painter: QPainter,
    stack: LayerStack,
    bounds,
    width: float,
    height: float,
    s: float,
    title: str,
    language: str,
    when: str,
    sites: _SiteMarks = _SiteMarks(),
) -> MapLayout:
    """Paint the whole page on ``painter`` (``width`` x ``height`` units, furniture x ``s``)."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    layout = MapLayout(width, height)
    margin = 14 * s
    # Title bar with the date at its right.
    title_font = map_font(16 * s, bold=True)
    small = map_font(8.5 * s)
    title_h = QFontMetricsF(title_font).height() + 16 * s
    layout.title = QRectF(0, 0, width, title_h)
    painter.fillRect(layout.title, QColor("#24384f"))
    painter.setPen(QColor("#ffffff"))
    painter.setFont(small)
    date_w = QFontMetricsF(small).horizontalAdvance(when) + margin
    painter.drawText(
        QRectF(width - date_w - margin, 0, date_w, title_h),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        when,
    )
    painter.setFont(title_font)
    painter.drawText(
        QRectF(margin, 0, width - 3 * margin - date_w, title_h),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        title,
    )
    # Footer: attribution (sources + synthetic/illustrative notes) and the date.
    note = attribution_text(stack, language)
    made = translate("Map: InnoAtlas · {date}", language, date=when)
    footer_text = f"{note}\n{made}" if note else made
    painter.setFont(small)
    text_w = width - 2 * margin
    bound = QFontMetricsF(small).boundingRect(
        QRectF(0, 0, text_w, 10 * height), int(Qt.TextFlag.TextWordWrap), footer_text
    )
    footer_h = bound.height() + 2 * margin
    layout.footer = QRectF(0, height - footer_h, width, footer_h)
    painter.setPen(MUTED)
    painter.drawText(
        layout.footer.adjusted(margin, margin * 0.6, -margin, 0),
        int(Qt.TextFlag.TextWordWrap),
        footer_text,
    )
    body_top = title_h + margin
    body_h = max(10.0, height - footer_h - body_top)
    if height > width:
        # Portrait: the legend in columns below the map, the map as wide as the page.
        grid = _legend_grid(stack, width - 2 * margin, body_h * MAX_LEGEND_SHARE, s, language)
        legend_h = grid.height
        layout.legend = QRectF(margin, height - footer_h - legend_h, width - 2 * margin, legend_h)
        layout.map = QRectF(
            margin, body_top, max(10.0, width - 2 * margin), max(10.0, body_h - legend_h - margin)
        )
    else:
        # Landscape: a legend column at the right, the map fills the rest.
        legend_w = min(250 * s, width * 0.32)
        grid = None
        layout.legend = QRectF(width - margin - legend_w, body_top, legend_w, body_h)
        layout.map = QRectF(margin, body_top, max(10.0, width - 3 * margin - legend_w), body_h)
    _paint_map(painter, stack, bounds, layout, s, sites)
    if grid is None:
        _paint_legend(painter, stack, layout.legend, s, language)
    else:
        _paint_legend_grid(painter, grid, layout.legend)
    return layout


def _paint_map(
    painter: QPainter,
    stack: LayerStack,
    bounds,
    layout: MapLayout,
    s: float,
    sites: _SiteMarks = _SiteMarks(),
) -> None:
    rect = layout.map
    viewport = Viewport(width=max(1, int(rect.width())), height=max(1, int(rect.height())))
    viewport.zoom_to_extent(bounds, margin=0.03)
    layout.viewport = viewport
    renderer = MapRenderer(stack)
    painter.save()
    painter.translate(rect.topLeft())
    painter.setClipRect(QRectF(0, 0, viewport.width, viewport.height))
    renderer.render_layers(painter, viewport, s, BACKGROUND)
    # Catchments and badges over the layers, as the canvas's sites overlay draws them.
    paint_sites(painter, viewport, stack.get("sites"), sites.radius_m, sites.indicators, s)
    bar = paint_scale_bar(painter, viewport, s)
    arrow = paint_north_arrow(painter, viewport, s)
    painter.setClipping(False)
    painter.setPen(QPen(QColor("#8a8a8a"), 1.0 * s))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0, 0, viewport.width, viewport.height))
    painter.restore()
    layout.scale_bar = bar.translated(rect.topLeft())
    layout.north_arrow = arrow.translated(rect.topLeft())


def legend_entries(stack: LayerStack, language: str = "en") -> list[tuple[Layer, list]]:
    """Visible, non-empty layers top-down with their legend rows ``(label, symbol)``.

    Categorized layers list only the categories present in their data (as the layer
    panel does); single-symbol layers have one row labelled with the layer's name.
    """
    entries = []
    for layer in stack:
        if not layer.visible or len(layer.data) == 0:
            continue
        style = layer.style
        if style.kind == "categorized":
            present = (
                layer.data[style.field].unique().tolist() if style.field in layer.data else None
            )
            rows = [
                (translate(str(label), language), symbol) for label, symbol in style.legend(present)
            ]
        else:
            rows = [(layer.title(language), style.symbol)]
        entries.append((layer, rows))
    return entries


def legend_swatch_kind(layer: Layer) -> str:
    """How a layer's legend swatch is drawn: its geometry kind, or ``"catchment"`` for
    candidate sites with point sites (drawn with their catchment circle on the map)."""
    if (
        layer.name == "sites"
        and len(layer.data)
        and bool((shapely.get_type_id(layer.data.geometry.values) == 0).any())
    ):
        return "catchment"
    return layer.geometry_kind


def _paint_legend(
    painter: QPainter, stack: LayerStack, rect: QRectF, s: float, language: str
) -> None:
    entries = legend_entries(stack, language)
    heading = translate("Legend", language)
    lines = 1 + sum(
        1 if layer.style.kind != "categorized" else 1 + len(rows) for layer, rows in entries
    )
    pad = 10 * s
    x, right = rect.left() + pad, rect.right() - pad
    room = rect.height() - 2 * pad
    # Shrink the legend's type and swatches when it would not fit the column (long
    # labels wrap onto a second line, which the measuring pass counts).
    k = min(1.0, room / max(1.0, lines * 19 * s + len(entries) * 4 * s))
    for _ in range(6):
        sizes = _legend_sizes(s, k)
        needed = sizes["row_h"] + paint_legend_rows(
            None,
            entries,
            x,
            0.0,
            right,
            sizes["row_h"],
            sizes["swatch"],
            sizes["layer_font"],
            sizes["row_font"],
            language,
            ink=INK,
            layer_gap=4 * s * k,
            indent=8 * s * k,
            swatch_gap=6 * s * k,
            min_point=9.0,
            max_lines=LEGEND_LINES,
        )
        if needed <= room + 1e-6 or k < 0.3:
            break
        k *= max(0.5, min(0.97, room / needed))
    row_h = sizes["row_h"]
    painter.save()
    painter.setPen(QPen(QColor("#b8b8b8"), 1.0 * s))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(rect)
    y = rect.top() + pad
    painter.setPen(INK)
    painter.setFont(sizes["head_font"])
    painter.drawText(QRectF(x, y, right - x, row_h), int(Qt.AlignmentFlag.AlignVCenter), heading)
    y += row_h
    paint_legend_rows(
        painter,
        entries,
        x,
        y,
        right,
        row_h,
        sizes["swatch"],
        sizes["layer_font"],
        sizes["row_font"],
        language,
        ink=INK,
        layer_gap=4 * s * k,
        indent=8 * s * k,
        swatch_gap=6 * s * k,
        min_point=9.0,
        max_lines=LEGEND_LINES,
    )
    painter.restore()


def _legend_sizes(s: float, k: float) -> dict:
    """Row height, swatch size and fonts of the export legend at furniture scale ``s``
    shrunk by ``k``."""
    return {
        "row_h": 19 * s * k,
        "swatch": SWATCH * s * k * 0.9,
        "head_font": map_font(10 * s * k, bold=True),
        "layer_font": map_font(8.5 * s * k, bold=True),
        "row_font": map_font(8 * s * k),
    }


def paint_legend_rows(
    painter: QPainter | None,
    entries: list[tuple[Layer, list]],
    x: float,
    y: float,
    right: float,
    row_h: float,
    swatch: float,
    layer_font,
    row_font,
    language: str,
    *,
    ink: QColor,
    layer_gap: float,
    indent: float,
    swatch_gap: float,
    min_point: float,
    max_lines: int = 1,
) -> float:
    """Paint the rows of :func:`legend_entries` from ``(x, y)``; return the y below them.

    A categorized layer gets its title on a row of its own and its categories indented by
    ``indent``; any other layer is one row, its swatch and title. Text longer than the
    room up to ``right`` wraps onto up to ``max_lines`` lines (a wrapped row is taller by
    a line spacing each); what still does not fit is elided.

    Parameters
    ----------
    painter : QPainter or None
        The painter (its pen and font are changed); None only measures: the returned y
        is where the rows would end.
    entries : list of (Layer, rows)
        From :func:`legend_entries`.
    x, y, right : float
        Left edge, top and right edge of the rows.
    row_h, swatch : float
        Row height and swatch size.
    layer_font, row_font : QFont
        Fonts of layer titles and of category labels.
    language : str
        Language of the layer titles.
    ink : QColor
        Text colour.
    layer_gap, indent, swatch_gap : float
        Space above each layer, indent of categories, space between swatch and text.
    min_point : float
        Smallest marker size of point swatches.
    max_lines : int
        Lines a label may take (1: elided on one line, the presentation legend).
    """
    previous = None
    for item in _legend_items(entries, language):
        if item.layer is not previous:
            y += layer_gap
            previous = item.layer
        font = row_font if item.indented else layer_font
        lead = (
            0.0
            if item.kind == "layer"
            else (indent if item.indented else 0.0) + swatch + swatch_gap
        )
        lines = wrap_label(item.text, font, right - x - lead, max_lines)
        height = _lines_height(lines, font, row_h)
        if painter is not None:
            _paint_legend_item(
                painter,
                replace(item, lines=lines, height=height),
                x,
                y,
                right,
                swatch,
                font,
                ink=ink,
                indent=indent,
                swatch_gap=swatch_gap,
                min_point=min_point,
            )
        y += height
    return y


def _paint_legend_item(
    painter: QPainter,
    item: _LegendItem,
    x: float,
    y: float,
    right: float,
    swatch: float,
    font,
    *,
    ink: QColor,
    indent: float,
    swatch_gap: float,
    min_point: float,
) -> None:
    """Paint one wrapped legend item with its top-left at ``(x, y)``: a layer heading,
    or a swatch (indented by ``indent`` under a heading) and its label."""
    painter.setPen(ink)
    if item.kind == "layer":
        _draw_lines(painter, QRectF(x, y, right - x, item.height), item.lines, font)
        return
    box = QRectF(
        x + (indent if item.indented else 0.0), y + (item.height - swatch) / 2, swatch, swatch
    )
    paint_swatch(painter, item.symbol, item.swatch_kind, box, min_point=min_point)
    left = box.right() + swatch_gap
    painter.setPen(ink)
    _draw_lines(painter, QRectF(left, y, right - left, item.height), item.lines, font)


def _lines_height(lines: list[str], font, row_h: float) -> float:
    """A legend row's height: ``row_h``, plus a line spacing per extra line."""
    return row_h + (len(lines) - 1) * QFontMetricsF(font).lineSpacing()


def _draw_lines(painter: QPainter, rect: QRectF, lines: list[str], font) -> None:
    """Draw ``lines`` left-aligned, centred as a block in ``rect``."""
    painter.setFont(font)
    flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
    if len(lines) == 1:
        painter.drawText(rect, flags, lines[0])
        return
    spacing = QFontMetricsF(font).lineSpacing()
    top = rect.top() + (rect.height() - spacing * len(lines)) / 2
    for number, line in enumerate(lines):
        painter.drawText(
            QRectF(rect.left(), top + number * spacing, rect.width(), spacing), flags, line
        )


def elide(text: str, font, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in ``font``."""
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, max(1.0, width))


def wrap_label(text: str, font, width: float, max_lines: int = 2) -> list[str]:
    """``text`` broken at word boundaries (else anywhere) into lines that fit ``width``.

    At most ``max_lines`` lines; the last one is elided when the text is longer still.
    A text that fits is one line, unchanged.
    """
    width = max(1.0, width)
    if max_lines <= 1 or QFontMetricsF(font).horizontalAdvance(text) <= width:
        return [elide(text, font, width)]
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    units = text.encode("utf-16-le")  # Qt counts UTF-16 code units
    lines, start = [], 0
    layout.beginLayout()
    while len(lines) < max_lines - 1:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        end = line.textStart() + line.textLength()
        lines.append(units[2 * line.textStart() : 2 * end].decode("utf-16-le").strip())
        start = end
    layout.endLayout()
    rest = units[2 * start :].decode("utf-16-le").strip()
    if rest:
        lines.append(elide(rest, font, width))
    return [line for line in lines if line] or [elide(text, font, width)]


@dataclass
class _LegendItem:
    """One row of the portrait legend grid: a categorized layer's heading (``kind``
    "layer") or a swatch and its label ("row"), wrapped into ``lines``."""

    kind: str
    layer: Layer
    text: str
    symbol: object = None
    indented: bool = False
    swatch_kind: str = ""
    lines: list = field(default_factory=list)
    height: float = 0.0


@dataclass
class _LegendGrid:
    """A legend laid out in columns: ``cells[column]`` is a list of :class:`_LegendItem`."""

    heading: str
    cells: list
    column_w: float
    row_h: float
    pad: float
    k: float
    s: float

    @property
    def height(self) -> float:
        body = max((sum(item.height for item in column) for column in self.cells), default=0.0)
        return 2 * self.pad + self.row_h + body


def _legend_items(entries: list[tuple[Layer, list]], language: str) -> list[_LegendItem]:
    """:func:`legend_entries` as a flat list of items (not yet wrapped)."""
    items = []
    for layer, rows in entries:
        categorized = layer.style.kind == "categorized"
        if categorized:
            items.append(_LegendItem("layer", layer, layer.title(language)))
        kind = legend_swatch_kind(layer)
        items.extend(
            _LegendItem("row", layer, str(label), symbol, categorized, kind)
            for label, symbol in rows
        )
    return items


def _legend_grid(
    stack: LayerStack, width: float, max_h: float, s: float, language: str
) -> _LegendGrid:
    """Lay the legend out in columns across ``width``, at most ``max_h`` high.

    Of the column counts whose columns are at least :data:`MIN_COLUMN_W` wide and cut no
    label (a long one wraps onto a second line), the one giving the lowest legend wins
    (fewer columns on a tie). The items flow down the columns; a layer's heading never
    ends a column. The type shrinks (as in the legend column) when even the best grid
    would be too high.
    """
    items = _legend_items(legend_entries(stack, language), language)
    pad = 10 * s
    k = 1.0
    heading = translate("Legend", language)
    inner = width - 2 * pad
    for _ in range(6):
        sizes = _legend_sizes(s, k)
        row_h, swatch = sizes["row_h"], sizes["swatch"]
        leads = [
            0.0
            if item.kind == "layer"
            else (8 * s * k if item.indented else 0.0) + swatch + 6 * s * k
            for item in items
        ]
        fonts = [
            sizes["row_font"] if item.kind == "row" and item.indented else sizes["layer_font"]
            for item in items
        ]
        most = max(1, int((inner + 1e-6) // ((MIN_COLUMN_W + 18) * s * k)))
        best = None
        for columns in range(1, most + 1):
            room = inner / columns - 12 * s * k  # as _paint_legend_grid's right edge
            laid = []
            for item, lead, font in zip(items, leads, fonts):
                lines = wrap_label(item.text, font, room - lead, LEGEND_LINES)
                laid.append(replace(item, lines=lines, height=_lines_height(lines, font, row_h)))
            cut = any(_is_cut(item.text, item.lines) for item in laid)
            cells = _flow(laid, columns, step=row_h / 4)
            grid = _LegendGrid(heading, cells, inner / len(cells), row_h, pad, k, s)
            rank = (cut, grid.height)
            if best is None or rank < best[0]:
                best = (rank, grid)
        grid = best[1]
        if grid.height <= max_h or k < 0.5:
            return grid
        k *= max(0.5, min(0.95, (max_h - 2 * pad) / max(1.0, grid.height - 2 * pad)))
    return grid


def _is_cut(text: str, lines: list[str]) -> bool:
    """Whether wrapping ``text`` into ``lines`` lost part of it (an ellipsis)."""
    return "".join("".join(lines).split()) != "".join(text.split())


def _flow(items: list[_LegendItem], columns: int, step: float = 1.0) -> list[list]:
    """Split ``items`` into at most ``columns`` lists of near-equal height, in order.

    A column closes before an item that would make it taller than the target height,
    which grows by ``step`` until the items fit ``columns`` columns.
    """
    if not items:
        return [[]]
    per = max(sum(item.height for item in items) / columns, max(item.height for item in items))
    while True:
        cells, current, used = [], [], 0.0
        for item in items:
            if current and used + item.height > per + 1e-6:
                # A layer heading never ends a column: it moves on with its rows.
                carried = [current.pop()] if current[-1].kind == "layer" else []
                if current:
                    cells.append(current)
                current, used = carried, sum(c.height for c in carried)
            current.append(item)
            used += item.height
        if current:
            cells.append(current)
        if len(cells) <= columns:
            return cells
        per += step


def _paint_legend_grid(painter: QPainter, grid: _LegendGrid, rect: QRectF) -> None:
    s, k, pad, row_h = grid.s, grid.k, grid.pad, grid.row_h
    sizes = _legend_sizes(s, k)
    swatch = sizes["swatch"]
    layer_font, row_font = sizes["layer_font"], sizes["row_font"]
    flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
    painter.save()
    painter.setPen(QPen(QColor("#b8b8b8"), 1.0 * s))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(rect)
    painter.setPen(INK)
    painter.setFont(sizes["head_font"])
    painter.drawText(
        QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, row_h),
        flags,
        grid.heading,
    )
    for number, column in enumerate(grid.cells):
        x = rect.left() + pad + number * grid.column_w
        right = x + grid.column_w - 12 * s * k
        y = rect.top() + pad + row_h
        for item in column:
            _paint_legend_item(
                painter,
                item,
                x,
                y,
                right,
                swatch,
                row_font if item.indented else layer_font,
                ink=INK,
                indent=8 * s * k,
                swatch_gap=6 * s * k,
                min_point=9.0,
            )
            y += item.height
    painter.restore()


__all__ = [
    "MapExportError",
    "MapLayout",
    "district_extent",
    "elide",
    "fix_pdf_spaces",
    "handout_title",
    "legend_entries",
    "legend_swatch_kind",
    "paint_legend_rows",
    "render_map",
    "render_scenes",
    "scene_stack",
    "wrap_label",
]
