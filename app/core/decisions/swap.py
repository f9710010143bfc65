"""What would change the winner: the smallest change of one weight that swaps the top two
sites (docs/indicators.md, "What would change the winner").

The score is linear in the weight shares: ``score_s = 100 Σ_k s_k c_sk``. Changing the
entered weight of one criterion j while the other weights stay as entered scales the
other shares proportionally: with ``s'`` the new share of j,
``s'_k = s_k (1 − s') / (1 − s_j)`` for k ≠ j. The difference between the first site A
and the second B is then linear in ``s'``:

``D(s') = 100 [s' d_j + (1 − s') r]``, ``d_k = c_Ak − c_Bk``,
``r = Σ_{k≠j} s_k d_k / (1 − s_j)``,

and it is 0 at ``s* = r / (r − d_j)``. A swap by criterion j exists where
``0 < s* < 1``; the entered weight is then ``w*_j = s* W / (1 − s*)`` with W the sum of
the other entered weights. The reference values stay as they are.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.core.decisions.robust import _groups
from app.core.i18n_catalog import translate
from app.core.indicators.score import (
    BASIS,
    CRITERIA,
    ScoreBasis,
    criterion_values,
    rank_sites,
    score_basis,
)


@dataclass(frozen=True)
class WeightSwap:
    """A change of one criterion's weight that puts the second site ahead of the first.

    Beyond ``new_weight`` (above it when raising, below when lowering) the second site
    scores higher; at it, the two tie.
    """

    criterion: str
    weight: float
    new_weight: float
    share: float
    new_share: float

    @property
    def raise_(self) -> bool:
        """True when the weight must go up."""
        return self.new_share > self.share


@dataclass(frozen=True)
class WinnerChange:
    """The top two sites and the single-weight changes that swap them.

    ``blocked`` is the English reason no weight can swap them (they are in different
    ranking groups: permitted use, or partial data), else "".
    """

    first: Hashable
    second: Hashable
    swaps: tuple[WeightSwap, ...]
    blocked: str = ""


def winner_change(indicators: pd.DataFrame, basis: ScoreBasis | None = None) -> WinnerChange | None:
    """For the top two sites of ``indicators``, the smallest change of each weight that
    swaps them (module docstring).

    Parameters
    ----------
    indicators : DataFrame
        Scored per-site indicators (``score``, ``use_permitted``, ``partial``).
    basis : ScoreBasis, optional
        Default: ``indicators.attrs[BASIS]``, else :func:`score_basis`.

    Returns
    -------
    WinnerChange or None
        None with fewer than two scored sites.
    """
    basis = basis or indicators.attrs.get(BASIS) or score_basis(indicators)
    if len(indicators) < 2 or not basis.used or basis.entered_total() <= 0:
        return None
    rank = rank_sites(indicators).to_numpy()
    a, b = int(np.flatnonzero(rank == 1)[0]), int(np.flatnonzero(rank == 2)[0])
    score = pd.to_numeric(indicators["score"], errors="coerce").to_numpy(dtype=float)
    if not (np.isfinite(score[a]) and np.isfinite(score[b])):
        return None
    first, second = indicators.index[a], indicators.index[b]
    group = _groups(indicators)
    if group[a] != group[b]:
        why = (
            "{first} ranks first because its use is permitted and {second}'s is not known "
            "to be: no weight change swaps them"
            if group[a] // 2 != group[b] // 2
            else "{second} is compared on partial data and ranks after the complete sites: "
            "no weight change swaps them"
        )
        return WinnerChange(first, second, (), why)
    keys = [c.key for c in CRITERIA if c.key in basis.used]
    values = criterion_values(indicators.iloc[[a, b]], basis.references)[keys].to_numpy(float)
    d = values[0] - values[1]
    shares = basis.shares()
    s = np.array([shares[key] for key in keys])
    w = np.array([getattr(basis.weights, key) for key in keys], dtype=float)
    swaps = []
    for j, key in enumerate(keys):  # the criteria used (≤ 5)
        if s[j] >= 1.0 - 1e-12:
            continue  # the only weighted criterion: no other share to scale
        rest = float(np.dot(np.delete(s, j), np.delete(d, j))) / (1.0 - s[j])
        if np.isclose(rest, d[j], rtol=0, atol=1e-15):
            continue
        target = rest / (rest - d[j])
        if not (1e-12 < target < 1.0 - 1e-12) or np.isclose(target, s[j], rtol=0, atol=1e-12):
            continue
        others = float(w.sum() - w[j])
        swaps.append(
            WeightSwap(
                key,
                float(w[j]),
                float(target * others / (1.0 - target)),
                float(s[j]),
                float(target),
            )
        )
    return WinnerChange(first, second, tuple(swaps))


def _weight_text(old: float, new: float, up: bool) -> tuple[str, str]:
    """Both weights with the fewest decimals (2–4) that tell them apart; the new one is
    rounded away from the old (up when raising), so that "above"/"below" stay true."""
    for digits in (2, 3, 4):
        scale = 10.0**digits
        rounded = (math.ceil if up else math.floor)(new * scale - (1e-9 if up else -1e-9)) / scale
        a, b = f"{old:.{digits}f}", f"{rounded:.{digits}f}"
        if a != b:
            return a, b
    return f"{old:g}", f"{new:g}"


def winner_sentences(
    change: WinnerChange | None,
    names: Mapping[Hashable, str] | None = None,
    language: str = "en",
) -> list[str]:
    """One sentence per criterion whose weight alone can swap the top two, or one
    sentence saying none can (empty without a second site).

    Examples
    --------
    >>> change = WinnerChange("A", "B", (WeightSwap("transit", 0.2, 0.47, 0.2, 0.37),))
    >>> print(winner_sentences(change)[0])  # doctest: +NORMALIZE_WHITESPACE
    Transit access weight from 0.20 to above 0.47 (share 20.0 % → 37.0 %; the other
    weights as entered, so their shares shrink proportionally) would put B ahead of A.
    """
    if change is None:
        return []
    names = names or {}
    first = str(names.get(change.first, change.first))
    second = str(names.get(change.second, change.second))
    if change.blocked:
        return [translate(change.blocked, language, first=first, second=second)]
    if not change.swaps:
        return [
            translate(
                "No change of a single weight puts {second} ahead of {first}.",
                language,
                first=first,
                second=second,
            )
        ]
    labels = {c.key: c.label for c in CRITERIA}
    out = []
    for swap in change.swaps:
        old, new = _weight_text(swap.weight, swap.new_weight, swap.raise_)
        template = (
            "{criterion} weight from {old} to above {new} (share {old_share} → {new_share}; "
            "the other weights as entered, so their shares shrink proportionally) would put "
            "{second} ahead of {first}."
            if swap.raise_
            else "{criterion} weight from {old} to below {new} (share {old_share} → "
            "{new_share}; the other weights as entered, so their shares grow proportionally) "
            "would put {second} ahead of {first}."
        )
        out.append(
            translate(
                template,
                language,
                criterion=translate(labels[swap.criterion], language),
                old=old,
                new=new,
                old_share=f"{swap.share * 100:.1f} %",
                new_share=f"{swap.new_share * 100:.1f} %",
                first=first,
                second=second,
            )
        )
    return out
