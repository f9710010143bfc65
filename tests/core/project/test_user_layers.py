"""Styles and names of imported layers (Qt-free)."""

import geopandas as gpd
import shapely

from app.core.project.user_layers import LABEL_LIMIT, role_style, table_name
from layers.themes.startups import SPEC as STARTUPS


def _points(n, **columns):
    return gpd.GeoDataFrame(columns, geometry=shapely.points(range(n), range(n)), crs="EPSG:5186")


def test_startups_with_the_default_sectors_keep_the_app_colours():
    frame = _points(4, sector=["ICT/SW", "AI/Data", "ICT/SW", "Fintech"], name=list("abcd"))
    style = role_style("startups", "point", 0, frame)
    assert style == STARTUPS.style  # and no labels on start-ups


def test_startups_with_their_own_sectors_get_their_own_categories():
    frame = _points(5, sector=["소프트웨어", "바이오", "소프트웨어", "콘텐츠", None])
    style = role_style("startups", "point", 0, frame)
    assert style.kind == "categorized" and style.field == "sector"
    assert [c.value for c in style.categories] == ["바이오", "소프트웨어", "콘텐츠"]
    assert len({c.symbol.fill for c in style.categories}) == 3
    assert style.symbol_for("바이오") is not style.symbol  # not the grey "other"


def test_only_small_point_layers_get_labels():
    small = _points(LABEL_LIMIT, name=[f"역{i}" for i in range(LABEL_LIMIT)])
    big = _points(LABEL_LIMIT + 1, name=[f"역{i}" for i in range(LABEL_LIMIT + 1)])
    assert role_style("stations", "point", 0, small).label.field == "name"
    assert role_style(None, "point", 0, big).label is None


def test_table_names_are_safe_and_unique():
    assert table_name("Real zoning 2024.shp", {"zoning"}) == "real_zoning_2024"
    assert table_name("zoning.shp", set()) == "zoning_1"  # a default layer's name is taken
    assert table_name("용도지역", set()) == "layer_1"
    assert table_name("gpkg_contents", set()).startswith("layer")


def test_imported_sectors_named_in_korean_or_english_take_the_default_sector_colours():
    colours = {str(c.value): c.symbol.fill for c in STARTUPS.style.categories}
    frame = _points(
        6,
        sector=[
            "바이오",
            "Bio/Health",
            "ICT·소프트웨어",
            "fintech",
            "Advanced manufacturing",
            "로봇",
        ],
    )
    style = role_style("startups", "point", 0, frame)
    fill = {str(c.value): c.symbol.fill for c in style.categories}
    assert fill["바이오"] == fill["Bio/Health"] == colours["Bio/Health"]
    assert fill["ICT·소프트웨어"] == colours["ICT/SW"]
    assert fill["fintech"] == colours["Fintech"]
    assert fill["Advanced manufacturing"] == colours["Manufacturing"]
    # a sector the app does not know gets a colour no known sector shows here
    assert fill["로봇"] not in {fill[v] for v in fill if v != "로봇"}
