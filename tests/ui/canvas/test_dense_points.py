"""A dense point layer (rasterised, not stroked point by point) is drawn in the layer's
order, as QGIS draws it: where two sectors' points mix, both colours show, not only the
sector listed last in the legend."""

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtGui import QImage, QPainter

from app.core.map.viewport import Viewport
from app.ui.canvas.render.layer_painter import SPLAT_THRESHOLD, build_cache, paint_layer
from layers.model import Layer
from layers.provenance import DataStatus, Provenance
from layers.style import Symbol, categorized

RED, BLUE = "#ff0000", "#0000ff"


def _render(sectors: np.ndarray, n: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, (n, 2))
    data = gpd.GeoDataFrame({"sector": sectors}, geometry=shapely.points(xy), crs="EPSG:5186")
    style = categorized(
        "sector",
        [
            ("a", "A", Symbol(fill=RED, stroke=None, size=5, fill_alpha=1.0)),
            ("b", "B", Symbol(fill=BLUE, stroke=None, size=5, fill_alpha=1.0)),
        ],
        other=Symbol(fill="#00ff00", stroke=None, size=5),
    )
    provenance = Provenance(DataStatus.SYNTHETIC, source="t", licence="", vintage="")
    layer = Layer("dense", data, style, provenance, geometry_kind="point")
    viewport = Viewport(width=200, height=200)
    viewport.zoom_to_extent((0, 0, 1000, 1000), margin=0.0)
    image = QImage(200, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    paint_layer(painter, layer, build_cache(layer), viewport)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(200, 200, 4)
    return pixels[:, :, 2::-1]  # RGB


def _shares(rgb: np.ndarray) -> tuple[float, float]:
    red = np.mean((rgb[:, :, 0] > 200) & (rgb[:, :, 2] < 60))
    blue = np.mean((rgb[:, :, 2] > 200) & (rgb[:, :, 0] < 60))
    return float(red), float(blue)


def test_mixed_sectors_both_show_in_a_dense_layer():
    n = 4 * SPLAT_THRESHOLD
    mixed = np.where(np.arange(n) % 2 == 0, "a", "b").astype(object)
    red, blue = _shares(_render(mixed, n))
    # 80 000 markers over 200 x 200 pixels: every pixel is covered many times over
    assert red + blue > 0.95
    assert 0.3 < red < 0.7 and 0.3 < blue < 0.7


def test_the_last_drawn_point_wins_where_points_overlap():
    n = 4 * SPLAT_THRESHOLD
    late_red = np.where(np.arange(n) < n // 2, "b", "a").astype(object)  # red drawn last
    red, blue = _shares(_render(late_red, n))
    assert red > 0.8 and blue < 0.2
