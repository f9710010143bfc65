"""How the robustness of the ranking reads in the table and the card
(docs/indicators.md, "How sure is the ranking").

The controller adds ``p_first``, ``rank_low`` and ``rank_high`` to the results
(:func:`app.ui.indicators.controller.robust_columns`); the Compare table shows them as
two columns, "P(1st)" (whole percent) and "Rank 5–95 %" ("1–3"), and the card as one line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from app.core.decisions.robust import p_first_line
from app.core.indicators.format import is_missing
from app.ui.i18n import tr

#: The table's robustness columns (``rank_interval`` is made of rank_low and rank_high).
TABLE_COLUMNS = ("p_first", "rank_interval")
LABELS = {"p_first": "P(1st)", "rank_interval": "Rank 5–95 %"}
TOOLTIPS = {
    "p_first": "Share of the weightings drawn around yours (and of the reference values) "
    "in which the site ranks first (Analysis → Robustness of the ranking)",
    "rank_interval": "The site's rank in 90 % of those weightings (5 % to 95 %)",
}


def robust_columns_of(frame_columns) -> list[str]:
    """The robustness columns the table shows for a results frame (none without them)."""
    return list(TABLE_COLUMNS) if "p_first" in frame_columns else []


def _percent(value: float) -> str:
    whole = math.floor(value * 100 + 1e-9)
    return "< 1 %" if whole == 0 and value > 0 else f"{whole} %"


def robust_text(column: str, row: Mapping[str, Any]) -> str:
    """``"83 %"`` or ``"1–3"``; "—" when unknown (fewer than two scored sites)."""
    if column == "p_first":
        value = row.get("p_first")
        return "—" if is_missing(value) else _percent(float(value))
    low, high = row.get("rank_low"), row.get("rank_high")
    if is_missing(low) or is_missing(high):
        return "—"
    low, high = int(low), int(high)
    return str(low) if low == high else f"{low}–{high}"


def robust_sort_key(column: str, row: Mapping[str, Any]) -> float:
    """Numeric sort key (unknown lowest)."""
    if column == "p_first":
        value = row.get("p_first")
        return float("-inf") if is_missing(value) else float(value)
    low, high = row.get("rank_low"), row.get("rank_high")
    if is_missing(low) or is_missing(high):
        return float("-inf")
    return float(low) + float(high) / 1000.0


def card_line(row: Mapping[str, Any], language: str) -> str:
    """ "Ranked 1st in 83 % of weightings · rank 1–2 in 90 % of them" ("" when unknown)."""
    value = row.get("p_first")
    if is_missing(value):
        return ""
    line = p_first_line(float(value), language)
    interval = robust_text("rank_interval", row)
    if interval != "—":
        line += " · " + tr("rank {interval} in 90 % of them").format(interval=interval)
    return line
