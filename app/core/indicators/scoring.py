"""Scores, the breakdown into points and the ranking (docs/indicators.md).
Re-exported by :mod:`app.core.indicators.score`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from app.core.indicators.basis import (
    BASIS,
    FAMILIES,
    FAMILY_OF,
    SHARE_COLUMNS,
    PartialSite,
    ScoreBasis,
    _missing,
    _used_keys,
    score_basis,
)
from app.core.indicators.criteria import (
    CRITERIA,
    REFERENCE_OF,
    References,
    Weights,
    _column,
    criterion_values,
)


def _points(values: np.ndarray, basis: ScoreBasis) -> tuple[np.ndarray, np.ndarray]:
    """Points (sites × criteria; NaN where left out) and scores ``Σ points`` (NaN when a
    site has no known criterion or the used weights sum to 0)."""
    shares = basis.shares()
    share = np.array([shares[c.key] for c in CRITERIA])
    used = np.array([c.key in basis.used for c in CRITERIA])
    points = 100.0 * share[None, :] * values
    points[:, ~used] = np.nan
    if not used.any() or basis.entered_total() <= 0:
        return points, np.full(len(values), np.nan)
    return points, points[:, used].sum(axis=1)


def composite_score(
    criteria: pd.DataFrame, weights: Weights | None = None, basis: ScoreBasis | None = None
) -> pd.Series:
    """``Σ points = 100 × Σ_k share_k c_k`` over the criteria of the ranking's basis.

    Parameters
    ----------
    criteria : DataFrame
        :func:`criterion_values` of the sites.
    weights : Weights, optional
        The weights (defaults shipped); ignored when ``basis`` is given.
    basis : ScoreBasis, optional
        The criteria used; default: :func:`score_basis` of these sites (a criterion
        unknown for any of them is left out for all).
    """
    keys = [c.key for c in CRITERIA]
    values = criteria[keys].to_numpy(dtype=float)
    if basis is None:
        missing = _missing(values)
        used = _used_keys(missing)
        basis = ScoreBasis(used, weights=weights or Weights())
    return pd.Series(_points(values, basis)[1], index=criteria.index, name="score")


def score_sites(
    frame: pd.DataFrame,
    weights: Weights | None = None,
    references: References | None = None,
    *,
    shares: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Set ``frame["score"]`` and ``frame["partial"]``, and record the :class:`ScoreBasis`
    in ``frame.attrs[BASIS]``.

    Every site of ``frame`` is scored on the same criteria (:func:`score_basis`).

    Parameters
    ----------
    frame : DataFrame
        Per-site indicators; changed in place.
    weights, references : optional
        The settings (defaults shipped).
    shares : mapping, optional
        ``{family: share per site (0–1, NaN unknown)}`` of :data:`FAMILIES`: the share of
        each site's catchment inside the family's coverage area. Default: the
        ``*_coverage`` columns of start-ups, education and stations; zoning 1.
    """
    basis = score_basis(frame, weights, references)
    frame["score"] = composite_score(criterion_values(frame, basis.references), basis=basis)
    partial, sites = partial_sites(frame, basis.used, shares)
    frame["partial"] = partial
    frame.attrs[BASIS] = replace(basis, partial=sites)


def partial_sites(
    frame: pd.DataFrame, used: tuple[str, ...], shares: Mapping[str, np.ndarray] | None = None
) -> tuple[np.ndarray, tuple[PartialSite, ...]]:
    """Which sites are compared on partial data: a family that a used criterion reads
    covers only part of the site's catchment (0 ≤ share < 1). A site without a score
    (no known criterion) is compared on nothing and is not partial.

    Returns
    -------
    (ndarray of bool, tuple of PartialSite)
        The ``partial`` flag per site and the partial sites with their shares.
    """
    n = len(frame)
    families = [f for f in FAMILIES if any(FAMILY_OF[key] == f for key in used)]
    given = dict(shares or {})
    matrix = np.ones((n, len(families)))
    for position, family in enumerate(families):
        if family in given:
            values = np.asarray(given[family], dtype=float)
        elif family in SHARE_COLUMNS:
            values = _column(frame, SHARE_COLUMNS[family])
        else:
            values = np.ones(n)
        matrix[:, position] = np.where(np.isfinite(values), values, 1.0)
    short = matrix < 1.0
    scored = np.isfinite(_column(frame, "score"))
    flag = np.asarray(short.any(axis=1), dtype=bool).reshape(n) & scored
    sites = tuple(
        PartialSite(
            frame.index[row],
            tuple(
                (family, float(matrix[row, col]))
                for col, family in enumerate(families)
                if short[row, col]
            ),
        )
        for row in np.flatnonzero(flag)  # the partial sites only, for the note
    )
    return flag, sites


def score_breakdown(
    indicators: pd.DataFrame,
    weights: Weights | None = None,
    references: References | None = None,
    basis: ScoreBasis | None = None,
) -> pd.DataFrame:
    """Each site's criteria: raw value, transform, reference, 0–1 value, share, points.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators, e.g. a table scored by :func:`score_sites` or some rows
        of it: its ``attrs[BASIS]`` (the whole ranking's basis) is then used.
    weights, references : optional
        Override the basis' settings.
    basis : ScoreBasis, optional
        Default: ``indicators.attrs[BASIS]``, else :func:`score_basis` of ``indicators``.

    Returns
    -------
    DataFrame
        ``len(CRITERIA)`` rows per site, sites in their order, criteria in
        :data:`CRITERIA` order, with columns ``site`` (the index label), ``criterion``,
        ``label``, ``column``, ``raw``, ``transform``, ``reference``, ``value`` (0–1),
        ``weight`` (as entered), ``used`` (False: left out for every site),
        ``weight_share`` (``weight / Σ used weights``; 0 when left out) and ``points``
        (``100 × weight_share × value``, NaN when left out). A site's points add up to
        its score exactly.
    """
    basis = basis or indicators.attrs.get(BASIS)
    if basis is None:
        basis = score_basis(indicators, weights, references)
    basis = replace(
        basis, weights=weights or basis.weights, references=references or basis.references
    )
    keys = [c.key for c in CRITERIA]
    values = criterion_values(indicators, basis.references)[keys].to_numpy(dtype=float)
    points, _ = _points(values, basis)
    n, k = len(indicators), len(CRITERIA)
    shares = basis.shares()
    refs = [
        np.nan if (name := REFERENCE_OF[c.key]) is None else getattr(basis.references, name)
        for c in CRITERIA
    ]
    raw = np.column_stack([_column(indicators, c.column) for c in CRITERIA]) if n else values
    return pd.DataFrame(
        {
            "site": np.repeat(np.asarray(indicators.index, dtype=object), k),
            "criterion": np.tile(keys, n),
            "label": np.tile([c.label for c in CRITERIA], n),
            "column": np.tile([c.column for c in CRITERIA], n),
            "raw": raw.reshape(-1),
            "transform": np.tile([c.transform for c in CRITERIA], n),
            "reference": np.tile(refs, n),
            "value": values.reshape(-1),
            "weight": np.tile([getattr(basis.weights, key) for key in keys], n),
            "used": np.tile([key in basis.used for key in keys], n),
            "weight_share": np.tile([shares[key] for key in keys], n),
            "points": points.reshape(-1),
        }
    )


def rank_sites(indicators: pd.DataFrame) -> pd.Series:
    """Rank 1..n: permitted sites first by score (high first), then all the others.

    A site counts as permitted only when ``use_permitted`` is True (False and unknown
    rank below); within each group the sites compared on partial data (``partial``
    True) rank after the complete ones; an unknown score ranks last within its group;
    ties keep input order.
    """

    def flag(column: str) -> np.ndarray:  # True only where the value is True
        if column not in indicators:
            return np.zeros(len(indicators), bool)
        values = indicators[column].to_numpy(dtype=object)
        return np.fromiter((v is True or v is np.True_ for v in values), bool, len(values))

    permitted, partial = flag("use_permitted"), flag("partial")
    score = _column(indicators, "score")
    key_score = np.where(np.isfinite(score), -score, np.inf)
    order = np.lexsort((np.arange(len(indicators)), key_score, partial, ~permitted))
    rank = np.empty(len(indicators), dtype=np.int64)
    rank[order] = np.arange(1, len(indicators) + 1)
    return pd.Series(rank, index=indicators.index, name="rank")
