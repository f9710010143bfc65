"""``sites``: candidate support-centre sites the user sketches (points or polygons)."""

from __future__ import annotations

import geopandas as gpd

from layers.model import WORKING_CRS, LayerSpec
from layers.provenance import USER_PROVENANCE
from layers.style import LabelStyle, LayerStyle, Symbol

DEFAULT_RADIUS_M = 800.0  # docs/indicators.md: about a 10-minute walk

#: column -> kind; ``kind`` is "point" or "polygon", times are ISO 8601 UTC strings.
COLUMNS = {
    "site_id": "str",
    "name": "str",
    "notes": "str",
    "kind": "str",
    "radius_m": "float",
    "lot_area_m2": "float",
    "created": "str",
    "modified": "str",
}

SITE_COLOUR = "#ff6d00"

#: The in-app ``sites`` layer is stored as one table per geometry type (docs/geopackage.md,
#: "Sites: tables and identity"): point sites and area (polygon) sites.
POINTS_TABLE = "sites_points"
AREAS_TABLE = "sites_areas"
SITE_TABLES = (POINTS_TABLE, AREAS_TABLE)
#: The mixed table written before: still read, replaced by :data:`SITE_TABLES` on save.
LEGACY_TABLE = "sites"

SPEC = LayerSpec(
    name="sites",
    title_ko="후보지",
    title_en="Candidate sites",
    geometry_kind="mixed",
    columns=COLUMNS,
    style=LayerStyle(
        symbol=Symbol(
            fill=SITE_COLOUR,
            fill_alpha=0.25,
            stroke="#c43e00",
            stroke_width=2.5,
            marker="diamond",
            size=16,
        ),
        label=LabelStyle(field="name", size_pt=10, bold=True, color="#8a2b00"),
    ),
    provenance=USER_PROVENANCE,
    description="Candidate innovation-support-centre sites sketched by the user.",
)


def empty_sites() -> gpd.GeoDataFrame:
    """An empty sites table with every column, in EPSG:5186."""
    frame = gpd.GeoDataFrame({name: [] for name in COLUMNS}, geometry=[], crs=WORKING_CRS)
    for name, kind in COLUMNS.items():
        frame[name] = frame[name].astype("float64" if kind == "float" else "object")
    return frame
