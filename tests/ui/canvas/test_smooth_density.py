"""The start-up density is a smooth surface at 1:12 000, not 50 m blocks (issue 16)."""

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage, QPainter

from app.core.analysis.map_layers import density_layer
from app.core.map.viewport import METRES_PER_INCH, Viewport
from app.core.project.loader import load_project
from app.ui.canvas.render.layer_painter import build_cache, paint_layer
from app.ui.canvas.render.smooth_grid import upsample

SCALE = 12_000


@pytest.fixture(scope="module")
def density(default_project_path):
    stack = load_project(default_project_path)
    magok = stack.get("districts").data.query("district_id == 'magok'").geometry.iloc[0]
    return density_layer(stack.get("startups"), 800.0, coverage=magok.buffer(600))


def render(layer, cache, viewport) -> np.ndarray:
    image = QImage(viewport.width, viewport.height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_layer(painter, layer, cache, viewport)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(viewport.height, -1, 4)
    return pixels[:, : viewport.width, :3].astype(int).copy()


def test_density_has_no_step_edges_at_1_to_12000(qapp, density):
    cells = density.data.geometry
    hot = cells.iloc[int(np.argmax(density.data["density_km2"].to_numpy()))].centroid
    viewport = Viewport(width=400, height=300)
    viewport.center_x, viewport.center_y = hot.x, hot.y
    viewport.resolution = SCALE * METRES_PER_INCH / 96.0  # 3.2 m per pixel
    assert round(viewport.scale_denominator()) == SCALE
    cache = build_cache(density)
    assert cache.grid is not None and cache.grid.cell == 50.0
    smooth = render(density, cache, viewport)
    # drawn as cells (the polygons, as before) the same view has steps at the cell edges
    blocky_cache = build_cache(density)
    blocky_cache.grid = None
    from app.ui.canvas.render.layer_painter import _PolygonGroup, group_rows

    geometries = np.asarray(density.data.geometry.values)
    blocky_cache.polygons = [_PolygonGroup(s, geometries[rows]) for s, rows in group_rows(density)]
    blocky = render(density, blocky_cache, viewport)
    covered = (smooth != 255).any(axis=2)
    assert covered.mean() > 0.5  # the surface fills most of the view

    def steps(pixels):
        """Largest colour change between horizontal and vertical neighbours, covered pixels."""
        dx = np.abs(np.diff(pixels, axis=1)).max(axis=2)[covered[:, 1:] & covered[:, :-1]]
        dy = np.abs(np.diff(pixels, axis=0)).max(axis=2)[covered[1:] & covered[:-1]]
        return np.concatenate([dx, dy])

    # neighbouring pixels inside a cell and across cell edges vary smoothly
    assert np.percentile(steps(smooth), 99.9) <= 8
    assert steps(blocky).max() >= 20  # the blocks the user saw


def test_upsampling_keeps_cell_centres_and_interpolates_between():
    cells = np.zeros((1, 2, 4), np.uint8)
    cells[0, 0] = (0, 0, 0, 255)
    cells[0, 1] = (200, 200, 200, 255)
    fine = upsample(cells, 4)[0, :, 0].astype(int)
    assert fine.tolist() == [0, 0, 25, 75, 125, 175, 200, 200]
