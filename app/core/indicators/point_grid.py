"""A grid index over many points for exact catchment queries from few sites.

The STRtree ``dwithin`` query (app.core.indicators.catchment) evaluates GEOS for every (site,
point) pair: about 0.1 µs per pair for point sites and 0.5 µs for polygon sites, too
slow for 50 sites over 200 000 dense start-ups (half a million pairs). This index
answers the same question, exactly, with numpy:

1. Points are sorted by grid cell, row-major, once per layer. For one site and one
   grid row, the cells a catchment can reach form a column range, so the candidate
   points are one contiguous slice of the sorted arrays: candidates cost a few
   thousand ranges, not a tree walk per point.
2. Point sites: ``sqrt(dx² + dy²) <= R``, the formula GEOS uses.
3. Polygon sites: with c the centre of a disc of radius ρ inside the site (the
   maximum inscribed circle) and ``rmax`` the site's farthest vertex from c, a
   candidate with ``|f − c| < R + ρ`` is inside and one with ``|f − c| > R + rmax``
   is outside (triangle inequality, with a safety margin). Only the thin band in
   between is tested exactly: GEOS's point-to-segment distance over the site's
   edges, and point-in-polygon for points farther than R from every edge.

Other site geometries (lines, multi-points) fall back to an STRtree over the points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely

#: At most this many cells along the longer side (memory of the offsets array).
MAX_CELLS_PER_SIDE = 2048
BASE_CELL_M = 25.0
#: The row height is at least this share of the points' mean spacing over their
#: bounding box (a sparse layer, e.g. 6 000 start-ups over Seoul's districts: 141 m,
#: not 25 m; a disc of 800 m then spans 13 rows, not 66; results are exact whatever
#: the cell).
SPACING_SHARE = 0.5
#: Columns per row height (narrow columns: fewer points tested on a circle's edge) ...
COLUMN_SPLIT = 16.0
#: ... while the grid has at most this many cells (its offsets: 8 bytes a cell).
MAX_CELLS = 2_000_000
#: Elements per chunk of the (band pair × edge) distance computation.
CHUNK = 4_000_000
_MARGIN = 1e-9


@dataclass(frozen=True, eq=False)
class PointGrid:
    """Points sorted by grid cell with CSR offsets per cell.

    ``x``, ``y`` are in sorted order; ``order[k]`` is the original position of the
    sorted point k. Pairs returned by :meth:`pairs_within` index the *sorted* points:
    permute per-point values with :meth:`sorted_values` once.
    """

    x: np.ndarray
    y: np.ndarray
    order: np.ndarray
    x0: float
    y0: float
    cell: float  # row height (m)
    nx: int
    ny: int
    offsets: np.ndarray  # (nx·ny + 1,) start of each cell in the sorted arrays
    cell_x: float = 0.0  # column width (m); 0: as ``cell``
    _tree: list = field(default_factory=list, repr=False)

    @classmethod
    def build(
        cls, x: np.ndarray, y: np.ndarray, cell: float | None = None, cell_x: float | None = None
    ) -> PointGrid:
        """Index points given by coordinates (EPSG:5186 metres).

        ``cell`` is the rows' height, ``cell_x`` the columns' width (default: the row
        height over :data:`COLUMN_SPLIT`, within :data:`MAX_CELLS`): narrow columns
        leave fewer points in the cells a circle crosses, at no cost per row.
        """
        x, y = np.asarray(x, float), np.asarray(y, float)
        if len(x):
            xmin, ymin, xmax, ymax = x.min(), y.min(), x.max(), y.max()
        else:
            xmin = ymin = xmax = ymax = 0.0
        if cell is None:  # sparse layers get coarser cells: fewer grid rows per disc
            spacing = np.sqrt(max(xmax - xmin, 1.0) * max(ymax - ymin, 1.0) / max(len(x), 1))
            cell = max(
                BASE_CELL_M,
                max(xmax - xmin, ymax - ymin) / MAX_CELLS_PER_SIDE,
                SPACING_SHARE * float(spacing),
            )
        ny = int((ymax - ymin) // cell) + 2  # one spare cell: the max lands inside
        if cell_x is None:
            columns = min(COLUMN_SPLIT, MAX_CELLS / (ny * ((xmax - xmin) / cell + 2)))
            cell_x = cell / max(columns, 1.0)
        nx = int((xmax - xmin) // cell_x) + 2
        col = np.clip(np.floor((x - xmin) / cell_x), 0, nx - 1).astype(np.int64)
        row = np.clip(np.floor((y - ymin) / cell), 0, ny - 1).astype(np.int64)
        cell_id = row * nx + col
        order = np.argsort(cell_id, kind="stable")
        counts = np.bincount(cell_id, minlength=nx * ny)
        offsets = np.zeros(nx * ny + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(
            x[order],
            y[order],
            order,
            float(xmin),
            float(ymin),
            float(cell),
            nx,
            ny,
            offsets,
            float(cell_x),
        )

    def __post_init__(self) -> None:
        if not self.cell_x:
            object.__setattr__(self, "cell_x", self.cell)

    def __len__(self) -> int:
        return len(self.x)

    def sorted_values(self, values: np.ndarray) -> np.ndarray:
        """Per-point values (original order) permuted into the grid's sorted order."""
        return np.asarray(values)[self.order]

    @cached_property
    def points(self) -> np.ndarray:
        """The sorted points as shapely geometries (built only for the fallback)."""
        return shapely.points(self.x, self.y)

    @cached_property
    def tree(self) -> shapely.STRtree:
        """STRtree over the sorted points (built only for the fallback)."""
        return shapely.STRtree(self.points)

    # --- queries ---------------------------------------------------------------------
    def pairs_within(self, sites: np.ndarray, radii: np.ndarray | float) -> np.ndarray:
        """Pairs ``(site, sorted point)`` with ``distance(point, site) <= radius``.

        Parameters
        ----------
        sites : ndarray of shapely geometries
            Valid, non-empty site geometries (EPSG:5186).
        radii : float or ndarray
            Radius per site (>= 0).

        Returns
        -------
        ndarray (2, k)
            Row 0 indexes ``sites``, row 1 the sorted points (grouped by kind of site,
        not sorted).
        """
        sites = np.asarray(sites, dtype=object)
        radii = np.broadcast_to(np.asarray(radii, dtype=float), sites.shape).copy()
        if len(sites) == 0 or len(self) == 0:
            return np.empty((2, 0), dtype=np.intp)
        kind = shapely.get_type_id(sites)
        parts = []
        points = np.flatnonzero(kind == 0)
        if len(points):
            parts.append(self._point_sites(sites[points], radii[points], points))
        polygons = np.flatnonzero(np.isin(kind, (3, 6)))
        if len(polygons):
            parts.append(self._polygon_sites(sites[polygons], radii[polygons], polygons))
        other = np.flatnonzero(~np.isin(kind, (0, 3, 6)))
        if len(other):
            pairs = self.tree.query(sites[other], predicate="dwithin", distance=radii[other])
            parts.append(np.vstack([other[pairs[0]], pairs[1]]))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def _candidates(self, bounds: np.ndarray, radii: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(site, sorted point) pairs whose cell may be within ``radii`` of the site's box."""
        reach = radii * (1 + _MARGIN) + _MARGIN
        xmin, ymin, xmax, ymax = bounds.T
        r0 = np.clip(np.floor((ymin - reach - self.y0) / self.cell), 0, self.ny - 1)
        r1 = np.clip(np.floor((ymax + reach - self.y0) / self.cell), 0, self.ny - 1)
        r0, r1 = r0.astype(np.int64), r1.astype(np.int64)
        below = (ymax + reach) < self.y0
        above = (ymin - reach) > self.y0 + self.ny * self.cell
        n_rows = np.where(below | above, 0, r1 - r0 + 1)
        site = np.repeat(np.arange(len(bounds)), n_rows)
        row = r0[site] + _ranks(n_rows)
        # Narrow each row to the columns the circle around the site's box can reach.
        top = self.y0 + row * self.cell
        dy = np.maximum.reduce(
            [np.zeros(len(row)), top - ymax[site], ymin[site] - (top + self.cell)]
        )
        half = np.sqrt(np.maximum(reach[site] ** 2 - dy**2, 0.0))
        c0 = np.clip(np.floor((xmin[site] - half - self.x0) / self.cell_x), 0, self.nx - 1)
        c1 = np.clip(np.floor((xmax[site] + half - self.x0) / self.cell_x), 0, self.nx - 1)
        reachable = (
            (dy <= reach[site])
            & (xmax[site] + half >= self.x0)
            & (xmin[site] - half <= self.x0 + self.nx * self.cell_x)
        )
        first = row * self.nx + c0.astype(np.int64)
        last = row * self.nx + c1.astype(np.int64)
        start = self.offsets[first]
        length = np.where(reachable, self.offsets[last + 1] - start, 0)
        pair_site = np.repeat(site, length)
        point = np.repeat(start, length) + _ranks(length)
        return pair_site, point

    def _point_sites(self, sites: np.ndarray, radii: np.ndarray, ids: np.ndarray) -> np.ndarray:
        xy = shapely.get_coordinates(sites)
        bounds = np.column_stack([xy, xy])
        site, point = self._candidates(bounds, radii)
        dx = self.x[point] - xy[:, 0][site]
        dy = self.y[point] - xy[:, 1][site]
        r = radii[site]
        # R = 0 means "touches": compare coordinates, as squares may underflow to 0.
        keep = (np.sqrt(dx * dx + dy * dy) <= r) & ((r > 0) | ((dx == 0) & (dy == 0)))
        return np.vstack([ids[site[keep]], point[keep]])

    def _polygon_sites(self, sites: np.ndarray, radii: np.ndarray, ids: np.ndarray) -> np.ndarray:
        shapely.prepare(sites)
        anchor, inner = _inscribed_discs(sites)
        coords, owner = shapely.get_coordinates(sites, return_index=True)
        outer = np.zeros(len(sites))
        np.maximum.at(
            outer, owner, np.hypot(coords[:, 0] - anchor[owner, 0], coords[:, 1] - anchor[owner, 1])
        )
        site, point = self._candidates(shapely.bounds(sites), radii)
        dx = self.x[point] - anchor[:, 0][site]
        dy = self.y[point] - anchor[:, 1][site]
        d2 = dx * dx + dy * dy
        # disc(anchor, inner) ⊂ site ⊂ disc(anchor, outer): distance(f, site) lies in
        # [d − outer, max(d − inner, 0)]; compared squared, with a safety margin.
        sure_in_at = np.maximum((radii + inner) * (1 - _MARGIN) - _MARGIN, 0.0)
        sure_out_at = (radii + outer) * (1 + _MARGIN) + _MARGIN
        sure_in = d2 < (sure_in_at**2)[site]
        band = ~sure_in & (d2 <= (sure_out_at**2)[site])
        keep = sure_in
        if band.any():
            in_band = site[band]
            keep[band] = self._exact(sites, in_band, point[band], radii[in_band])
        return np.vstack([ids[site[keep]], point[keep]])

    def _exact(
        self, sites: np.ndarray, site: np.ndarray, point: np.ndarray, radius: np.ndarray
    ) -> np.ndarray:
        """``distance(point, site) <= radius`` for each pair, as GEOS computes it."""
        edges = _Edges.of(sites)
        result = np.empty(len(site), dtype=bool)
        per_pair = edges.count[site]
        bounds = np.concatenate([[0], np.cumsum(per_pair)])
        start = 0
        while start < len(site):  # chunks bound the memory of pairs × edges
            stop = int(np.searchsorted(bounds, bounds[start] + CHUNK, side="right")) - 1
            stop = min(max(stop, start + 1), len(site))
            chunk = slice(start, stop)
            distance = edges.min_distance(site[chunk], self.x[point[chunk]], self.y[point[chunk]])
            inside = (distance <= radius[chunk]) & (radius[chunk] > 0)
            far = ~inside
            if far.any():  # inside a large polygon (distance 0), or R = 0: touching
                idx = np.flatnonzero(far)
                inside[idx] = shapely.intersects_xy(
                    sites[site[chunk][idx]], self.x[point[chunk][idx]], self.y[point[chunk][idx]]
                )
            result[chunk] = inside
            start = stop
        return result


@dataclass(frozen=True)
class _Edges:
    """The boundary segments of polygon sites, grouped by site."""

    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    first: np.ndarray  # index of each site's first edge
    count: np.ndarray  # edges per site

    @classmethod
    def of(cls, sites: np.ndarray) -> _Edges:
        parts, part_site = shapely.get_parts(sites, return_index=True)  # multi-polygons
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        ring_site = part_site[ring_part]
        coords, ring = shapely.get_coordinates(rings, return_index=True)
        same_ring = ring[1:] == ring[:-1]
        a, b = coords[:-1][same_ring], coords[1:][same_ring]
        edge_site = ring_site[ring[:-1][same_ring]]
        count = np.bincount(edge_site, minlength=len(sites))
        first = np.concatenate([[0], np.cumsum(count)[:-1]])
        return cls(a[:, 0], a[:, 1], b[:, 0], b[:, 1], first, count)

    def min_distance(self, site: np.ndarray, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Smallest point-to-edge distance over each pair's site (GEOS's formula)."""
        n = self.count[site]
        pair = np.repeat(np.arange(len(site)), n)
        edge = np.repeat(self.first[site], n) + _ranks(n)
        ax, ay, bx, by = self.ax[edge], self.ay[edge], self.bx[edge], self.by[edge]
        x, y = px[pair], py[pair]
        ex, ey = bx - ax, by - ay
        len2 = ex * ex + ey * ey
        with np.errstate(invalid="ignore", divide="ignore"):
            r = ((x - ax) * ex + (y - ay) * ey) / len2
            s = ((ay - y) * ex - (ax - x) * ey) / len2
            across = np.abs(s) * np.sqrt(len2)
        to_a = np.sqrt((x - ax) ** 2 + (y - ay) ** 2)
        to_b = np.sqrt((x - bx) ** 2 + (y - by) ** 2)
        distance = np.where((len2 == 0) | (r <= 0), to_a, np.where(r >= 1, to_b, across))
        starts = np.concatenate([[0], np.cumsum(n)[:-1]])
        return np.minimum.reduceat(distance, starts) if len(site) else np.empty(0)


def _inscribed_discs(sites: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A centre inside each polygon and the radius of a disc around it inside the polygon.

    The centre of the maximum inscribed circle keeps the uncertain band thin; where it
    is not strictly inside (degenerate shapes) a point on the surface with radius 0.
    """
    try:
        centre = shapely.get_point(shapely.maximum_inscribed_circle(sites), 0)
    except shapely.errors.GEOSException:
        centre = shapely.point_on_surface(sites)
    inside = shapely.contains_properly(sites, centre)
    centre = np.where(inside, centre, shapely.point_on_surface(sites))
    radius = np.where(inside, shapely.distance(centre, shapely.boundary(sites)), 0.0)
    return shapely.get_coordinates(centre), radius


def _ranks(lengths: np.ndarray) -> np.ndarray:
    """``[0..l0-1, 0..l1-1, ...]`` for the given lengths, without a Python loop."""
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return np.arange(total, dtype=np.int64) - np.repeat(ends - lengths, lengths)
