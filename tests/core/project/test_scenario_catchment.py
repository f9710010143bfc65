"""Each scenario's own catchment (issue 20 with issue 18): straight-line circles or walks
along a walking network, in the Compare KPIs and in the scenarios table."""

import math

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

from app.core.indicators.score import Weights
from app.core.project.scenario_kpis import KpiContext, ScenarioInput, compare
from app.core.project.scenario_model import NETWORK_MODE, Scenario, ScenarioSet
from app.core.project.scenario_store import (
    catchment_extra,
    live_catchment,
    read_scenarios_table,
    write_scenarios_table,
)
from app.core.sites.edits import make_site, normalise_sites
from layers.model import WORKING_CRS, Layer, LayerStack
from layers.style import LayerStyle, Symbol
from layers.themes.registry import SPECS_BY_NAME
from tests.core.network.synthetic import X0, Y0, pt, river_with_one_bridge


def _stack() -> LayerStack:
    lines, separated = river_with_one_bridge()
    streets = gpd.GeoDataFrame({"BRG": separated.astype(int)}, geometry=lines, crs=WORKING_CRS)
    style = LayerStyle(symbol=Symbol(fill=None, stroke="#777777", stroke_width=1.0))
    from layers.provenance import DataStatus, Provenance

    prov = Provenance(DataStatus.SYNTHETIC, "test", "", "", "test streets")
    startups = gpd.GeoDataFrame(
        {"name": ["across the river", "same bank"], "sector": "ict", "employees": [5.0, 7.0]},
        geometry=[pt(0, 150), pt(500, -150)],
        crs=WORKING_CRS,
    )
    districts = gpd.GeoDataFrame(
        {"district_id": ["d1", "far"], "name": ["D1", "Far"]},
        geometry=[
            shapely.box(X0 - 2000, Y0 - 1000, X0 + 2000, Y0 + 1000),
            shapely.box(X0 + 5000, Y0 + 5000, X0 + 6000, Y0 + 6000),
        ],
        crs=WORKING_CRS,
    )
    return LayerStack(
        [
            Layer.from_spec(SPECS_BY_NAME["startups"], startups),
            Layer.from_spec(SPECS_BY_NAME["districts"], districts),
            Layer("streets", streets, style, prov, title_en="streets", geometry_kind="line"),
        ]
    )


def _sites() -> gpd.GeoDataFrame:
    return normalise_sites(
        gpd.GeoDataFrame(
            [make_site(pt(0, -150), "South bank")], geometry="geometry", crs=WORKING_CRS
        )
    )


def test_each_scenario_is_measured_with_its_own_catchment():
    context = KpiContext.build(_stack(), {}, {})
    circle = ScenarioInput("Circles", _sites(), 800.0, Weights())
    walk = ScenarioInput("Walks", _sites(), 800.0, Weights(), network="streets")
    table = compare(context, [circle, walk])
    # the circle reaches the start-up 300 m across the river; the walk (2.3 km) does not
    assert table.loc["Circles", "union_startups"] == 2
    assert table.loc["Walks", "union_startups"] == 1
    assert table.loc["Walks", "union_employees"] == pytest.approx(7.0)
    assert table.loc["Circles", "nearest_mean_m"] == pytest.approx((300 + 500) / 2)
    # walked: 1000 m along the bank, 300 m over the bridge, 1000 m back; 500 m on the bank
    assert table.loc["Walks", "nearest_mean_m"] == pytest.approx((2300 + 500) / 2, abs=1.0)
    assert table.loc["Circles", "catchment"] == "circle (straight line)"
    assert table.loc["Walks", "catchment"] == "walking network: streets"
    assert table.loc["Walks", "share:d1"] == pytest.approx(0.5)
    assert table.loc["Walks", "nearest:d1"] == pytest.approx(1400.0, abs=1.0)


def test_a_missing_network_is_one_clear_error():
    from app.core.errors import InnoAtlasError

    context = KpiContext.build(_stack(), {}, {})
    with pytest.raises(InnoAtlasError, match="'roads' is not a layer"):
        compare(context, [ScenarioInput("W", _sites(), 800.0, Weights(), network="roads")])


def test_the_scenarios_table_keeps_each_catchment(tmp_path):
    target = tmp_path / "p.gpkg"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=WORKING_CRS)
    pyogrio.write_dataframe(frame, target, layer="x")
    walks = Scenario("Walks", 800.0, {}, NETWORK_MODE, network_layer="streets")
    scenarios = ScenarioSet([Scenario("Circles"), walks], current=0)
    scenarios.scenarios[1].sites = _sites()
    extra = catchment_extra({}, None, "streets")  # the live (current) one: straight line
    write_scenarios_table(target, scenarios, 800.0, {}, extra)
    rows = read_scenarios_table(target)
    assert [(r.name, r.catchment_mode, r.network_layer) for r in rows] == [
        ("Circles", "circle", "streets"),
        ("Walks", "network", "streets"),
    ]
    assert live_catchment(catchment_extra({}, "streets", None)) == ("streets", "streets")


def test_a_table_without_the_network_column_still_reads(tmp_path):
    import sqlite3

    target = tmp_path / "old.gpkg"
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs=WORKING_CRS)
    pyogrio.write_dataframe(frame, target, layer="x")
    with sqlite3.connect(target) as con:
        con.execute(
            'CREATE TABLE "innoatlas_scenarios" (fid INTEGER PRIMARY KEY, name TEXT, '
            "position INTEGER, is_current BOOLEAN, radius_m REAL, weights TEXT, "
            "catchment_mode TEXT)"
        )
        con.execute("INSERT INTO innoatlas_scenarios VALUES (1, 'Old', 0, 1, 500, '{}', 'circle')")
    con.close()
    (row,) = read_scenarios_table(target)
    assert (row.name, row.radius_m, row.catchment_mode, row.network_layer) == (
        "Old",
        500.0,
        "circle",
        None,
    )
    assert not math.isnan(row.radius_m) and np.isfinite(row.radius_m)


def test_csv_and_json_say_which_start_ups_the_mean_distance_counts():
    import json

    from app.core.project.scenario_kpis import deltas, district_names
    from app.core.project.scenario_report import Comparison, as_json, flat_table

    context = KpiContext.build(_stack(), {}, {})
    table = compare(context, [ScenarioInput("Circles", _sites(), 800.0, Weights())])
    result = Comparison(table, deltas(table), district_names(context), "")
    flat = flat_table(result)
    columns = list(flat.columns)
    assert columns[columns.index("nearest_mean_m") + 1] == "nearest_mean_scope"
    scope = "start-ups of the innovation districts holding a site"
    assert flat.loc[0, "nearest_mean_scope"] == scope
    data = json.loads(as_json(result))
    assert data["nearest_mean_scope"] == scope
    assert "districts with a site" in data["labels"]["nearest_mean_m"]
    assert data["scenarios"][0]["kpis"]["catchment"] == "circle (straight line)"
    # per district: the mean distance of its start-ups to their nearest site
    assert data["scenarios"][0]["district_nearest_m"]["d1"] == pytest.approx(400.0)
    assert data["scenarios"][0]["district_nearest_m"]["far"] is None  # no start-ups
    assert flat.loc[0, "nearest_m_d1"] == pytest.approx(400.0)


def test_start_ups_of_districts_without_a_site_are_left_out():
    stack = _stack()
    far = gpd.GeoDataFrame(
        {"name": ["far away"], "sector": "ict", "employees": [1.0]},
        geometry=[shapely.Point(X0 + 5500, Y0 + 5500)],
        crs=WORKING_CRS,
    )
    startups = stack.get("startups")
    import pandas as pd

    startups.set_data(
        gpd.GeoDataFrame(pd.concat([startups.data, far], ignore_index=True), crs=WORKING_CRS)
    )
    context = KpiContext.build(stack, {}, {})
    table = compare(context, [ScenarioInput("Circles", _sites(), 800.0, Weights())])
    # the start-up of the district without a site (7.8 km away) does not count
    assert table.loc["Circles", "nearest_mean_m"] == pytest.approx((300 + 500) / 2)
    # but its district has its own figure
    far_km = shapely.Point(X0 + 5500, Y0 + 5500).distance(shapely.Point(X0, Y0 - 150))
    assert table.loc["Circles", "nearest:far"] == pytest.approx(far_km)


def test_save_and_open_keep_each_scenario_s_catchment(default_project_path, tmp_path):
    from app.core.project.store import open_project, save_project

    project = open_project(default_project_path)
    layer = project.stack.get("sites")
    scenario_set = _scenarios_of(layer)
    walks = Scenario("Walks", 800.0, {}, NETWORK_MODE, network_layer="streets")
    scenario_set.insert(1, walks)
    # the current scenario walks too: the live setting is the project's
    project.settings.extra.update(catchment_extra({}, "roads", None))
    out = tmp_path / "saved.gpkg"
    save_project(out, project.stack, project.settings, remember=False)
    opened = open_project(out)
    scenarios = _scenarios_of(opened.stack.get("sites"))
    assert [(s.name, s.walking_network) for s in scenarios.scenarios] == [
        (scenario_set.scenarios[0].name, "roads"),
        ("Walks", "streets"),
    ]
    assert live_catchment(opened.settings.extra) == ("roads", "roads")


def _scenarios_of(layer):
    from app.core.project.scenario_store import scenarios_of

    return scenarios_of(layer)
