"""One formatter for indicator values: the panel, the presentation card, the map badges
and the web map all show a value as this module writes it.

Rounding: counts as integers with thousands separators; metres and square metres as
integers (:func:`format_raw`, which adds the unit where no label names it); sector indices
(Shannon, evenness, HHI, LQ) to three decimals; the rank as an integer; the score to one
decimal; ``zoning_coverage`` and the other coverage shares as a whole percentage rounded
down ("98 %", never a 98.9 % shown as the 99 % threshold); other numbers to one decimal
below 100 and to integers from 100 up. Missing values are "—", except ``use_permitted``,
which reads "unknown (no zone)".

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
#: Coverage shares (0–1), shown as whole percentages rounded down.
SHARE_COLUMNS = frozenset(
    {"zoning_coverage", "startups_coverage", "education_coverage", "stations_coverage"}
)
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
        if column in UNIT_ROUNDED:  # one rule per unit, as the score breakdown shows it
            return format_raw(column, value, language, unit=False)
        if column in THREE_DECIMALS:
            return f"{value:.3f}"
        if column == "rank":
            return f"{value:.0f}"
        if column in SHARE_COLUMNS:
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


#: One rounding rule per unit (docs/indicators.md, Display rounding): counts as integers,
#: metres and square metres as integers with separators, indices to three decimals.
COUNT_COLUMNS = frozenset({"startups_n", "education_n", "stations_n", "employees_sum"})
METRE_COLUMNS = frozenset({"education_nearest_m", "station_nearest_m", "radius_m"})
SQUARE_METRE_COLUMNS = frozenset({"site_area_m2", "max_footprint_m2", "max_gfa_m2"})
UNIT_ROUNDED = COUNT_COLUMNS | METRE_COLUMNS | SQUARE_METRE_COLUMNS | {"score"}


def format_raw(column: str, value: Any, language: str = "en", *, unit: bool = True) -> str:
    """A raw indicator value by the rounding rule of its unit.

    Counts are integers (``1,234``), metres integers (``820 m``), square metres integers
    with separators (``12,345 m²``), indices three decimals (``0.734``), the score one
    decimal (``63.2``, also at 100); other columns as :func:`format_value`.

    Parameters
    ----------
    column : str
        The indicator column the value is from.
    value : Any
        The value (missing: "—").
    language : str, optional
        For the words of :func:`format_value`.
    unit : bool, optional
        Append " m" / " m²" (False where the label names the unit).

    Examples
    --------
    >>> format_raw("station_nearest_m", 819.6), format_raw("max_gfa_m2", 12345.4)
    ('820 m', '12,345 m²')
    """
    if is_missing(value) or isinstance(value, (bool, np.bool_)):
        return format_value(column, value, language)
    number = float(value)
    if column in COUNT_COLUMNS:
        return f"{number:,.0f}"
    if column in METRE_COLUMNS:
        return f"{number:,.0f}" + (" m" if unit else "")
    if column in SQUARE_METRE_COLUMNS:
        return f"{number:,.0f}" + (" m²" if unit else "")
    if column == "score":
        return f"{number:.1f}"
    return format_value(column, value, language)


def rounded_parts(parts: Any, decimals: int = 1) -> tuple[list[str], str]:
    """Parts rounded to ``decimals`` so that they add up to their rounded total.

    The total is rounded as ``f"{total:.{decimals}f}"``; the parts by the largest
    remainder (each is its value rounded down or up, so within one last digit of it).
    Missing parts stay missing ("—") and do not count.

    Returns
    -------
    (list of str, str)
        The parts' texts and the total's text.

    Examples
    --------
    >>> rounded_parts([10.04, 10.04, 10.04])
    (['10.1', '10.0', '10.0'], '30.1')
    """
    values = np.asarray(parts, dtype=float)
    known = np.isfinite(values)
    scale = 10.0**decimals
    total = float(values[known].sum())
    target = round(float(f"{total:.{decimals}f}") * scale)
    scaled = values[known] * scale
    units = np.floor(scaled + 1e-9)
    extra = int(target - units.sum())
    order = np.argsort(-(scaled - units), kind="stable")
    units[order[: max(extra, 0)]] += 1
    units[order[::-1][: max(-extra, 0)]] -= 1  # only after float noise at a half
    texts = np.full(len(values), "—", dtype=object)
    texts[known] = [f"{u / scale:.{decimals}f}" for u in units]
    return list(texts), f"{target / scale:.{decimals}f}"
