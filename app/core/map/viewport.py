"""The map view: which part of the map (EPSG:5186 metres) the screen shows.

Qt-free so that the canvas, the image export and the tests share one transform.
Screen y grows downwards, map y (northing) upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_RESOLUTION = 0.05  # metres per pixel: street detail
MAX_RESOLUTION = 2000.0  # metres per pixel: all of Korea and more
METRES_PER_INCH = 0.0254


@dataclass
class Viewport:
    """Centre, resolution (map units per pixel) and size in pixels of a map view."""

    center_x: float = 0.0
    center_y: float = 0.0
    resolution: float = 10.0
    width: int = 800
    height: int = 600

    def map_to_screen(self, x, y):
        """Map coordinates (scalars or numpy arrays) to screen pixels."""
        sx = (np.asarray(x, dtype=float) - self.center_x) / self.resolution + self.width / 2.0
        sy = self.height / 2.0 - (np.asarray(y, dtype=float) - self.center_y) / self.resolution
        return sx, sy

    def screen_to_map(self, sx, sy):
        """Screen pixels (scalars or numpy arrays) to map coordinates."""
        x = (np.asarray(sx, dtype=float) - self.width / 2.0) * self.resolution + self.center_x
        y = (self.height / 2.0 - np.asarray(sy, dtype=float)) * self.resolution + self.center_y
        return x, y

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the visible map."""
        half_w = self.width * self.resolution / 2.0
        half_h = self.height * self.resolution / 2.0
        return (
            self.center_x - half_w,
            self.center_y - half_h,
            self.center_x + half_w,
            self.center_y + half_h,
        )

    def affine(self) -> tuple[float, float, float, float, float, float]:
        """``(m11, m12, m21, m22, dx, dy)`` of the map → screen transform (Qt order)."""
        s = 1.0 / self.resolution
        return (
            s,
            0.0,
            0.0,
            -s,
            self.width / 2.0 - self.center_x * s,
            self.height / 2.0 + self.center_y * s,
        )

    def resize(self, width: int, height: int) -> None:
        """Change the pixel size, keeping the centre and resolution."""
        self.width, self.height = max(1, int(width)), max(1, int(height))

    def zoom_to_extent(self, bounds, margin: float = 0.05) -> None:
        """Show ``(xmin, ymin, xmax, ymax)`` whole, with a ``margin`` share on each side."""
        self.zoom_to_extent_within(bounds, (0, 0, self.width, self.height), margin)

    def zoom_to_extent_within(self, bounds, area, margin: float = 0.05) -> None:
        """Show ``bounds`` whole and centred in the screen ``area``.

        ``area`` is ``(left, top, right, bottom)`` in pixels: the part of the view not
        covered by something drawn over the map (a legend box, a title band).
        """
        xmin, ymin, xmax, ymax = (float(b) for b in bounds)
        left, top, right, bottom = (float(a) for a in area)
        area_w = max(right - left, 1.0)
        area_h = max(bottom - top, 1.0)
        span_w = max(xmax - xmin, 1.0) * (1.0 + 2 * margin)
        span_h = max(ymax - ymin, 1.0) * (1.0 + 2 * margin)
        self.resolution = _clamp(max(span_w / area_w, span_h / area_h))
        # The extent's centre goes to the area's centre (screen y grows downwards).
        self.center_x = (xmin + xmax) / 2.0 - (
            (left + right) / 2.0 - self.width / 2.0
        ) * self.resolution
        self.center_y = (ymin + ymax) / 2.0 + (
            (top + bottom) / 2.0 - self.height / 2.0
        ) * self.resolution

    def zoom_by(self, factor: float, anchor: tuple[float, float] | None = None) -> None:
        """Zoom in (``factor`` > 1) or out, keeping the map point under ``anchor`` fixed.

        Parameters
        ----------
        factor : float
            How much larger features become on screen.
        anchor : (float, float), optional
            Screen pixel that stays on the same map point; the centre by default.
        """
        if anchor is None:
            anchor = (self.width / 2.0, self.height / 2.0)
        ax, ay = self.screen_to_map(*anchor)
        self.resolution = _clamp(self.resolution / factor)
        # Put the anchor's map point back under the anchor pixel.
        nx, ny = self.screen_to_map(*anchor)
        self.center_x += float(ax - nx)
        self.center_y += float(ay - ny)

    def pan_pixels(self, dx: float, dy: float) -> None:
        """Move the map content by ``(dx, dy)`` pixels (as a drag of that size)."""
        self.center_x -= dx * self.resolution
        self.center_y += dy * self.resolution

    def scale_denominator(self, dpi: float = 96.0) -> float:
        """The ``N`` of a 1:N scale at ``dpi`` screen dots per inch."""
        return self.resolution * dpi / METRES_PER_INCH

    def copy(self) -> Viewport:
        """An independent copy."""
        return Viewport(self.center_x, self.center_y, self.resolution, self.width, self.height)


def _clamp(resolution: float) -> float:
    return min(MAX_RESOLUTION, max(MIN_RESOLUTION, resolution))


def nice_scale_length(resolution: float, target_px: float = 120.0) -> float:
    """A round length (1, 2 or 5 × 10^k metres) drawn close to ``target_px`` pixels."""
    raw = resolution * target_px
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for step in (5.0, 2.0, 1.0):
        if step * base <= raw:
            return step * base
    return base


def format_distance(metres: float) -> str:
    """``"500 m"`` or ``"2 km"`` style text for a length."""
    if metres >= 1000:
        km = metres / 1000.0
        return f"{km:g} km"
    return f"{metres:g} m"
