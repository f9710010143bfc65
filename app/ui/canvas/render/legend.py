"""Legends drawn from the style model: entries of the visible layers, rows with
swatches and wrapped labels, and the column grid of a portrait page.

Shared by the map export (a legend column or grid on the page) and presentation mode
(a large legend over the map); :func:`elide` and :func:`wrap_label` fit text to a width.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import shapely
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QTextLayout, QTextOption

from app.core.i18n_catalog import translate
from app.ui.canvas.render.legend_icons import SWATCH, paint_swatch
from app.ui.fonts import map_font
from layers.model import Layer, LayerStack

INK = QColor("#202020")
MUTED = QColor("#555555")
#: Narrowest column of a portrait legend (canvas px, times the furniture scale).
MIN_COLUMN_W = 120
#: Lines a legend label may take before the rest is elided.
LEGEND_LINES = 2


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


def paint_legend(
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


def legend_grid(
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


def paint_legend_grid(painter: QPainter, grid: _LegendGrid, rect: QRectF) -> None:
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
    "elide",
    "legend_entries",
    "legend_grid",
    "legend_swatch_kind",
    "paint_legend",
    "paint_legend_grid",
    "paint_legend_rows",
    "wrap_label",
]
