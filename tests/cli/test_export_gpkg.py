"""``innoatlas export-gpkg``: output layers, indicator fields and one-line error exits."""

from functools import partial

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from app.core.indicators.engine import COLUMNS
from tests.cli.run import assert_one_line_error, run_innoatlas

run_cli = partial(run_innoatlas, "export-gpkg")


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    frame = gpd.GeoDataFrame(
        {"name": ["가산 A", "양재 C"], "site_id": ["a1", ""]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.box(127.0340, 37.4830, 127.0360, 37.4845),
        ],
        crs="EPSG:4326",
    )
    frame.to_file(path, driver="GeoJSON")
    return path


def read_sites(path):
    """The exported point and area sites, in the export's order (fid)."""
    parts = [
        pyogrio.read_dataframe(path, layer=table, fid_as_index=True)
        for table in ("sites_points", "sites_areas")
    ]
    return pd.concat(parts).sort_index().reset_index(drop=True)


def test_export_with_sites_and_indicator_files(sites_file, tmp_path):
    out = tmp_path / "out.gpkg"
    result = run_cli(
        out, "--sites", sites_file, "--radius", "500", "--indicators-csv", tmp_path / "i.csv"
    )
    assert result.returncode == 0, result.stderr
    assert "2 site(s) with indicators" in result.stdout
    names = [name for name, _ in pyogrio.list_layers(out)]
    for layer in (
        "gu",
        "dong",
        "zoning",
        "districts",
        "education",
        "stations",
        "startups",
        "sites_points",
        "sites_areas",
        "layer_styles",
        "innoatlas_provenance",
    ):
        assert layer in names
    sites = read_sites(out)
    assert sites.crs.equals("EPSG:5186")
    assert sites["name"].tolist() == ["가산 A", "양재 C"]
    assert sites["site_id"][0] == "a1" and len(sites["site_id"][1]) == 36  # derived uuid5
    assert sites["kind"].tolist() == ["point", "polygon"]
    assert all(column in sites.columns for column in COLUMNS)
    assert (sites["startups_n"] > 0).all()
    table = pd.read_csv(tmp_path / "i.csv", encoding="utf-8-sig")
    assert table["startups_n"].tolist() == sites["startups_n"].tolist()
    wide = run_cli(tmp_path / "wide.gpkg", "--sites", sites_file, "--radius", "1500")
    assert wide.returncode == 0, wide.stderr
    more = read_sites(tmp_path / "wide.gpkg")["startups_n"]
    assert (more > sites["startups_n"]).all()  # --radius is used


def test_export_without_sites(tmp_path):
    out = tmp_path / "plain.gpkg"
    result = run_cli(out)
    assert result.returncode == 0, result.stderr
    assert pyogrio.read_info(out, layer="sites_points")["features"] == 0
    assert pyogrio.read_info(out, layer="sites_areas")["features"] == 0


@pytest.mark.parametrize(
    "args,text",
    [
        (("{tmp}/no/such/out.gpkg",), "no such folder"),
        (("{tmp}/out.txt",), "must end in .gpkg"),
        (("{tmp}/out.gpkg", "--sites", "{tmp}/missing.geojson"), "sites file not found"),
        (("{tmp}/out.gpkg", "--project", "{tmp}/bad.gpkg"), "not a GeoPackage"),
        (("{tmp}/out.gpkg", "--radius", "-5"), "--radius"),
        (("{tmp}/out.gpkg", "--radius", "abc"), "--radius"),
        (("{tmp}/out.gpkg", "--sites", "{tmp}/line.geojson"), "points or polygons"),
        (("{tmp}/out.gpkg", "--indicators-csv", "{tmp}/i.csv"), "no sites"),
    ],
)
def test_errors_are_one_line(tmp_path, args, text):
    (tmp_path / "bad.gpkg").write_bytes(b"not sqlite at all")
    gpd.GeoDataFrame(
        {"name": ["x"]},
        geometry=[shapely.LineString([(127, 37.5), (127.01, 37.5)])],
        crs="EPSG:4326",
    ).to_file(tmp_path / "line.geojson", driver="GeoJSON")
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert_one_line_error(result, text)
    assert not (tmp_path / "out.gpkg").exists()
