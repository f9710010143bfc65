"""One formatter for indicator values: the panel, the presentation card, the map badges
and the web map all show a value as this module writes it.

Rounding: counts as integers with thousands separators; sector indices (Shannon,
evenness, HHI, LQ) to three decimals; the rank as an integer; other numbers to one
decimal below 100 and to integers from 100 up; ``zoning_coverage`` as a whole percentage
rounded down ("98 %", never a 98.9 % shown as the 99 % threshold). Missing values are "—",
except ``use_permitted``, which reads "unknown (no zone)".

:func:`format_cell` formats a value with its row, so that the zoning values of a site
covered below the threshold say so: "준공업 (2 % covered)", "800 (covered part only)",
"unknown (2 % covered)".
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd

from app.core.i18n_catalog import translate
from app.core.indicators.site_zoning import COVERAGE_THRESHOLD

#: Columns shown with three decimals (indices and ratios around 1).
THREE_DECIMALS = frozenset({"sector_shannon", "sector_evenness", "sector_hhi", "top_sector_lq"})
#: Zoning values computed from the covered part of a site (qualified below the threshold).
COVERED_PART = frozenset({"dominant_zone", "max_footprint_m2", "max_gfa_m2"})


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: an indicator that could not be computed."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def blocked(value: Any) -> bool:
    """True when a ``use_permitted`` value says the zoning does not permit the centre."""
    return not is_missing(value) and not bool(value)


def format_value(column: str, value: Any, language: str = "en") -> str:
    """Readable text of one indicator value.

    Parameters
    ----------
    column : str
        The indicator column (docs/indicators.md), or "raw" for a plain number.
    value : Any
        The value as the indicator table holds it.
    language : str, optional
        "en" or "ko", for the words (yes, no, none, unknown).

    Returns
    -------
    str
        The text the panel, card, badge tooltip and web map popup show.
    """

    def word(text: str) -> str:
        return translate(text, language)

    if is_missing(value):
        return word("unknown (no zone)") if column == "use_permitted" else "—"
    if column == "zone_shares":
        shares = json.loads(value) if isinstance(value, str) else dict(value)
        ordered = sorted(shares.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{zone} {share:.0%}" for zone, share in ordered) or "—"
    if column == "use_permitted":
        return word("yes") if bool(value) else word("NO — not permitted")
    if column == "restrictions":
        if isinstance(value, (list, tuple, np.ndarray)):
            return ", ".join(map(str, value)) or word("none")
        return str(value) or word("none")
    if isinstance(value, (bool, np.bool_)):
        return word("yes") if value else word("no")
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        if column in THREE_DECIMALS:
            return f"{value:.3f}"
        if column == "rank":
            return f"{value:.0f}"
        if column == "zoning_coverage":
            return percent(float(value))
        return f"{value:,.1f}" if abs(float(value)) < 100 else f"{value:,.0f}"
    return str(value)


def percent(share: float) -> str:
    """A share 0–1 as a whole percentage rounded down: ``"2 %"``, ``"< 1 %"``, ``"100 %"``."""
    whole = math.floor(share * 100 + 1e-6)  # 1e-6: a float sum of 1 is 100 %
    return "< 1 %" if whole == 0 and share > 0 else f"{whole} %"


def format_cell(column: str, row: Any, language: str = "en") -> str:
    """:func:`format_value` of ``row[column]``, qualified by the site's zoning coverage.

    Where ``zoning_coverage`` is below :data:`~app.core.indicators.site_zoning.COVERAGE_THRESHOLD`,
    the dominant zone shows the coverage ("준공업 (2 % covered)"), the floor areas say they
    are the covered part's ("800 (covered part only)") and an unknown ``use_permitted``
    of a partly covered site shows the coverage instead of "no zone".

    Parameters
    ----------
    column : str
        The indicator column.
    row : Mapping or pandas.Series
        The site's indicator row (``zoning_coverage`` included when known).
    language : str, optional
        "en" or "ko".

    Returns
    -------
    str
    """
    value = row.get(column)
    text = format_value(column, value, language)
    coverage = row.get("zoning_coverage")
    if column not in COVERED_PART | {"use_permitted"} or is_missing(coverage):
        return text
    if coverage >= COVERAGE_THRESHOLD or coverage <= 0:
        return text
    share = percent(float(coverage))
    if column == "use_permitted":
        return (
            translate("unknown ({share} covered)", language, share=share)
            if is_missing(value)
            else text
        )
    if is_missing(value):
        return text
    if column == "dominant_zone":
        return translate("{zone} ({share} covered)", language, zone=text, share=share)
    return translate("{value} (covered part only)", language, value=text)
