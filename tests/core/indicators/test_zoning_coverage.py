"""Zoning: "permitted" only where the zoning data cover the site (issue 12).

A polygon site 98 % outside any zoning data used to read "Centre permitted: yes", with
준공업 as its dominant zone from a 2 % share, and ranked among the permitted sites.
"""

import json
import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from app.core.indicators.engine import COLUMNS, DEFINITIONS, compute_indicators
from app.core.indicators.format import format_cell, format_value
from app.core.indicators.labels import label
from app.core.indicators.score import rank_sites
from app.core.indicators.site_zoning import COVERAGE_THRESHOLD

CRS = "EPSG:5186"
X0, Y0 = 200_000.0, 550_000.0


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def point(x, y):
    return shapely.Point(X0 + x, Y0 + y)


def zoning_of(*rows):
    """rows: (zone_type, geometry)."""
    return gpd.GeoDataFrame(
        {"kind": ["zone"] * len(rows), "zone_type": [r[0] for r in rows]},
        geometry=[r[1] for r in rows],
        crs=CRS,
    )


def sites_of(*geoms, **columns):
    return gpd.GeoDataFrame(
        {"name": [f"s{i}" for i in range(len(geoms))], **columns}, geometry=list(geoms), crs=CRS
    )


def startups_near(x, y, n):
    return gpd.GeoDataFrame({"sector": ["ICT"] * n}, geometry=[point(x, y)] * n, crs=CRS)


# 준공업 (○ for both use classes) west of x = 0 … 1000; 제1종전용주거 (✗/□) further east.
ZONING = zoning_of(
    ("준공업", box(0, 0, 1000, 1000)),
    ("제1종전용주거", box(2000, 0, 3000, 1000)),
)
#: The issue's site: 100 m × 100 m, only a 2 m × 100 m strip on 준공업 (2 %).
TWO_PERCENT = box(-98, 100, 2, 200)
#: Wholly on 준공업.
FULL = box(100, 100, 200, 200)
#: Half on the forbidding 제1종전용주거, half outside any zone.
HALF_FORBIDDING = box(2950, 100, 3050, 200)


def run(*geoms, startups=None, zoning=ZONING, **columns):
    empty = gpd.GeoDataFrame(geometry=[], crs=CRS)
    return compute_indicators(
        sites_of(*geoms, **columns),
        empty if startups is None else startups,
        empty,
        empty,
        zoning,
        radius=300.0,
    )


def test_the_threshold_is_99_percent_and_coverage_is_a_contract_column():
    assert COVERAGE_THRESHOLD == 0.99
    assert COLUMNS.index("zoning_coverage") == COLUMNS.index("zone_shares") + 1
    assert "zoning_coverage" in DEFINITIONS
    assert label("zoning_coverage") != "zoning_coverage"  # a readable name
    assert label("zoning_coverage", "ko") != label("zoning_coverage")


def test_a_site_98_percent_outside_zoning_is_unknown_not_permitted():
    row = run(TWO_PERCENT).iloc[0]
    assert pd.isna(row["use_permitted"])  # was True
    assert row["zoning_coverage"] == pytest.approx(0.02)
    # dominant zone and floor area keep the covered part's values
    assert row["dominant_zone"] == "준공업"
    assert json.loads(row["zone_shares"]) == {"준공업": 0.02}
    assert row["max_gfa_m2"] == pytest.approx(200 * 4.0)  # 200 m² × Seoul FAR 400 %
    assert row["max_footprint_m2"] == pytest.approx(200 * 0.6)


def test_the_partly_covered_site_ranks_after_permitted_sites_even_with_a_higher_score():
    # 400 start-ups within R of the partly covered site only: it has the best score.
    table = run(TWO_PERCENT, FULL, startups=startups_near(-350, 150, 400))
    assert table["score"].iloc[0] > table["score"].iloc[1]
    ranks = rank_sites(table)
    assert ranks.tolist() == [2, 1]


def test_a_fully_covered_site_keeps_todays_answers():
    row = run(FULL).iloc[0]
    assert row["zoning_coverage"] == pytest.approx(1.0)
    assert row["use_permitted"] == True  # noqa: E712
    assert row["dominant_zone"] == "준공업"
    assert row["max_gfa_m2"] == pytest.approx(10_000 * 4.0)


def test_a_site_half_on_a_forbidding_zone_and_half_outside_is_not_permitted():
    row = run(HALF_FORBIDDING).iloc[0]
    assert row["zoning_coverage"] == pytest.approx(0.5)
    assert row["use_permitted"] == False  # noqa: E712  (known: one forbidding zone is enough)


def test_the_threshold_itself():
    just_enough = box(-0.5, 300, 99.5, 400)  # 99.5 % covered
    just_short = box(-1.5, 500, 98.5, 600)  # 98.5 % covered
    table = run(just_enough, just_short)
    assert table["zoning_coverage"].tolist() == pytest.approx([0.995, 0.985])
    assert table["use_permitted"].iloc[0] == True  # noqa: E712
    assert pd.isna(table["use_permitted"].iloc[1])


def test_point_sites_are_covered_or_not():
    table = run(point(500, 500), point(-500, 500), lot_area_m2=[1000.0, 1000.0])
    assert table["zoning_coverage"].tolist() == [1.0, 0.0]
    assert table["use_permitted"].iloc[0] == True  # noqa: E712
    assert pd.isna(table["use_permitted"].iloc[1])


def test_no_zoning_layer_leaves_coverage_unknown():
    row = run(FULL, zoning=None).iloc[0]
    assert math.isnan(row["zoning_coverage"]) and pd.isna(row["use_permitted"])


def test_coverage_reads_as_a_percentage_and_partly_covered_values_say_so():
    assert format_value("zoning_coverage", 0.02) == "2 %"
    assert format_value("zoning_coverage", 1.0) == "100 %"
    assert format_value("zoning_coverage", 0.9999999999) == "100 %"
    assert format_value("zoning_coverage", 0.989) == "98 %"  # never rounded up to 99 %
    assert format_value("zoning_coverage", 0.001) == "< 1 %"
    assert format_value("zoning_coverage", float("nan")) == "—"
    partial = run(TWO_PERCENT).iloc[0]
    assert format_cell("dominant_zone", partial) == "준공업 (2 % covered)"
    assert format_cell("max_gfa_m2", partial) == "800 (covered part only)"
    assert format_cell("max_footprint_m2", partial) == "120 (covered part only)"
    assert format_cell("use_permitted", partial) == "unknown (2 % covered)"
    assert "2 %" in format_cell("dominant_zone", partial, "ko")
    full = run(FULL).iloc[0]
    assert format_cell("dominant_zone", full) == "준공업"
    assert format_cell("max_gfa_m2", full) == "40,000"
    assert format_cell("use_permitted", full) == "yes"
    outside = run(box(-500, 0, -400, 100)).iloc[0]
    assert format_cell("use_permitted", outside) == "unknown (no zone)"


def test_default_project_fully_covered_sites_keep_their_answers(default_project_path):
    import pyogrio

    read = lambda name: pyogrio.read_dataframe(default_project_path, layer=name)  # noqa: E731
    zoning = read("zoning")
    centres = zoning.geometry.representative_point()
    # one 40 m disc and one point (lot 2000 m²) inside each zoning feature
    geoms = list(centres.buffer(40)) + list(centres)
    sites = gpd.GeoDataFrame(
        {"name": range(len(geoms)), "lot_area_m2": 2000.0}, geometry=geoms, crs=zoning.crs
    )
    table = compute_indicators(sites, read("startups"), read("education"), read("stations"), zoning)
    coverage = table["zoning_coverage"]
    assert ((coverage == 0) | (coverage > 1 - 1e-9)).all()  # wholly in a zone, or outside
    assert (table["use_permitted"].isna() == (coverage == 0)).all()
    # As on main before issue 12: 38 permitted, 10 not (자연녹지), 4 unknown (two overlays
    # outside every zone).
    counts = table["use_permitted"].value_counts(dropna=False)
    assert counts[True] == 38 and counts[False] == 10 and table["use_permitted"].isna().sum() == 4
    assert table.loc[table["use_permitted"] == False, "dominant_zone"].eq("자연녹지").all()  # noqa: E712
