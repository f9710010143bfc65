"""Site dossiers: one A4 portrait PDF page per site (File → Export site dossiers…,
``innoatlas render --dossier OUT.pdf``; docs/indicators.md, "Site dossiers").

Each page: a title bar, a line naming the catchment used (straight-line circle or the
walking network), a map inset of the site and its catchment (the canvas renderer, as the
PNG/PDF map export draws it; with a walking network the site's isochrone is filled and
the R circle drawn faintly beside it, as on the canvas), then two columns of text from
:func:`app.core.decisions.dossier.dossier_pages` (the indicator card, the score breakdown,
the robustness of the ranking, zoning, the nearest stations and universities) and a
footer with the data sources and the synthetic/illustrative notes. The text is real PDF
text in the bundled NanumGothic (embedded), so it can be selected and searched; the font
shrinks until both columns fit the page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPdfWriter, QPen

from app.core.decisions.dossier import DossierPage, Section
from app.core.i18n_catalog import translate
from app.core.network.catchment import CATCHMENT_ATTR, CATCHMENT_COLUMN, catchment_label
from app.core.network.layer import ISOCHRONE_COLOUR
from app.core.project.attribution import attribution_text
from app.core.project.scenario_report import catchment_text
from app.ui.canvas.render.sites_painter import CATCHMENT
from app.ui.export.layout import CSS_DPI, MapLayout, SiteMarks, _paint_map
from app.ui.export.output import MapExportError, check_writable, write_output
from app.ui.export.pdf import _page_layout, fix_pdf_spaces
from app.ui.fonts import map_font
from layers.model import LayerStack

TITLE_FILL = QColor("#24384f")
HEADING_INK = QColor("#24384f")
INK = QColor("#1b1b1b")
MUTED = QColor("#555555")
#: Font sizes (map_font units, as the map export's furniture) tried for the two text
#: columns, largest first.
#: The isochrone's colour in the inset (the walking isochrones' layer colour).
ISOCHRONE = QColor(ISOCHRONE_COLOUR)
FONT_SIZES = (11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)


def render_dossiers(
    stack: LayerStack,
    path: Path,
    pages: list[DossierPage],
    geometries: dict,
    radii: dict,
    *,
    language: str = "en",
    indicators=None,
    radius_m: float | None = None,
    when: str | None = None,
    catchment: str | None = None,
    isochrones: dict | None = None,
) -> int:
    """Write one A4 page per entry of ``pages`` to the PDF ``path``.

    Parameters
    ----------
    stack : LayerStack
        The project's layers (the inset draws the visible ones).
    path : Path
        The PDF file (replaced only by a complete one).
    pages : list of DossierPage
        The texts, one per site (:func:`~app.core.decisions.dossier.dossier_pages`).
    geometries, radii : dict
        Site -> its geometry and its effective catchment radius (m), for the inset.
    language : str
        Language of the footer's notes.
    indicators : DataFrame, optional
        The results, for the badges on the inset.
    radius_m : float, optional
        The project's R (catchment circles of the other sites).
    when : str, optional
        The printed date (default today).
    catchment : str, optional
        The catchment used, as exports record it ("circle (straight line)", "walking
        network: NAME"); printed on every page (default: the straight line).
    isochrones : dict, optional
        Site -> its walking isochrone (a polygon, EPSG:5186), drawn in the inset.

    Returns
    -------
    int
        The number of pages written.

    Raises
    ------
    MapExportError
        No page to write, or the PDF could not be written.
    """
    if not pages:
        raise MapExportError("no site to write a dossier for")
    when = when or date.today().isoformat()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(int(CSS_DPI))
    writer.setTitle(translate("Site dossiers", language))
    writer.setCreator("InnoAtlas")
    writer.setPageLayout(_page_layout("A4", "portrait"))
    painter = QPainter()
    if not painter.begin(writer):
        raise MapExportError(f"cannot start the PDF for {path}")
    try:
        device = painter.device()
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
            _paint_page(
                painter,
                page,
                float(device.width()),
                float(device.height()),
                stack,
                geometries.get(page.site),
                float(radii.get(page.site, radius_m or 800.0)),
                language,
                when,
                SiteMarks(indicators, radius_m),
                catchment_text(catchment or catchment_label(None), language),
                (isochrones or {}).get(page.site),
            )
    finally:
        painter.end()
    buffer.close()
    write_output(Path(path), fix_pdf_spaces(bytes(data)))
    return len(pages)


def _paint_page(
    painter: QPainter,
    page: DossierPage,
    width: float,
    height: float,
    stack: LayerStack,
    geometry,
    radius: float,
    language: str,
    when: str,
    marks: SiteMarks,
    catchment: str = "",
    isochrone=None,
) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    margin = 10.0
    # title bar
    title_font = map_font(13, bold=True)
    title_h = QFontMetricsF(title_font).height() + 12
    painter.fillRect(QRectF(0, 0, width, title_h), TITLE_FILL)
    painter.setPen(QColor("white"))
    small = map_font(7.5)
    painter.setFont(small)
    painter.drawText(
        QRectF(margin, 0, width - 2 * margin, title_h),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        when,
    )
    painter.setFont(title_font)
    painter.drawText(
        QRectF(margin, 0, width - 2 * margin - 80, title_h),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        page.title,
    )
    top = title_h + 6
    painter.setPen(INK)
    summary_font = map_font(9.5, bold=True)
    painter.setFont(summary_font)
    summary_h = QFontMetricsF(summary_font).height()
    painter.drawText(QRectF(margin, top, width - 2 * margin, summary_h), 0, page.summary)
    top += summary_h + 2
    if catchment:  # which catchment the figures use
        line_font = map_font(8.0)
        painter.setFont(line_font)
        painter.setPen(MUTED)
        line_h = QFontMetricsF(line_font).height()
        painter.drawText(
            QRectF(margin, top, width - 2 * margin, line_h),
            0,
            translate("Catchment: {catchment}", language, catchment=catchment),
        )
        painter.setPen(INK)
        top += line_h + 2
    top += 2
    # footer: sources and the synthetic/illustrative notes
    note = attribution_text(stack, language)
    made = translate("Dossier: InnoAtlas · {date}", language, date=when)
    footer_text = f"{note}\n{made}" if note else made
    footer_font = map_font(6.5)
    painter.setFont(footer_font)
    bound = QFontMetricsF(footer_font).boundingRect(
        QRectF(0, 0, width - 2 * margin, height), int(Qt.TextFlag.TextWordWrap), footer_text
    )
    footer_top = height - bound.height() - 4
    painter.setPen(MUTED)
    painter.drawText(
        QRectF(margin, footer_top, width - 2 * margin, bound.height() + 4),
        int(Qt.TextFlag.TextWordWrap),
        footer_text,
    )
    # map inset
    inset_h = height * 0.30
    layout = MapLayout(width, height)
    layout.map = QRectF(margin, top, width - 2 * margin, inset_h)
    if geometry is not None and not geometry.is_empty:
        bounds = tuple(shapely.buffer(geometry, max(radius, 50.0) * 1.15).bounds)
        _paint_map(painter, stack, bounds, layout, 1.0, marks)
        _paint_catchment(painter, layout, geometry, radius, isochrone)
    top += inset_h + 8
    # two text columns, the font shrinking until both fit
    gap = 14.0
    column_w = (width - 2 * margin - gap) / 2
    room = footer_top - 6 - top
    size = FONT_SIZES[-1]
    for candidate in FONT_SIZES:
        if (
            max(
                _sections_height(page.left, column_w, candidate),
                _sections_height(page.right, column_w, candidate),
            )
            <= room
        ):
            size = candidate
            break
    _paint_sections(painter, page.left, QRectF(margin, top, column_w, room), size)
    _paint_sections(painter, page.right, QRectF(margin + column_w + gap, top, column_w, room), size)


def _paint_catchment(
    painter: QPainter, layout: MapLayout, geometry, radius: float, isochrone=None
) -> None:
    """The site (bold outline) and its catchment (dashed) over the inset; with an
    isochrone, the walk's area filled and outlined and the circle faint beside it."""
    viewport = layout.viewport
    if viewport is None:
        return
    painter.save()
    painter.translate(layout.map.topLeft())
    painter.setClipRect(QRectF(0, 0, viewport.width, viewport.height))
    circle = _path(viewport, shapely.buffer(geometry, radius, quad_segs=16))
    if isochrone is not None and not shapely.is_empty(isochrone):
        fill = QColor(ISOCHRONE)
        fill.setAlpha(70)
        painter.setBrush(fill)
        painter.setPen(QPen(ISOCHRONE, 1.4))
        painter.drawPath(_path(viewport, isochrone))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        faint = QColor(CATCHMENT)
        faint.setAlpha(110)
        painter.setPen(QPen(faint, 0.9, Qt.PenStyle.DotLine))
        painter.drawPath(circle)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(CATCHMENT, 1.6, Qt.PenStyle.DashLine))
        painter.drawPath(circle)
    painter.setPen(QPen(CATCHMENT, 2.4))
    if shapely.get_type_id(geometry) == 0:
        x, y = viewport.map_to_screen(np.array([geometry.x]), np.array([geometry.y]))
        painter.drawEllipse(QPointF(float(x[0]), float(y[0])), 5, 5)
    else:
        painter.drawPath(_path(viewport, geometry))
    painter.restore()


def _path(viewport, geometry) -> QPainterPath:
    """The rings of a (multi)polygon as a painter path in screen coordinates."""
    path = QPainterPath()
    polygons = shapely.get_parts(geometry)
    for polygon in polygons:  # the few parts of one site
        if shapely.get_type_id(polygon) != 3:
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = shapely.get_coordinates(ring)
            sx, sy = viewport.map_to_screen(xy[:, 0], xy[:, 1])
            path.moveTo(float(sx[0]), float(sy[0]))
            for x, y in zip(sx[1:].tolist(), sy[1:].tolist()):
                path.lineTo(x, y)
            path.closeSubpath()
    return path


def _row_heights(section: Section, width: float, size: float) -> tuple[float, list[float]]:
    font = map_font(size)
    metrics = QFontMetricsF(font)
    wrap = int(Qt.TextFlag.TextWordWrap)
    heights = []
    for name, value in section.rows:
        a = metrics.boundingRect(QRectF(0, 0, width * 0.42, 1e4), wrap, name).height()
        b = metrics.boundingRect(QRectF(0, 0, width * 0.56, 1e4), wrap, value).height()
        heights.append(max(a, b) + 1)
    for line in section.lines:
        heights.append(metrics.boundingRect(QRectF(0, 0, width, 1e4), wrap, line).height() + 1)
    heading = QFontMetricsF(map_font(size + 1.5, bold=True)).height() + 3
    return heading, heights


def _sections_height(sections, width: float, size: float) -> float:
    total = 0.0
    for section in sections:
        heading, heights = _row_heights(section, width, size)
        total += heading + sum(heights) + 6
    return total


def _paint_sections(painter: QPainter, sections, rect: QRectF, size: float) -> None:
    wrap = int(Qt.TextFlag.TextWordWrap)
    y = rect.top()
    for section in sections:
        heading, heights = _row_heights(section, rect.width(), size)
        painter.setFont(map_font(size + 1.5, bold=True))
        painter.setPen(HEADING_INK)
        painter.drawText(QRectF(rect.left(), y, rect.width(), heading), 0, section.heading)
        painter.setPen(QPen(QColor("#c8ced6"), 0.6))
        painter.drawLine(
            QPointF(rect.left(), y + heading - 1.5), QPointF(rect.right(), y + heading - 1.5)
        )
        y += heading
        painter.setFont(map_font(size))
        rows = list(section.rows)
        for index, h in enumerate(heights):
            if index < len(rows):
                name, value = rows[index]
                painter.setPen(MUTED)
                painter.drawText(QRectF(rect.left(), y, rect.width() * 0.42, h), wrap, name)
                painter.setPen(INK)
                painter.drawText(
                    QRectF(rect.left() + rect.width() * 0.44, y, rect.width() * 0.56, h),
                    wrap,
                    value,
                )
            else:
                painter.setPen(INK)
                painter.drawText(
                    QRectF(rect.left(), y, rect.width(), h), wrap, section.lines[index - len(rows)]
                )
            y += h
        y += 6


def export_dossiers(
    stack: LayerStack,
    path: Path,
    results,
    *,
    roles: dict[str, str] | None = None,
    rules=None,
    radius_m: float = 800.0,
    robust=None,
    language: str = "en",
    when: str | None = None,
    isochrones: dict | None = None,
    catchment: str | None = None,
) -> int:
    """Build and write the dossiers of every site of ``results`` (the CLI and the app).

    Parameters
    ----------
    stack : LayerStack
        The project's layers, with its ``sites`` layer (``site_id``, ``name``).
    path : Path
        The PDF file.
    results : DataFrame
        The sites' scored indicators with ``rank``, indexed by ``site_id``.
    roles : dict, optional
        The role layers (``ProjectSettings.roles()``).
    rules : ZoningRules, optional
        The project's zoning rules.
    radius_m : float
        The project's R.
    robust : RobustSettings, optional
        How the robustness is drawn when ``results`` lacks it.
    language, when : str
        The page language and printed date.
    isochrones : dict, optional
        ``site_id`` -> its walking isochrone, drawn in the inset (with a walking
        network).
    catchment : str, optional
        The catchment printed on the pages ("walking network: NAME"); default: the one
        ``results`` records (``attrs["catchment"]`` or its ``catchment`` column; else
        the straight line).

    Returns
    -------
    int
        Pages written.

    Raises
    ------
    DecisionError
        No site, or all-zero weights (one line; nothing is written).
    MapExportError
        The PDF could not be written.
    """
    from app.core.decisions.dossier import check_dossier_input, dossier_pages
    from app.core.decisions.robust import ROBUST_COLUMNS, robustness_columns
    from app.core.indicators.score import BASIS
    from app.core.project.user_layers import role_layer
    from app.core.sites import edits as site_ops
    from app.core.sites.names import display_name
    from app.ui.application import application

    check_dossier_input(results)
    application()  # QApplication + bundled Korean font
    check_writable(Path(path))
    layer = stack.get("sites")
    if layer is None or len(layer.data) == 0:
        check_dossier_input(results.iloc[:0])
    data = layer.data
    ids = data["site_id"].astype(str).to_numpy()
    geometries = dict(zip(ids, data.geometry.values))
    radii = dict(zip(ids, np.nan_to_num(site_ops.effective_radii(layer, radius_m), nan=radius_m)))
    stored = data["name"].fillna("").astype(str) if "name" in data else pd.Series("", data.index)
    labels = [name.strip() or site for name, site in zip(stored, ids)]  # unnamed: its id
    names = dict(zip(ids, labels))
    frame = results.copy()
    frame.attrs = dict(results.attrs)
    frame.index = frame.index.astype(str)
    basis = frame.attrs.get(BASIS)
    if basis is not None:  # the left-out notes name the sites
        frame.attrs[BASIS] = basis.named(
            {i: display_name(n, language) for i, n in zip(data.index, labels)}
        )
    if "p_first" not in frame:  # the inset's badges show it too
        extra = robustness_columns(frame, robust)
        for column in ROBUST_COLUMNS:
            frame[column] = extra[column].to_numpy()

    def features(role: str):
        found = role_layer(stack, role, roles or {})
        return None if found is None else found.data

    pages = dossier_pages(
        frame,
        names=names,
        geometries=geometries,
        stations=features("stations"),
        education=features("education"),
        rules=rules,
        robust=robust,
        language=language,
    )
    return render_dossiers(
        stack,
        path,
        pages,
        geometries,
        radii,
        language=language,
        indicators=frame,
        radius_m=radius_m,
        when=when,
        catchment=catchment or recorded_catchment(results),
        isochrones={str(k): v for k, v in (isochrones or {}).items()},
    )


def recorded_catchment(results) -> str:
    """The catchment ``results`` were computed with, as exports record it."""
    found = results.attrs.get(CATCHMENT_ATTR)
    if not found and CATCHMENT_COLUMN in results and len(results):
        found = (
            results[CATCHMENT_COLUMN].dropna().astype(str).iloc[0]
            if results[CATCHMENT_COLUMN].notna().any()
            else None
        )
    return str(found) if found else catchment_label(None)
