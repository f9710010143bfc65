"""Composite site score: weighted mean of monotone 0–1 transforms (docs/indicators.md).

| criterion    | indicator             | transform               | reference (default) |
|--------------|-----------------------|-------------------------|---------------------|
| startups     | ``startups_n``        | ``n / (n + n_ref)``     | n_ref = 250         |
| diversity    | ``sector_evenness``   | identity (already 0–1)  | —                   |
| education    | ``education_nearest_m`` | ``exp(-d / d_ref)``   | d_ref = 1000 m      |
| transit      | ``station_nearest_m`` | ``exp(-d / d_ref)``     | d_ref = 500 m       |
| floor_area   | ``max_gfa_m2``        | ``g / (g + g_ref)``     | g_ref = 10 000 m²   |

Each transform is 0.5 at its reference value. Sites scored together (one ranking) are
scored on the same criteria: a criterion unknown for any of them (e.g. the floor area of a
point site without lot area) is left out for every one, and :func:`left_out_notes` says
so. ``points_k = 100 × share_k × c_k`` with ``share_k = w_k / Σ w`` over the criteria
used, and ``score = Σ points``. Sites whose use is not permitted rank below every
permitted site, whatever their score.

Coverage: a criterion unknown because the site lies outside its layer's coverage area
follows the same left-out rule. A site whose catchment is only partly inside the
coverage of a layer a used criterion reads (``partial``) is scored on the covered part
and ranks after the complete sites of its permission group; :func:`left_out_notes` names
these sites too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from app.core.i18n_catalog import translate
from app.core.indicators.basis import (
    BASIS,
    FAMILIES,
    FAMILY_OF,
    FAMILY_WORDS,
    NO_ZONING,
    OUTSIDE_COVERAGE,
    POINT_WITHOUT_LOT,
    SHARE_COLUMNS,
    UNKNOWN_REASONS,
    LeftOut,
    PartialSite,
    ScoreBasis,
    score_basis,
)
from app.core.indicators.criteria import (
    CRITERIA,
    REFERENCE_OF,
    Criterion,
    References,
    ScoreSettingsError,
    Weights,
    criterion_values,
)
from app.core.indicators.scoring import (
    composite_score,
    partial_sites,
    rank_sites,
    score_breakdown,
    score_sites,
)

__all__ = [
    "BASIS",
    "CRITERIA",
    "FAMILIES",
    "FAMILY_OF",
    "FAMILY_WORDS",
    "NO_ZONING",
    "OUTSIDE_COVERAGE",
    "POINT_WITHOUT_LOT",
    "REFERENCE_OF",
    "SHARE_COLUMNS",
    "UNKNOWN_REASONS",
    "Criterion",
    "LeftOut",
    "PartialSite",
    "References",
    "ScoreBasis",
    "ScoreSettingsError",
    "Weights",
    "composite_score",
    "criterion_values",
    "left_out_notes",
    "partial_note",
    "partial_sites",
    "rank_sites",
    "score_basis",
    "score_breakdown",
    "score_sites",
]


def left_out_notes(
    basis: ScoreBasis | None, language: str = "en", most: int = 3, name: Callable = str
) -> list[str]:
    """One sentence per left-out criterion, naming it, the sites and why.

    ``name(site)`` gives a site's name as the reader sees it (the UI passes
    ``app.core.sites.names.display_name`` in its language: "후보지 2" in Korean).

    Examples
    --------
    >>> basis = ScoreBasis(("startups",), (LeftOut("floor_area", ("Site 2",),
    ...     (POINT_WITHOUT_LOT,)),), n_sites=2)
    >>> print(left_out_notes(basis)[0])
    Buildable floor area left out of every score: unknown for Site 2 (point site without lot area)
    """
    if basis is None:
        return []
    labels = {c.key: c.label for c in CRITERIA}
    notes = []
    for item in basis.left_out:
        criterion = translate(labels[item.criterion], language)
        if basis.n_sites <= 1:
            reason = translate(item.reasons[0], language)
            notes.append(
                translate(
                    "{criterion} left out of the score: unknown ({reason})",
                    language,
                    criterion=criterion,
                    reason=reason,
                )
            )
            continue
        groups: dict[str, list[str]] = {}
        for site, why in zip(item.sites, item.reasons):
            groups.setdefault(why, []).append(str(name(site)))
        parts = []
        for why, sites in groups.items():
            names = ", ".join(sites[:most])
            if len(sites) > most:
                names = translate(
                    "{names} and {count} more", language, names=names, count=len(sites) - most
                )
            parts.append(f"{names} ({translate(why, language)})")
        notes.append(
            translate(
                "{criterion} left out of every score: unknown for {sites}",
                language,
                criterion=criterion,
                sites="; ".join(parts),
            )
        )
    note = partial_note(basis, language, most, name)
    return notes + ([note] if note else [])


def partial_note(
    basis: ScoreBasis | None, language: str = "en", most: int = 3, name: Callable = str
) -> str:
    """The sentence naming the sites compared on partial data ("" when none).

    Examples
    --------
    >>> basis = ScoreBasis(("startups",), partial=(PartialSite("B", (("startups", 0.4),)),),
    ...     n_sites=2)
    >>> partial_note(basis).split(": ", 1)[1]
    'B (start-ups cover 40 % of the catchment)'
    """
    if basis is None or not basis.partial:
        return ""
    parts = []
    for item in basis.partial[:most]:
        covers = ", ".join(
            translate(
                "{layer} cover {share} of the catchment",
                language,
                layer=translate(FAMILY_WORDS[family], language),
                share=_percent(share),
            )
            for family, share in item.shares
        )
        parts.append(f"{name(item.site)} ({covers})")
    names = "; ".join(parts)
    if len(basis.partial) > most:
        names = translate(
            "{names} and {count} more", language, names=names, count=len(basis.partial) - most
        )
    return translate(
        "Compared on partial data, ranked after the complete sites: {sites}",
        language,
        sites=names,
    )


def _percent(share: float) -> str:
    whole = math.floor(share * 100 + 1e-6)
    return "< 1 %" if whole == 0 and share > 0 else f"{whole} %"
