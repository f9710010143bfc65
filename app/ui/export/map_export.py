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
)

from app.core.errors import InnoAtlasError
from app.core.formats.atomic_write import write_atomically
from app.core.i18n_catalog import translate
from app.core.map.viewport import Viewport
from app.core.project.scenes import Scene
from app.ui.canvas.render.decorations import attribution_text, paint_north_arrow, paint_scale_bar
from app.ui.canvas.render.legend import legend_grid, paint_legend, paint_legend_grid
from app.ui.canvas.render.map_renderer import BACKGROUND, MapRenderer
from app.ui.canvas.render.sites_painter import paint_sites
from app.ui.fonts import map_font
from layers.events import Signal
from layers.model import LayerStack

FORMATS = (".png", ".pdf")
PAGES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
CSS_DPI = 96.0
MUTED = QColor("#555555")
#: A portrait page's legend (below the map) takes at most this share of the body height.
MAX_LEGEND_SHARE = 0.4


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
    from app.ui.application import application

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
        grid = legend_grid(stack, width - 2 * margin, body_h * MAX_LEGEND_SHARE, s, language)
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
        paint_legend(painter, stack, layout.legend, s, language)
    else:
        paint_legend_grid(painter, grid, layout.legend)
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


__all__ = [
    "MapExportError",
    "MapLayout",
    "district_extent",
    "fix_pdf_spaces",
    "handout_title",
    "render_map",
    "render_scenes",
    "scene_stack",
]
