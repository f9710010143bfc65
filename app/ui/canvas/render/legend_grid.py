"""The legend of a portrait map: the rows of :mod:`app.ui.canvas.render.legend`,
wrapped and flowed into near-equal columns below the map, the column count chosen so
that no label is cut and the legend stays low, the type shrunk when it would still be
too high for its share of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from app.core.i18n_catalog import translate
from app.ui.canvas.render.legend import (
    LEGEND_INK,
    LEGEND_LINES,
    MIN_POINT,
    LegendItem,
    LegendSizes,
    legend_entries,
    legend_items,
    lines_height,
    paint_frame,
    paint_legend_item,
    wrap_label,
)
from layers.model import LayerStack

#: Narrowest column of a portrait legend (canvas px, times the furniture scale).
MIN_COLUMN_W = 120


@dataclass
class LegendGrid:
    """A legend laid out in columns (:func:`legend_grid`): ``cells[column]`` is a list of
    items; ``k`` is how much its type shrank at furniture scale ``s``."""

    heading: str
    cells: list
    column_w: float
    row_h: float
    pad: float
    k: float
    s: float

    @property
    def height(self) -> float:
        """Height of the framed grid: padding, heading row and the tallest column."""
        body = max((sum(item.height for item in column) for column in self.cells), default=0.0)
        return 2 * self.pad + self.row_h + body


def legend_grid(
    stack: LayerStack, width: float, max_h: float, s: float, language: str
) -> LegendGrid:
    """Lay the legend out in columns across ``width``, at most ``max_h`` high.

    Of the column counts whose columns are at least :data:`MIN_COLUMN_W` wide and cut no
    label (a long one wraps onto a second line), the one giving the lowest legend wins
    (fewer columns on a tie). The items flow down the columns; a layer's heading never
    ends a column. The type shrinks (as in the legend column) when even the best grid
    would be too high.

    Parameters
    ----------
    stack : LayerStack
        The layers whose visible ones are listed.
    width, max_h : float
        Width of the legend and the height it should not exceed, in painter units.
    s : float
        Furniture scale.
    language : str
        Language of the heading, layer titles and category labels.

    Returns
    -------
    LegendGrid
        The layout; its ``height`` may exceed ``max_h`` when the type cannot shrink
        further. Paint it with :func:`paint_legend_grid`.
    """
    items = legend_items(legend_entries(stack, language), language)
    pad = 10 * s
    k = 1.0
    heading = translate("Legend", language)
    inner = width - 2 * pad
    for _ in range(6):
        sizes = LegendSizes.of(s, k)
        row_h = sizes.row_h
        leads = [
            0.0
            if item.kind == "layer"
            else (sizes.indent if item.indented else 0.0) + sizes.swatch + sizes.swatch_gap
            for item in items
        ]
        fonts = [
            sizes.row_font if item.kind == "row" and item.indented else sizes.layer_font
            for item in items
        ]
        most = max(1, int((inner + 1e-6) // ((MIN_COLUMN_W + 18) * s * k)))
        best = None
        for columns in range(1, most + 1):
            room = inner / columns - sizes.column_gap  # as paint_legend_grid's right edge
            laid = []
            for item, lead, font in zip(items, leads, fonts):
                lines = wrap_label(item.text, font, room - lead, LEGEND_LINES)
                laid.append(replace(item, lines=lines, height=lines_height(lines, font, row_h)))
            cut = any(_is_cut(item.text, item.lines) for item in laid)
            cells = _flow(laid, columns, step=row_h / 4)
            grid = LegendGrid(heading, cells, inner / len(cells), row_h, pad, k, s)
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


def _flow(items: list[LegendItem], columns: int, step: float = 1.0) -> list[list]:
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


def paint_legend_grid(painter: QPainter, grid: LegendGrid, rect: QRectF) -> None:
    """Paint a :func:`legend_grid` layout, framed, into ``rect`` (a portrait map).

    Parameters
    ----------
    painter : QPainter
        The painter; its state is restored afterwards.
    grid : LegendGrid
        The layout, with its heading and wrapped items.
    rect : QRectF
        The legend's frame (``grid.height`` high), in painter units.
    """
    pad, row_h = grid.pad, grid.row_h
    sizes = LegendSizes.of(grid.s, grid.k)
    flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
    painter.save()
    paint_frame(painter, rect, grid.s)
    painter.setPen(LEGEND_INK)
    painter.setFont(sizes.head_font)
    painter.drawText(
        QRectF(rect.left() + pad, rect.top() + pad, rect.width() - 2 * pad, row_h),
        flags,
        grid.heading,
    )
    for number, column in enumerate(grid.cells):
        x = rect.left() + pad + number * grid.column_w
        right = x + grid.column_w - sizes.column_gap
        y = rect.top() + pad + row_h
        for item in column:
            paint_legend_item(
                painter,
                item,
                x,
                y,
                right,
                sizes.swatch,
                sizes.row_font if item.indented else sizes.layer_font,
                ink=LEGEND_INK,
                indent=sizes.indent,
                swatch_gap=sizes.swatch_gap,
                min_point=MIN_POINT,
            )
            y += item.height
    painter.restore()


__all__ = ["LegendGrid", "legend_grid", "paint_legend_grid"]
