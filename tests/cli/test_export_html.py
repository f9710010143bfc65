"""``innoatlas export-html``: an offline web map of the project; one-line error exits."""

import json
import re
from functools import partial

import geopandas as gpd
import pytest
import shapely

from app.core.export.webmap.records import extent_to_bounds
from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project
from tests.cli.run import assert_one_line_error, run_innoatlas

run_cli = partial(run_innoatlas, "export-html")


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    frame = gpd.GeoDataFrame(
        {"name": ["가산 A", "양재 C"], "site_id": ["a1", "c3"]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.box(127.0340, 37.4830, 127.0360, 37.4845),
        ],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GeoJSON")
    return path


def test_export_with_sites_scene_and_korean(sites_file, tmp_path):
    out = tmp_path / "web.html"
    result = run_cli(
        out,
        "--sites",
        sites_file,
        "--radius",
        "500",
        "--title",
        "혁신지구",
        "--language",
        "ko",
        "--scene",
        "magok",
    )
    assert result.returncode == 0, result.stderr
    assert re.match(r"wrote .*web\.html: \d+\.\d MB, 2 site\(s\), 3 scene\(s\)", result.stdout)
    text = out.read_text(encoding="utf-8")
    assert "<title>혁신지구</title>" in text and '<html lang="ko">' in text
    assert '"start":"magok"' in text and '"view":null' in text  # the scene, nothing else
    # "full extent" and the three districts
    assert text.count('<button type="button" class="inno-scene"') == 4
    assert '["스타트업 수","' in text  # popup rows named as in the app's panel, in Korean
    assert '"_k":"a1"' in text and '"_k":"c3"' in text
    assert ",500.0]" in text  # the point site's catchment uses --radius
    assert "tile.openstreetmap.org" not in text
    assert not re.search(r"<script[^>]*\ssrc=", text)
    basemap = run_cli(tmp_path / "osm.html", "--basemap")
    assert basemap.returncode == 0, basemap.stderr
    text = (tmp_path / "osm.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in text
    # without --scene the page opens on the innovation districts, not all of Seoul
    districts = open_project(DEFAULT_PROJECT).stack.get("districts").extent
    assert '"view":' + json.dumps(extent_to_bounds(districts), separators=(",", ":")) in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["map.png"], "use a .html file name"),
        (["missing/map.html"], "no such folder"),
        (
            ["map.html", "--scene", "nowhere"],
            "no scene 'nowhere' (scenes: gvalley, magok, yangjae)",
        ),
        (["map.html", "--radius", "-5"], "--radius must be a number of metres"),
        (["map.html", "--language", "fr"], "invalid choice"),
    ],
)
def test_bad_arguments_are_one_line_errors(tmp_path, args, message):
    args = [tmp_path / args[0], *args[1:]]
    assert_one_line_error(run_cli(*args), message)
    assert not (tmp_path / "map.html").exists()


def test_bad_project_is_a_one_line_error(tmp_path):
    project = tmp_path / "broken.gpkg"
    project.write_text("not a geopackage")
    assert_one_line_error(run_cli(tmp_path / "map.html", "--project", project), "broken.gpkg")
    assert_one_line_error(
        run_cli(tmp_path / "map.html", "--project", tmp_path / "no.gpkg"), "no.gpkg"
    )
