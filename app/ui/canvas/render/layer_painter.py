"""Paint a whole layer with a few numpy-backed calls.

One cache per layer holds what does not change between frames: polygon paths in
map coordinates grouped by symbol, point coordinates grouped by symbol, label
anchors. A frame only transforms and draws them (docs/architecture.md: no item per
feature).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QImage,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTransform,
)

from app.core.map.viewport import Viewport
from app.ui.canvas.render.qt_style import fill_brush, outline_pen, qcolor
from app.ui.canvas.render.smooth_grid import SmoothGrid, build_grid
from layers.model import Layer
from layers.style import Symbol
from layers.style_classes import class_codes


@dataclass
class _PolygonGroup:
    """Polygons drawn with one symbol; paths are cached per level of detail."""

    symbol: Symbol
    geometries: np.ndarray
    paths: dict[int, QPainterPath] = field(default_factory=dict)

    def path_for(self, resolution: float) -> QPainterPath:
        """Path in map coordinates, simplified to at most half a pixel at ``resolution``."""
        level = detail_level(resolution)
        path = self.paths.get(level)
        if path is None:
            geometries = self.geometries
            if level > FULL_DETAIL:
                geometries = shapely.simplify(geometries, 2.0**level / 2.0)
            path = self.paths[level] = _rings_path(geometries)
        return path


@dataclass
class _PointGroup:
    symbol: Symbol
    x: np.ndarray
    y: np.ndarray


FULL_DETAIL = -2  # below 0.5 m per pixel draw the original vertices
#: Above this many visible points a layer is rasterised with numpy instead of Qt strokes.
SPLAT_THRESHOLD = 20_000


def detail_level(resolution: float) -> int:
    """Level-of-detail bucket: ``floor(log2(resolution))``, clamped at full detail."""
    return max(FULL_DETAIL, int(np.floor(np.log2(max(resolution, 1e-9)))))


@dataclass
class LayerCache:
    """Frame-independent drawing data of one layer."""

    polygons: list[_PolygonGroup] = field(default_factory=list)
    points: list[_PointGroup] = field(default_factory=list)
    #: Every point of a point layer in the layer's order, with the number (1-based) of
    #: its group in ``points``: dense layers are rasterised in feature order, as QGIS
    #: draws them (a sector drawn last must not hide the others where they mix).
    order_x: np.ndarray = field(default_factory=lambda: np.empty(0))
    order_y: np.ndarray = field(default_factory=lambda: np.empty(0))
    order_group: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint8))
    label_x: np.ndarray = field(default_factory=lambda: np.empty(0))
    label_y: np.ndarray = field(default_factory=lambda: np.empty(0))
    label_text: list[str] = field(default_factory=list)
    #: A grid surface drawn smooth instead of as cells (render/smooth_grid.py).
    grid: SmoothGrid | None = None


def group_rows(layer: Layer) -> list[tuple[Symbol, np.ndarray]]:
    """Row indices of ``layer`` grouped by the symbol they are drawn with, in legend order
    (:func:`layers.style_classes.class_codes`: categories, ranges or rules, then the rest)."""
    codes, table = class_codes(layer.style, layer.data)
    groups = []
    for number, (_label, symbol) in enumerate(table):  # a loop over classes, not features
        rows = np.flatnonzero(codes == number)
        if len(rows):
            groups.append((symbol, rows))
    return groups


def _rings_path(geometries: np.ndarray) -> QPainterPath:
    """One path with every ring of ``geometries`` (exteriors CCW, holes CW, winding fill)."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    polygons = shapely.get_parts(geometries[shapely.get_type_id(geometries) >= 3])
    if len(polygons) == 0:
        return path
    polygons = shapely.orient_polygons(polygons)
    rings = shapely.get_rings(polygons)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    starts = np.flatnonzero(np.r_[True, ring_index[1:] != ring_index[:-1]])
    for chunk in np.split(coords, starts[1:]):
        path.addPolygon(QPolygonF([QPointF(px, py) for px, py in chunk]))
    return path


def _label_anchors(layer: Layer) -> tuple[np.ndarray, np.ndarray, list[str]]:
    label = layer.style.label
    if label is None or label.field not in layer.data or len(layer.data) == 0:
        return np.empty(0), np.empty(0), []
    geometries = layer.data.geometry.values
    anchors = (
        shapely.point_on_surface(geometries)
        if layer.geometry_kind != "point"
        else shapely.centroid(geometries)
    )
    coords = shapely.get_coordinates(anchors)
    texts = ["" if v is None else str(v) for v in layer.data[label.field].tolist()]
    return coords[:, 0].copy(), coords[:, 1].copy(), texts


def build_cache(layer: Layer) -> LayerCache:
    """Everything about ``layer`` that a frame can reuse."""
    cache = LayerCache()
    cache.label_x, cache.label_y, cache.label_text = _label_anchors(layer)
    cache.grid = build_grid(layer)
    if cache.grid is not None:
        return cache
    geometries = layer.data.geometry.values
    groups = group_rows(layer)
    if layer.geometry_kind == "point" and 0 < len(groups) < 255:
        kinds = shapely.get_type_id(np.asarray(geometries))
        if len(kinds) and bool(np.all(kinds == 0)):  # single points: one per row
            number = np.zeros(len(kinds), dtype=np.uint8)
            for k, (_symbol, rows) in enumerate(groups, start=1):
                number[rows] = k
            coords = shapely.get_coordinates(np.asarray(geometries))
            cache.order_x, cache.order_y = coords[:, 0].copy(), coords[:, 1].copy()
            cache.order_group = number
    for symbol, rows in groups:
        subset = np.asarray(geometries[rows])
        is_point = np.isin(shapely.get_type_id(subset), (0, 4))  # Point, MultiPoint
        if layer.geometry_kind == "point" or is_point.all():
            coords = shapely.get_coordinates(subset)
            cache.points.append(_PointGroup(symbol, coords[:, 0].copy(), coords[:, 1].copy()))
        elif is_point.any():  # a mixed layer (sites): points and polygons, one symbol
            coords = shapely.get_coordinates(subset[is_point])
            cache.points.append(_PointGroup(symbol, coords[:, 0].copy(), coords[:, 1].copy()))
            cache.polygons.append(_PolygonGroup(symbol, subset[~is_point]))
        else:
            cache.polygons.append(_PolygonGroup(symbol, subset))
    return cache


def qtransform(viewport: Viewport) -> QTransform:
    """Map → screen transform of ``viewport`` as a QTransform."""
    m11, m12, m21, m22, dx, dy = viewport.affine()
    return QTransform(m11, m12, m21, m22, dx, dy)


def paint_layer(
    painter: QPainter, layer: Layer, cache: LayerCache, viewport: Viewport, scale: float = 1.0
) -> None:
    """Draw ``layer`` into ``painter`` for ``viewport``.

    Parameters
    ----------
    scale : float
        Multiplies line widths, marker sizes and label sizes (print/presentation).
    """
    painter.save()
    painter.setOpacity(layer.opacity)
    if cache.grid is not None:
        cache.grid.paint(painter, viewport)
    if cache.polygons:
        transform = qtransform(viewport)
        for group in cache.polygons:
            path = group.path_for(viewport.resolution)
            _paint_path(painter, transform.map(path), group.symbol, scale)
    if cache.points:
        screen = [_screen_points(group, viewport, scale) for group in cache.points]
        visible = sum(len(sx) for sx, _ in screen)
        if visible > SPLAT_THRESHOLD and _splattable(cache.points):
            if len(cache.order_group):  # in the layer's order, all groups at once
                screen = [_ordered_screen(cache, viewport)]
            _splat_points(painter, cache.points, screen, viewport, scale)
        else:
            for group, (sx, sy) in zip(cache.points, screen):
                _paint_points(painter, group.symbol, sx, sy, scale)
    painter.restore()


def _paint_path(painter: QPainter, path: QPainterPath, symbol: Symbol, scale: float) -> None:
    painter.setBrush(fill_brush(symbol))
    pen = outline_pen(symbol)
    if pen.style() != Qt.PenStyle.NoPen:
        pen.setWidthF(pen.widthF() * scale)
    painter.setPen(pen)
    painter.drawPath(path)


def _screen_points(
    group: _PointGroup, viewport: Viewport, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """Screen coordinates of the group's points that can touch the view."""
    m11, _, _, m22, dx, dy = viewport.affine()
    sx = group.x * m11 + dx
    sy = group.y * m22 + dy
    margin = group.symbol.size * scale + 2
    keep = (
        (sx > -margin)
        & (sx < viewport.width + margin)
        & (sy > -margin)
        & (sy < viewport.height + margin)
    )
    return sx[keep], sy[keep]


def _ordered_screen(
    cache: LayerCache, viewport: Viewport
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Screen coordinates of every point in the layer's order and its group number."""
    m11, _, _, m22, dx, dy = viewport.affine()
    return cache.order_x * m11 + dx, cache.order_y * m22 + dy, cache.order_group


def _splattable(groups: list[_PointGroup]) -> bool:
    """Dense layers of plain filled circles/squares of one size can be rasterised."""
    sizes = {g.symbol.size for g in groups}
    return len(sizes) == 1 and all(
        g.symbol.marker in ("circle", "square") and g.symbol.fill and not g.symbol.stroke
        for g in groups
    )


def _stamp_offsets(size: float, marker: str) -> list[tuple[int, int]]:
    radius = size / 2.0
    reach = int(np.floor(radius))
    return [
        (dx, dy)
        for dy in range(-reach, reach + 1)
        for dx in range(-reach, reach + 1)
        if marker == "square" or dx * dx + dy * dy <= radius * radius + 0.25
    ]


def _splat_points(
    painter: QPainter,
    groups: list[_PointGroup],
    screen: list[tuple[np.ndarray, ...]],
    viewport: Viewport,
    scale: float,
) -> None:
    """Rasterise many points with numpy: one id image, dilated to the marker shape.

    Each pixel keeps the id of the last group drawn there (later groups win, as
    with sequential painting); ``np.maximum`` over shifted copies dilates the
    single pixels to discs. Cost grows with the image size, not the point count.
    With ``screen`` one ``(x, y, group numbers)`` of every point in the layer's order,
    pixels keep the position of the last point drawn there instead, dilated the same
    way (a later point covers an earlier one) and then turned into its group: the
    groups mix where their points mix, as in QGIS.
    """
    # Rasterise at device pixels so HiDPI screens and exports stay sharp.
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    width, height = int(viewport.width * ratio), int(viewport.height * ratio)
    ordered = len(screen) == 1 and len(screen[0]) == 3
    ids = np.zeros(height * width, dtype=np.uint32 if ordered else np.uint8)
    for number, (sx, sy, *_groups) in enumerate(screen, start=1):
        ix = (sx * ratio).astype(np.int32)
        iy = (sy * ratio).astype(np.int32)
        inside = (ix >= 0) & (ix < width) & (iy >= 0) & (iy < height)
        # a group's number, or each point's position in the layer (1-based: later wins)
        ids[iy[inside] * width + ix[inside]] = (
            np.flatnonzero(inside).astype(np.uint32) + 1 if ordered else number
        )
    ids = ids.reshape(height, width)
    grown = ids.copy()
    for dx, dy in _stamp_offsets(groups[0].symbol.size * scale * ratio, groups[0].symbol.marker):
        if dx == 0 and dy == 0:
            continue
        target = grown[max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)]
        source = ids[max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)]
        np.maximum(target, source, out=target)
    lut = np.zeros((len(groups) + 1, 4), dtype=np.uint8)
    for number, group in enumerate(groups, start=1):
        colour = qcolor(group.symbol.fill, group.symbol.fill_alpha)
        alpha = colour.alphaF()
        # Premultiplied BGRA: the byte order of Format_ARGB32_Premultiplied in memory.
        lut[number] = (
            round(colour.blue() * alpha),
            round(colour.green() * alpha),
            round(colour.red() * alpha),
            round(alpha * 255),
        )
    if ordered:  # positions in the layer -> their groups
        grown = np.concatenate([[0], screen[0][2]]).astype(np.uint8)[grown]
    pixels = np.ascontiguousarray(lut[grown])
    image = QImage(pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    painter.drawImage(QRectF(0, 0, viewport.width, viewport.height), image)
    del pixels  # the QImage borrowed this buffer; it is not used after drawImage


def _paint_points(
    painter: QPainter, symbol: Symbol, sx: np.ndarray, sy: np.ndarray, scale: float
) -> None:
    if len(sx) == 0:
        return
    size = symbol.size * scale
    if symbol.marker in ("circle", "square"):
        cap = Qt.PenCapStyle.RoundCap if symbol.marker == "circle" else Qt.PenCapStyle.SquareCap
        stroke = symbol.stroke_width * scale if symbol.stroke else 0.0
        if stroke > 0:
            painter.setPen(
                QPen(qcolor(symbol.stroke), size + 2 * stroke, Qt.PenStyle.SolidLine, cap)
            )
            painter.drawPointsNp(sx, sy)
        if symbol.fill:
            painter.setPen(
                QPen(qcolor(symbol.fill, symbol.fill_alpha), size, Qt.PenStyle.SolidLine, cap)
            )
            painter.drawPointsNp(sx, sy)
        return
    # Triangles and diamonds: one polygon per marker, few features (schools).
    half = size / 2.0
    shape = {
        "triangle": [(0, -half * 1.15), (half, half * 0.85), (-half, half * 0.85)],
        "diamond": [(0, -half), (half, 0), (0, half), (-half, 0)],
    }[symbol.marker]
    marker_path = QPainterPath()
    marker_path.setFillRule(Qt.FillRule.WindingFill)  # co-located markers must not cancel out
    for x, y in zip(sx.tolist(), sy.tolist()):
        marker_path.addPolygon(
            QPolygonF(
                [QPointF(x + ox, y + oy) for ox, oy in shape]
                + [QPointF(x + shape[0][0], y + shape[0][1])]
            )
        )
    painter.setBrush(QBrush(qcolor(symbol.fill or "#000000", symbol.fill_alpha)))
    painter.setPen(
        QPen(qcolor(symbol.stroke), symbol.stroke_width * scale)
        if symbol.stroke
        else QPen(Qt.PenStyle.NoPen)
    )
    painter.drawPath(marker_path)


#: Outlines of label texts (baseline origin at (0, 0)), by (text, font): a frame reuses them.
_TEXT_PATHS: dict[tuple, QPainterPath] = {}
#: Their halos rasterised (raster painters: the canvas and PNG export), with the image's
#: top-left offset from the text's origin.
_HALO_IMAGES: dict[tuple, tuple[QImage, QPointF]] = {}
_HALO_CACHE_MAX = 2000
#: Halo width each side of the glyphs, in canvas pixels (times ``scale``).
HALO_PX = 1.3


def _text_path(text: str, font) -> QPainterPath:
    """The outline of ``text`` in ``font`` with its baseline origin at (0, 0), cached."""
    key = (text, font.key())
    path = _TEXT_PATHS.get(key)
    if path is None:
        if len(_TEXT_PATHS) >= _HALO_CACHE_MAX:
            _TEXT_PATHS.clear()  # a new data set or zoom range: start over
        path = _TEXT_PATHS[key] = QPainterPath()
        path.addText(0.0, 0.0, font, text)
    return path


def _halo_pen(colour: QColor, width: float) -> QPen:
    return QPen(
        colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )


def _halo_image(
    text: str, font, width: float, colour: QColor, ratio: float
) -> tuple[QImage, QPointF]:
    """The text's outline stroked with a round-join pen of ``width`` and ``colour`` into
    an image at ``ratio`` device pixels per pixel, and where its top-left goes relative
    to the text's origin (whole pixels). Cached: a frame only draws the image."""
    key = (text, font.key(), round(width, 3), colour.rgba(), ratio)
    cached = _HALO_IMAGES.get(key)
    if cached is None:
        if len(_HALO_IMAGES) >= _HALO_CACHE_MAX:
            _HALO_IMAGES.clear()
        path = _text_path(text, font)
        bounds = path.boundingRect().adjusted(-width, -width, width, width)
        left, top = np.floor(bounds.left()), np.floor(bounds.top())
        image = QImage(
            max(1, int(np.ceil((bounds.right() - left) * ratio))),
            max(1, int(np.ceil((bounds.bottom() - top) * ratio))),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.translate(-left, -top)
        painter.setPen(_halo_pen(colour, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.end()
        cached = _HALO_IMAGES[key] = (image, QPointF(left, top))
    return cached


def halo_text(
    painter: QPainter, rect: QRectF, text: str, colour: str, halo: str | None, scale: float
) -> None:
    """Draw ``text`` centred in ``rect`` (one line, ``rect`` as wide as the text), on a halo.

    The halo is the text's outline stroked with a round-join pen: a vector stroke on a
    PDF, a cached image of that stroke on raster painters (the canvas redraws it every
    frame). The text itself is drawn once with ``drawText``, so a PDF holds it once, as
    real searchable text.
    """
    font = painter.font()
    metrics = QFontMetricsF(font)
    # whole pixels: the cached halo image and the glyphs line up exactly
    x = round(rect.left() + (rect.width() - metrics.horizontalAdvance(text)) / 2)
    baseline = round(rect.top() + (rect.height() - metrics.height()) / 2 + metrics.ascent())
    if halo:
        width = 2 * HALO_PX * scale
        engine = painter.paintEngine()
        if engine is not None and engine.type() == QPaintEngine.Type.Raster:
            device = painter.device()
            ratio = device.devicePixelRatioF() if device is not None else 1.0
            image, offset = _halo_image(text, font, width, qcolor(halo, 0.9), ratio)
            painter.drawImage(QPointF(x + offset.x(), baseline + offset.y()), image)
        else:
            painter.save()
            painter.translate(x, baseline)
            painter.setPen(_halo_pen(qcolor(halo, 0.9), width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(_text_path(text, font))
            painter.restore()
    painter.setPen(qcolor(colour))
    painter.drawText(QPointF(x, baseline), text)
