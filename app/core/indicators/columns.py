"""The per-site indicator columns of docs/indicators.md (the contract), their coverage
share columns per layer family, and their one-line definitions (tooltips, ``--help``).
"""

from __future__ import annotations

#: The per-site columns of docs/indicators.md, in order (the contract).
COLUMNS: tuple[str, ...] = (
    "startups_n",
    "startups_per_km2",
    "employees_sum",
    "sector_shannon",
    "sector_evenness",
    "sector_hhi",
    "top_sector",
    "top_sector_lq",
    "education_n",
    "education_nearest_m",
    "stations_n",
    "station_nearest_m",
    "startups_coverage",
    "education_coverage",
    "stations_coverage",
    "site_area_m2",
    "zone_shares",
    "zoning_coverage",
    "dominant_zone",
    "use_permitted",
    "restrictions",
    "max_footprint_m2",
    "max_gfa_m2",
    "partial",
    "score",
)
#: Layer family -> its coverage share column (zoning keeps its polygon-based column).
COVERAGE_COLUMNS: dict[str, str] = {
    "startups": "startups_coverage",
    "education": "education_coverage",
    "stations": "stations_coverage",
    "zoning": "zoning_coverage",
}
#: One-line definitions (for tooltips and the CLI's --help).
DEFINITIONS = {
    "startups_n": "start-ups within R of the site (boundary counts)",
    "startups_per_km2": "startups_n / catchment area (buffer of the site by R), per km²",
    "employees_sum": "sum of employees of those start-ups (missing values count 0)",
    "sector_shannon": "Shannon entropy H = -Σ p_k ln p_k of the sectors in the catchment",
    "sector_evenness": "H / ln S, S = sectors in the whole start-up layer",
    "sector_hhi": "Herfindahl index Σ p_k² (0..1)",
    "top_sector": "sector with the most start-ups in the catchment (ties alphabetical)",
    "top_sector_lq": "location quotient (n_k/n) / (N_k/N) of the top sector",
    "education_n": "universities and colleges within R",
    "education_nearest_m": "distance to the nearest university or college (m)",
    "stations_n": "stations within R",
    "station_nearest_m": "distance to the nearest station (m)",
    "startups_coverage": (
        "share (0–1) of the catchment inside the start-up layer's coverage area; "
        "0: start-up values unknown"
    ),
    "education_coverage": (
        "share (0–1) of the catchment inside the university layer's coverage area; "
        "0: education values unknown"
    ),
    "stations_coverage": (
        "share (0–1) of the catchment inside the station layer's coverage area; "
        "0: station values unknown"
    ),
    "site_area_m2": "site polygon area; lot_area_m2 for a point site",
    "zone_shares": "share of the site area in each zone type (JSON)",
    "zoning_coverage": (
        "share of the site area covered by zoning data, within the zoning layer's "
        "coverage area (point site: 1 or 0)"
    ),
    "dominant_zone": "zone type with the largest share",
    "use_permitted": (
        "every zone under the site permits 교육연구시설 or 업무시설 (○); "
        "unknown below 99 % zoning coverage unless a zone forbids it"
    ),
    "restrictions": "restriction overlays the site touches",
    "max_footprint_m2": "Σ area in zone × Seoul BCR; 0 in greenbelt",
    "max_gfa_m2": "Σ area in zone × Seoul FAR; 0 in greenbelt, capped by height limits",
    "partial": (
        "a layer the score uses covers only part of the catchment (share < 1): "
        "ranked after the complete sites"
    ),
    "score": "composite score 0–100 (weighted criteria, see the breakdown)",
}
