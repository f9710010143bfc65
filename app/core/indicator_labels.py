"""Readable display names of the indicator columns (INDICATORS.md), shared by the app's
presentation card and the HTML web map's popups.

The names are English source strings of the translation catalog
(``resources/i18n/ko.json``): :func:`field_label` gives them in the UI language, so
the web map and the app say the same thing. Qt-free.
"""
from __future__ import annotations

from app.core.i18n_catalog import translate

#: Column → English display name (a key of the translation catalog).
FIELD_LABELS = {
    "rank": "Rank", "score": "Score (0–100)", "startups_n": "Start-ups within R",
    "startups_per_km2": "Start-ups per km²", "employees_sum": "Employees",
    "sector_shannon": "Sector diversity (Shannon H)", "sector_evenness": "Sector evenness",
    "sector_hhi": "Sector concentration (HHI)", "top_sector": "Top sector",
    "top_sector_lq": "Top sector location quotient", "education_n": "Universities within R",
    "education_nearest_m": "Nearest university (m)", "stations_n": "Stations within R",
    "station_nearest_m": "Nearest station (m)", "site_area_m2": "Site area (m²)",
    "zone_shares": "Zones under the site", "dominant_zone": "Dominant zone",
    "use_permitted": "Zoning permits centre", "restrictions": "Restrictions",
    "max_footprint_m2": "Max. footprint (m²)", "max_gfa_m2": "Max. floor area (m²)",
    "radius_m": "Catchment radius R (m)",
}


def field_label(column: str, language: str = "en") -> str:
    """Display name of an indicator ``column`` in ``language`` (the column itself when
    it has none)."""
    return translate(FIELD_LABELS.get(column, column), language)


__all__ = ["FIELD_LABELS", "field_label"]
