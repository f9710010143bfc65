"""The Compare view as one PDF page (A4 landscape, vector, text selectable, Hangul
embedded): the title bar, one map per scenario (same extent, its sites, catchments and
rank badges, scale bar and north arrow), the key-figure table with the differences to
the first scenario, and the footer with the data sources and the synthetic/illustrative
notes. The parts come from the map export (:mod:`app.ui.export.layout`, ``pdf``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPdfWriter, QPen

from app.core.project.scenario_report import Comparison, display_rows
from app.ui.export.layout import (
    CSS_DPI,
    MapLayout,
    MapPage,
    SiteMarks,
    _paint_footer,
    _paint_map,
    _paint_title_bar,
)
from app.ui.export.output import MapExportError, check_writable, write_output
from app.ui.export.pdf import _page_layout, fix_pdf_spaces
from app.ui.fonts import map_font
from app.ui.scenarios.kpi_table import BETTER, WORSE

GRID = QColor("#c8c8c8")
INK = QColor("#222222")


def render_comparison_pdf(
    path: Path,
    maps: Sequence,
    result: Comparison,
    bounds: tuple[float, float, float, float],
    language: str,
    title: str,
    when: str | None = None,
) -> None:
    """Write the comparison to ``path`` as one A4 landscape PDF page.

    Parameters
    ----------
    path : Path
        The PDF (replaced atomically).
    maps : sequence of ScenarioMapData
        One per scenario: its name, stack (sites first), radius and indicator results.
    result : Comparison
        The key figures (:func:`app.core.project.scenario_report.comparison`).
    bounds : tuple
        The extent every map shows (EPSG:5186).
    language : str
        Language of the table, the legend texts and the footer.
    title : str
        The page title.
    when : str, optional
        Printed date (default today).

    Raises
    ------
    MapExportError
        The file cannot be written.
    """
    path = Path(path)
    check_writable(path)
    when = when or _dt.date.today().isoformat()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(int(CSS_DPI))
    writer.setTitle(title)
    writer.setCreator("InnoAtlas")
    writer.setPageLayout(_page_layout("A4", "landscape"))
    painter = QPainter()
    if not painter.begin(writer):
        raise MapExportError(f"cannot start the PDF for {path}")
    try:
        device = painter.device()
        _compose(
            painter, device.width(), device.height(), maps, result, bounds, language, title, when
        )
    finally:
        painter.end()
    buffer.close()
    write_output(path, fix_pdf_spaces(bytes(data)))


def _compose(painter, width, height, maps, result, bounds, language, title, when) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    s = 1.0
    margin = 14 * s
    small = map_font(8.5 * s)
    page = MapLayout(width, height)
    _paint_title_bar(painter, page, title, when, small, margin, s)
    first = MapPage(maps[0].stack, bounds, title)
    _paint_footer(painter, page, first, language, when, small, margin)
    rows = display_rows(result, language)
    font = map_font(8 * s)
    line = QFontMetricsF(font).height() * 1.35
    table_h = line * (len(rows) + 1) + 4
    top = page.title.height() + margin
    maps_h = max(60.0, height - page.footer.height() - top - table_h - 2 * margin)
    gap = margin
    column_w = (width - 2 * margin - gap * (len(maps) - 1)) / len(maps)
    header_font = map_font(10 * s, bold=True)
    header_h = QFontMetricsF(header_font).height() + 4
    for number, one in enumerate(maps):
        x = margin + number * (column_w + gap)
        painter.setFont(header_font)
        painter.setPen(INK)
        painter.drawText(
            QRectF(x, top, column_w, header_h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            f"{one.name} · R {one.radius_m:,.0f} m",
        )
        layout = MapLayout(column_w, maps_h)
        layout.map = QRectF(x, top + header_h, column_w, maps_h - header_h)
        _paint_map(painter, one.stack, bounds, layout, s, SiteMarks(one.indicators, one.radius_m))
    _paint_table(
        painter,
        rows,
        result,
        QRectF(margin, top + maps_h + margin, width - 2 * margin, table_h),
        font,
        line,
    )


def _paint_table(painter, rows, result, rect: QRectF, font, line: float) -> None:
    names = [str(n) for n in result.table.index]
    label_w = rect.width() * 0.34
    cell_w = (rect.width() - label_w) / max(1, len(names))
    bold = map_font(font.pointSizeF(), bold=True)
    painter.setFont(bold)
    painter.setPen(INK)
    y = rect.top()
    for c, name in enumerate(names):
        painter.drawText(
            QRectF(rect.left() + label_w + c * cell_w, y, cell_w - 6, line),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            name,
        )
    y += line
    painter.setPen(QPen(GRID, 0.8))
    painter.drawLine(int(rect.left()), int(y), int(rect.right()), int(y))
    for row in rows:
        painter.setFont(font)
        painter.setPen(INK)
        painter.drawText(
            QRectF(rect.left(), y, label_w, line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            row.label,
        )
        for c, value in enumerate(row.values):
            text, colour = value, INK
            if c > 0 and row.deltas and row.deltas[c - 1]:
                text = f"{value}  ({row.deltas[c - 1]})"
                better = row.better[c - 1]
                colour = INK if better is None else (BETTER if better else WORSE)
            painter.setPen(colour)
            painter.drawText(
                QRectF(rect.left() + label_w + c * cell_w, y, cell_w - 6, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        y += line
