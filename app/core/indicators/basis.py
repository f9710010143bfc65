"""What one ranking is scored on: the criteria used, those left out and why, the sites
compared on partial data (docs/indicators.md). Re-exported by
:mod:`app.core.indicators.score`."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from app.core.indicators.criteria import (
    CRITERIA,
    References,
    Weights,
    _column,
    criterion_values,
)

#: The layer families whose coverage a site's values depend on (docs/indicators.md).
FAMILIES: tuple[str, ...] = ("startups", "education", "stations", "zoning")
#: Criterion key -> the layer family it reads.
FAMILY_OF = {
    "startups": "startups",
    "diversity": "startups",
    "education": "education",
    "transit": "stations",
    "floor_area": "zoning",
}
#: Family -> its coverage share column (zoning: the polygon-based ``zoning_coverage``).
SHARE_COLUMNS = {
    "startups": "startups_coverage",
    "education": "education_coverage",
    "stations": "stations_coverage",
}
#: Family -> the words a note uses for it (English; translated where shown).
FAMILY_WORDS = {
    "startups": "start-ups",
    "education": "universities",
    "stations": "stations",
    "zoning": "zoning",
}
#: Why a criterion is unknown where the site is outside its layer's coverage area.
OUTSIDE_COVERAGE = {
    "startups": "outside the start-up layer's coverage",
    "education": "outside the university layer's coverage",
    "stations": "outside the station layer's coverage",
}

#: ``DataFrame.attrs`` key of the :class:`ScoreBasis` a table was scored on.
BASIS = "score_basis"
#: Why a criterion's indicator can be unknown for a site (English; translated where shown).
POINT_WITHOUT_LOT = "point site without lot area"
NO_ZONING = "no zoning data under the site"
UNKNOWN_REASONS = {
    "startups": "no start-up data",
    "diversity": "no sector data",
    "education": "no university data",
    "transit": "no station data",
    "floor_area": "floor area unknown",
}


@dataclass(frozen=True)
class LeftOut:
    """A criterion left out of every score of a ranking, and the sites that lack it.

    ``sites`` are the sites' index labels until :meth:`ScoreBasis.named` replaces them
    with names; ``reasons`` holds one English reason per site.
    """

    criterion: str
    sites: tuple[Hashable, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PartialSite:
    """A site compared on partial data: the families the score uses that cover only
    part of its catchment, with their shares (0–1), in :data:`FAMILIES` order.

    ``site`` is the index label until :meth:`ScoreBasis.named` replaces it with a name.
    """

    site: Hashable
    shares: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ScoreBasis:
    """What one ranking is scored on: the criteria used, those left out, the settings.

    Attributes
    ----------
    used : tuple of str
        Keys of the criteria that count, in :data:`CRITERIA` order.
    left_out : tuple of LeftOut
        The criteria unknown for at least one scored site, left out for every site.
    weights, references : Weights, References
        The settings the scores were computed with.
    n_sites : int
        The sites scored together (those with at least one known criterion).
    partial : tuple of PartialSite
        The sites compared on partial data (ranked after the complete ones).
    """

    used: tuple[str, ...]
    left_out: tuple[LeftOut, ...] = ()
    weights: Weights = field(default_factory=Weights)
    references: References = field(default_factory=References)
    n_sites: int = 0
    partial: tuple[PartialSite, ...] = ()

    def __deepcopy__(self, memo: dict) -> ScoreBasis:
        """The basis itself: it is immutable all the way down (frozen dataclasses and
        tuples), and pandas deep-copies ``DataFrame.attrs`` on every operation on a
        scored table (a live drag made hundreds of copies a second)."""
        return self

    def shares(self) -> dict[str, float]:
        """Weight share of each criterion: ``weight / Σ weights of the used criteria``
        (0 for a left-out criterion; all 0 when the used weights sum to 0)."""
        total = self.entered_total()
        return {
            c.key: getattr(self.weights, c.key) / total if c.key in self.used and total > 0 else 0.0
            for c in CRITERIA
        }

    def entered_total(self) -> float:
        """The sum of the weights as entered, over the used criteria (1 when normalised)."""
        return float(sum(getattr(self.weights, key) for key in self.used))

    def named(self, names: Mapping[Hashable, str]) -> ScoreBasis:
        """The same basis with the left-out sites' labels replaced by ``names[label]``."""
        left_out = tuple(
            replace(item, sites=tuple(names.get(site, site) for site in item.sites))
            for item in self.left_out
        )
        partial = tuple(
            replace(item, site=names.get(item.site, item.site)) for item in self.partial
        )
        return replace(self, left_out=left_out, partial=partial)


def score_basis(
    indicators: pd.DataFrame, weights: Weights | None = None, references: References | None = None
) -> ScoreBasis:
    """The criteria a ranking of ``indicators`` is scored on (docs/indicators.md).

    A criterion whose indicator is unknown for any site that has at least one known
    criterion is left out for every site (a site with none, e.g. without geometry, is
    not scored and does not count). A single site follows the same rule on its own.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators (the columns of :data:`CRITERIA`; ``site_area_m2`` and
        ``dominant_zone`` give the reason a floor area is unknown).
    weights, references : Weights, References, optional
        The settings (defaults shipped).

    Returns
    -------
    ScoreBasis
    """
    weights, references = weights or Weights(), references or References()
    keys = [c.key for c in CRITERIA]
    values = criterion_values(indicators, references)[keys].to_numpy(dtype=float)
    missing = _missing(values)
    used = _used_keys(missing)
    left_out = []
    for position, key in enumerate(keys):  # five criteria: a loop over criteria, not sites
        rows = np.flatnonzero(missing[:, position])
        if len(rows):
            reasons = _unknown_reasons(indicators, key)[rows]
            left_out.append(  # .tolist(): Python scalars at C speed (a million sites)
                LeftOut(
                    key,
                    tuple(indicators.index[rows].tolist()),
                    tuple(map(str, reasons.tolist())),
                )
            )
    scored = int(np.isfinite(values).any(axis=1).sum())
    return ScoreBasis(used, tuple(left_out), weights, references, scored)


def _used_keys(missing: np.ndarray) -> tuple[str, ...]:
    """The criteria known for every scored site (``missing``: :func:`_missing`)."""
    gaps = np.atleast_1d(np.asarray(missing, dtype=bool).any(axis=0)).tolist()
    return tuple(c.key for c, gap in zip(CRITERIA, gaps, strict=True) if not gap)


def _missing(values: np.ndarray) -> np.ndarray:
    """Sites × criteria: unknown for a site that has at least one known criterion."""
    known = np.isfinite(values)
    return ~known & known.any(axis=1)[:, None]


def _unknown_reasons(indicators: pd.DataFrame, key: str) -> np.ndarray:
    """The English reason the criterion ``key`` is unknown, for every site."""
    n = len(indicators)
    reason = np.full(n, UNKNOWN_REASONS[key], dtype=object)
    if key == "diversity":
        reason[~np.isfinite(_column(indicators, "startups_n"))] = UNKNOWN_REASONS["startups"]
    family = FAMILY_OF[key]
    if family in OUTSIDE_COVERAGE:
        reason[_column(indicators, SHARE_COLUMNS[family]) == 0] = OUTSIDE_COVERAGE[family]
    if key == "floor_area":
        zone = (
            indicators["dominant_zone"].isna().to_numpy()
            if "dominant_zone" in indicators
            else np.ones(n, bool)
        )
        reason[zone] = NO_ZONING
        reason[~np.isfinite(_column(indicators, "site_area_m2"))] = POINT_WITHOUT_LOT
    return reason
