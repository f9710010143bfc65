"""What lies within R of each site, summed per site in chunks of sites, so that memory
stays bounded: the (site, feature) pairs of one chunk at a time, never of all sites.

This is the one place where catchment membership turns into per-site figures: every
count, sum and category count of the indicators comes from :func:`catchment_totals`,
which asks :func:`app.core.indicators.catchment.catchment_pairs` for the pairs (a
feature f is within R of site s iff ``distance(f, s) <= R``). Another distance (e.g.
along a walking network) is swapped in by passing ``pairs=`` a function with the
signature of ``catchment_pairs``.

Chunk sizes adapt: the first chunk is one site; each next chunk holds about
:data:`PAIR_BUDGET` pairs at the last chunk's pairs per site (at most four times more
sites than the last). A single site never needs more pairs than the layer has
features, so the working set is bounded by the budget or by one layer, whichever is
larger.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import shapely

from app.core.indicators import catchment
from app.core.indicators.disc_totals import DiscPrefix, disc_totals
from app.core.indicators.point_grid import PointGrid

#: (site, feature) pairs held at once (16 bytes each plus a few temporaries per pair).
PAIR_BUDGET = 2_000_000
#: Sites per chunk at most (the per-site arrays of a chunk; also for tiny layers).
MAX_SITES = 65_536

PairsFunction = Callable[[np.ndarray, np.ndarray, object], np.ndarray]


@dataclass(frozen=True)
class CatchmentTotals:
    """Per-site figures over the features within R.

    Attributes
    ----------
    count : ndarray of int64
        Features within R of each site.
    sums : ndarray of float or None
        Sum of the per-feature ``values`` (NaN counts 0); None without values.
    categories : ndarray of int64, shape (n_sites, n_categories), or None
        Features per category code; None without codes.
    """

    count: np.ndarray
    sums: np.ndarray | None = None
    categories: np.ndarray | None = None


def site_chunks(n: int, sizes: Callable[[int, int], int], first: int = 1) -> Iterator[slice]:
    """Consecutive slices over ``n`` sites; ``sizes(done, last)`` gives the next size."""
    start, size = 0, max(int(first), 1)
    while start < n:
        stop = min(n, start + size)
        yield slice(start, stop)
        size = max(int(sizes(stop - start, size)), 1)
        start = stop


def catchment_totals(
    sites: np.ndarray,
    radii: np.ndarray | float,
    layer,
    *,
    values: np.ndarray | None = None,
    codes: np.ndarray | None = None,
    n_categories: int = 0,
    pair_budget: int | None = None,
    pairs: PairsFunction | None = None,
    prefix: DiscPrefix | None = None,
) -> CatchmentTotals:
    """Count (and sum, and count per category) the features within R of each site.

    Parameters
    ----------
    sites : ndarray of shapely geometries
        Valid, non-empty site geometries (EPSG:5186).
    radii : float or ndarray
        Catchment radius per site (m, >= 0).
    layer : IndexedLayer or PointGrid
        The indexed features.
    values : ndarray of float, optional
        A value per feature (in the layer's order) to sum per site.
    codes : ndarray of int, optional
        A category code per feature (-1 = missing, skipped) to count per site.
    n_categories : int
        The number of categories of ``codes``.
    pair_budget : int, optional
        Pairs per chunk (default :data:`PAIR_BUDGET`).
    pairs : callable, optional
        ``pairs(sites, radii, layer) -> (2, k) int array`` of (site, feature) index
        pairs within R (default :func:`~app.core.indicators.catchment.catchment_pairs`).
    prefix : DiscPrefix, optional
        Prefix sums of ``values`` and ``codes`` over a PointGrid layer: point sites are
        then summed by :func:`~app.core.indicators.disc_totals.disc_totals` (the same
        figures without a pair per point) unless ``pairs`` is given.

    Returns
    -------
    CatchmentTotals
        The same figures as one query over all sites, whatever the chunks.
    """
    sites = np.asarray(sites, dtype=object)
    n = len(sites)
    radii = np.broadcast_to(np.asarray(radii, dtype=float), (n,))
    budget = PAIR_BUDGET if pair_budget is None else max(int(pair_budget), 1)
    find = pairs or catchment.catchment_pairs
    count = np.zeros(n, dtype=np.int64)
    sums = None if values is None else np.zeros(n)
    categories = None if codes is None else np.zeros((n, n_categories), dtype=np.int64)
    seen = {"pairs": 0}
    todo = np.arange(n)
    if (
        pairs is None
        and prefix is not None
        and isinstance(layer, PointGrid)
        and (values is None or prefix.sums is not None)
        and (codes is None or prefix.categories is not None)
        and n
    ):
        points = (shapely.get_type_id(sites) == 0) & ~shapely.is_empty(sites)
        if points.any():
            at = np.flatnonzero(points)
            c, s, k = disc_totals(
                layer, shapely.get_coordinates(sites[at]), radii[at], prefix, values, codes,
                n_categories,
            )  # fmt: skip
            count[at] = c
            if sums is not None and s is not None:
                sums[at] = s
            if categories is not None and k is not None:
                categories[at] = k
            todo = np.flatnonzero(~points)
    if len(todo) < n:  # the other sites (polygons ...) from pairs
        rest = catchment_totals(
            sites[todo], radii[todo], layer, values=values, codes=codes,
            n_categories=n_categories, pair_budget=pair_budget,
        )  # fmt: skip
        count[todo] = rest.count
        if sums is not None and rest.sums is not None:
            sums[todo] = rest.sums
        if categories is not None and rest.categories is not None:
            categories[todo] = rest.categories
        return CatchmentTotals(count, sums, categories)

    # here, not above: a preview's disc totals need no pass over every point's value
    weights = None if values is None else np.nan_to_num(np.asarray(values, dtype=float))

    def next_size(done: int, last: int) -> int:
        per_site = max(seen["pairs"] / max(done, 1), 1.0)
        return int(min(budget / per_site, 4 * max(last, 1), MAX_SITES))

    for chunk in site_chunks(n, next_size):
        found = find(sites[chunk], radii[chunk], layer)
        m = chunk.stop - chunk.start
        seen["pairs"] = found.shape[1]
        count[chunk] = catchment.catchment_counts(found, m)
        if sums is not None and weights is not None:
            sums[chunk] = np.bincount(found[0], weights=weights[found[1]], minlength=m)
        if categories is not None and codes is not None:
            categories[chunk] = catchment.catchment_category_counts(found, m, codes, n_categories)
        del found
    return CatchmentTotals(count, sums, categories)
