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


CORNERS = np.array([[0, 0], [TILE_PX, 0], [TILE_PX, TILE_PX], [0, TILE_PX]], float)
#: Largest error (screen pixels) of a piece's projective transform before it is split.
TOLERANCE_PX = 0.25
#: Each tile is split at most into MAX_SPLIT × MAX_SPLIT pieces.
MAX_SPLIT = 8

#: A part of a tile: ``(left, top, right, bottom)`` in tile pixels and its homography.
Piece = tuple[tuple[float, float, float, float], np.ndarray]


def homographies(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """:func:`homography` for many quadrilaterals at once: ``(P, 4, 2)`` → ``(P, 3, 3)``."""
    src, dst = np.asarray(src, float), np.asarray(dst, float)
    x, y = src[..., 0], src[..., 1]
    u, v = dst[..., 0], dst[..., 1]
    one, zero = np.ones_like(x), np.zeros_like(x)
    rows_u = np.stack([x, y, one, zero, zero, zero, -u * x, -u * y], axis=-1)
    rows_v = np.stack([zero, zero, zero, x, y, one, -v * x, -v * y], axis=-1)
    a = np.concatenate([rows_u, rows_v], axis=1)  # (P, 8, 8)
    b = np.concatenate([u, v], axis=1)  # (P, 8)
    h = np.linalg.solve(a, b[..., None])[..., 0]
    return np.concatenate([h, np.ones((len(h), 1))], axis=1).reshape(-1, 3, 3)


def _screen_of(view: View, z: int, tx, ty, px, py):
    """Exact screen positions of tile pixels; every argument broadcasts together."""
    span = tile_span(z)
    mx = -ORIGIN + (tx + px / TILE_PX) * span
    my = ORIGIN - (ty + py / TILE_PX) * span
    sx, sy = view.to_screen(*from_mercator(np.ravel(mx), np.ravel(my)))
    return sx.reshape(np.shape(mx)), sy.reshape(np.shape(mx))


def _split(view: View, z: int, xy: np.ndarray, n: int, samples: int):
    """Every tile of ``xy`` cut in ``n`` × ``n`` pieces: the pieces' source rectangles
    ``(P, 4)``, homographies ``(m, n*n, 3, 3)`` and each tile's largest error (pixels)."""
    m = len(xy)
    g = np.arange(n + 1) * (TILE_PX / n)
    gx, gy = np.meshgrid(g, g)  # (n+1, n+1)
    tx, ty = xy[:, 0][:, None, None], xy[:, 1][:, None, None]
    sx, sy = _screen_of(view, z, tx, ty, gx[None], gy[None])  # (m, n+1, n+1)
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    j, i = rows.ravel(), cols.ravel()
    corners_j = np.stack([j, j, j + 1, j + 1], axis=-1)  # TL, TR, BR, BL
    corners_i = np.stack([i, i + 1, i + 1, i], axis=-1)
    src = np.stack([g[corners_i], g[corners_j]], axis=-1)  # (n*n, 4, 2)
    dst = np.stack([sx[:, corners_j, corners_i], sy[:, corners_j, corners_i]], axis=-1)
    # an affine warp (exact at three corners) is drawn faster: used where it is close enough
    flat = dst.copy()
    flat[..., 2, :] = dst[..., 1, :] + dst[..., 3, :] - dst[..., 0, :]
    sources = np.broadcast_to(src, (m, *src.shape)).reshape(-1, 4, 2)
    h_full = homographies(sources, dst.reshape(-1, 4, 2)).reshape(m, n * n, 3, 3)
    h_flat = homographies(sources, flat.reshape(-1, 4, 2)).reshape(m, n * n, 3, 3)
    h_flat[..., 2, :] = (0.0, 0.0, 1.0)  # exactly affine (a parallelogram)
    # the error inside each piece, on a samples × samples grid
    t = np.linspace(0, 1, samples)
    a, b = np.meshgrid(t, t)
    px = (g[i][:, None] + a.ravel()[None] * (TILE_PX / n))[None]  # (1, n*n, S)
    py = (g[j][:, None] + b.ravel()[None] * (TILE_PX / n))[None]
    ex, ey = _screen_of(view, z, tx, ty, px, py)

    def worst(h):
        w = h[..., 2, 0:1] * px + h[..., 2, 1:2] * py + h[..., 2, 2:3]
        ax = (h[..., 0, 0:1] * px + h[..., 0, 1:2] * py + h[..., 0, 2:3]) / w
        ay = (h[..., 1, 0:1] * px + h[..., 1, 1:2] * py + h[..., 1, 2:3]) / w
        return np.hypot(ax - ex, ay - ey).max(axis=(1, 2))

    error_full, error_flat = worst(h_full), worst(h_flat)
    affine = error_flat <= TOLERANCE_PX
    h = np.where(affine[:, None, None, None], h_flat, h_full)
    error = np.where(affine, error_flat, error_full)
    rects = np.column_stack([g[i], g[j], g[i + 1], g[j + 1]])
    return rects, h, error


def _warps(view: View, tiles: list[tuple[int, int, int]], samples: int = 5) -> dict:
    """Each tile's pieces: one per tile where that is within :data:`TOLERANCE_PX`, the
    others cut finer (all tiles of a level computed together)."""
    result: dict[tuple[int, int, int], list[Piece]] = {}
    todo = list(tiles)
    n = 1
    while todo:
        z = todo[0][0]
        xy = np.array([(t[1], t[2]) for t in todo], float)
        rects, h, error = _split(view, z, xy, n, samples)
        later = []
        for k, tile in enumerate(todo):
            if error[k] <= TOLERANCE_PX or n >= MAX_SPLIT:
                result[tile] = [(tuple(r), h[k, p]) for p, r in enumerate(rects.tolist())]
            else:
                later.append(tile)
        todo, n = later, n * 2
    return result


def tile_warp(view: View, z: int, x: int, y: int) -> list[Piece]:
    """How to draw tile ``z/x/y``: its pieces (the whole tile where one projective
    transform is within :data:`TOLERANCE_PX` of the exact projection, else a finer mesh)."""
    return _warps(view, [(z, x, y)])[(z, x, y)]


def _error(view: View, z: int, x: int, y: int, pieces: list[Piece], samples: int) -> float:
    """The largest distance (pixels) between ``pieces`` and the exact projection."""
    worst = 0.0
    for (left, top, right, bottom), h in pieces:
        a = np.linspace(left, right, samples)
        b = np.linspace(top, bottom, samples)
        px, py = (v.ravel() for v in np.meshgrid(a, b))
        ax, ay = apply_homography(h, px, py)
        ex, ey = _screen_of(view, z, x, y, px, py)
        worst = max(worst, float(np.max(np.hypot(ax - ex, ay - ey))))
    return worst


def _pieces(view: View, z: int, x: int, y: int, n: int) -> list[Piece]:
    """The tile cut in ``n`` × ``n`` pieces, each exact at its corners."""
    rects, h, _error_px = _split(view, z, np.array([[x, y]], float), n, 2)
    return [(tuple(r), h[0, p]) for p, r in enumerate(rects.tolist())]


def placement_error(view: View, tiles: list[tuple[int, int, int]], samples: int = 17) -> float:
    """The largest distance in screen pixels between where :func:`plan` draws a tile
    pixel and where it belongs, over a ``samples`` × ``samples`` grid per piece
    (computed independently of the warps' own check, with the exact projection)."""
    warps = _warps(view, tiles)
    return max((_error(view, *t, warps[t], samples) for t in tiles), default=0.0)


def plan(view: View, max_zoom: int = 19, min_zoom: int = 0, limit: int = 400):
    """The tiles to draw for ``view`` and how.

    Returns
    -------
    list of ((z, x, y), list of Piece)
        Each tile (nearest the centre first) with its pieces and their homographies.
    """
    z = zoom_for(view.extent, view.resolution, max_zoom, min_zoom)
    tiles = tiles_for(view.extent, z, limit)
    warps = _warps(view, tiles)
    return [(t, warps[t]) for t in tiles]


__all__ = [
    "Piece",
    "View",
    "apply_homography",
    "from_mercator",
    "homographies",
    "homography",
    "placement_error",
    "plan",
    "tile_bounds",
    "tile_warp",
    "tiles_for",
    "to_mercator",
    "zoom_for",
]
