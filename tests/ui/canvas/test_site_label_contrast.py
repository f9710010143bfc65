"""A site's name stays readable on a red hot-spot cell: its text contrasts with what is
under it (issue 16)."""

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtGui import QColor, QImage, QPainter

from app.core.analysis.map_layers import HOT_CLASSES
from app.core.map.viewport import Viewport
from app.core.sites import edits
from app.ui.canvas.render.map_renderer import MapRenderer
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle, Symbol


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB pixels (0..255)."""
    c = rgb / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def test_a_site_name_on_a_99_percent_hot_spot_has_text_contrast(qapp):
    _name, _level, red = HOT_CLASSES[0]
    cell = Layer(
        "startup_hotspots",
        gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1000, 1000)], crs="EPSG:5186"),
        LayerStyle(symbol=Symbol(fill=red, fill_alpha=0.6, stroke=None)),
        Provenance(DataStatus.SYNTHETIC, "test", "", "2026"),
        title_en="hot",
        geometry_kind="polygon",
    )
    sites = edits.new_sites_layer()
    edits.insert_site(sites, edits.make_site(shapely.Point(500, 500), "Site 1"))
    viewport = Viewport(width=300, height=200)
    viewport.center_x = viewport.center_y = 500.0
    viewport.resolution = 3.0
    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer = MapRenderer(LayerStack([sites, cell]))
    renderer.render_layers(painter, viewport, labels=False)
    plan = renderer.render_labels(painter, viewport)
    painter.end()
    box = plan.boxes[plan.kinds.index("sites")].toRect()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(200, -1, 4)[..., 2::-1]
    inside = pixels[box.top() : box.bottom() + 1, box.left() : box.right() + 1]
    lum = np.sort(luminance(inside.reshape(-1, 3).astype(float)))
    text, ground = lum[: max(3, len(lum) // 20)].mean(), np.median(lum)
    assert (ground + 0.05) / (text + 0.05) >= 4.5  # WCAG AA for normal text
    around = luminance(pixels[box.top() - 8, box.left() : box.right()].astype(float)).mean()
    assert (ground + 0.05) / (around + 0.05) > 1.5  # the name's ground is not the red cell
