"""Named scenarios (issue 20): kept in the sites tables' ``scenario`` column and the
``innoatlas_scenarios`` table; old projects open as one scenario; save keeps everything."""

import json
import sqlite3

import pyogrio
import pytest
import shapely

from app.core.project.scenario_model import Scenario, copied_sites
from app.core.project.scenario_store import SCENARIOS_TABLE, scenarios_of
from app.core.project.site_tables import read_sites
from app.core.project.store import open_project, save_project
from app.core.sites import edits as site_ops
from tests.gpkg_edit import gdal_functions
from tests.pyqgis import has_pyqgis, run_pyqgis

A = shapely.Point(195000.0, 548000.0)
B = shapely.Point(196000.0, 549000.0)
C = shapely.box(194000.0, 547000.0, 194100.0, 547080.0)


@pytest.fixture
def project(default_project_path):
    return open_project(default_project_path)


def _two_scenarios(project):
    sites = project.stack.get("sites")
    site_ops.insert_site(sites, site_ops.make_site(A, "Station north"))
    scenarios = scenarios_of(sites)
    scenarios.insert(1, Scenario("One large centre", 1200.0, {"startups": 2.0}))
    scenarios.switch(sites, 1)
    site_ops.insert_site(sites, site_ops.make_site(B, "Big block"))
    site_ops.insert_site(sites, site_ops.make_site(C, "Quasi-industrial lot"))
    return sites, scenarios


def test_old_project_opens_as_one_scenario(default_project_path):
    project = open_project(default_project_path)
    assert scenarios_of(project.stack.get("sites")).names() == ["Scenario 1"]
    # the name follows the language saved with the project
    names = {str(n) for n, _ in pyogrio.list_layers(default_project_path)}
    layer, _ = read_sites(default_project_path, names, "ko")
    assert scenarios_of(layer).names() == ["시나리오 1"]


def test_scenarios_round_trip_and_other_tools_see_every_site(project, tmp_path):
    sites, scenarios = _two_scenarios(project)
    project.settings.radius_m = 1200.0
    scenarios.switch(sites, 0)  # save with the first one current
    project.settings.radius_m = 700.0
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings)

    # QGIS / GDAL: ordinary tables, every site, its scenario named
    points = pyogrio.read_dataframe(path, layer="sites_points")
    areas = pyogrio.read_dataframe(path, layer="sites_areas")
    assert sorted(points["scenario"]) == ["One large centre", "Scenario 1"]
    assert list(areas["scenario"]) == ["One large centre"]
    with sqlite3.connect(path) as con:
        rows = con.execute(
            f"SELECT name, position, is_current, radius_m, weights, catchment_mode "
            f"FROM {SCENARIOS_TABLE} ORDER BY position"
        ).fetchall()
        kind = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = ?", (SCENARIOS_TABLE,)
        ).fetchone()
    con.close()
    assert kind == ("attributes",)
    assert [r[:4] for r in rows] == [
        ("Scenario 1", 0, 1, 700.0),
        ("One large centre", 1, 0, 1200.0),
    ]
    assert json.loads(rows[1][4]) == {"startups": 2.0} and rows[1][5] == "circle"

    again = open_project(path)
    layer = again.stack.get("sites")
    opened = scenarios_of(layer)
    assert opened.names() == ["Scenario 1", "One large centre"] and opened.current == 0
    assert list(layer.data["name"]) == ["Station north"]
    assert "scenario" not in layer.data.columns
    other = opened.sites_of(1, layer)
    assert list(other["name"]) == ["Big block", "Quasi-industrial lot"]
    assert other.geometry.iloc[1].equals(C)
    assert opened.scenarios[1].radius_m == 1200.0
    # switching brings the other scenario's sites into the layer
    opened.switch(layer, 1)
    assert list(layer.data["name"]) == ["Big block", "Quasi-industrial lot"]
    # a second save keeps everything (ids too)
    ids = set(points["site_id"]) | set(areas["site_id"])
    save_project(tmp_path / "q.gpkg", again.stack, again.settings)
    third = open_project(tmp_path / "q.gpkg")
    s3 = scenarios_of(third.stack.get("sites"))
    assert s3.current == 1
    both = set(third.stack.get("sites").data["site_id"]) | set(
        s3.sites_of(0, third.stack.get("sites"))["site_id"]
    )
    assert both == ids


def test_site_drawn_in_qgis_without_scenario_joins_current(project, tmp_path):
    sites, scenarios = _two_scenarios(project)
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings)
    with sqlite3.connect(path) as con:  # a QGIS user types no scenario, or an unknown one
        gdal_functions(con)
        con.execute("UPDATE sites_areas SET scenario = NULL")
        con.execute(
            "UPDATE sites_points SET scenario = 'Typed in QGIS' WHERE name = 'Station north'"
        )
    con.close()
    again = open_project(path)
    opened = scenarios_of(again.stack.get("sites"))
    assert opened.names() == ["Scenario 1", "One large centre", "Typed in QGIS"]
    assert opened.current == 1
    assert set(again.stack.get("sites").data["name"]) == {"Big block", "Quasi-industrial lot"}
    assert any("Typed in QGIS" in note for note in again.notes)


def test_duplicate_gives_new_ids_and_unique_names(project):
    sites, scenarios = _two_scenarios(project)
    copy = copied_sites(sites.data)
    assert list(copy["name"]) == list(sites.data["name"])
    assert not set(copy["site_id"]) & set(sites.data["site_id"])
    assert scenarios.unique_name("One large centre") == "One large centre (2)"
    assert scenarios.unique_name("") == "Scenario 3"
    with pytest.raises(ValueError):
        scenarios.remove(scenarios.current)


QGIS_SCRIPT = """
import sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False)
app.initQgis()
path = sys.argv[1]
for table in ("sites_points", "sites_areas", "innoatlas_scenarios"):
    layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
    field = "scenario" if table.startswith("sites") else "name"
    values = sorted(str(f[field]) for f in layer.getFeatures())
    print(table, layer.isValid(), layer.featureCount(), "|".join(values))
sys.stdout.flush()
import os
os._exit(0)  # QGIS's teardown may crash offscreen; the answers are printed
"""


@pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS (python3-qgis) is not installed")
def test_qgis_sees_every_site_and_the_scenarios_table(project, tmp_path):
    _two_scenarios(project)
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings)
    result = run_pyqgis(QGIS_SCRIPT, tmp_path, path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["sites_points"] == "True 2 One large centre|Scenario 1"
    assert lines["sites_areas"] == "True 1 One large centre"
    assert lines["innoatlas_scenarios"] == "True 2 One large centre|Scenario 1"


def test_damaged_scenarios_table_gives_defaults_and_notes(project, tmp_path):
    _two_scenarios(project)
    path = tmp_path / "p.gpkg"
    save_project(path, project.stack, project.settings)
    with sqlite3.connect(path) as con:
        con.execute(
            f"UPDATE {SCENARIOS_TABLE} SET radius_m = 'far', weights = '{{broken' "
            "WHERE name = 'One large centre'"
        )
        con.execute(
            f"INSERT INTO {SCENARIOS_TABLE} (name, position, is_current) VALUES ('  ', 5, 0)"
        )
    con.close()
    again = open_project(path)
    opened = scenarios_of(again.stack.get("sites"))
    assert opened.names() == ["Scenario 1", "One large centre"]
    assert opened.scenarios[1].radius_m == 800.0 and opened.scenarios[1].weights == {}
    notes = " ".join(again.notes)
    assert "radius_m is unusable" in notes and "weights are unreadable" in notes
    assert "without a name" in notes
    # a table without its columns: the sites keep their scenarios, with a note
    with sqlite3.connect(path) as con:
        con.execute(f"ALTER TABLE {SCENARIOS_TABLE} DROP COLUMN position")
    con.close()
    third = open_project(path)
    assert set(scenarios_of(third.stack.get("sites")).names()) == {"Scenario 1", "One large centre"}
    assert any("scenarios table is unreadable" in n for n in third.notes)
