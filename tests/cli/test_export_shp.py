"""``innoatlas export-shp OUTDIR``: Shapefiles (GeoJSON, FlatGeobuf) of the project, stable
derived site ids for a sites file without them, one-line errors."""

from functools import partial

import geopandas as gpd
import pyogrio
import pytest
import shapely

from tests.cli.run import assert_one_line_error, run_innoatlas

run_cli = partial(run_innoatlas, "export-shp")


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    gpd.GeoDataFrame(
        {"name": ["가산 A", "양재 C"]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.box(127.0340, 37.4830, 127.0360, 37.4845),
        ],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


def test_two_exports_of_an_id_less_file_give_the_same_site_ids(sites_file, tmp_path):
    before = sites_file.read_bytes()
    ids = []
    for run in ("a", "b"):
        result = run_cli(tmp_path / run, "--sites", sites_file, "--encoding", "cp949")
        assert result.returncode == 0, result.stderr
        assert "2 site(s) with indicators" in result.stdout
        points = pyogrio.read_dataframe(tmp_path / run / "sites_points.shp")
        areas = pyogrio.read_dataframe(tmp_path / run / "sites_areas.shp")
        assert points["name"].tolist() == ["가산 A"] and areas["name"].tolist() == ["양재 C"]
        ids.append(points["site_id"].tolist() + areas["site_id"].tolist())
        assert (tmp_path / run / "sites_points.cpg").read_text() == "CP949"
    assert ids[0] == ids[1] and len(set(ids[0])) == 2
    assert sites_file.read_bytes() == before  # the input file is never modified
    gpkg = run_innoatlas("export-gpkg", tmp_path / "out.gpkg", "--sites", sites_file)
    assert gpkg.returncode == 0, gpkg.stderr
    exported = pyogrio.read_dataframe(tmp_path / "out.gpkg", layer="sites_points")
    assert exported["site_id"].tolist() == ids[0][:1]  # the same ids in every export


@pytest.mark.parametrize("fmt, suffix", [("geojson", ".geojson"), ("fgb", ".fgb")])
def test_other_formats(tmp_path, fmt, suffix):
    result = run_cli(tmp_path / "out", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / f"startups{suffix}").exists()
    assert (tmp_path / "out" / f"sites_points{suffix}").exists()
    assert not (tmp_path / "out" / "fields.csv").exists()


@pytest.mark.parametrize(
    "args, text",
    [
        (("{tmp}/no/such/out",), "no such folder"),
        (("{tmp}/file.txt",), "is a file, not a folder"),
        (("{tmp}/out", "--format", "kml"), "invalid choice"),
        (("{tmp}/out", "--encoding", "latin1"), "invalid choice"),
        (("{tmp}/out", "--format", "geojson", "--encoding", "cp949"), "--format shp only"),
        (("{tmp}/out", "--sites", "{tmp}/missing.geojson"), "sites file not found"),
    ],
)
def test_bad_arguments_are_one_line_errors(tmp_path, args, text):
    (tmp_path / "file.txt").write_text("x")
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert_one_line_error(result, text)
