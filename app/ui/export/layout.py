"""Page composition of an exported map: the title bar with the date, the footer with the
data attribution, the map (drawn by the canvas renderer, with the sites' catchments and
badges, scale bar and north arrow) and the legend, a column at the right of a landscape
page or a grid of columns below the map on a portrait one.

Furniture sizes are given in canvas pixels (1/96 inch, :data:`CSS_DPI`) and multiplied
by a scale ``s``: ``dpi / 96`` for a PNG, 1 for a PDF (whose writer works in 1/96 in).
:func:`compose` paints one page on any painter and says where each part went.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

from app.core.i18n_catalog import translate
from app.core.map.viewport import Viewport
from app.ui.canvas.basemap import BasemapSpec, ExportBasemap, with_credit
from app.ui.canvas.render.decorations import attribution_text, paint_north_arrow, paint_scale_bar
from app.ui.canvas.render.labels import LabelPlan
from app.ui.canvas.render.legend import paint_legend
from app.ui.canvas.render.legend_grid import legend_grid, paint_legend_grid
from app.ui.canvas.render.map_renderer import BACKGROUND, MapRenderer
from app.ui.canvas.render.sites_painter import paint_sites, site_badges
from app.ui.fonts import map_font
from layers.model import LayerStack

#: Canvas pixels per inch: the unit of furniture sizes and of the PDF writer.
CSS_DPI = 96.0
TITLE_FILL = QColor("#24384f")
TITLE_INK = QColor("#ffffff")
FOOTER_INK = QColor("#555555")
MAP_FRAME = QColor("#8a8a8a")
#: A portrait page's legend (below the map) takes at most this share of the body height.
MAX_LEGEND_SHARE = 0.4


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
    #: The labels and badges drawn on the map, in map-rectangle coordinates.
    labels: LabelPlan = field(default_factory=LabelPlan)


@dataclass(frozen=True)
class SiteMarks:
    """What the sites need besides their layer: indicator results and the project's R."""

    indicators: object = None
    radius_m: float | None = None
    #: How catchments are drawn (:data:`~app.ui.canvas.render.sites_painter.CATCHMENT_MODES`).
    catchments: str = "auto"


@dataclass(frozen=True)
class MapPage:
    """One page (or image) to draw: its stack, extent and title, and notes for the user."""

    stack: LayerStack
    bounds: tuple[float, float, float, float]
    title: str
    notes: tuple[str, ...] = ()
    #: The basemap under the layers (app/ui/canvas/basemap.py), or None.
    basemap: BasemapSpec | None = None
    #: The page's own catchment mode (a scene's), else the one of :class:`SiteMarks`.
    catchments: str | None = None


def compose(
    painter: QPainter,
    page: MapPage,
    width: float,
    height: float,
    s: float,
    language: str,
    when: str,
    sites: SiteMarks = SiteMarks(),
) -> MapLayout:
    """Paint a whole page on ``painter``: title bar, footer, map and legend.

    Parameters
    ----------
    painter : QPainter
        An active painter on the image or PDF page; its state is changed.
    page : MapPage
        What to draw; its notes are copied to the layout.
    width, height : float
        Size of the page in painter units.
    s : float
        Furniture scale (fonts, symbols, margins are canvas pixels times ``s``).
    language : str
        Language of the legend, the attribution and the footer.
    when : str
        The date printed in the title bar and the footer (ISO format).
    sites : SiteMarks
        Indicator results and radius for the sites' badges and catchments.

    Returns
    -------
    MapLayout
        Where title, map, legend, footer, scale bar and north arrow went.
    """
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    layout = MapLayout(width, height, notes=list(page.notes))
    margin = 14 * s
    small = map_font(8.5 * s)
    _paint_title_bar(painter, layout, page.title, when, small, margin, s)
    _paint_footer(painter, layout, page, language, when, small, margin)
    stack = page.stack
    body_top = layout.title.height() + margin
    footer_h = layout.footer.height()
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
    if page.catchments is not None:
        sites = replace(sites, catchments=page.catchments)
    _paint_map(painter, stack, page.bounds, layout, s, sites, page.basemap)
    if grid is None:
        paint_legend(painter, stack, layout.legend, s, language)
    else:
        paint_legend_grid(painter, grid, layout.legend)
    return layout


def _paint_title_bar(
    painter: QPainter, layout: MapLayout, title: str, when: str, small, margin: float, s: float
) -> None:
    """The title bar across the top, the title at its left and the date at its right."""
    width = layout.width
    title_font = map_font(16 * s, bold=True)
    title_h = QFontMetricsF(title_font).height() + 16 * s
    layout.title = QRectF(0, 0, width, title_h)
    painter.fillRect(layout.title, TITLE_FILL)
    painter.setPen(TITLE_INK)
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


def _paint_footer(
    painter: QPainter,
    layout: MapLayout,
    page: MapPage,
    language: str,
    when: str,
    small,
    margin: float,
) -> None:
    """The footer: attribution (sources + synthetic/illustrative notes, the basemap's
    credit) and the date."""
    width, height = layout.width, layout.height
    note = with_credit(
        attribution_text(page.stack, language), page.basemap.settings if page.basemap else None
    )
    made = translate("Map: InnoAtlas · {date}", language, date=when)
    footer_text = f"{note}\n{made}" if note else made
    painter.setFont(small)
    bound = QFontMetricsF(small).boundingRect(
        QRectF(0, 0, width - 2 * margin, 10 * height), int(Qt.TextFlag.TextWordWrap), footer_text
    )
    footer_h = bound.height() + 2 * margin
    layout.footer = QRectF(0, height - footer_h, width, footer_h)
    painter.setPen(FOOTER_INK)
    painter.drawText(
        layout.footer.adjusted(margin, margin * 0.6, -margin, 0),
        int(Qt.TextFlag.TextWordWrap),
        footer_text,
    )


def _paint_map(
    painter: QPainter,
    stack: LayerStack,
    bounds,
    layout: MapLayout,
    s: float,
    sites: SiteMarks,
    basemap: BasemapSpec | None = None,
) -> None:
    """The map in ``layout.map``: basemap, layers, sites, scale bar, north arrow, frame."""
    rect = layout.map
    viewport = Viewport(width=max(1, int(rect.width())), height=max(1, int(rect.height())))
    viewport.zoom_to_extent(bounds, margin=0.03)
    layout.viewport = viewport
    renderer = MapRenderer(stack)
    if basemap is not None and basemap.settings.enabled:
        renderer.basemap = ExportBasemap(basemap, layout.notes)
    painter.save()
    painter.translate(rect.topLeft())
    painter.setClipRect(QRectF(0, 0, viewport.width, viewport.height))
    renderer.render_layers(painter, viewport, s, BACKGROUND, labels=False)
    # Catchments over the layers, then labels and badges in one pass, as on the canvas.
    layer = stack.get("sites")
    paint_sites(painter, viewport, layer, sites.radius_m, s, sites.catchments)
    layout.labels = renderer.render_labels(
        painter, viewport, s, badges=site_badges(layer, sites.indicators)
    )
    bar = paint_scale_bar(painter, viewport, s)
    arrow = paint_north_arrow(painter, viewport, s)
    painter.setClipping(False)
    painter.setPen(QPen(MAP_FRAME, 1.0 * s))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(QRectF(0, 0, viewport.width, viewport.height))
    painter.restore()
    layout.scale_bar = bar.translated(rect.topLeft())
    layout.north_arrow = arrow.translated(rect.topLeft())


__all__ = ["CSS_DPI", "MapLayout", "MapPage", "SiteMarks", "compose"]
