"""``innoatlas indicators``: output columns, formats and one-line error exits."""

import io
import json
import subprocess
import sys
import warnings
from functools import partial

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from app.core.indicators.engine import COLUMNS
from tests.cli.run import assert_one_line_error, run_innoatlas

HEADER = ["site", "site_id", *COLUMNS]
run_cli = partial(run_innoatlas, "indicators")


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    """Two points and a polygon in G-Valley, Magok and Yangjae, in longitude/latitude."""
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    frame = gpd.GeoDataFrame(
        {
            "name": ["가산 A", "", "양재 C"],
            "site_id": ["a1", "b2", "c3"],
            "lot_area_m2": [3000.0, None, None],
        },
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.Point(126.8330, 37.5605),
            shapely.box(127.0340, 37.4830, 127.0360, 37.4845),
        ],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GeoJSON")
    return path


def test_csv_has_one_row_per_site_and_exactly_the_columns(sites_file):
    result = run_cli(sites_file)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert list(table.columns) == HEADER
    assert table["site"].tolist() == ["가산 A", "b2", "양재 C"]  # name, else site_id
    assert (table["startups_n"] > 0).all()
    assert table["score"].between(0, 100).all()
    assert json.loads(table["zone_shares"][0]) == {"준공업": 1.0}


def test_json_and_out_file(sites_file, tmp_path):
    out = tmp_path / "result.json"
    result = run_cli(sites_file, "--out", out, "--radius", "500")
    assert result.returncode == 0 and result.stdout == "", result.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 3 and list(records[0]) == [
        *HEADER,
        "breakdown",
        "left_out",
        "partial_data",
    ]
    assert isinstance(records[0]["zone_shares"], dict)
    assert records[0]["use_permitted"] is True


def test_csv_file_has_a_bom_and_radius_changes_counts(sites_file, tmp_path):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    assert run_cli(sites_file, "--radius", "200", "--out", small).returncode == 0
    assert (
        run_cli(sites_file, "--radius", "1500", "--format", "csv", "--out", large).returncode == 0
    )
    assert small.read_bytes().startswith(b"\xef\xbb\xbf")
    n_small = pd.read_csv(small, encoding="utf-8-sig")["startups_n"]
    n_large = pd.read_csv(large, encoding="utf-8-sig")["startups_n"]
    assert (n_small <= n_large).all() and (n_small < n_large).any()


def test_layer_override_without_employees(sites_file, tmp_path):
    startups = tmp_path / "startups.gpkg"
    gpd.GeoDataFrame(
        {"sector": ["ICT/SW", "Bio/Health"]},
        geometry=[shapely.Point(126.8826, 37.4776), shapely.Point(126.8827, 37.4777)],
        crs="EPSG:4326",
    ).to_file(startups, layer="startups")
    result = run_cli(sites_file, "--startups", startups, "--format", "json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["startups_n"] == 2 and first["employees_sum"] is None
    assert first["top_sector"] == "Bio/Health"  # tie: alphabetical


def bad_inputs(tmp):
    (tmp / "empty.geojson").write_text("")
    (tmp / "garbage.gpkg").write_bytes(b"not a database")
    (tmp / "table.csv").write_text("a,b\n1,2\n")
    (tmp / "none.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "crs was not provided": that is the point
        gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(190_000, 545_000)]).to_file(
            tmp / "nocrs.gpkg"
        )
    return {
        "missing": [tmp / "nope.gpkg"],
        "empty file": [tmp / "empty.geojson"],
        "unreadable": [tmp / "garbage.gpkg"],
        "no geometry": [tmp / "table.csv"],
        "no features": [tmp / "none.geojson"],
        "no crs, projected": [tmp / "nocrs.gpkg"],
        "folder": [tmp],
    }


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    return bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "empty file",
        "unreadable",
        "no geometry",
        "no features",
        "no crs, projected",
        "folder",
    ],
)
def test_bad_sites_file(bad_files, case):
    assert_one_line_error(run_cli(*bad_files[case]))


@pytest.mark.parametrize(
    "extra",
    [
        ["--radius", "-5"],
        ["--radius", "nan"],
        ["--radius", "wide"],
        ["--format", "xml"],
        ["--project", "/no/such.gpkg"],
        ["--startups", "/no/such.geojson"],
        ["--out", "/no/such/dir/out.csv"],
    ],
)
def test_bad_options(sites_file, extra):
    assert_one_line_error(run_cli(sites_file, *extra))


def test_bad_override_layer(sites_file, bad_files):
    assert_one_line_error(run_cli(sites_file, "--zoning", *bad_files["no features"]))


def test_cli_never_imports_qt(sites_file, tmp_path):
    code = (
        "import sys; from app.cli.main import main; "
        f"rc = main(['indicators', {str(sites_file)!r}, '--out', "
        f"{str(tmp_path / 'x.csv')!r}]); "
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "sys.exit(rc or (3 if loaded else 0))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_gui_options_still_parse():
    from app.cli.main import build_parser

    args = build_parser().parse_args(
        ["--project", "p.gpkg", "--screenshot", "s.png", "--size", "800x600"]
    )
    assert args.command is None and str(args.screenshot) == "s.png"
    assert build_parser().parse_args([]).command is None
    sub = build_parser().parse_args(["indicators", "s.gpkg", "--radius", "300"])
    assert sub.command == "indicators" and sub.radius == 300


def test_project_settings_radius_weights_and_overrides_are_used(tmp_path):
    """A saved project's radius, weights and zoning overrides apply on the command line."""
    import json
    import subprocess
    import sys

    import shapely

    from app.core.paths import DEFAULT_PROJECT
    from app.core.project.store import open_project, save_project
    from app.core.sites.edits import insert_site, make_site

    project = open_project(DEFAULT_PROJECT)
    zoning = project.stack.get("zoning").data
    green = zoning[(zoning.kind == "zone") & (zoning.zone_type == "자연녹지")].geometry.iloc[0]
    inside = green.representative_point()
    insert_site(project.stack.get("sites"), make_site(shapely.Point(inside.x, inside.y), "녹지"))
    project.settings.radius_m = 300.0
    project.settings.extra["zoning_overrides"] = [
        {"zone_type": "자연녹지", "use_class": "교육연구시설", "symbol": "○"}
    ]
    path = tmp_path / "saved.gpkg"
    save_project(path, project.stack, project.settings)

    def run(*extra):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "app",
                "indicators",
                str(path),
                "--project",
                str(path),
                "--format",
                "json",
                *extra,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)[0]

    with_project = run()
    assert with_project["use_permitted"] is True  # the override applies
    wider = run("--radius", "800")
    assert wider["startups_n"] >= with_project["startups_n"]
    area = 3.14159 * 300**2 / 1e6
    assert with_project["startups_per_km2"] == pytest.approx(
        with_project["startups_n"] / area, rel=0.01
    )
