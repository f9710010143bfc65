"""The indicators of ONE site, as scalars, without a table: the live drag's fast path.

A dragged site is previewed dozens of times a second. :func:`preview_site` computes its
row of docs/indicators.md from the engine's per-site arrays (the same spatial queries
and disc totals as :meth:`IndicatorEngine.compute`, for one site) and scores it with
the score modules' own functions (:func:`~app.core.indicators.criteria.transform`,
the points of :mod:`app.core.indicators.scoring`), without building a pandas
DataFrame. The numbers are identical to the engine's for the same one-row table
(``tests/core/indicators/test_preview.py`` checks every column on random sites and
settings); the full table is still computed when the drag ends.

A site is scored together with the other sites of its ranking (docs/indicators.md: a
criterion unknown for any of them is left out for every one). Given the others
(:class:`OtherSites`, made once per drag from the stored results), the site's score,
``partial`` flag and basis are those of :meth:`IndicatorEngine.compute` over the whole
table with this one site moved: what the card shows once the site is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from app.core.indicators.assemble import check_radius
from app.core.indicators.basis import (
    FAMILIES,
    FAMILY_OF,
    NO_ZONING,
    OUTSIDE_COVERAGE,
    POINT_WITHOUT_LOT,
    SHARE_COLUMNS,
    UNKNOWN_REASONS,
    LeftOut,
    PartialSite,
    ScoreBasis,
    _unknown_reasons,
)
from app.core.indicators.catchment import coverage_share
from app.core.indicators.columns import COLUMNS
from app.core.indicators.criteria import (
    CRITERIA,
    REFERENCE_OF,
    References,
    Weights,
    criterion_values,
    transform,
)
from app.core.indicators.engine import IndicatorEngine
from app.core.indicators.scoring import _points

_INT_COLUMNS = ("startups_n", "education_n", "stations_n")
_OBJECT_COLUMNS = ("top_sector", "zone_shares", "dominant_zone", "restrictions")


@dataclass(frozen=True)
class OtherSites:
    """The other sites of a ranking, as the score basis sees them.

    Attributes
    ----------
    labels : tuple
        The other sites, in table order, as the basis' notes name them.
    values : ndarray (n x criteria)
        Their criterion values (0–1, NaN unknown; :func:`criterion_values`).
    reasons : tuple of tuple of str
        Per criterion (:data:`CRITERIA` order), why it is unknown, per other site.
    shares : ndarray (n x families)
        Their coverage shares per family (:data:`FAMILIES` order; NaN unknown).
    position : int
        The previewed site's place among all sites (0..n).
    references : References
        The references ``values`` were transformed with.
    """

    labels: tuple[Hashable, ...]
    values: np.ndarray
    reasons: tuple[tuple[str, ...], ...]
    shares: np.ndarray
    position: int
    references: References
    #: the partial sites per criteria used (a drag asks for the same few sets)
    _partial_cache: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def scored(self) -> np.ndarray:
        """Which other sites have a known criterion (are scored)."""
        return np.isfinite(self.values).any(axis=1)

    @cached_property
    def missing(self) -> np.ndarray:
        """Other sites x criteria: unknown for a scored site (leaves it out for all)."""
        return ~np.isfinite(self.values) & self.scored[:, None]

    @cached_property
    def left_out_items(self) -> tuple[tuple[tuple, tuple], ...]:
        """Per criterion, the (label, reason) of the other sites lacking it, those
        before the previewed site and those after it."""
        out = []
        for k in range(len(CRITERIA)):
            rows = np.flatnonzero(self.missing[:, k]).tolist()
            items = [(r, (self.labels[r], self.reasons[k][r])) for r in rows]
            out.append(
                (
                    tuple(i for r, i in items if r < self.position),
                    tuple(i for r, i in items if r >= self.position),
                )
            )
        return tuple(out)

    def partial_sites(self, used: tuple[str, ...], scored: bool) -> tuple[list, int]:
        """The other sites compared on partial data when ``used`` criteria count
        (``scored``: the scores are known at all), and how many come before the
        previewed site."""
        key = (used, scored)
        if key not in self._partial_cache:
            columns = [i for i, f in enumerate(FAMILIES) if any(FAMILY_OF[k] == f for k in used)]
            matrix = self.shares[:, columns]
            matrix = np.where(np.isfinite(matrix), matrix, 1.0)
            short = matrix < 1.0
            # every used criterion is known for a scored site: its score is known
            rows = np.flatnonzero(short.any(axis=1) & self.scored & scored).tolist()
            sites = [
                PartialSite(
                    self.labels[row],
                    tuple(
                        (FAMILIES[i], float(matrix[row, col]))
                        for col, i in enumerate(columns)
                        if short[row, col]
                    ),
                )
                for row in rows
            ]
            self._partial_cache[key] = (sites, sum(1 for row in rows if row < self.position))
        sites, before = self._partial_cache[key]
        return list(sites), before

    @classmethod
    def from_table(
        cls,
        table: pd.DataFrame,
        position: int,
        zoning_shares: np.ndarray,
        references: References | None = None,
        labels: Sequence[Hashable] | None = None,
    ) -> OtherSites:
        """The other sites from their indicator table (the engine's columns).

        Parameters
        ----------
        table : DataFrame
            The other sites' indicators (e.g. the stored results without the site).
        position : int
            Where the previewed site sits among all sites.
        zoning_shares : ndarray
            Each other site's share inside the zoning layer's coverage area
            (:func:`zoning_shares`; not a column of the table).
        references : References, optional
        labels : sequence, optional
            The sites' names in the notes (default: the table's index).
        """
        references = references or References()
        keys = [c.key for c in CRITERIA]
        values = criterion_values(table, references)[keys].to_numpy(dtype=float)
        reasons = tuple(tuple(str(r) for r in _unknown_reasons(table, key)) for key in keys)
        shares = (
            np.column_stack(
                [
                    _shares_column(table, family)
                    if family != "zoning"
                    else np.asarray(zoning_shares, dtype=float)
                    for family in FAMILIES
                ]
            )
            if len(table)
            else np.zeros((0, len(FAMILIES)))
        )
        return cls(
            tuple(table.index if labels is None else labels),
            values.reshape(len(table), len(keys)),
            reasons,
            shares,
            int(position),
            references,
        )


def _shares_column(table: pd.DataFrame, family: str) -> np.ndarray:
    column = SHARE_COLUMNS[family]
    if column not in table:
        return np.full(len(table), np.nan)
    return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def zoning_shares(engine: IndicatorEngine, geometries: np.ndarray) -> np.ndarray:
    """Each site's share inside the zoning layer's coverage area, as the engine scores
    it (NaN without a zoning layer or geometry, 1 without a coverage area).

    Parameters
    ----------
    engine : IndicatorEngine
    geometries : array of shapely geometries
        The sites' shapes in EPSG:5186.
    """
    geoms = np.asarray(geometries, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = np.full(len(geoms), np.nan)
    if not engine._present["zoning"] or not ok.any():
        return out
    area = engine.coverage["zoning"]
    if area is None:
        out[ok] = 1.0
        return out
    valid = geoms[ok]
    invalid = ~shapely.is_valid(valid)
    if invalid.any():
        valid = valid.copy()
        valid[invalid] = shapely.make_valid(valid[invalid])
    out[ok] = coverage_share(valid, area)
    return out


@dataclass(frozen=True)
class SitePreview:
    """One site's indicators, score basis and score breakdown.

    Attributes
    ----------
    values : dict
        Every column of :data:`~app.core.indicators.columns.COLUMNS`: counts as ``int``
        (None when unknown), ``use_permitted`` True/False/None, text and JSON columns
        as the engine gives them (None when unknown), ``partial`` a bool, the rest
        floats (NaN when unknown).
    basis : ScoreBasis
        What the score is computed on (the site scored on its own, as the engine
        scores a one-row table), the site named ``name``.
    breakdown : tuple of dict
        One dict per criterion, in :data:`CRITERIA` order, with the columns of
        :func:`~app.core.indicators.scoring.score_breakdown`.
    """

    values: dict[str, Any]
    basis: ScoreBasis
    breakdown: tuple[dict[str, Any], ...]


def preview_site(
    engine: IndicatorEngine,
    geometry: BaseGeometry | None,
    radius: float,
    *,
    own_radius: float = math.nan,
    lot_area: float = math.nan,
    weights: Weights | None = None,
    references: References | None = None,
    name: Hashable = 0,
    others: OtherSites | None = None,
) -> SitePreview:
    """The indicators of one site at ``geometry`` (EPSG:5186), scored on its own or
    with the other sites of its ranking.

    Parameters
    ----------
    engine : IndicatorEngine
        The project's indexed layers and rules.
    geometry : shapely geometry or None
        The site's shape in EPSG:5186 (None or empty: every value unknown).
    radius : float
        The project's R (m, >= 0).
    own_radius : float
        The site's ``radius_m`` (used when finite and >= 0, as the engine does).
    lot_area : float
        The site's ``lot_area_m2`` (a point site's area).
    weights, references : optional
        The score's settings (defaults shipped).
    name : hashable
        The site as the score basis' notes name it.
    others : OtherSites, optional
        The other sites of the ranking (made with the same ``references``); None:
        the site is scored on its own.

    Returns
    -------
    SitePreview
        The values of ``engine.compute`` for a one-row table holding this site (with
        ``others``: for the whole table, at the site's row).

    Raises
    ------
    ValueError
        If ``radius`` is negative or not finite.
    """
    radius = check_radius(radius)
    weights, references = weights or Weights(), references or References()
    r = own_radius if math.isfinite(own_radius) and own_radius >= 0 else radius
    usable = geometry is not None and not shapely.is_empty(geometry)
    if usable:
        arrays = engine._block(
            np.array([geometry], dtype=object),
            np.array([r], dtype=float),
            np.array([lot_area], dtype=float),
            lambda fraction, message: None,
        )
        values = {name_: _scalar(name_, arrays[name_][0]) for name_ in COLUMNS[:-2]}
        shares = {family: float(arrays[f"_share_{family}"][0]) for family in FAMILIES}
    else:
        values = {
            name_: None if name_ in _INT_COLUMNS or name_ in _OBJECT_COLUMNS else math.nan
            for name_ in COLUMNS[:-2]
        }
        values["use_permitted"] = None
        shares = dict.fromkeys(FAMILIES, math.nan)
    raw = np.array([[_float(values[c.column]) for c in CRITERIA]])
    criteria = np.column_stack(
        [
            transform(
                c.key,
                raw[:, i],
                np.nan if (ref := REFERENCE_OF[c.key]) is None else getattr(references, ref),
            )
            for i, c in enumerate(CRITERIA)
        ]
    )
    if others is None:
        basis = _basis(values, criteria[0], weights, references, name)
        points, score = _points(criteria, basis)
        partial = _partial(basis.used, shares, float(score[0]), name)
        values["partial"] = partial is not None
        values["score"] = float(score[0])
        if partial is not None:
            basis = ScoreBasis(
                basis.used, basis.left_out, weights, references, basis.n_sites, (partial,)
            )
    else:
        basis = _ranking_basis(values, criteria[0], weights, references, name, others)
        points, score = _points(criteria, basis)
        values["score"] = float(score[0])
        basis, values["partial"] = _ranking_partial(basis, shares, values["score"], name, others)
        values["score"] = values.pop("score")  # after ``partial``, in the columns' order
    return SitePreview(values, basis, _breakdown(raw[0], criteria[0], points[0], basis))


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _scalar(column: str, value: Any) -> Any:
    """The engine's per-site value as the one-row table holds it."""
    if column == "use_permitted":
        return None if value is None else bool(value)
    if column in _OBJECT_COLUMNS:
        return value
    number = float(value)
    if column in _INT_COLUMNS:
        return None if math.isnan(number) else int(np.round(number))
    return number


def _basis(
    values: dict[str, Any],
    criteria: np.ndarray,
    weights: Weights,
    references: References,
    name: Hashable,
) -> ScoreBasis:
    """:func:`~app.core.indicators.basis.score_basis` of the one site."""
    known = np.isfinite(criteria)
    scored = bool(known.any())
    missing = ~known & scored
    used = tuple(c.key for c, gap in zip(CRITERIA, missing.tolist()) if not gap)
    left_out = tuple(
        LeftOut(c.key, (name,), (_reason(values, c.key),))
        for c, gap in zip(CRITERIA, missing.tolist())
        if gap
    )
    return ScoreBasis(used, left_out, weights, references, int(scored))


def _ranking_basis(
    values: dict[str, Any],
    criteria: np.ndarray,
    weights: Weights,
    references: References,
    name: Hashable,
    others: OtherSites,
) -> ScoreBasis:
    """:func:`~app.core.indicators.basis.score_basis` of the whole ranking, the site at
    ``others.position`` (without its partial sites)."""
    known = np.isfinite(criteria)
    scored = bool(known.any())
    missing = ~known & scored
    gaps = (others.missing.any(axis=0) | missing).tolist()
    used = tuple(c.key for c, gap in zip(CRITERIA, gaps) if not gap)
    left_out = []
    for k, c in enumerate(CRITERIA):
        if not gaps[k]:
            continue
        before, after = others.left_out_items[k]
        items = before + (((name, _reason(values, c.key)),) if missing[k] else ()) + after
        left_out.append(LeftOut(c.key, tuple(i[0] for i in items), tuple(i[1] for i in items)))
    n_sites = int(others.scored.sum()) + int(scored)
    return ScoreBasis(used, tuple(left_out), weights, references, n_sites)


def _ranking_partial(
    basis: ScoreBasis, shares: dict[str, float], score: float, name: Hashable, others: OtherSites
) -> tuple[ScoreBasis, bool]:
    """The partial sites of the whole ranking
    (:func:`~app.core.indicators.scoring.partial_sites`) and the site's own flag."""
    sites, before = others.partial_sites(basis.used, bool(basis.used) and basis.entered_total() > 0)
    mine = _partial(basis.used, shares, score, name)
    if mine is not None:
        sites.insert(before, mine)
    return (
        ScoreBasis(
            basis.used,
            basis.left_out,
            basis.weights,
            basis.references,
            basis.n_sites,
            tuple(sites),
        ),  # fmt: skip
        mine is not None,
    )


def _reason(values: dict[str, Any], key: str) -> str:
    """Why criterion ``key`` is unknown for the site (as ``basis._unknown_reasons``)."""
    reason = UNKNOWN_REASONS[key]
    if key == "diversity" and not math.isfinite(_float(values["startups_n"])):
        reason = UNKNOWN_REASONS["startups"]
    family = FAMILY_OF[key]
    if family in OUTSIDE_COVERAGE and _float(values[SHARE_COLUMNS[family]]) == 0:
        reason = OUTSIDE_COVERAGE[family]
    if key == "floor_area":
        if values["dominant_zone"] is None:
            reason = NO_ZONING
        if not math.isfinite(_float(values["site_area_m2"])):
            reason = POINT_WITHOUT_LOT
    return reason


def _partial(
    used: tuple[str, ...], shares: dict[str, float], score: float, name: Hashable
) -> PartialSite | None:
    """The site as :func:`~app.core.indicators.scoring.partial_sites` marks it."""
    if not math.isfinite(score):
        return None
    families = [f for f in FAMILIES if any(FAMILY_OF[key] == f for key in used)]
    short = tuple(
        (family, value)
        for family in families
        if (value := shares[family] if math.isfinite(shares[family]) else 1.0) < 1.0
    )
    return PartialSite(name, short) if short else None


def _breakdown(
    raw: np.ndarray, criteria: np.ndarray, points: np.ndarray, basis: ScoreBasis
) -> tuple[dict[str, Any], ...]:
    """The rows of :func:`~app.core.indicators.scoring.score_breakdown` for the site."""
    shares = basis.shares()
    return tuple(
        {
            "criterion": c.key,
            "label": c.label,
            "column": c.column,
            "raw": float(raw[i]),
            "transform": c.transform,
            "reference": (
                math.nan
                if (ref := REFERENCE_OF[c.key]) is None
                else float(getattr(basis.references, ref))
            ),
            "value": float(criteria[i]),
            "weight": float(getattr(basis.weights, c.key)),
            "used": c.key in basis.used,
            "weight_share": float(shares[c.key]),
            "points": float(points[i]),
        }
        for i, c in enumerate(CRITERIA)
    )
