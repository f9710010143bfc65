"""File → Export GeoPackage writes every scenario's sites (the ``scenario`` column) and
the ``innoatlas_scenarios`` table, as a project save does; QGIS still opens it and the
export opens in InnoAtlas with its scenarios."""

import sqlite3

import geopandas as gpd
import pyogrio
import pytest
import shapely

from app.core.export.geopackage import export_geopackage
from app.core.indicators.engine import IndicatorEngine
from app.core.project.scenario_model import NETWORK_MODE, Scenario
from app.core.project.scenario_store import scenarios_of
from app.core.project.store import open_project
from app.core.sites.edits import make_site, normalise_sites
from tests.pyqgis import has_pyqgis, run_pyqgis

X, Y = 190_000.0, 543_500.0  # G-Valley, EPSG:5186


def _sites(*names):
    records = [make_site(shapely.Point(X + 200 * i, Y), n) for i, n in enumerate(names)]
    return normalise_sites(gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:5186"))


@pytest.fixture(scope="module")
def exported(default_project_path, tmp_path_factory):
    project = open_project(default_project_path)
    stack = project.stack
    layer = stack.get("sites")
    layer.set_data(_sites("Now A", "Now B"))
    scenarios = scenarios_of(layer)
    scenarios.scenarios[0].name = "Stations"
    other = Scenario("One large centre", 1200.0, {"startups": 2.0}, NETWORK_MODE)
    other.network_layer = "streets"
    other.sites = _sites("Big")
    scenarios.insert(1, other)
    engine = IndicatorEngine(
        *(stack.get(n).data for n in ("startups", "education", "stations", "zoning"))
    )
    indicators = engine.compute(layer.data)
    indicators.index = layer.data["site_id"].to_numpy()
    path = tmp_path_factory.mktemp("export") / "scenarios.gpkg"
    export_geopackage(path, stack, indicators=indicators, settings=project.settings)
    return path, project


def test_every_scenario_s_sites_with_their_scenario(exported):
    path, _ = exported
    frame = pyogrio.read_dataframe(path, layer="sites_points")
    assert sorted(zip(frame["scenario"], frame["name"])) == [
        ("One large centre", "Big"),
        ("Stations", "Now A"),
        ("Stations", "Now B"),
    ]
    current = frame[frame["scenario"] == "Stations"]
    assert current["startups_n"].notna().all()  # the indicators of the current scenario
    assert frame.loc[frame["scenario"] == "One large centre", "startups_n"].isna().all()
    assert "synthetic" not in frame or frame["synthetic"].fillna(False).astype(bool).all()


def test_the_scenarios_table(exported):
    path, project = exported
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT name, is_current, radius_m, catchment_mode, network_layer "
            "FROM innoatlas_scenarios ORDER BY position"
        ).fetchall()
        kind = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'innoatlas_scenarios'"
        ).fetchone()
    con.close()
    assert rows == [
        ("Stations", 1, project.settings.radius_m, "circle", None),
        ("One large centre", 0, 1200.0, "network", "streets"),
    ]
    assert kind == ("attributes",)


def test_the_export_opens_with_its_scenarios(exported):
    path, _ = exported
    opened = open_project(path)
    scenarios = scenarios_of(opened.stack.get("sites"))
    assert scenarios.names() == ["Stations", "One large centre"]
    assert sorted(opened.stack.get("sites").data["name"]) == ["Now A", "Now B"]
    assert list(scenarios.scenarios[1].sites["name"]) == ["Big"]


@pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS (/usr/bin/python3 + qgis) not installed")
def test_qgis_opens_every_scenario_s_sites(exported, tmp_path):
    path, _ = exported
    script = (
        "import sys\n"
        "from qgis.core import QgsApplication, QgsVectorLayer\n"
        "app = QgsApplication([], False); app.initQgis()\n"
        "layer = QgsVectorLayer(sys.argv[1] + '|layername=sites_points', 's', 'ogr')\n"
        "table = QgsVectorLayer(sys.argv[1] + '|layername=innoatlas_scenarios', 't', 'ogr')\n"
        "names = sorted(f['scenario'] for f in layer.getFeatures())\n"
        "print(layer.isValid(), table.isValid(), table.featureCount(), '|'.join(names))\n"
    )
    done = run_pyqgis(script, tmp_path, str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        "True True 2 One large centre|Stations|Stations"
    )
