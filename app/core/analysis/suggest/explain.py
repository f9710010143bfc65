"""Why each chosen site: what it covers alone, what it adds, what only it covers.

The chosen points are ranked in greedy order over the chosen set (largest marginal
contribution on top of the fixed sites and the better-ranked points first) and each gets
the demand within R of it alone, its marginal demand and its unique demand (covered by no
other chosen or fixed site), the demand it is the nearest site of and their mean distance
to it, with its position in EPSG:5186 and WGS84.
"""

from __future__ import annotations

import numpy as np

from app.core.analysis.suggest.coverage import Coverage
from app.core.analysis.suggest.model import SuggestedSite
from app.core.analysis.suggest.pmedian import MedianDemand, nearest_chosen


def explain(
    chosen: list[int],
    coverage: Coverage,
    weights: np.ndarray,
    fixed_cov: np.ndarray,
    cx: np.ndarray,
    cy: np.ndarray,
    czone: np.ndarray,
    median: MedianDemand | None = None,
) -> tuple[SuggestedSite, ...]:
    """Rank the chosen points by marginal contribution and say what each covers.

    Parameters
    ----------
    chosen : list of int
        Indices of the chosen candidates.
    coverage : Coverage
        The coverage pairs (candidate, demand point).
    weights : ndarray
        Full weight of each demand point of D (not the residual one).
    fixed_cov : ndarray of bool
        Demand points a fixed site already covers.
    cx, cy, czone : ndarray
        The candidates' coordinates (EPSG:5186) and zone types.
    median : MedianDemand, optional
        The demand points for the assignment: each site's ``assigned_demand`` (demand
        whose nearest chosen or fixed site it is) and their ``mean_distance_m``.

    Returns
    -------
    tuple of SuggestedSite
        By rank, 1 = largest marginal contribution.
    """
    from app.core.geodesy import to_lonlat

    masks = {}
    for j in chosen:
        start, stop = np.searchsorted(coverage.pairs[0], [j, j + 1])
        mask = np.zeros(len(weights), bool)
        mask[coverage.pairs[1][start:stop]] = True
        masks[j] = mask
    counts = {j: int(m.sum()) for j, m in masks.items()}
    covered = fixed_cov.copy()
    ranked: list[tuple[int, float]] = []
    left = list(chosen)
    while left:  # greedy order over the chosen set: largest marginal first
        gains = [float(weights[masks[j] & ~covered].sum()) for j in left]
        best = int(np.argmax(gains))
        j = left.pop(best)
        ranked.append((j, gains[best]))
        covered |= masks[j]
    hits = np.zeros(len(weights), int) + fixed_cov
    for m in masks.values():
        hits = hits + m
    order = [j for j, _ in ranked]
    assigned = np.zeros(len(order))
    distance = np.zeros(len(order))
    if median is not None and order:
        dist, which = nearest_chosen(cx, cy, median, order)
        mine = which >= 0
        assigned = np.bincount(
            which[mine], weights=median.weights[mine], minlength=len(order)
        ).astype(float)
        summed = np.bincount(
            which[mine], weights=(median.weights * dist)[mine], minlength=len(order)
        )
        distance = np.divide(summed, assigned, out=np.zeros(len(order)), where=assigned > 0)
    xs, ys = cx[order], cy[order]
    lon, lat = to_lonlat(xs, ys)
    lon, lat = np.atleast_1d(lon), np.atleast_1d(lat)
    return tuple(
        SuggestedSite(
            rank=r + 1,
            x=float(cx[j]),
            y=float(cy[j]),
            lon=float(lon[r]),
            lat=float(lat[r]),
            zone_type=str(czone[j]),
            demand_within_r=float(weights[masks[j]].sum()),
            marginal_demand=marginal,
            unique_demand=float(weights[masks[j] & (hits == 1)].sum()),
            startups_within_r=counts[j],
            assigned_demand=float(assigned[r]),
            mean_distance_m=float(distance[r]),
        )
        for r, (j, marginal) in enumerate(ranked)
    )
