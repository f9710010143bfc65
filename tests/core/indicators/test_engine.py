"""Hand-computed cases for every column of docs/indicators.md (app.core.indicators.engine)."""

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.core.indicators.catchment import catchment_area_km2
from app.core.indicators.engine import COLUMNS, DEFINITIONS, IndicatorEngine, compute_indicators

CRS = "EPSG:5186"
X0, Y0 = 200_000.0, 550_000.0  # a point in Seoul, so that reprojection is meaningful


def pts(coords, **columns):
    geoms = [shapely.Point(X0 + x, Y0 + y) for x, y in coords]
    return gpd.GeoDataFrame(columns, geometry=geoms, crs=CRS)


def box(x1, y1, x2, y2):
    return shapely.box(X0 + x1, Y0 + y1, X0 + x2, Y0 + y2)


def sites_of(*geoms, **columns):
    return gpd.GeoDataFrame(
        {"name": [f"s{i}" for i in range(len(geoms))], **columns}, geometry=list(geoms), crs=CRS
    )


def point(x, y):
    return shapely.Point(X0 + x, Y0 + y)


@pytest.fixture
def startups():
    # (100, 0) and (60, 80) are exactly 100 m from the origin: on the boundary.
    return pts(
        [(100, 0), (60, 80), (10, 0), (0, 100.001), (5000, 5000)],
        sector=["A", "A", "B", "C", "C"],
        employees=[10, 20, 5, 7, 1],
    )


@pytest.fixture
def no_layer():
    return pts([])


def run(sites, startups, education=None, stations=None, zoning=None, radius=100.0, **kw):
    empty = pts([])
    return compute_indicators(
        sites,
        startups,
        empty if education is None else education,
        empty if stations is None else stations,
        zoning,
        radius=radius,
        **kw,
    )


def test_columns_are_exactly_the_contract(startups):
    table = run(sites_of(point(0, 0)), startups)
    assert list(table.columns) == list(COLUMNS)
    assert set(DEFINITIONS) == set(COLUMNS)


def test_boundary_counts_and_sector_mix(startups):
    table = run(sites_of(point(0, 0)), startups)
    row = table.iloc[0]
    assert row["startups_n"] == 3  # two on the boundary, one inside
    assert row["employees_sum"] == 35
    assert row["startups_per_km2"] == pytest.approx(3 / (math.pi * 100**2 / 1e6))
    h = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert row["sector_shannon"] == pytest.approx(h)
    assert row["sector_evenness"] == pytest.approx(h / math.log(3))  # S = 3 in the layer
    assert row["sector_hhi"] == pytest.approx(5 / 9)
    assert row["top_sector"] == "A"
    assert row["top_sector_lq"] == pytest.approx((2 / 3) / (2 / 5))


def test_empty_catchment(startups):
    row = run(sites_of(point(-3000, -3000)), startups).iloc[0]
    assert row["startups_n"] == 0 and row["employees_sum"] == 0
    assert row["startups_per_km2"] == 0
    assert row["sector_shannon"] == 0 and row["sector_evenness"] == 0
    assert row["sector_hhi"] == 0
    assert row["top_sector"] is None and math.isnan(row["top_sector_lq"])


def test_single_sector_and_alphabetical_tie():
    layer = pts([(0, 0), (1, 0), (50, 0), (51, 0)], sector=["Z", "Z", "B", "B"])
    single = run(sites_of(point(0, 0)), layer, radius=10).iloc[0]
    assert single["sector_shannon"] == 0 and single["sector_evenness"] == 0
    assert single["sector_hhi"] == 1 and single["top_sector"] == "Z"
    assert single["top_sector_lq"] == pytest.approx(2.0)
    tie = run(sites_of(point(25, 0)), layer, radius=100).iloc[0]
    assert tie["top_sector"] == "B"  # 2 B and 2 Z: alphabetical
    assert tie["sector_evenness"] == pytest.approx(1.0)


def test_polygon_site_distance_from_its_edge(startups):
    layer = pts([(150, 50), (150, 150), (50, 50), (-50, 100)], sector=list("ABCD"))
    row = run(sites_of(box(0, 0, 100, 100)), layer, radius=50).iloc[0]
    # (150, 50) is 50 m from the east edge: inside; (150, 150) is 70.7 m away: outside;
    # (50, 50) lies in the site; (-50, 100) is 50 m from the west edge.
    assert row["startups_n"] == 3
    assert row["site_area_m2"] == pytest.approx(10_000)
    exact = 100**2 + 4 * 100 * 50 + math.pi * 50**2
    assert row["startups_per_km2"] == pytest.approx(3 / (exact / 1e6), rel=2e-3)


def test_point_and_polygon_sites_in_one_frame(startups):
    sites = sites_of(point(0, 0), box(-1, -1, 1, 1), lot_area_m2=[1234.0, 99.0])
    table = run(sites, startups)
    assert list(table["startups_n"]) == [3, 4]  # the box reaches (0, 100.001) too
    assert table["site_area_m2"].tolist() == pytest.approx([1234.0, 4.0])


def test_catchment_area():
    areas = catchment_area_km2(np.array([point(0, 0), box(0, 0, 100, 100)]), 100.0)
    assert areas[0] == pytest.approx(math.pi * 0.01)
    assert areas[1] == pytest.approx((100**2 + 400 * 100 + math.pi * 100**2) / 1e6, rel=1e-3)
    assert catchment_area_km2(np.array([point(0, 0)]), 0.0)[0] == 0


def test_zero_radius_counts_only_what_touches(startups):
    row = run(sites_of(point(10, 0), point(7, 7)), startups, radius=0).iloc[0]
    assert row["startups_n"] == 1 and math.isnan(row["startups_per_km2"])


def test_education_and_stations():
    education = pts([(0, 50), (0, 300)])
    stations = pts([(400, 0)])
    table = run(
        sites_of(point(0, 0), box(-10, 40, 10, 60)), pts([]), education, stations, radius=100
    )
    assert table["education_n"].tolist() == [1, 1]
    assert table["education_nearest_m"].tolist() == pytest.approx([50, 0])  # touching: 0
    assert table["stations_n"].tolist() == [0, 0]
    assert table["station_nearest_m"].tolist() == pytest.approx([400, math.hypot(390, 40)])


def test_missing_columns_give_empty_results():
    bare = pts([(0, 0), (5, 0)])
    row = run(sites_of(point(0, 0)), bare).iloc[0]
    assert row["startups_n"] == 2
    assert math.isnan(row["employees_sum"])
    for column in ("sector_shannon", "sector_evenness", "sector_hhi", "top_sector_lq"):
        assert math.isnan(row[column])
    assert row["top_sector"] is None
    no_employees = pts([(0, 0)], sector=["A"])
    assert math.isnan(run(sites_of(point(0, 0)), no_employees).iloc[0]["employees_sum"])


def test_missing_employee_values_count_zero():
    layer = pts([(0, 0), (1, 0)], sector=["A", "A"], employees=[4, None])
    assert run(sites_of(point(0, 0)), layer).iloc[0]["employees_sum"] == 4


def test_absent_layers_give_empty_results():
    table = compute_indicators(sites_of(point(0, 0)), None, None, None, None)
    row = table.iloc[0]
    assert pd.isna(row["startups_n"]) and pd.isna(row["education_n"])
    assert math.isnan(row["station_nearest_m"]) and row["zone_shares"] is None
    assert pd.isna(row["use_permitted"]) and math.isnan(row["score"])


def test_any_crs_is_reprojected(startups):
    sites = sites_of(point(3, 2), box(-30, -30, 40, 20))
    here = run(sites, startups)
    there = run(sites.to_crs("EPSG:4326"), startups.to_crs("EPSG:5179"))
    assert here["startups_n"].tolist() == there["startups_n"].tolist()
    assert there["site_area_m2"].iloc[1] == pytest.approx(70 * 50, rel=1e-6)


def test_site_radius_overrides_the_project_radius(startups):
    sites = sites_of(point(0, 0), point(0, 0), radius_m=[20.0, np.nan])
    table = run(sites, startups, radius=100)
    assert table["startups_n"].tolist() == [1, 3]  # NaN radius_m: the project's R
    assert run(sites, startups, radius=100, site_radius=False)["startups_n"].tolist() == [3, 3]


def test_bad_radius_raises(startups):
    for radius in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            run(sites_of(point(0, 0)), startups, radius=radius)


def test_sites_without_geometry_keep_their_row(startups):
    sites = gpd.GeoDataFrame(
        {"name": ["a", "b", "c"]},
        geometry=[point(0, 0), None, shapely.Polygon()],
        crs=CRS,
        index=[10, 20, 30],
    )
    table = run(sites, startups)
    assert list(table.index) == [10, 20, 30]
    assert table.loc[10, "startups_n"] == 3
    assert pd.isna(table.loc[20, "startups_n"]) and pd.isna(table.loc[30, "score"])


def test_no_sites_gives_an_empty_table(startups):
    table = run(sites_of(), startups)
    assert list(table.columns) == list(COLUMNS) and len(table) == 0


def test_progress_is_reported(startups):
    seen = []
    run(sites_of(point(0, 0)), startups, progress=lambda f, m: seen.append((f, m)))
    assert seen[-1][0] == 1.0 and [f for f, _ in seen] == sorted(f for f, _ in seen)


# --- zoning ---------------------------------------------------------------------------


def zoning_of(*rows):
    """rows: (kind, zone_type, geometry[, max_height_m])."""
    return gpd.GeoDataFrame(
        {
            "kind": [r[0] for r in rows],
            "zone_type": [r[1] for r in rows],
            "max_height_m": [r[3] if len(r) > 3 else np.nan for r in rows],
        },
        geometry=[r[2] for r in rows],
        crs=CRS,
    )


TWO_ZONES = zoning_of(
    ("zone", "준공업", box(0, 0, 100, 100)), ("zone", "제2종일반주거", box(100, 0, 200, 100))
)


def zone_row(site, zoning, **columns):
    return run(sites_of(site, **columns), pts([]), zoning=zoning).iloc[0]


def test_zone_shares_sum_to_one_and_floor_area():
    row = zone_row(box(50, 0, 150, 100), TWO_ZONES)
    shares = json.loads(row["zone_shares"])
    assert shares == {"제2종일반주거": 0.5, "준공업": 0.5}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert row["dominant_zone"] == "제2종일반주거"  # tie: alphabetical (제 < 준)
    assert row["use_permitted"] is True or row["use_permitted"] == True  # noqa: E712
    assert row["max_footprint_m2"] == pytest.approx(5000 * 0.6 + 5000 * 0.6)
    assert row["max_gfa_m2"] == pytest.approx(5000 * 4.0 + 5000 * 2.0)
    assert row["restrictions"] == ""


def test_point_site_takes_the_zone_under_it():
    row = zone_row(point(150, 50), TWO_ZONES, lot_area_m2=[1000.0])
    assert json.loads(row["zone_shares"]) == {"제2종일반주거": 1.0}
    assert row["max_footprint_m2"] == pytest.approx(600)
    assert row["max_gfa_m2"] == pytest.approx(2000)
    unknown_lot = zone_row(point(150, 50), TWO_ZONES)
    assert json.loads(unknown_lot["zone_shares"]) == {"제2종일반주거": 1.0}
    assert math.isnan(unknown_lot["max_gfa_m2"]) and math.isnan(unknown_lot["site_area_m2"])


def test_long_zone_names_are_normalised():
    zoning = zoning_of(("zone", "준공업지역", box(0, 0, 100, 100)))
    assert zone_row(box(10, 10, 20, 20), zoning)["dominant_zone"] == "준공업"


def test_use_not_permitted_if_any_zone_does_not_permit():
    zoning = zoning_of(
        ("zone", "준공업", box(0, 0, 100, 100)), ("zone", "제1종전용주거", box(100, 0, 200, 100))
    )  # □ / ✗
    assert zone_row(box(90, 0, 110, 10), zoning)["use_permitted"] == False  # noqa: E712
    assert zone_row(box(10, 0, 20, 10), zoning)["use_permitted"] == True  # noqa: E712
    # a shared edge is not "under" the site
    assert zone_row(box(80, 0, 100, 10), zoning)["use_permitted"] == True  # noqa: E712


def test_project_override_changes_permission():
    from app.core.zoning.rules import ZoningRules

    zoning = zoning_of(("zone", "제1종전용주거", box(0, 0, 100, 100)))
    site = sites_of(box(10, 10, 20, 20))
    rules = ZoningRules.default().with_overrides({("제1종전용주거", "교육연구시설"): "○"})
    before = run(site, pts([]), zoning=zoning).iloc[0]["use_permitted"]
    after = run(site, pts([]), zoning=zoning, rules=rules).iloc[0]["use_permitted"]
    assert before == False and after == True  # noqa: E712


def test_greenbelt_means_zero_floor_area():
    zoning = zoning_of(
        ("zone", "자연녹지", box(0, 0, 200, 100)), ("overlay", "개발제한구역", box(0, 0, 100, 100))
    )
    inside = zone_row(box(10, 10, 60, 60), zoning)
    assert inside["max_footprint_m2"] == 0 and inside["max_gfa_m2"] == 0
    assert inside["restrictions"] == "개발제한구역"
    half = zone_row(box(50, 0, 150, 100), zoning)
    assert half["max_footprint_m2"] == pytest.approx(5000 * 0.2)
    assert half["max_gfa_m2"] == pytest.approx(5000 * 0.5)
    point_in = zone_row(point(20, 20), zoning, lot_area_m2=[500.0])
    assert point_in["max_gfa_m2"] == 0 and point_in["max_footprint_m2"] == 0
    no_zone = zone_row(point(20, 20), zoning_of(("overlay", "개발제한구역", box(0, 0, 100, 100))))
    assert no_zone["max_gfa_m2"] == 0 and no_zone["zone_shares"] is None


def test_height_limit_caps_floor_area():
    # 8 m / 4 m per storey = 2 storeys; 준공업 BCR 60 %: cap 120 % < FAR 400 %.
    zoning = zoning_of(
        ("zone", "준공업", box(0, 0, 200, 100)),
        ("overlay", "비행안전구역", box(0, 0, 100, 100), 8.0),
    )
    row = zone_row(box(50, 0, 150, 100), zoning)
    assert row["max_gfa_m2"] == pytest.approx(5000 * 1.2 + 5000 * 4.0)
    assert row["max_footprint_m2"] == pytest.approx(10_000 * 0.6)
    assert row["restrictions"] == "비행안전구역"
    # without max_height_m on the feature the table's default (57 m: 14 storeys) applies
    default = zoning_of(
        ("zone", "준공업", box(0, 0, 200, 100)), ("overlay", "비행안전구역", box(0, 0, 100, 100))
    )
    assert zone_row(box(10, 10, 20, 20), default)["max_gfa_m2"] == pytest.approx(100 * 4.0)


def test_far_bonus_only_for_its_zone():
    zoning = zoning_of(
        ("zone", "제2종일반주거", box(0, 0, 100, 100)),
        ("zone", "준공업", box(100, 0, 200, 100)),
        ("overlay", "특정개발진흥지구", box(0, 0, 200, 100)),
    )
    row = zone_row(box(50, 0, 150, 100), zoning)
    assert row["max_gfa_m2"] == pytest.approx(5000 * 2.0 * 1.2 + 5000 * 4.0)
    assert row["restrictions"] == "특정개발진흥지구"


def test_bonus_and_height_cap_together():
    zoning = zoning_of(
        ("zone", "제2종일반주거", box(0, 0, 100, 100)),
        ("overlay", "특정개발진흥지구", box(0, 0, 100, 100)),
        ("overlay", "비행안전구역", box(0, 0, 50, 100), 12.0),
    )  # 3 storeys
    row = zone_row(box(0, 0, 100, 100), zoning)
    # west half: min(2.4, 0.6 × 3 = 1.8); east half: 2.4
    assert row["max_gfa_m2"] == pytest.approx(5000 * 1.8 + 5000 * 2.4)
    assert row["restrictions"] == "비행안전구역, 특정개발진흥지구"


def test_site_outside_every_zone():
    row = zone_row(box(500, 500, 510, 510), TWO_ZONES)
    assert row["zone_shares"] is None and row["dominant_zone"] is None
    assert pd.isna(row["use_permitted"]) and math.isnan(row["max_gfa_m2"])


def test_partly_covered_site_shares_sum_below_one():
    row = zone_row(box(150, 0, 250, 100), TWO_ZONES)
    assert json.loads(row["zone_shares"]) == {"제2종일반주거": 0.5}
    assert row["max_gfa_m2"] == pytest.approx(5000 * 2.0)


def test_zoning_without_zone_type_column_gives_empty_zoning():
    zoning = gpd.GeoDataFrame({"kind": ["zone"]}, geometry=[box(0, 0, 10, 10)], crs=CRS)
    row = zone_row(box(1, 1, 2, 2), zoning)
    assert row["zone_shares"] is None and pd.isna(row["use_permitted"])


def test_engine_reuses_its_indexes(startups):
    engine = IndicatorEngine(startups, pts([]), pts([]), TWO_ZONES)
    first = engine.compute(sites_of(point(0, 0)), 100.0)
    moved = engine.compute(sites_of(point(5000, 5000)), 100.0)
    assert first.iloc[0]["startups_n"] == 3 and moved.iloc[0]["startups_n"] == 1


def test_default_project_runs(default_project_path):
    import pyogrio

    read = lambda name: pyogrio.read_dataframe(default_project_path, layer=name)  # noqa: E731
    zoning = read("zoning")
    centres = zoning.geometry.representative_point()
    sites = gpd.GeoDataFrame(
        {"name": zoning["zone_type"]}, geometry=list(centres.buffer(40)), crs=zoning.crs
    )
    table = compute_indicators(sites, read("startups"), read("education"), read("stations"), zoning)
    assert len(table) == len(zoning)
    assert table["score"].between(0, 100).all()
    greenbelt = (zoning["zone_type"] == "개발제한구역").to_numpy()
    assert (table.loc[greenbelt, "max_gfa_m2"] == 0).all()
    assert table.loc[greenbelt, "restrictions"].str.contains("개발제한구역").all()
