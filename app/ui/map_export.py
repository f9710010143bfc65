"""Print-ready map exports (PNG and vector PDF) drawn by the canvas renderer.

:func:`render_map` lays out a page: a title bar (bundled Korean font) with the date,
the map (:class:`~app.ui.render.map_renderer.MapRenderer`, as on the canvas) with
scale bar and north arrow, a legend of every visible layer, and a footer with the
data attribution including the synthetic/illustrative notes.

Furniture sizes are given in canvas pixels (1/96 inch) and multiplied by a ``scale``:
for a PNG ``dpi / 96`` (the image is painted at 96 dpi and tagged with ``dpi`` when
saved, so point-sized fonts and pixel-sized symbols grow together); for a PDF the
writer works in 1/96-inch units and ``scale`` is 1, the output is vector (paths and
text), apart from the numpy-rasterised dense point layers.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (QColor, QFontMetricsF, QImage, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QPen)

from app.core.errors import InnoAtlasError
from app.core.i18n_catalog import translate
from app.core.viewport import Viewport
from app.ui.fonts import map_font
from app.ui.legend_icons import SWATCH, paint_swatch
from app.ui.render.decorations import attribution_text, paint_north_arrow, paint_scale_bar
from app.ui.render.map_renderer import BACKGROUND, MapRenderer
from layers.model import Layer, LayerStack

FORMATS = (".png", ".pdf")
PAGES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}
CSS_DPI = 96.0
INK = QColor("#202020")
MUTED = QColor("#555555")


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


def render_map(stack: LayerStack, out_path, *, extent=None, size=(1600, 1000), dpi=150,
               title: str = "", page: str | None = None, orientation: str | None = None,
               language: str = "en", date: _dt.date | None = None) -> MapLayout:
    """Export ``stack`` as a map to ``out_path`` (``.png`` or ``.pdf``).

    Parameters
    ----------
    stack : LayerStack
        The layers (visibility, order, opacity and style as on the canvas).
    out_path : str or Path
        Output file; its suffix picks the format.
    extent : (xmin, ymin, xmax, ymax), optional
        Map extent in EPSG:5186 metres; default the districts' bounds (else all layers').
    size : (int, int)
        PNG size in pixels; for a PDF only its aspect picks the orientation when
        ``orientation`` is not given.
    dpi : int
        Resolution stored in the PNG; furniture (fonts, symbols) scales by ``dpi / 96``.
    title : str
        Title bar text (Korean welcome); "InnoAtlas" when empty.
    page : "A4" or "A3", optional
        PDF page size (default A4).
    orientation : "landscape" or "portrait", optional
        PDF orientation (default: landscape when ``size`` is wider than high).
    language : "en" or "ko"
        Language of the layer names in the legend and attribution.
    date : datetime.date, optional
        Date printed on the map (default today).

    Returns
    -------
    MapLayout
        The rectangles of title, map, legend, footer, scale bar and north arrow.

    Raises
    ------
    MapExportError
        Unknown extension, unwritable path, bad size/dpi/page, or no extent.
    """
    from app.ui.gui import application

    application()  # QApplication + bundled Korean font
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise MapExportError(f"cannot export a map as {path.name!r}: use a .png or .pdf "
                             "file name")
    _check_writable(path)
    width, height = _check_size(size)
    if not (30 <= float(dpi) <= 1200):
        raise MapExportError(f"dpi must be between 30 and 1200, not {dpi}")
    bounds = _extent(stack, extent)
    when = (date or _dt.date.today()).isoformat()
    text = title.strip() or "InnoAtlas"
    if suffix == ".png":
        return _render_png(stack, path, bounds, width, height, float(dpi), text, language,
                           when)
    return _render_pdf(stack, path, bounds, width, height, text, page, orientation,
                       language, when)


# -- checks ------------------------------------------------------------------------------
def _check_writable(path: Path) -> None:
    parent = path.resolve().parent
    if not parent.is_dir():
        raise MapExportError(f"cannot write the map to {path}: no such folder")
    if path.is_dir():
        raise MapExportError(f"cannot write the map to {path}: it is a folder")


def _check_size(size) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise MapExportError(f"size must be (width, height) in pixels, not {size!r}") from None
    if width < 200 or height < 150 or width * height > 200_000_000:
        raise MapExportError(f"size must be at least 200x150 pixels and at most 200 "
                             f"megapixels, not {width}x{height}")
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
def _render_png(stack, path, bounds, width, height, dpi, title, language, when) -> MapLayout:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)  # the image is 96 dpi while painting: fonts match symbols
    try:
        layout = _compose(painter, stack, bounds, width, height, dpi / CSS_DPI, title,
                          language, when)
    finally:
        painter.end()
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    if not image.save(str(path), "PNG"):
        raise MapExportError(f"cannot write the map to {path}: permission denied or disk "
                             "full")
    return layout


def _render_pdf(stack, path, bounds, width, height, title, page, orientation, language,
                when) -> MapLayout:
    page = (page or "A4").upper()
    if page not in PAGES:
        raise MapExportError(f"page must be one of {', '.join(PAGES)}, not {page!r}")
    orientation = (orientation or ("landscape" if width >= height else "portrait")).lower()
    if orientation not in ("landscape", "portrait"):
        raise MapExportError(f"orientation must be landscape or portrait, not {orientation!r}")
    writer = QPdfWriter(str(path))
    writer.setResolution(int(CSS_DPI))  # units of 1/96 in, as the canvas: fonts match
    writer.setTitle(title)
    writer.setCreator("InnoAtlas")
    writer.setDocumentXmpMetadata(_xmp(title, attribution_text(stack, language), when))
    layout_ = QPageLayout(QPageSize(PAGES[page]),
                          QPageLayout.Orientation.Landscape if orientation == "landscape"
                          else QPageLayout.Orientation.Portrait,
                          QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
    writer.setPageLayout(layout_)
    painter = QPainter()
    if not painter.begin(writer):
        raise MapExportError(f"cannot write the map to {path}: permission denied or disk "
                             "full")
    try:
        device = painter.device()
        layout = _compose(painter, stack, bounds, device.width(), device.height(), 1.0,
                          title, language, when)
    finally:
        painter.end()
    if not path.exists() or path.stat().st_size == 0:
        raise MapExportError(f"cannot write the map to {path}")
    return layout


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
        '</rdf:Alt></dc:title>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}'
        '</rdf:li></rdf:Alt></dc:description>'
        f'<dc:date><rdf:Seq><rdf:li>{when}</rdf:li></rdf:Seq></dc:date>'
        '<xmp:CreatorTool>InnoAtlas</xmp:CreatorTool>'
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>").encode("utf-8")


# -- page layout -------------------------------------------------------------------------
def _compose(painter: QPainter, stack: LayerStack, bounds, width: float, height: float,
             s: float, title: str, language: str, when: str) -> MapLayout:
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
    painter.drawText(QRectF(width - date_w - margin, 0, date_w, title_h),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), when)
    painter.setFont(title_font)
    painter.drawText(QRectF(margin, 0, width - 3 * margin - date_w, title_h),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     title)
    # Footer: attribution (sources + synthetic/illustrative notes) and the date.
    note = attribution_text(stack, language)
    made = translate("Map: InnoAtlas · {date}", language, date=when)
    footer_text = f"{note}\n{made}" if note else made
    painter.setFont(small)
    text_w = width - 2 * margin
    bound = QFontMetricsF(small).boundingRect(QRectF(0, 0, text_w, 10 * height),
                                              int(Qt.TextFlag.TextWordWrap), footer_text)
    footer_h = bound.height() + 2 * margin
    layout.footer = QRectF(0, height - footer_h, width, footer_h)
    painter.setPen(MUTED)
    painter.drawText(layout.footer.adjusted(margin, margin * 0.6, -margin, 0),
                     int(Qt.TextFlag.TextWordWrap), footer_text)
    # Legend column at the right, map fills the rest.
    legend_w = min(250 * s, width * 0.32)
    body_top = title_h + margin
    body_h = max(10.0, height - footer_h - body_top)
    layout.legend = QRectF(width - margin - legend_w, body_top, legend_w, body_h)
    layout.map = QRectF(margin, body_top, max(10.0, width - 3 * margin - legend_w), body_h)
    _paint_map(painter, stack, bounds, layout, s)
    _paint_legend(painter, stack, layout.legend, s, language)
    return layout


def _paint_map(painter: QPainter, stack: LayerStack, bounds, layout: MapLayout,
               s: float) -> None:
    rect = layout.map
    viewport = Viewport(width=max(1, int(rect.width())), height=max(1, int(rect.height())))
    viewport.zoom_to_extent(bounds, margin=0.03)
    layout.viewport = viewport
    renderer = MapRenderer(stack)
    painter.save()
    painter.translate(rect.topLeft())
    painter.setClipRect(QRectF(0, 0, viewport.width, viewport.height))
    renderer.render_layers(painter, viewport, s, BACKGROUND)
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
            present = layer.data[style.field].unique().tolist() \
                if style.field in layer.data else None
            rows = [(translate(str(label), language), symbol)
                    for label, symbol in style.legend(present)]
        else:
            rows = [(layer.title(language), style.symbol)]
        entries.append((layer, rows))
    return entries


def _paint_legend(painter: QPainter, stack: LayerStack, rect: QRectF, s: float,
                  language: str) -> None:
    entries = legend_entries(stack, language)
    heading = translate("Legend", language)
    lines = 1 + sum(1 if layer.style.kind != "categorized" else 1 + len(rows)
                    for layer, rows in entries)
    pad = 10 * s
    # Shrink the legend's type and swatches when it would not fit the column.
    row_h = 19 * s
    k = min(1.0, (rect.height() - 2 * pad) / max(1.0, lines * row_h + len(entries) * 4 * s))
    row_h *= k
    swatch = SWATCH * s * k * 0.9
    head_font = map_font(10 * s * k, bold=True)
    layer_font = map_font(8.5 * s * k, bold=True)
    row_font = map_font(8 * s * k)
    painter.save()
    painter.setPen(QPen(QColor("#b8b8b8"), 1.0 * s))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(rect)
    x, y = rect.left() + pad, rect.top() + pad
    text_w = rect.width() - 2 * pad
    painter.setPen(INK)
    painter.setFont(head_font)
    painter.drawText(QRectF(x, y, text_w, row_h), int(Qt.AlignmentFlag.AlignVCenter), heading)
    y += row_h
    flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
    for layer, rows in entries:
        y += 4 * s * k
        if layer.style.kind == "categorized":
            painter.setPen(INK)
            painter.setFont(layer_font)
            painter.drawText(QRectF(x, y, text_w, row_h), flags,
                             _elide(layer.title(language), layer_font, text_w))
            y += row_h
            indent = 8 * s * k
        else:
            indent = 0.0
        for label, symbol in rows:
            box = QRectF(x + indent, y + (row_h - swatch) / 2, swatch, swatch)
            paint_swatch(painter, symbol, layer.geometry_kind, box, min_point=9.0)
            font = row_font if indent else layer_font
            left = box.right() + 6 * s * k
            painter.setPen(INK)
            painter.setFont(font)
            painter.drawText(QRectF(left, y, rect.right() - pad - left, row_h), flags,
                             _elide(str(label), font, rect.right() - pad - left))
            y += row_h
    painter.restore()


def _elide(text: str, font, width: float) -> str:
    return QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, max(1.0, width))


__all__ = ["MapExportError", "MapLayout", "district_extent", "legend_entries", "render_map"]
