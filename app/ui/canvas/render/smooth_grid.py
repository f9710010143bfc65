"""Grid-cell surfaces (the start-up density) drawn smooth instead of as square cells.

A kernel-density layer is a grid of 50 m square cells (cut to the coverage outline at
its edge), each filled with its class's colour. Drawn as polygons, the cells show as
blocks at 1:12 000 (15 px each). :func:`build_grid` recognises such a layer and keeps
its cells' values and colours as small rasters (one pixel per cell);
:meth:`SmoothGrid.paint` interpolates the density of the cells in view bilinearly in
numpy and colours it through the classes' colours (each class's colour at the median
density of its cells, evenly in between), fading out where the cells end, and draws
the result, so the canvas, the PNG and the PDF show the same smooth surface whose
class borders are curves, not 50 m stairs. The colours come from the layer's one
style model (a layer without the value column gets its cells' colours interpolated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from app.core.analysis.map_layers import DENSITY_SPEC
from app.core.map.viewport import Viewport
from app.ui.canvas.render.qt_style import qcolor
from layers.model import Layer
from layers.style_classes import class_codes

#: Layers drawn as smooth surfaces (the hot spots stay cells: each is a test result).
SMOOTH_LAYERS = frozenset({DENSITY_SPEC.name})
#: Their value column: interpolated, then coloured through the classes' colours.
VALUE_COLUMN = "density_km2"
#: An interpolated pixel is at most this many device pixels wide (Qt's smooth scaling
#: blends between them).
MAX_STEP_PX = 4.0
#: Levels of the colour lookup table of the interpolated values.
LUT_LEVELS = 1024
#: Upsampling factors are capped (a cell is never split into more pixels than this).
MAX_FACTOR = 64


@dataclass
class SmoothGrid:
    """The cells' colours as a raster: ``rgba[row, col]`` (premultiplied, row 0 south),
    cell ``(row, col)`` covering ``x0 + col·cell … + cell``, ``y0 + row·cell … + cell``.
    A transparent cell pads every side."""

    rgba: np.ndarray
    x0: float
    y0: float
    cell: float
    #: With a value column: each cell's value (0 where there is no cell), whether there
    #: is a cell, and the colour stops ``(values, premultiplied BGRA rows)`` — the
    #: value is interpolated and coloured, so class borders are smooth curves too.
    values: np.ndarray | None = None
    present: np.ndarray | None = None
    stops: tuple[np.ndarray, np.ndarray] | None = None
    #: The stops as a lookup table: ``LUT_LEVELS`` premultiplied colours from the first
    #: stop's value to the last.
    lut: np.ndarray | None = None
    #: The whole grid coloured at one pixel per cell (views zoomed out), made once.
    _whole: np.ndarray | None = None

    def _table(self) -> np.ndarray:
        if self.lut is None:
            assert self.stops is not None
            values, colours = self.stops
            levels = np.linspace(values[0], values[-1], LUT_LEVELS)
            self.lut = np.stack(
                [np.interp(levels, values, colours[:, c]) for c in range(4)], axis=1
            ).astype(np.float32)
        return self.lut

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        """Draw the cells in view, bilinearly interpolated (``painter`` in screen units)."""
        rows, cols = self.rgba.shape[:2]
        xmin, ymin, xmax, ymax = viewport.extent
        c0 = max(0, math.floor((xmin - self.x0) / self.cell) - 1)
        c1 = min(cols, math.ceil((xmax - self.x0) / self.cell) + 1)
        r0 = max(0, math.floor((ymin - self.y0) / self.cell) - 1)
        r1 = min(rows, math.ceil((ymax - self.y0) / self.cell) + 1)
        if c1 - c0 < 1 or r1 - r0 < 1:
            return
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        transform = painter.transform()
        scale = math.hypot(transform.m11(), transform.m12())  # device units per painter unit
        cell_px = self.cell / viewport.resolution * ratio * max(scale, 1.0)
        factor = int(min(MAX_FACTOR, max(1, math.ceil(cell_px / MAX_STEP_PX))))
        if self.values is not None and self.present is not None and self.stops is not None:
            if factor == 1:  # zoomed out: the whole grid coloured once, cropped per frame
                if self._whole is None:
                    self._whole = self._coloured(self.values, self.present, 1)
                fine = self._whole[r0:r1, c0:c1][::-1]
            else:
                crop = (slice(r0, r1), slice(c0, c1))
                fine = self._coloured(self.values[crop], self.present[crop], factor)[::-1]
        else:
            fine = upsample(self.rgba[r0:r1, c0:c1], factor)[::-1]  # rows north to south
        height, width = fine.shape[:2]
        pixels = np.ascontiguousarray(fine)
        image = QImage(
            pixels.data, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied
        )
        left, top = viewport.map_to_screen(self.x0 + c0 * self.cell, self.y0 + r1 * self.cell)
        right, bottom = viewport.map_to_screen(self.x0 + c1 * self.cell, self.y0 + r0 * self.cell)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(
            QRectF(float(left), float(top), float(right - left), float(bottom - top)), image
        )
        painter.restore()
        del pixels  # the QImage borrowed the buffer only for drawImage

    def _coloured(self, values: np.ndarray, present: np.ndarray, factor: int) -> np.ndarray:
        """The values interpolated, coloured through the stops, faded where cells end."""
        assert self.stops is not None
        stop_values = self.stops[0]
        both = upsample_float(np.stack([values * present, present], axis=-1), factor)
        weight = both[..., 1]
        # the mean value of the cells around, without the empty ones pulling it to 0
        value = both[..., 0] / np.maximum(weight, 1e-6)
        span = max(float(stop_values[-1] - stop_values[0]), 1e-12)
        index = np.clip((value - stop_values[0]) * ((LUT_LEVELS - 1) / span), 0, LUT_LEVELS - 1)
        out = self._table()[index.astype(np.int32)]
        out *= np.clip(weight * 2.0 - 0.5, 0.0, 1.0)[..., None]  # fade over the edge cells
        return (out + 0.5).astype(np.uint8)


def _interpolate(grid: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear upsampling of a 2-D float ``grid`` (see :func:`upsample`)."""
    return upsample_float(grid[..., None], factor)[..., 0]


def upsample_float(data: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear upsampling of a ``(rows, cols, channels)`` float array by ``factor``."""
    data = data.astype(np.float32, copy=False)

    def axis_weights(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = (np.arange(n * factor) + 0.5) / factor - 0.5
        k0 = np.floor(p).astype(np.int64)
        t = (p - k0).astype(np.float32)
        return np.clip(k0, 0, n - 1), np.clip(k0 + 1, 0, n - 1), t

    r_lo, r_hi, tr = axis_weights(data.shape[0])
    rows = data[r_lo] * (1 - tr)[:, None, None] + data[r_hi] * tr[:, None, None]
    c_lo, c_hi, tc = axis_weights(data.shape[1])
    return rows[:, c_lo] * (1 - tc)[None, :, None] + rows[:, c_hi] * tc[None, :, None]


def upsample(rgba: np.ndarray, factor: int) -> np.ndarray:
    """Bilinear upsampling of a premultiplied ``(rows, cols, 4)`` raster by ``factor``.

    Output pixel ``j`` samples the cell coordinate ``(j + 0.5) / factor - 0.5`` (cell
    centres at whole numbers); edges clamp. Returns ``uint8`` of shape
    ``(rows·factor, cols·factor, 4)``.
    """
    out = upsample_float(rgba, factor)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def build_grid(layer: Layer) -> SmoothGrid | None:
    """The layer's cells as a :class:`SmoothGrid`, or None when it is not one of
    :data:`SMOOTH_LAYERS` or its features are not cells of one square grid."""
    data = layer.data
    if layer.name not in SMOOTH_LAYERS or len(data) == 0:
        return None
    bounds = shapely.bounds(np.asarray(data.geometry.values))
    if not np.isfinite(bounds).all():
        return None
    width, height = bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]
    cell = float(max(width.max(), height.max()))
    if cell <= 0:
        return None
    tol = 1e-6 * cell
    full = (np.abs(width - cell) < tol) & (np.abs(height - cell) < tol)
    if not full.any():
        return None
    ox = float(bounds[full, 0][0]) % cell
    oy = float(bounds[full, 1][0]) % cell
    snapped = (bounds[full, :2] - (ox, oy)) / cell
    if np.abs(snapped - np.rint(snapped)).max() > 1e-6:
        return None
    cols = np.floor(((bounds[:, 0] + bounds[:, 2]) / 2 - ox) / cell).astype(np.int64)
    rows = np.floor(((bounds[:, 1] + bounds[:, 3]) / 2 - oy) / cell).astype(np.int64)
    col0, row0 = int(cols.min()) - 1, int(rows.min()) - 1  # a transparent pad cell
    n_cols, n_rows = int(cols.max()) - col0 + 2, int(rows.max()) - row0 + 2
    if n_cols * n_rows > 25_000_000:
        return None
    rgba = np.zeros((n_rows, n_cols, 4), dtype=np.uint8)
    codes, table = class_codes(layer.style, data)
    lut = np.zeros((len(table) + 1, 4), dtype=np.uint8)
    for number, (_label, symbol) in enumerate(table):  # a loop over classes
        if not symbol.fill:
            continue
        colour = qcolor(symbol.fill, symbol.fill_alpha)
        alpha = colour.alphaF()
        # premultiplied BGRA: the byte order of Format_ARGB32_Premultiplied in memory
        lut[number] = (
            round(colour.blue() * alpha),
            round(colour.green() * alpha),
            round(colour.red() * alpha),
            round(alpha * 255),
        )
    codes = np.where((codes >= 0) & (codes < len(table)), codes, len(table))
    rgba[rows - row0, cols - col0] = lut[codes]
    grid = SmoothGrid(rgba, ox + col0 * cell, oy + row0 * cell, cell)
    if VALUE_COLUMN in data.columns:
        value = pd.to_numeric(data[VALUE_COLUMN], errors="coerce").to_numpy(dtype=float)
        drawn = np.isfinite(value) & (codes < len(table)) & (lut[codes, 3] > 0)
        if drawn.sum() >= 2:
            # each class's colour at the median value of its cells, in value order
            medians = pd.Series(value[drawn]).groupby(codes[drawn]).median()
            order = np.argsort(medians.to_numpy())
            stop_values = medians.to_numpy()[order]
            stop_colours = lut[medians.index.to_numpy()[order]].astype(np.float32)
            if len(stop_values) >= 2 and np.all(np.diff(stop_values) > 0):
                grid.values = np.zeros((n_rows, n_cols), dtype=np.float32)
                grid.present = np.zeros((n_rows, n_cols), dtype=bool)
                grid.values[rows[drawn] - row0, cols[drawn] - col0] = value[drawn]
                grid.present[rows[drawn] - row0, cols[drawn] - col0] = True
                grid.stops = (stop_values, stop_colours)
    return grid


__all__ = ["MAX_STEP_PX", "SMOOTH_LAYERS", "SmoothGrid", "build_grid", "upsample"]
