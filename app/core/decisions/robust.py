"""How sure is the ranking: a Monte Carlo over the weights and the reference values
(docs/indicators.md, "How sure is the ranking").

Each draw takes

- weight shares from a Dirichlet distribution around the user's shares of the criteria
  used, ``α_k = κ × share_k`` (mean = the user's shares; ``κ``, the concentration, sets
  the spread: a share s varies with standard deviation ``√(s(1−s)/(κ+1))``); a criterion
  weighted 0 stays 0;
- every reference value multiplied by a log-normal factor ``exp(σ z)``, ``z ~ N(0, 1)``
  (median = the reference; ``σ`` = 0 keeps them fixed);

scores every site with them and ranks the sites by the rules of
:func:`~app.core.indicators.score.rank_sites` (permitted first, partial data after the
complete sites, an unknown score last). All draws × sites are computed at once in numpy,
in blocks of about two million values; the draws are made up front from one seeded
generator, so the result does not depend on the block size.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.core.decisions import DecisionError
from app.core.i18n_catalog import translate
from app.core.indicators.criteria import transform
from app.core.indicators.score import (
    BASIS,
    CRITERIA,
    REFERENCE_OF,
    ScoreBasis,
    rank_sites,
    score_basis,
)
from app.core.progress import Progress, no_progress

#: The key of the saved settings in a project's ``settings.extra``.
ROBUST_KEY = "robustness"
#: Values per block of the vectorised computation (draws × sites × criteria).
BLOCK_VALUES = 2_000_000


@dataclass(frozen=True)
class RobustSettings:
    """How the Monte Carlo draws.

    Attributes
    ----------
    draws : int
        Number of weightings drawn (≥ 1).
    concentration : float
        Dirichlet concentration κ > 0: larger keeps the weights closer to the user's.
    reference_spread : float
        σ ≥ 0 of the log-normal factor on each reference value (0: references fixed).
    seed : int
        Seed of the generator (same seed, same result).
    low, high : float
        Quantiles of the rank interval (default 5 % and 95 %).
    """

    draws: int = 2000
    concentration: float = 50.0
    reference_spread: float = 0.25
    seed: int = 20
    low: float = 0.05
    high: float = 0.95

    def __post_init__(self):
        if not (isinstance(self.draws, int) and self.draws >= 1):
            raise DecisionError(f"the number of draws must be a whole number ≥ 1, not {self.draws}")
        if not (np.isfinite(self.concentration) and self.concentration > 0):
            raise DecisionError(f"the concentration must be > 0, not {self.concentration}")
        if not (np.isfinite(self.reference_spread) and self.reference_spread >= 0):
            raise DecisionError(f"the reference spread must be ≥ 0, not {self.reference_spread}")
        if not 0 <= self.low <= self.high <= 1:
            raise DecisionError("the rank interval needs 0 ≤ low ≤ high ≤ 1")

    def as_record(self) -> dict[str, float]:
        """Plain dict for ``settings.extra[ROBUST_KEY]``."""
        return {
            "draws": self.draws,
            "concentration": float(self.concentration),
            "reference_spread": float(self.reference_spread),
            "seed": self.seed,
        }

    @classmethod
    def of(cls, extra: Mapping[str, object] | None) -> RobustSettings:
        """The settings saved in a project's ``extra`` (defaults where missing or bad:
        a saved value is data, never trusted)."""
        record = (extra or {}).get(ROBUST_KEY)
        if not isinstance(record, Mapping):
            return cls()
        values: dict[str, float | int] = {}
        for name, kind in (
            ("draws", int),
            ("concentration", float),
            ("reference_spread", float),
            ("seed", int),
        ):
            value = record.get(name)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if kind is int and float(value).is_integer():
                    values[name] = int(value)
                elif kind is float:
                    values[name] = float(value)
        try:
            return cls(**values)  # type: ignore[arg-type]
        except DecisionError:
            return cls()


#: The robustness columns added to a results table (:func:`robustness_columns`).
ROBUST_COLUMNS = ("p_first", "rank_low", "rank_high")


def robustness_columns(
    frame: pd.DataFrame, settings: RobustSettings | None = None, progress: Progress = no_progress
) -> pd.DataFrame:
    """``p_first``, ``rank_low`` and ``rank_high`` of every site of a scored table: NaN
    with fewer than two scored sites, or when nothing can be ranked (all-zero weights).

    Returns
    -------
    DataFrame
        The three columns, indexed as ``frame``.
    """
    out = pd.DataFrame(np.nan, index=frame.index, columns=list(ROBUST_COLUMNS))
    if len(frame) < 2 or int(np.isfinite(_column(frame, "score")).sum()) < 2:
        return out
    try:
        result = robust_ranking(frame, settings, progress=progress)
    except DecisionError:
        return out
    out["p_first"] = result.p_first
    out["rank_low"] = result.rank_low.astype(float)
    out["rank_high"] = result.rank_high.astype(float)
    return out


def share_deviation(share: float, concentration: float) -> float:
    """Standard deviation of a Dirichlet share ``s`` at concentration κ: ``√(s(1−s)/(κ+1))``.

    Examples
    --------
    >>> round(share_deviation(0.2, 50), 3)
    0.056
    """
    return float(np.sqrt(share * (1 - share) / (concentration + 1)))


@dataclass(frozen=True)
class Robustness:
    """Each site's probability of ranking first and its rank interval.

    Attributes
    ----------
    sites : tuple
        The sites' index labels, in the table's order.
    rank : ndarray of int
        The deterministic rank (:func:`~app.core.indicators.score.rank_sites`).
    p_first : ndarray of float
        Share of the draws in which the site ranks first (0–1).
    rank_low, rank_high : ndarray of int
        The ``low`` and ``high`` quantiles of the site's rank over the draws.
    rank_counts : ndarray of int
        Sites × ranks: how many draws put the site at rank ``r + 1``.
    settings : RobustSettings
        What was drawn.
    """

    sites: tuple[Hashable, ...]
    rank: np.ndarray
    p_first: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    rank_counts: np.ndarray
    settings: RobustSettings

    def frame(self) -> pd.DataFrame:
        """``rank``, ``p_first``, ``rank_low``, ``rank_high`` indexed by site."""
        return pd.DataFrame(
            {
                "rank": self.rank,
                "p_first": self.p_first,
                "rank_low": self.rank_low,
                "rank_high": self.rank_high,
            },
            index=pd.Index(list(self.sites)),
        )

    def of(self, site: Hashable) -> tuple[float, int, int] | None:
        """``(p_first, rank_low, rank_high)`` of ``site``; None when it is not in the run."""
        try:
            row = self.sites.index(site)
        except ValueError:
            return None
        return float(self.p_first[row]), int(self.rank_low[row]), int(self.rank_high[row])


def robust_ranking(
    indicators: pd.DataFrame,
    settings: RobustSettings | None = None,
    basis: ScoreBasis | None = None,
    progress: Progress = no_progress,
) -> Robustness:
    """Monte Carlo of the ranking of ``indicators`` (module docstring).

    Parameters
    ----------
    indicators : DataFrame
        Per-site indicators scored by :func:`~app.core.indicators.score.score_sites`
        (``score``, ``use_permitted``, ``partial`` and ``attrs[BASIS]``).
    settings : RobustSettings, optional
        Draws, spread and seed (defaults).
    basis : ScoreBasis, optional
        Default: ``indicators.attrs[BASIS]``, else :func:`score_basis` of the table.
    progress : Progress
        Called after each block of draws.

    Returns
    -------
    Robustness

    Raises
    ------
    DecisionError
        No site, no scored site or criterion, or the weights of the criteria used are all 0.
    """
    settings = settings or RobustSettings()
    basis = basis or indicators.attrs.get(BASIS) or score_basis(indicators)
    n = len(indicators)
    if n == 0:
        raise DecisionError("there are no sites to rank")
    if not basis.used:
        raise DecisionError("no criterion is known for every site: nothing to rank on")
    if basis.entered_total() <= 0:
        raise DecisionError("the weights of the criteria used are all 0: set at least one above 0")
    keys = [c.key for c in CRITERIA if c.key in basis.used]
    raw = np.column_stack([_column(indicators, c.column) for c in CRITERIA if c.key in keys])
    shares = basis.shares()
    share = np.array([shares[key] for key in keys])
    refs = np.array(
        [
            np.nan
            if REFERENCE_OF[key] is None
            else getattr(basis.references, str(REFERENCE_OF[key]))
            for key in keys
        ]
    )
    rng = np.random.default_rng(settings.seed)
    weights = _dirichlet(rng, share, settings.concentration, settings.draws)
    factors = np.exp(settings.reference_spread * rng.standard_normal((settings.draws, len(keys))))
    group = _groups(indicators)
    block = max(1, BLOCK_VALUES // max(1, n * len(keys)))
    flat = np.zeros(n * n, dtype=np.int64)
    for start in range(0, settings.draws, block):  # blocks of draws, each vectorised
        stop = min(settings.draws, start + block)
        scores = _scores(raw, keys, weights[start:stop], refs[None, :] * factors[start:stop])
        ranks = _ranks(scores, group)
        flat += np.bincount((np.arange(n)[None, :] * n + ranks - 1).ravel(), minlength=n * n)
        progress(stop / settings.draws, "Ranking under drawn weights")
    counts = flat.reshape(n, n)
    cdf = np.cumsum(counts, axis=1) / settings.draws
    tolerance = 1e-9
    rank_low = 1 + np.argmax(cdf >= settings.low - tolerance, axis=1)
    rank_high = 1 + np.argmax(cdf >= settings.high - tolerance, axis=1)
    rank_low = np.minimum(rank_low, rank_high)
    return Robustness(
        sites=tuple(indicators.index),
        rank=rank_sites(indicators).to_numpy(dtype=np.int64),
        p_first=counts[:, 0] / settings.draws,
        rank_low=rank_low.astype(np.int64),
        rank_high=rank_high.astype(np.int64),
        rank_counts=counts,
        settings=settings,
    )


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def _dirichlet(
    rng: np.random.Generator, share: np.ndarray, concentration: float, draws: int
) -> np.ndarray:
    """Draws × criteria weight shares, Dirichlet(κ × share) over the positive shares
    (gamma variates normalised); a zero share stays 0."""
    positive = share > 0
    out = np.zeros((draws, len(share)))
    gammas = rng.gamma(concentration * share[positive], size=(draws, int(positive.sum())))
    total = gammas.sum(axis=1, keepdims=True)
    # a draw whose gammas all underflow to 0 (tiny κ) keeps the user's shares
    safe = np.where(total > 0, gammas / np.where(total > 0, total, 1), share[positive][None, :])
    out[:, positive] = safe
    return out


def _scores(raw: np.ndarray, keys: list[str], weights: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """Draws × sites scores ``100 Σ_k w_k c_k(raw, ref_k)``; NaN for a site without data."""
    total = np.zeros((len(weights), raw.shape[0]))
    for k, key in enumerate(keys):  # the criteria used (≤ 5), each over all draws × sites
        values = transform(key, raw[None, :, k], refs[:, k, None])
        total += weights[:, k, None] * values
    return 100.0 * total


def _groups(indicators: pd.DataFrame) -> np.ndarray:
    """The ranking group of each site: 0 permitted and complete, 1 permitted and partial,
    2 other and complete, 3 other and partial (as :func:`rank_sites`)."""
    n = len(indicators)

    def flag(column: str) -> np.ndarray:
        if column not in indicators:
            return np.zeros(n, bool)
        return indicators[column].map(lambda v: v is True or v is np.True_).to_numpy(dtype=bool)

    return 2 * (~flag("use_permitted")).astype(int) + flag("partial").astype(int)


def _ranks(scores: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Draws × sites ranks 1..n: by group, then score (high first), an unknown score last
    in its group, ties in input order (a stable sort, as :func:`rank_sites`)."""
    key = group[None, :] * 1000.0 + np.where(np.isfinite(scores), -scores, 500.0)
    order = np.argsort(key, axis=1, kind="stable")
    ranks = np.empty_like(order)
    positions = np.broadcast_to(np.arange(1, scores.shape[1] + 1), order.shape)
    np.put_along_axis(ranks, order, positions, axis=1)
    return ranks


def p_first_line(p_first: float, language: str = "en") -> str:
    """The card's line: "Ranked 1st in 83 % of weightings" (whole percent, < 1 % above 0).

    Examples
    --------
    >>> p_first_line(0.834)
    'Ranked 1st in 83 % of weightings'
    """
    whole = int(np.floor(p_first * 100 + 1e-9))
    share = "< 1 %" if whole == 0 and p_first > 0 else f"{whole} %"
    return translate("Ranked 1st in {share} of weightings", language, share=share)
