"""Sector mix of a catchment: Shannon entropy, evenness, HHI, top sector and its LQ.

Everything works on a ``(n_sites, n_sectors)`` count matrix whose columns are the
sectors of the whole start-up layer in alphabetical order, so that ``argmax`` breaks
ties alphabetically (docs/indicators.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: None as a 0-d object array: the "else" of ``np.where`` where a value is missing.
NONE = np.array(None, dtype=object)


@dataclass(frozen=True)
class SectorMix:
    """Per-site sector indicators (arrays of length ``n_sites``)."""

    shannon: np.ndarray
    evenness: np.ndarray
    hhi: np.ndarray
    top_sector: np.ndarray  # object: sector name or None
    top_sector_lq: np.ndarray


def sector_mix(counts: np.ndarray, sectors: list[str], layer_totals: np.ndarray) -> SectorMix:
    """Sector indicators from per-site counts.

    Parameters
    ----------
    counts : ndarray (n_sites, n_sectors)
        Start-ups of each sector in each catchment.
    sectors : list of str
        Sector names, alphabetical (the column order of ``counts``).
    layer_totals : ndarray (n_sectors,)
        ``N_k``: start-ups of each sector in the whole layer.

    Returns
    -------
    SectorMix
        ``shannon = -Σ p_k ln p_k``; ``evenness = H / ln S`` with S the number of
        sectors in the whole layer (0 if S <= 1); ``hhi = Σ p_k²``; the top sector
        (largest ``n_k``, ties alphabetical) and its location quotient
        ``(n_k/n) / (N_k/N)``. Sites with no start-up get 0, 0, 0, None, NaN.

    Notes
    -----
    ``p_k = n_k / n`` with ``n`` the start-ups *with a known sector*; when every
    start-up has a sector (the normal case) ``n`` is ``startups_n`` as in docs/indicators.md.
    """
    counts = np.asarray(counts, dtype=float)
    n = counts.sum(axis=1)
    has = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / n[:, None]
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    shannon = np.where(has, -plogp.sum(axis=1), 0.0)
    shannon = np.maximum(shannon, 0.0)  # -0.0 and rounding below zero for one sector
    hhi = np.where(has, np.nansum(p * p, axis=1), 0.0)
    n_layer_sectors = int((np.asarray(layer_totals) > 0).sum())
    evenness = shannon / np.log(n_layer_sectors) if n_layer_sectors > 1 else np.zeros(len(n))

    top = np.argmax(counts, axis=1) if counts.shape[1] else np.zeros(len(n), dtype=int)
    names = np.array(sectors + [None], dtype=object)
    top_sector = np.where(has, names[np.where(has, top, len(sectors))], NONE)
    totals = np.asarray(layer_totals, dtype=float)
    if sectors:
        with np.errstate(invalid="ignore", divide="ignore"):
            share_here = counts[np.arange(len(n)), top] / n
            share_layer = totals[top] / totals.sum()
            lq = np.where(has, share_here / share_layer, np.nan)
    else:
        lq = np.full(len(n), np.nan)
    return SectorMix(shannon, evenness, hhi, top_sector.astype(object), lq)
