"""A site that only grazes a zone is not "in" it (UX review: a 4e-6 m² graze made a site
'준공업, permitted')."""

import geopandas as gpd
import pandas as pd
import shapely

from app.core.indicators.engine import compute_indicators


def _zoning():
    return gpd.GeoDataFrame(
        {"kind": ["zone"], "zone_type": ["준공업"]},
        geometry=[shapely.box(0, 0, 1000, 1000)],
        crs="EPSG:5186",
    )


def _sites(*geoms):
    return gpd.GeoDataFrame(
        {"name": [f"s{i}" for i in range(len(geoms))]}, geometry=list(geoms), crs="EPSG:5186"
    )


def test_a_graze_is_no_zoning_and_a_real_overlap_counts():
    graze = shapely.box(1000 - 2e-9, 100, 1100, 200)  # 100 m × 2e-9 m inside the zone
    edge = shapely.box(1000, 300, 1100, 400)  # shares an edge only
    half = shapely.box(950, 500, 1050, 600)  # half inside
    table = compute_indicators(_sites(graze, edge, half), None, None, None, _zoning())
    for row in (0, 1):
        assert pd.isna(table["dominant_zone"].iloc[row])
        assert pd.isna(table["use_permitted"].iloc[row])  # no zoning data: ranked below
        assert pd.isna(table["zone_shares"].iloc[row])
    assert table["dominant_zone"].iloc[2] == "준공업"
    assert table["zone_shares"].iloc[2] == '{"준공업": 0.5}'
    assert table["zoning_coverage"].tolist() == [0.0, 0.0, 0.5]
    # half covered: below the 99 % coverage threshold, so permission is unknown
    assert pd.isna(table["use_permitted"].iloc[2])
