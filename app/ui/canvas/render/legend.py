"""Legends drawn from the style model: the entries of the visible layers, rows of
swatches and wrapped labels, and the framed legend column of a landscape map (the
column grid of a portrait map is :mod:`app.ui.canvas.render.legend_grid`).

Shared by the map export (:mod:`app.ui.export.layout` puts a legend on the page) and
presentation mode (a large legend over the map, drawn with :func:`paint_legend_rows` in
its own ink); :func:`elide` and :func:`wrap_label` fit text to a width. Sizes are canvas
pixels times the furniture scale ``s``, shrunk by a factor ``k`` when the legend would
not fit its room.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import shapely
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)

from app.core.analysis.map_layers import hotspot_reference
from app.core.i18n_catalog import translate
from app.ui.canvas.render.legend_icons import SWATCH, paint_swatch
from app.ui.fonts import map_font
from layers.model import Layer, LayerStack
from layers.style_classes import legend_rows

#: Text colour of the export legend.
LEGEND_INK = QColor("#202020")
LEGEND_FRAME = QColor("#b8b8b8")
LEGEND_FILL = QColor("#ffffff")
#: Lines a legend label may take before the rest is elided.
LEGEND_LINES = 2
#: Smallest point-marker size of the export legend's swatches (swatch units).
MIN_POINT = 9.0


@dataclass(frozen=True)
class LegendSizes:
    """Row height, swatch size, fonts and gaps of the export legend."""

    row_h: float
    swatch: float
    head_font: QFont
    layer_font: QFont
    row_font: QFont
    #: space above each layer, indent of categories, space between swatch and text
    layer_gap: float
    indent: float
    swatch_gap: float
    #: space between a grid column's text and the next column
    column_gap: float

    @classmethod
    def of(cls, s: float, k: float) -> LegendSizes:
        """The sizes at furniture scale ``s`` shrunk by ``k``."""
        type_only = cls(
            row_h=19 * s * k,
            swatch=SWATCH * s * k * 0.9,
            head_font=map_font(10 * s * k, bold=True),
            layer_font=map_font(8.5 * s * k, bold=True),
            row_font=map_font(8 * s * k),
            layer_gap=0.0,
            indent=0.0,
            swatch_gap=0.0,
            column_gap=0.0,
        )
        return type_only.with_gaps(s, k)

    def with_gaps(self, s: float, k: float) -> LegendSizes:
        """These sizes with the gaps at furniture scale ``s`` shrunk by ``k``."""
        return replace(
            self, layer_gap=4 * s * k, indent=8 * s * k, swatch_gap=6 * s * k, column_gap=12 * s * k
        )


def legend_entries(stack: LayerStack, language: str = "en") -> list[tuple[Layer, list]]:
    """Visible, non-empty layers top-down with their legend rows ``(label, symbol)``.

    Categorized layers list only the categories present in their data (as the layer
    panel does); single-symbol layers have one row labelled with the layer's name.

    Parameters
    ----------
    stack : LayerStack
        The layers, in drawing order (top first).
    language : str
        Language of the layer titles and category labels.

    Returns
    -------
    list of (Layer, list of (str, Symbol))
        Each shown layer with its rows.
    """
    entries = []
    for layer in stack:
        if not layer.visible or len(layer.data) == 0:
            continue
        style = layer.style
        if style.kind != "single":
            rows = [
                (translate(str(label), language), symbol)
                for label, symbol in legend_rows(style, layer.data)
            ]
        else:
            rows = [(layer.title(language), style.symbol)]
        entries.append((layer, rows))
    return entries


@dataclass
class LegendItem:
    """One legend row: a categorized layer's heading (``kind`` "layer") or a swatch and
    its label ("row"); ``lines`` and ``height`` once wrapped to a width."""

    kind: str
    layer: Layer
    text: str
    symbol: object = None
    indented: bool = False
    swatch_kind: str = ""
    lines: list = field(default_factory=list)
    height: float = 0.0


def legend_items(entries: list[tuple[Layer, list]], language: str) -> list[LegendItem]:
    """:func:`legend_entries` as a flat list of items (not yet wrapped).

    Parameters
    ----------
    entries : list of (Layer, rows)
        From :func:`legend_entries`.
    language : str
        Language of the headings (the titles of categorized layers).

    Returns
    -------
    list of LegendItem
        A heading per categorized layer followed by its rows, one row per other layer.
    """
    items = []
    for layer, rows in entries:
        categorized = layer.style.kind != "single"
        if categorized:
            items.append(LegendItem("layer", layer, layer_heading(layer, language)))
        kind = legend_swatch_kind(layer)
        items.extend(
            LegendItem("row", layer, str(label), symbol, categorized, kind)
            for label, symbol in rows
        )
    return items


def layer_heading(layer: Layer, language: str) -> str:
    """A layer's legend heading: its title, and for hot spots the area their z-scores
    were computed against ("Start-up hot spots (Gi*) — z-scores against: Magok")."""
    title = layer.title(language)
    note = hotspot_reference(layer.data, language)
    return f"{title} — {note}" if note else title


def legend_swatch_kind(layer: Layer) -> str:
    """How a layer's legend swatch is drawn.

    Returns
    -------
    str
        The layer's geometry kind, or ``"catchment"`` for candidate sites with point
        sites (drawn with their catchment circle on the map).
    """
    if (
        layer.name == "sites"
        and len(layer.data)
        and bool((shapely.get_type_id(layer.data.geometry.values) == 0).any())
    ):
        return "catchment"
    return layer.geometry_kind


def paint_legend(
    painter: QPainter, stack: LayerStack, rect: QRectF, s: float, language: str
) -> None:
    """Paint the framed legend column of ``stack`` into ``rect`` (a landscape map).

    A "Legend" heading, then the rows of :func:`legend_entries`; type and swatches
    shrink until the rows fit the column's height (labels wrap onto up to
    :data:`LEGEND_LINES` lines).

    Parameters
    ----------
    painter : QPainter
        The painter; its state is restored afterwards.
    stack : LayerStack
        The layers whose visible ones are listed.
    rect : QRectF
        The legend's frame, in painter units.
    s : float
        Furniture scale.
    language : str
        Language of the heading, layer titles and category labels.
    """
    entries = legend_entries(stack, language)
    heading = translate("Legend", language)
    lines = 1 + sum(1 if layer.style.kind == "single" else 1 + len(rows) for layer, rows in entries)
    pad = 10 * s
    x, right = rect.left() + pad, rect.right() - pad
    room = rect.height() - 2 * pad
    # Shrink the legend's type and swatches when it would not fit the column (long
    # labels wrap onto a second line, which the measuring pass counts).
    k = min(1.0, room / max(1.0, lines * 19 * s + len(entries) * 4 * s))
    for _ in range(6):
        sizes = LegendSizes.of(s, k)
        needed = sizes.row_h + _paint_column_rows(None, entries, x, 0.0, right, sizes, language)
        if needed <= room + 1e-6 or k < 0.3:
            break
        k *= max(0.5, min(0.97, room / needed))
    # Six tries without a fit leave k shrunk once more than the type: the gaps follow k.
    sizes = sizes.with_gaps(s, k)
    row_h = sizes.row_h
    painter.save()
    paint_frame(painter, rect, s)
    y = rect.top() + pad
    painter.setPen(LEGEND_INK)
    painter.setFont(sizes.head_font)
    painter.drawText(QRectF(x, y, right - x, row_h), int(Qt.AlignmentFlag.AlignVCenter), heading)
    y += row_h
    _paint_column_rows(painter, entries, x, y, right, sizes, language)
    painter.restore()


def _paint_column_rows(
    painter: QPainter | None,
    entries: list[tuple[Layer, list]],
    x: float,
    y: float,
    right: float,
    sizes: LegendSizes,
    language: str,
) -> float:
    """:func:`paint_legend_rows` at the export legend's ``sizes``; the y below the rows."""
    return paint_legend_rows(
        painter,
        entries,
        x,
        y,
        right,
        sizes.row_h,
        sizes.swatch,
        sizes.layer_font,
        sizes.row_font,
        language,
        ink=LEGEND_INK,
        layer_gap=sizes.layer_gap,
        indent=sizes.indent,
        swatch_gap=sizes.swatch_gap,
        min_point=MIN_POINT,
        max_lines=LEGEND_LINES,
    )


def paint_frame(painter: QPainter, rect: QRectF, s: float) -> None:
    """Draw the legend's white box with its grey frame (``s`` wide) around ``rect``."""
    painter.setPen(QPen(LEGEND_FRAME, 1.0 * s))
    painter.setBrush(LEGEND_FILL)
    painter.drawRect(rect)


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
    for item in legend_items(entries, language):
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
        height = lines_height(lines, font, row_h)
        if painter is not None:
            paint_legend_item(
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


def paint_legend_item(
    painter: QPainter,
    item: LegendItem,
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
    """Paint one wrapped legend item with its top-left at ``(x, y)``.

    A layer heading is its text alone; a row is its swatch (indented by ``indent`` under
    a heading, at least ``min_point`` for point markers) and, ``swatch_gap`` further,
    its label. The text is ``item.lines`` in ``font`` and ``ink``, up to ``right``,
    centred in ``item.height``.
    """
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


def lines_height(lines: list[str], font, row_h: float) -> float:
    """A legend row's height: ``row_h``, plus a line spacing of ``font`` per extra line."""
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

    Returns
    -------
    list of str
        The lines, stripped, at least one.
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


__all__ = [
    "LegendItem",
    "LegendSizes",
    "elide",
    "legend_entries",
    "legend_items",
    "legend_swatch_kind",
    "lines_height",
    "paint_frame",
    "paint_legend",
    "paint_legend_item",
    "paint_legend_rows",
    "wrap_label",
]
