"""The command line reads the layers a saved project assigned to the roles, like the app.

A project whose start-ups role is played by an imported layer (File → Add layer… with a
role) must give the same indicators in ``innoatlas indicators``, ``suggest``,
``export-gpkg`` and ``export-html`` as in the window, not those of the default layer.
"""

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely

from app.cli.main import main
from app.core.paths import DEFAULT_PROJECT
from app.core.project.roles import apply_role
from app.core.project.store import open_project, save_project
from app.core.project.user_layers import make_user_layer, user_provenance

N = 7  # imported start-ups, all next to the site


@pytest.fixture(scope="module")
def project_and_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roles")
    project = open_project(DEFAULT_PROJECT)
    districts = project.stack.get("districts").data
    centre = districts[districts.district_id == "gvalley"].geometry.iloc[0].representative_point()
    frame = gpd.GeoDataFrame(
        {"업종": ["바이오"] * N, "종사자수": [3] * N},
        geometry=[shapely.Point(centre.x + i, centre.y) for i in range(N)],
        crs="EPSG:5186",
    )
    frame = apply_role(frame, "startups", {"sector": "업종", "employees": "종사자수"}).frame
    layer = make_user_layer(
        frame, "my_startups", "My start-ups", user_provenance(folder / "mine.gpkg"), role="startups"
    )
    project.stack.insert(1, layer)
    project.settings.extra["roles"] = {"startups": "my_startups"}
    project.settings.capture_layers(project.stack)
    path = folder / "project.gpkg"
    save_project(path, project.stack, project.settings)
    sites = folder / "sites.gpkg"
    gpd.GeoDataFrame({"name": ["A"]}, geometry=[centre], crs="EPSG:5186").to_file(
        sites, layer="sites"
    )
    return path, sites


def test_indicators_read_the_role_layer(project_and_site, tmp_path):
    project, sites = project_and_site
    out = tmp_path / "i.json"
    assert (
        main(
            [
                "indicators",
                str(sites),
                "--project",
                str(project),
                "--radius",
                "300",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    row = json.loads(out.read_text(encoding="utf-8"))[0]
    assert row["startups_n"] == N and row["top_sector"] == "바이오"


def test_suggest_reads_the_role_layer(project_and_site, tmp_path):
    project, _ = project_and_site
    out = tmp_path / "s.json"
    assert (
        main(
            [
                "suggest",
                "--district",
                "gvalley",
                "-k",
                "1",
                "--radius",
                "300",
                "--project",
                str(project),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["total_demand"] == N and result["covered_demand"] == N


def test_export_gpkg_reads_the_role_layer(project_and_site, tmp_path):
    project, sites = project_and_site
    out = tmp_path / "export.gpkg"
    assert (
        main(
            [
                "export-gpkg",
                str(out),
                "--project",
                str(project),
                "--sites",
                str(sites),
                "--radius",
                "300",
            ]
        )
        == 0
    )
    exported = pyogrio.read_dataframe(out, layer="sites_points")
    assert exported["startups_n"].tolist() == [N]


def test_export_html_reads_the_role_layer(project_and_site, tmp_path):
    project, sites = project_and_site
    out = tmp_path / "map.html"
    assert (
        main(
            [
                "export-html",
                str(out),
                "--project",
                str(project),
                "--sites",
                str(sites),
                "--radius",
                "300",
            ]
        )
        == 0
    )
    assert f'["Start-ups within R","{N}",""]' in out.read_text(encoding="utf-8")
