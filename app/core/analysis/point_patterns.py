"""Map-level analysis of the start-ups (docs/indicators.md): density, hot spots, clustering.

- :func:`kernel_density`: quartic (biweight) kernel density on a grid, bandwidth = R.
- :func:`getis_ord_gi_star`: Getis-Ord Gi* z-scores of start-up counts on a grid
  (default 250 m cells), binary distance-band weights including the cell itself.
- :func:`clark_evans`: Clark-Evans nearest-neighbour ratio for a district.

All numpy: points are binned with ``histogram2d`` and the kernel or the distance band
is applied as one FFT convolution, so the cost does not grow with points × cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

HOT_SPOT_Z = 1.96  # two-sided 95 %


@dataclass(frozen=True)
class Grid:
    """A regular grid in EPSG:5186: ``nx × ny`` square cells of ``cell`` metres.

    Cell ``(row, col)`` spans ``x0 + col·cell .. +cell`` and ``y0 + row·cell .. +cell``
    (row 0 is the southern row; flip it for an image).
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    @classmethod
    def covering(
        cls, bounds: tuple[float, float, float, float], cell: float, margin: float = 0.0
    ) -> Grid:
        """The grid aligned on multiples of ``cell`` that covers ``bounds`` plus ``margin``."""
        if not cell > 0:
            raise ValueError(f"cell size must be > 0, not {cell}")
        xmin, ymin, xmax, ymax = bounds
        x0 = np.floor((xmin - margin) / cell) * cell
        y0 = np.floor((ymin - margin) / cell) * cell
        nx = max(int(np.ceil((xmax + margin - x0) / cell)), 1)
        ny = max(int(np.ceil((ymax + margin - y0) / cell)), 1)
        return cls(float(x0), float(y0), float(cell), nx, ny)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the whole grid."""
        return (self.x0, self.y0, self.x0 + self.nx * self.cell, self.y0 + self.ny * self.cell)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` of the cell centres, each of shape ``(ny, nx)``."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell
        return np.meshgrid(xs, ys)

    def inside(self, area: shapely.Geometry) -> np.ndarray:
        """``(ny, nx)`` True where a cell's centre lies in ``area``."""
        cx, cy = self.centres()
        shapely.prepare(area)
        return shapely.contains_xy(area, cx, cy)

    def counts(self, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """``(ny, nx)`` number (or weight sum) of the points falling in each cell."""
        xmin, ymin, xmax, ymax = self.bounds
        counts, _, _ = np.histogram2d(
            y, x, bins=(self.ny, self.nx), range=((ymin, ymax), (xmin, xmax)), weights=weights
        )
        return counts


def point_xy(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of point geometries (centroids for others), missing/empty dropped."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    xy = shapely.get_coordinates(shapely.centroid(geoms))
    return xy[:, 0], xy[:, 1]


def _convolve(image: np.ndarray, stencil: np.ndarray) -> np.ndarray:
    """'Same'-size linear convolution of ``image`` with an odd-sized centred stencil."""
    ky, kx = stencil.shape
    shape = (image.shape[0] + ky - 1, image.shape[1] + kx - 1)
    full = np.fft.irfft2(np.fft.rfft2(image, shape) * np.fft.rfft2(stencil, shape), shape)
    oy, ox = ky // 2, kx // 2
    return full[oy : oy + image.shape[0], ox : ox + image.shape[1]]


def _offsets(radius: float, cell: float) -> tuple[np.ndarray, np.ndarray]:
    k = int(np.floor(radius / cell + 1e-9))
    d = np.arange(-k, k + 1) * cell
    return np.meshgrid(d, d)


@dataclass(frozen=True)
class DensitySurface:
    """Kernel density on a grid, in start-ups per km²."""

    grid: Grid
    density: np.ndarray  # (ny, nx)
    bandwidth: float


def kernel_density(
    x: np.ndarray,
    y: np.ndarray,
    bandwidth: float,
    cell: float = 50.0,
    bounds: tuple[float, float, float, float] | None = None,
    weights: np.ndarray | None = None,
) -> DensitySurface:
    """Quartic kernel density surface (bandwidth = R).

    Parameters
    ----------
    x, y : ndarray
        Point coordinates (EPSG:5186).
    bandwidth : float
        Kernel radius h in metres (> 0); the kernel is
        ``K(d) = 3 / (π h²) · (1 − d²/h²)²`` for ``d < h``, 0 beyond (integral 1).
    cell : float
        Grid cell size in metres (default 50 m).
    bounds : tuple, optional
        Area of the grid (default: the points' bounds); the grid gets a margin of h.
    weights : ndarray, optional
        A weight per point (e.g. employees); default 1.

    Returns
    -------
    DensitySurface
        Density in points per km² at each cell centre.

    Notes
    -----
    Points are counted per cell and the kernel evaluated at the offsets between
    cell centres (binned KDE), then normalised so that each point contributes a total
    mass of exactly 1; the error in position is at most half a cell.
    """
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be > 0, not {bandwidth}")
    x, y = np.asarray(x, float), np.asarray(y, float)
    if bounds is None:
        bounds = (x.min(), y.min(), x.max(), y.max()) if len(x) else (0.0, 0.0, cell, cell)
    grid = Grid.covering(bounds, cell, margin=bandwidth)
    counts = grid.counts(x, y, weights)
    dx, dy = _offsets(bandwidth, cell)
    u = (dx**2 + dy**2) / bandwidth**2
    stencil = np.where(u < 1, (1 - u) ** 2, 0.0)
    if stencil.sum() == 0:  # bandwidth below half a cell: the kernel is the cell itself
        stencil = np.ones((1, 1))
    stencil /= stencil.sum() * cell**2  # mass 1 per point on this grid
    density = np.maximum(_convolve(counts, stencil), 0.0) * 1e6
    return DensitySurface(grid, density, float(bandwidth))


@dataclass(frozen=True)
class HotSpots:
    """Getis-Ord Gi* z-scores of the counts on a grid."""

    grid: Grid
    counts: np.ndarray  # (ny, nx)
    z: np.ndarray  # (ny, nx); NaN where undefined (all counts equal)
    band: float

    @property
    def hot(self) -> np.ndarray:
        """Cells drawn as hot spots: ``z >= 1.96``."""
        return np.nan_to_num(self.z, nan=-np.inf) >= HOT_SPOT_Z


def getis_ord_gi_star(
    counts: np.ndarray, cell: float, band: float, mask: np.ndarray | None = None
) -> np.ndarray:
    """Gi* z-scores of a grid of counts with binary distance-band weights.

    Parameters
    ----------
    counts : ndarray (ny, nx)
        Values per cell (start-up counts).
    cell : float
        Cell size in metres.
    band : float
        Distance band in metres, >= ``cell``: cell j is a neighbour of cell i (and i of
        itself) iff the distance between their centres is <= band.
    mask : ndarray of bool (ny, nx), optional
        The cells where the data speak (a layer's coverage area): the others are not
        part of the study area (no value, no neighbour, NaN z). Default: every cell.

    Returns
    -------
    ndarray (ny, nx)
        ``G*_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n Σ_j w_ij² − W_i²) / (n − 1)))``
        with ``W_i = Σ_j w_ij`` over the cells of the grid (Getis & Ord 1995; PySAL
        ``G_Local(star=True)`` with binary weights). NaN where undefined.
    """
    if band < cell:
        raise ValueError(f"the distance band ({band} m) must be at least one cell ({cell} m)")
    x = np.asarray(counts, dtype=float)
    inside = np.ones(x.shape, bool) if mask is None else np.asarray(mask, dtype=bool)
    x = np.where(inside, x, 0.0)
    n = int(inside.sum())
    if n < 2:
        return np.full(x.shape, np.nan)
    dx, dy = _offsets(band, cell)
    stencil = (dx**2 + dy**2 <= band**2 * (1 + 1e-12)).astype(float)
    # Sums of integers with 0/1 weights: round away the FFT's 1e-12 noise.
    local = np.rint(_convolve(x, stencil)) if np.all(x == np.rint(x)) else _convolve(x, stencil)
    w_sum = np.rint(_convolve(inside.astype(float), stencil))
    mean = x[inside].mean()
    s = np.sqrt(max((x[inside] ** 2).mean() - mean**2, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = s * np.sqrt((n * w_sum - w_sum**2) / (n - 1))
        z = (local - mean * w_sum) / denominator
    z[~np.isfinite(z) | ~inside] = np.nan
    return z


#: Confidence levels of the hot-spot bins (percent) and their false-discovery rates.
CONFIDENCE_LEVELS = (99, 95, 90)


def fdr_significant(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini–Hochberg: True where ``p`` is significant at false-discovery rate
    ``alpha`` among the finite p-values (NaN: never).

    The p-values sorted ascending, ``p_(k) <= k / m * alpha`` for the largest such ``k``
    makes ``p_(1) .. p_(k)`` significant (Benjamini & Hochberg 1995; the correction
    ArcGIS's Hot Spot Analysis and esda's ``fdr`` apply).
    """
    p = np.asarray(p, float)
    finite = np.isfinite(p)
    values = np.sort(p[finite])
    m = len(values)
    if m == 0:
        return np.zeros(p.shape, bool)
    below = np.flatnonzero(values <= np.arange(1, m + 1) / m * alpha)
    if len(below) == 0:
        return np.zeros(p.shape, bool)
    return finite & (np.nan_to_num(p, nan=np.inf) <= values[below[-1]])


#: ``math.erfc`` as a numpy ufunc (numpy has no erfc; SciPy is not a dependency).
_ERFC = np.frompyfunc(math.erfc, 1, 1)


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-values ``erfc(|z| / √2)`` (NaN stays NaN)."""
    z = np.asarray(z, float)
    return _ERFC(np.abs(z) / math.sqrt(2.0)).astype(float)


def hot_spot_confidence(z: np.ndarray) -> np.ndarray:
    """Confidence bin of each cell's Gi* z: 99, 95, 90 (hot), −99, −95, −90 (cold) or 0.

    Two-sided p-values of ``z`` are tested with the Benjamini–Hochberg false-discovery
    rate correction at 1 %, 5 % and 10 % (:func:`fdr_significant`); a cell takes the
    highest level it passes, signed as its z.
    """
    z = np.asarray(z, float)
    p = two_sided_p(z)
    out = np.zeros(z.shape, int)
    for level in CONFIDENCE_LEVELS[::-1]:  # 90, then 95, then 99 overwrite
        significant = fdr_significant(p, 1.0 - level / 100.0)
        out[significant] = level
    return np.where(np.nan_to_num(z) < 0, -out, out)


def hot_spots(
    x: np.ndarray,
    y: np.ndarray,
    cell: float = 250.0,
    band: float | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    area: shapely.Geometry | None = None,
) -> HotSpots:
    """Count points per cell and compute their Gi* z-scores.

    ``band`` defaults to two cells (500 m with 250 m cells): 13 cells whose centres
    are within two cell widths, the cell itself included. With ``area`` (a layer's
    coverage area) only the cells whose centre lies in it are part of the study area
    (:func:`getis_ord_gi_star` ``mask``).
    """
    band = 2 * cell if band is None else float(band)
    x, y = np.asarray(x, float), np.asarray(y, float)
    if bounds is None:
        bounds = (x.min(), y.min(), x.max(), y.max()) if len(x) else (0.0, 0.0, cell, cell)
    grid = Grid.covering(bounds, cell)
    counts = grid.counts(x, y)
    mask = None if area is None else grid.inside(area)
    return HotSpots(grid, counts, getis_ord_gi_star(counts, cell, band, mask), band)


@dataclass(frozen=True)
class ClarkEvans:
    """Clark-Evans nearest-neighbour summary of one district."""

    n: int
    area_m2: float
    mean_nnd: float
    expected_nnd: float  # 0.5 / sqrt(n / A)
    ratio: float  # R < 1 clustered, 1 random, > 1 dispersed
    z: float  # (mean − expected) / (0.26136 / sqrt(n² / A))


def clark_evans(x: np.ndarray, y: np.ndarray, area_m2: float) -> ClarkEvans:
    """Clark-Evans ratio ``R = mean_nnd / (0.5 / sqrt(n / A))`` of points in an area.

    Coincident points have a nearest-neighbour distance of 0. No edge correction.
    NaN results for fewer than two points.
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if n < 2 or not area_m2 > 0:
        return ClarkEvans(n, float(area_m2), np.nan, np.nan, np.nan, np.nan)
    xy = np.column_stack([x, y])
    unique, inverse, multiplicity = np.unique(xy, axis=0, return_inverse=True, return_counts=True)
    nnd = np.zeros(n)
    if len(unique) > 1:
        points = shapely.points(unique)
        tree = shapely.STRtree(points)
        (source, _), dist = tree.query_nearest(
            points, return_distance=True, exclusive=True, all_matches=False
        )
        nearest = np.empty(len(unique))
        nearest[source] = dist
        nnd = nearest[inverse.ravel()]
    nnd[multiplicity[inverse.ravel()] > 1] = 0.0
    mean = float(nnd.mean())
    expected = 0.5 / np.sqrt(n / area_m2)
    se = 0.26136 / np.sqrt(n * n / area_m2)
    return ClarkEvans(
        n,
        float(area_m2),
        mean,
        float(expected),
        float(mean / expected),
        float((mean - expected) / se),
    )


def clark_evans_in(geoms, district) -> ClarkEvans:
    """Clark-Evans ratio of the points of ``geoms`` inside a district polygon."""
    x, y = point_xy(geoms)
    shapely.prepare(district)
    inside = shapely.contains_xy(district, x, y)
    return clark_evans(x[inside], y[inside], float(shapely.area(district)))
