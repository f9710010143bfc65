"""Web Mercator (EPSG:3857) XYZ tiles drawn on the EPSG:5186 map.

Each tile is drawn warped: its four corners are projected exactly (pyproj) and a
projective transform (homography) maps the tile's pixels between them.
:func:`placement_error` measures how far that transform is from the exact
projection inside the tile, in screen pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Transformer

#: Half the width of the Web Mercator square, metres.
ORIGIN = 20037508.342789244
TILE_PX = 256
MAP_CRS = "EPSG:5186"


@lru_cache(maxsize=2)
def _transformer(forward: bool) -> Transformer:
    if forward:
        return Transformer.from_crs(MAP_CRS, "EPSG:3857", always_xy=True)
    return Transformer.from_crs("EPSG:3857", MAP_CRS, always_xy=True)


def to_mercator(x, y) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:5186 metres to Web Mercator metres (arrays)."""
    mx, my = _transformer(True).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(mx), np.asarray(my)


def from_mercator(mx, my) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres to EPSG:5186 metres (arrays)."""
    x, y = _transformer(False).transform(np.asarray(mx, float), np.asarray(my, float))
    return np.asarray(x), np.asarray(y)


def tile_span(z: int) -> float:
    """Width of one tile at zoom ``z`` in Web Mercator metres."""
    return 2 * ORIGIN / (1 << z)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(xmin, ymin, xmax, ymax)`` of tile ``z/x/y`` in Web Mercator metres."""
    span = tile_span(z)
    xmin = -ORIGIN + x * span
    ymax = ORIGIN - y * span
    return xmin, ymax - span, xmin + span, ymax


def zoom_for(extent, resolution: float, max_zoom: int = 19, min_zoom: int = 0) -> int:
    """The tile zoom whose pixels are closest to the map's pixels.

    Parameters
    ----------
    extent : (xmin, ymin, xmax, ymax)
        Visible map in EPSG:5186 metres.
    resolution : float
        Map metres per screen pixel.
    max_zoom, min_zoom : int
        The source's zoom range.
    """
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    mx, my = to_mercator([cx, cx + resolution * 100], [cy, cy])
    merc_res = float(math.hypot(mx[1] - mx[0], my[1] - my[0])) / 100  # mercator m per px
    if not merc_res > 0:
        return min_zoom
    z = round(math.log2(2 * ORIGIN / TILE_PX / merc_res))
    return int(min(max_zoom, max(min_zoom, z)))


def tiles_for(extent, z: int, limit: int = 400) -> list[tuple[int, int, int]]:
    """The tiles ``(z, x, y)`` at zoom ``z`` covering ``extent`` (EPSG:5186), nearest to
    the centre first; at most ``limit``."""
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, 9), np.linspace(ymin, ymax, 9))
    mx, my = to_mercator(gx.ravel(), gy.ravel())
    ok = np.isfinite(mx) & np.isfinite(my)
    if not ok.any():
        return []
    span = tile_span(z)
    n = 1 << z
    x0 = int(np.clip(np.floor((mx[ok].min() + ORIGIN) / span), 0, n - 1))
    x1 = int(np.clip(np.floor((mx[ok].max() + ORIGIN) / span), 0, n - 1))
    y0 = int(np.clip(np.floor((ORIGIN - my[ok].max()) / span), 0, n - 1))
    y1 = int(np.clip(np.floor((ORIGIN - my[ok].min()) / span), 0, n - 1))
    xs, ys = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    order = np.argsort((xs - cx) ** 2 + (ys - cy) ** 2, axis=None, kind="stable")
    chosen = order[:limit]
    return [(z, int(a), int(b)) for a, b in zip(xs.ravel()[chosen], ys.ravel()[chosen])]


def homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 3×3 projective transform taking the four points ``src`` to ``dst``.

    Parameters
    ----------
    src, dst : ndarray, shape (4, 2)

    Returns
    -------
    ndarray, shape (3, 3)
        ``H`` with ``[u, v, w] = H @ [x, y, 1]`` and the image point ``(u/w, v/w)``.
    """
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(np.asarray(src, float), np.asarray(dst, float)):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows), np.array(rhs))
    return np.append(h, 1.0).reshape(3, 3)


def apply_homography(h: np.ndarray, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(x, y)`` (arrays) through ``h``."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
    return (h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w, (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w


@dataclass(frozen=True)
class View:
    """Enough of a map view to place tiles: centre, metres per pixel, pixel size."""

    center_x: float
    center_y: float
    resolution: float
    width: int
    height: int

    @property
    def extent(self) -> tuple[float, float, float, float]:
        hw, hh = self.width * self.resolution / 2, self.height * self.resolution / 2
        return (self.center_x - hw, self.center_y - hh, self.center_x + hw, self.center_y + hh)

    def to_screen(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        sx = (np.asarray(x, float) - self.center_x) / self.resolution + self.width / 2
        sy = self.height / 2 - (np.asarray(y, float) - self.center_y) / self.resolution
        return sx, sy


def _tile_to_screen(view: View, z: int, x: int, y: int, px, py):
    """Exact screen position of tile pixel coordinates ``(px, py)`` (0..256)."""
    xmin, _ymin, _xmax, ymax = tile_bounds(z, x, y)
    span = tile_span(z)
    mx = xmin + np.asarray(px, float) / TILE_PX * span
    my = ymax - np.asarray(py, float) / TILE_PX * span
    return view.to_screen(*from_mercator(mx, my))


CORNERS = np.array([[0, 0], [TILE_PX, 0], [TILE_PX, TILE_PX], [0, TILE_PX]], float)
#: Largest error (screen pixels) of a piece's projective transform before it is split.
TOLERANCE_PX = 0.25
#: Each tile is split at most into MAX_SPLIT × MAX_SPLIT pieces.
MAX_SPLIT = 8

#: A part of a tile: ``(left, top, right, bottom)`` in tile pixels and its homography.
Piece = tuple[tuple[float, float, float, float], np.ndarray]


def _pieces(view: View, z: int, x: int, y: int, n: int) -> list[Piece]:
    """The tile cut in ``n`` × ``n`` squares, each with its exact-at-corners warp."""
    step = TILE_PX / n
    g = np.arange(n + 1) * step
    gx, gy = np.meshgrid(g, g)
    sx, sy = _tile_to_screen(view, z, x, y, gx.ravel(), gy.ravel())
    sx, sy = sx.reshape(n + 1, n + 1), sy.reshape(n + 1, n + 1)
    pieces = []
    for j in range(n):
        for i in range(n):
            src = np.array([[g[i], g[j]], [g[i + 1], g[j]], [g[i + 1], g[j + 1]], [g[i], g[j + 1]]])
            dst = np.array(
                [
                    [sx[j, i], sy[j, i]],
                    [sx[j, i + 1], sy[j, i + 1]],
                    [sx[j + 1, i + 1], sy[j + 1, i + 1]],
                    [sx[j + 1, i], sy[j + 1, i]],
                ]
            )
            pieces.append(((g[i], g[j], g[i + 1], g[j + 1]), homography(src, dst)))
    return pieces


def _error(view: View, z: int, x: int, y: int, pieces: list[Piece], samples: int) -> float:
    worst = 0.0
    for (left, top, right, bottom), h in pieces:
        a = np.linspace(left, right, samples)
        b = np.linspace(top, bottom, samples)
        px, py = (v.ravel() for v in np.meshgrid(a, b))
        ax, ay = apply_homography(h, px, py)
        ex, ey = _tile_to_screen(view, z, x, y, px, py)
        worst = max(worst, float(np.max(np.hypot(ax - ex, ay - ey))))
    return worst


def tile_warp(view: View, z: int, x: int, y: int) -> list[Piece]:
    """How to draw tile ``z/x/y``: its pieces (the whole tile where one projective
    transform is within :data:`TOLERANCE_PX` of the exact projection, else a finer mesh)."""
    n = 1
    while True:
        pieces = _pieces(view, z, x, y, n)
        if n >= MAX_SPLIT or _error(view, z, x, y, pieces, 5) <= TOLERANCE_PX:
            return pieces
        n *= 2


def placement_error(view: View, tiles: list[tuple[int, int, int]], samples: int = 17) -> float:
    """The largest distance in screen pixels between where :func:`tile_warp` draws a
    tile pixel and where it belongs, over a ``samples`` × ``samples`` grid per piece."""
    return max(
        (_error(view, z, x, y, tile_warp(view, z, x, y), samples) for z, x, y in tiles),
        default=0.0,
    )


def plan(view: View, max_zoom: int = 19, min_zoom: int = 0, limit: int = 400):
    """The tiles to draw for ``view`` and how.

    Returns
    -------
    list of ((z, x, y), list of Piece)
        Each tile (nearest the centre first) with its pieces and their homographies.
    """
    z = zoom_for(view.extent, view.resolution, max_zoom, min_zoom)
    return [(t, tile_warp(view, *t)) for t in tiles_for(view.extent, z, limit)]


__all__ = [
    "Piece",
    "View",
    "apply_homography",
    "from_mercator",
    "homography",
    "placement_error",
    "plan",
    "tile_bounds",
    "tile_warp",
    "tiles_for",
    "to_mercator",
    "zoom_for",
]
