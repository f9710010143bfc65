"""Readable names of the indicator columns (docs/indicators.md) for every view.

The column names (``startups_n``, ``sector_hhi`` …) are the contract of the CSV and
GeoPackage exports and stay there; what a person reads is :func:`label`: an English
display name, or the Korean one of ``resources/i18n/ko.json``. Qt-free, so that the
desktop panel, the web map and the CLI share one table.
"""

from __future__ import annotations

from app.core.i18n_catalog import catalog, translate

#: Column name -> English display name (the catalog key of its translation).
ENGLISH: dict[str, str] = {
    "rank": "Rank",
    "name": "Name",
    "site": "Site",
    "site_id": "Site ID",
    "radius_m": "Catchment radius R (m)",
    "startups_n": "Start-ups within R",
    "startups_per_km2": "Start-ups per km²",
    "employees_sum": "Employees (sum)",
    "sector_shannon": "Sector diversity (H)",
    "sector_evenness": "Sector evenness",
    "sector_hhi": "Sector concentration (HHI)",
    "top_sector": "Top sector",
    "top_sector_lq": "Top sector LQ",
    "education_n": "Universities within R",
    "education_nearest_m": "Nearest university (m)",
    "stations_n": "Stations within R",
    "station_nearest_m": "Nearest station (m)",
    "startups_coverage": "Start-up data coverage",
    "education_coverage": "University data coverage",
    "stations_coverage": "Station data coverage",
    "site_area_m2": "Site area (m²)",
    "zone_shares": "Zone shares",
    "zoning_coverage": "Zoning data coverage",
    "dominant_zone": "Dominant zone",
    "use_permitted": "Centre permitted",
    "restrictions": "Restrictions",
    "max_footprint_m2": "Max. footprint (m²)",
    "max_gfa_m2": "Max. floor area (m²)",
    "partial": "Partial data",
    "score": "Score (0–100)",
}


def label(column: str, language: str = "en") -> str:
    """The name a person reads for the indicator ``column`` in ``language``.

    Korean uses the catalog entry of the column name itself (the compact names the panel
    has always shown), else the translation of the English display name. An unknown
    column is returned as it is.

    Examples
    --------
    >>> label("sector_hhi")
    'Sector concentration (HHI)'
    >>> label("no_such_column", "ko")
    'no_such_column'
    """
    english = ENGLISH.get(column)
    if english is None:
        return translate(column, language)
    return catalog(language).get(column) or translate(english, language)


def tooltip(column: str, definition: str = "", language: str = "en") -> str:
    """``"column_name: definition"``: the contract name next to what it means."""
    text = translate(definition, language) if definition else ""
    return f"{column}: {text}" if text else column


__all__ = ["ENGLISH", "label", "tooltip"]
