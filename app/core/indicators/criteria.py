"""Score criteria and their settings: weights, reference values and the 0–1 transforms
(docs/indicators.md, "Composite score"). Re-exported by :mod:`app.core.indicators.score`."""

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
    Criterion("diversity", "sector_evenness", "Sector diversity", "clip(e, 0, 1)"),
    Criterion("education", "education_nearest_m", "Education access", "exp(-d / d_ref)"),
    Criterion("transit", "station_nearest_m", "Transit access", "exp(-d / d_ref)"),
    Criterion("floor_area", "max_gfa_m2", "Buildable floor area", "g / (g + g_ref)"),
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
    column = frame[name]
    if pd.api.types.is_numeric_dtype(column.dtype):  # no parsing (runs on every preview)
        return column.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)


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
    values = {
        c.key: transform(
            c.key,
            _column(indicators, c.column),
            np.nan if REFERENCE_OF[c.key] is None else getattr(ref, str(REFERENCE_OF[c.key])),
        )
        for c in CRITERIA
    }
    return pd.DataFrame(values, index=indicators.index)


def transform(key: str, raw: np.ndarray, reference) -> np.ndarray:
    """The 0–1 transform of criterion ``key`` (NaN where ``raw`` is NaN).

    ``raw`` and ``reference`` broadcast together, so that the robustness analysis
    (:mod:`app.core.decisions.robust`) transforms every site under thousands of reference
    values at once. Negative raw values are clamped to 0; ``reference`` is ignored by
    ``diversity``.

    Examples
    --------
    >>> float(transform("startups", np.array(250.0), 250.0))
    0.5
    """
    raw = np.asarray(raw, dtype=float)
    if key == "diversity":
        return np.clip(raw, 0, 1)
    x = np.maximum(raw, 0)
    if key in ("education", "transit"):
        return np.exp(-x / reference)
    return x / (x + reference)
