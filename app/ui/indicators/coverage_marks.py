"""Partial and unknown indicator values, as the card, the table, the chart and the badge
mark them (docs/indicators.md, Coverage areas).

A layer family (start-ups, universities, stations, zoning) speaks only for its coverage
area. The engine writes the share of each site's catchment inside it
(``startups_coverage``, ``education_coverage``, ``stations_coverage``; zoning's
``zoning_coverage`` is of the site itself) and ``partial`` when a family the score uses
covers only part of it; outside any coverage the family's values are unknown (NaN).
Frames without these columns (older results) read as wholly covered and complete.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QColor

from app.core.indicators.format import format_cell, is_missing, percent
from app.core.indicators.labels import ENGLISH, label
from app.core.indicators.sectors import sector_name
from app.core.sites.names import display_name
from app.ui.i18n import tr

#: The mark of a partial site (title, table, chart), next to its tooltip or note.
PARTIAL_MARK = "◐"
#: Grey of unknown values and partial notes.
UNKNOWN = QColor("#777777")
#: Family -> its share column.
SHARE_COLUMNS = {
    "startups": "startups_coverage",
    "education": "education_coverage",
    "stations": "stations_coverage",
    "zoning": "zoning_coverage",
}
#: The coverage columns and ``partial``, where a frame has them (the table's columns).
COVERAGE_COLUMNS = ("startups_coverage", "education_coverage", "stations_coverage", "partial")
#: Display names of the coverage columns (where app.core.indicators.labels has none).
COVERAGE_LABELS = {
    "startups_coverage": "Start-up data coverage",
    "education_coverage": "University data coverage",
    "stations_coverage": "Station data coverage",
    "partial": "Partial data",
}
#: Indicator column -> the family whose layer it is computed from.
FAMILY_OF = {
    **dict.fromkeys(
        (
            "startups_n",
            "startups_per_km2",
            "employees_sum",
            "sector_shannon",
            "sector_evenness",
            "sector_hhi",
            "top_sector",
            "top_sector_lq",
        ),
        "startups",
    ),
    "education_n": "education",
    "education_nearest_m": "education",
    "stations_n": "stations",
    "station_nearest_m": "stations",
}
#: One line per family below 100 % (English sources, translated when shown).
_FAMILY_LINE = {
    "startups": "start-ups cover {share} of the catchment",
    "education": "university data cover {share} of the catchment",
    "stations": "station data cover {share} of the catchment",
    "zoning": "zoning data cover {share} of the site",
}


def columns_of(frame_columns, base) -> list[str]:
    """``base`` (the indicator columns) plus the coverage columns the frame has and
    ``base`` lacks, put before ``site_area_m2`` (``partial`` before ``score``)."""
    columns = list(base)
    for column in COVERAGE_COLUMNS:
        if column in columns or column not in frame_columns:
            continue
        anchor = "score" if column == "partial" else "site_area_m2"
        columns.insert(columns.index(anchor) if anchor in columns else len(columns), column)
    return columns


def column_label(column: str, language: str) -> str:
    """The display name of ``column`` (coverage columns included)."""
    if column not in ENGLISH and column in COVERAGE_LABELS:
        return tr(COVERAGE_LABELS[column])
    return label(column, language)


def share(row: Mapping[str, Any], family: str) -> float:
    """The share 0–1 of the family's coverage; 1 where the row has no such column; NaN
    where the family's layer is absent."""
    value = row.get(SHARE_COLUMNS[family])
    if value is None and SHARE_COLUMNS[family] not in row:
        return 1.0
    return float("nan") if is_missing(value) else float(value)


def is_partial(row: Mapping[str, Any]) -> bool:
    """The site's ``partial`` flag (False where the row has none)."""
    value = row.get("partial")
    return not is_missing(value) and bool(value)


def partial_lines(row: Mapping[str, Any]) -> list[str]:
    """One line per family whose coverage is below 100 %, e.g. "start-ups cover 40 % of
    the catchment" ("no … data under the catchment: unknown" at 0)."""
    lines = []
    for family, text in _FAMILY_LINE.items():
        value = share(row, family)
        if math.isnan(value) or value >= 1.0:
            continue
        if family == "zoning" and SHARE_COLUMNS["startups"] not in row:
            continue  # results without coverage columns: the card's zoning flag says it
        lines.append(tr(text, share=percent(value)))
    return lines


def partial_text(row: Mapping[str, Any]) -> str:
    """ "◐ partial: start-ups cover 40 % of the catchment; …" ("" when complete)."""
    lines = partial_lines(row)
    if not is_partial(row) and not lines:
        return ""
    return f"{PARTIAL_MARK} " + tr("partial: {what}", what="; ".join(lines) or tr("see the card"))


def unknown(row: Mapping[str, Any], column: str) -> bool:
    """True when ``column``'s value is missing (NaN/None): unknown, never 0."""
    return column in row and is_missing(row.get(column)) and column != "use_permitted"


def cell_text(column: str, row: Mapping[str, Any], language: str) -> str:
    """The value shown for ``column``: coverage shares as percentages, ``partial`` as
    "◐ yes"/"no", a value outside its family's coverage as "unknown", an app-made site
    name and a sector in ``language``, else
    :func:`~app.core.indicators.format.format_cell`."""
    value = row.get(column)
    if column in COVERAGE_COLUMNS and column != "partial":
        return "—" if is_missing(value) else percent(float(value))
    if column == "partial":
        return f"{PARTIAL_MARK} " + tr("yes") if is_partial(row) else tr("no")
    family = FAMILY_OF.get(column)
    if family is not None and is_missing(value) and share(row, family) == 0.0:
        return tr("unknown")
    if column == "name" and not is_missing(value):
        return display_name(str(value), language)  # "Site 3" → "후보지 3"
    if column == "top_sector" and not is_missing(value):
        return sector_name(str(value), language)  # as the legend: "바이오·헬스"
    return format_cell(column, row, language)


__all__ = [
    "COVERAGE_COLUMNS",
    "FAMILY_OF",
    "PARTIAL_MARK",
    "SHARE_COLUMNS",
    "UNKNOWN",
    "cell_text",
    "column_label",
    "columns_of",
    "is_partial",
    "partial_lines",
    "partial_text",
    "share",
    "unknown",
]
