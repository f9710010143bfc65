"""Composite site score: weighted mean of monotone 0–1 transforms (docs/indicators.md).

| criterion    | indicator             | transform               | reference (default) |
|--------------|-----------------------|-------------------------|---------------------|
| startups     | ``startups_n``        | ``n / (n + n_ref)``     | n_ref = 250         |
| diversity    | ``sector_evenness``   | identity (already 0–1)  | —                   |
| education    | ``education_nearest_m`` | ``exp(-d / d_ref)``   | d_ref = 1000 m      |
| transit      | ``station_nearest_m`` | ``exp(-d / d_ref)``     | d_ref = 500 m       |
| floor_area   | ``max_gfa_m2``        | ``g / (g + g_ref)``     | g_ref = 10 000 m²   |

Each transform is 0.5 at its reference value. ``score = 100 × Σ w_k c_k / Σ w_k`` over
the criteria whose indicator is known (a missing column drops its criterion and the
other weights are renormalised); NaN when none is known. Sites whose use is not
permitted rank below every permitted site, whatever their score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from app.core.errors import InnoAtlasError


class ScoreSettingsError(InnoAtlasError):
    """Weights or reference values are invalid."""


@dataclass(frozen=True)
class Weights:
    """User weights of the score criteria (any non-negative numbers; normalised on use)."""

    startups: float = 0.30
    diversity: float = 0.15
    education: float = 0.20
    transit: float = 0.20
    floor_area: float = 0.15

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ScoreSettingsError(f"weight {item.name} must be a number >= 0, not {value!r}")

    def to_dict(self) -> dict[str, float]:
        """Plain dict for saving with a project."""
        return {key: float(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, float] | None) -> Weights:
        """Weights from a saved dict; missing keys keep their default, unknown keys are ignored."""
        known = {item.name for item in fields(cls)}
        return cls(**{key: float(value) for key, value in (data or {}).items() if key in known})


@dataclass(frozen=True)
class References:
    """Reference values: each transform gives 0.5 there."""

    startups_n: float = 250.0
    education_m: float = 1000.0
    station_m: float = 500.0
    gfa_m2: float = 10_000.0

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ScoreSettingsError(
                    f"reference {item.name} must be a number > 0, not {value!r}"
                )

    def to_dict(self) -> dict[str, float]:
        """Plain dict for saving with a project."""
        return {key: float(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, float] | None) -> References:
        """References from a saved dict; missing keys keep their default."""
        known = {item.name for item in fields(cls)}
        return cls(**{key: float(value) for key, value in (data or {}).items() if key in known})


@dataclass(frozen=True)
class Criterion:
    """One score criterion: its indicator column and how it is transformed."""

    key: str
    column: str
    label: str
    transform: str  # human-readable formula, with the reference named


CRITERIA: tuple[Criterion, ...] = (
    Criterion("startups", "startups_n", "Start-up concentration", "n / (n + n_ref)"),
    Criterion("diversity", "sector_evenness", "Sector diversity", "evenness H / ln S"),
    Criterion("education", "education_nearest_m", "Education access", "exp(-d / d_ref)"),
    Criterion("transit", "station_nearest_m", "Transit access", "exp(-d / d_ref)"),
    Criterion("floor_area", "max_gfa_m2", "Buildable floor area", "gfa / (gfa + gfa_ref)"),
)
#: Criterion key -> the References field it uses (None: no reference).
REFERENCE_OF = {
    "startups": "startups_n",
    "diversity": None,
    "education": "education_m",
    "transit": "station_m",
    "floor_area": "gfa_m2",
}


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def criterion_values(
    indicators: pd.DataFrame, references: References | None = None
) -> pd.DataFrame:
    """Transformed criteria (0–1, NaN where the indicator is unknown), one column each.

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators (at least the columns named in :data:`CRITERIA`).
    references : References, optional
        Reference values (defaults shipped).

    Returns
    -------
    DataFrame
        Columns ``startups``, ``diversity``, ``education``, ``transit``, ``floor_area``,
        the index of ``indicators``.
    """
    ref = references or References()
    n = np.maximum(_column(indicators, "startups_n"), 0)
    gfa = np.maximum(_column(indicators, "max_gfa_m2"), 0)
    values = {
        "startups": n / (n + ref.startups_n),
        "diversity": np.clip(_column(indicators, "sector_evenness"), 0, 1),
        "education": np.exp(
            -np.maximum(_column(indicators, "education_nearest_m"), 0) / ref.education_m
        ),
        "transit": np.exp(-np.maximum(_column(indicators, "station_nearest_m"), 0) / ref.station_m),
        "floor_area": gfa / (gfa + ref.gfa_m2),
    }
    return pd.DataFrame(values, index=indicators.index)


def composite_score(criteria: pd.DataFrame, weights: Weights | None = None) -> pd.Series:
    """``100 × Σ w_k c_k / Σ w_k`` over the known criteria of each site (NaN if none)."""
    w = np.array([getattr(weights or Weights(), c.key) for c in CRITERIA])
    values = criteria[[c.key for c in CRITERIA]].to_numpy(dtype=float)
    known = np.isfinite(values)
    weight_sum = (known * w).sum(axis=1)
    total = (np.where(known, values, 0.0) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(weight_sum > 0, 100.0 * total / weight_sum, np.nan)
    return pd.Series(score, index=criteria.index, name="score")


def score_breakdown(
    indicators: pd.DataFrame, weights: Weights | None = None, references: References | None = None
) -> pd.DataFrame:
    """Each site's criteria: raw value, reference, transformed value, weight, points.

    Returns
    -------
    DataFrame
        One row per (site, criterion), in :data:`CRITERIA` order, with columns
        ``site`` (the index label of ``indicators``), ``criterion``, ``label``,
        ``column``, ``raw``, ``transform``, ``reference``, ``value`` (0–1),
        ``weight`` (as set), ``weight_share`` (normalised over the site's known
        criteria) and ``points`` (``100 × weight_share × value``; they add up to
        the score).
    """
    weights = weights or Weights()
    references = references or References()
    crit = criterion_values(indicators, references)
    rows = []
    for criterion in CRITERIA:  # five criteria: a loop over criteria, not sites
        ref_field = REFERENCE_OF[criterion.key]
        rows.append(
            pd.DataFrame(
                {
                    "site": indicators.index,
                    "criterion": criterion.key,
                    "label": criterion.label,
                    "column": criterion.column,
                    "raw": _column(indicators, criterion.column),
                    "transform": criterion.transform,
                    "reference": getattr(references, ref_field) if ref_field else np.nan,
                    "value": crit[criterion.key].to_numpy(),
                    "weight": getattr(weights, criterion.key),
                }
            )
        )
    table = pd.concat(rows, ignore_index=True)
    known = np.isfinite(table["value"].to_numpy(dtype=float))
    effective = np.where(known, table["weight"].to_numpy(dtype=float), 0.0)
    total = pd.Series(effective).groupby(table["site"].to_numpy()).transform("sum").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, effective / total, 0.0)
    table["weight_share"] = share
    table["points"] = np.where(known, 100.0 * share * table["value"].fillna(0.0), np.nan)
    order = {key: i for i, key in enumerate(c.key for c in CRITERIA)}
    position = {label: i for i, label in enumerate(indicators.index)}
    table["_site"] = table["site"].map(position)
    table["_crit"] = table["criterion"].map(order)
    return (
        table.sort_values(["_site", "_crit"])
        .drop(columns=["_site", "_crit"])
        .reset_index(drop=True)
    )


def rank_sites(indicators: pd.DataFrame) -> pd.Series:
    """Rank 1..n: permitted sites first by score (high first), then all the others.

    A site counts as permitted only when ``use_permitted`` is True (False and unknown
    rank below); an unknown score ranks last within its group; ties keep input order.
    """
    permitted = (
        indicators["use_permitted"].map(lambda v: v is True or v is np.True_)
        if "use_permitted" in indicators
        else pd.Series(False, index=indicators.index)
    )
    score = _column(indicators, "score")
    key_score = np.where(np.isfinite(score), -score, np.inf)
    order = np.lexsort((np.arange(len(indicators)), key_score, ~permitted.to_numpy(dtype=bool)))
    rank = np.empty(len(indicators), dtype=np.int64)
    rank[order] = np.arange(1, len(indicators) + 1)
    return pd.Series(rank, index=indicators.index, name="rank")
