"""``--network`` on ``indicators`` and the ``isochrones`` subcommand (child processes)."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.model import WORKING_CRS
from tests.cli.network_files import network_files
from tests.cli.run import assert_one_line_error, run_innoatlas

FIXTURE = Path(__file__).parents[1] / "data" / "network" / "oa21208_guro.csv"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return network_files(tmp_path_factory.mktemp("network"))


def test_indicators_follow_the_streets_and_record_the_catchment(files):
    walked = run_innoatlas("indicators", files["sites"], "--network", files["grid"])
    assert walked.returncode == 0, walked.stderr
    line = run_innoatlas("indicators", files["sites"])
    walk = pd.read_csv(io.StringIO(walked.stdout.lstrip("\ufeff")))
    circle = pd.read_csv(io.StringIO(line.stdout.lstrip("\ufeff")))
    assert "reach_ratio" in walk.columns and "reach_ratio" not in circle.columns
    assert set(walk["catchment"]) == {"walking network: streets.gpkg"}
    assert (walk["startups_n"] <= circle["startups_n"]).all()
    # site A sits by the cut: much of its circle lies across it
    assert walk.loc[0, "startups_n"] < circle.loc[0, "startups_n"]
    assert 0 < walk.loc[0, "reach_ratio"] < 1
    assert walk.loc[0, "startups_n"] == pytest.approx(
        walk.loc[0, "reach_ratio"] * circle.loc[0, "startups_n"]
    )


def test_isochrones_are_written_per_site_and_band(files):
    out = files["dir"] / "iso.gpkg"
    result = run_innoatlas(
        "isochrones",
        files["sites"],
        "--network",
        files["grid"],
        "--bands",
        "400,800",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    frame = pyogrio.read_dataframe(out, layer="walking_isochrones")
    assert len(frame) == 4
    assert sorted(frame["band_m"].unique()) == [400, 800]
    small, large = (frame[(frame["name"] == "A") & (frame["band_m"] == b)] for b in (400, 800))
    assert large.geometry.iloc[0].contains(small.geometry.iloc[0].representative_point())
    assert large.geometry.iloc[0].area > small.geometry.iloc[0].area


def test_isochrones_name_the_sites_off_the_network(files):
    sites = files["dir"] / "off_sites.gpkg"
    gpd.GeoDataFrame(
        {"name": ["on", "off"]},
        geometry=[shapely.Point(190_700, 541_300), shapely.Point(192_500, 541_300)],
        crs=WORKING_CRS,
    ).to_file(sites)
    out = files["dir"] / "iso_off.gpkg"
    result = run_innoatlas(
        "isochrones", sites, "--network", files["grid"], "--radius", "400", "--out", out
    )
    assert result.returncode == 0, result.stderr
    assert "1 site(s) farther than the off-network limit" in result.stderr
    assert "2 site(s) (1 off the network, without isochrone)" in result.stdout
    frame = pyogrio.read_dataframe(out, layer="walking_isochrones")
    assert frame.set_index("name").loc["off", "off_network"]
    assert (
        frame.set_index("name").loc["off"].geometry is None
        or frame.set_index("name").loc["off"].geometry.is_empty
    )


def test_oa21208_csv_makes_isochrones(files):
    out = files["dir"] / "guro.gpkg"
    result = run_innoatlas(
        "isochrones", files["sites"], "--network", FIXTURE, "--radius", "300", "--out", out
    )
    assert result.returncode == 0, result.stderr
    assert "disconnected parts" in result.stderr  # the fixture's island is reported


@pytest.mark.parametrize(
    ("which", "text"),
    [
        ("points", "no lines"),
        ("far", "outside the innovation districts"),
    ],
)
def test_bad_networks_are_one_line_errors(files, which, text):
    result = run_innoatlas(
        "isochrones", files["sites"], "--network", files[which], "--out", files["dir"] / "x.gpkg"
    )
    assert_one_line_error(result, text)


def test_network_catchment_without_a_network_is_refused(files):
    result = run_innoatlas("indicators", files["sites"], "--catchment", "network")
    assert_one_line_error(result, "needs a walking network")


def test_a_project_with_a_walking_network_uses_it_by_default(files, tmp_path):
    import argparse
    from types import SimpleNamespace

    from app.cli.network import resolve_network
    from app.core.network.settings import CatchmentSetting

    project = tmp_path / "project.gpkg"
    gpd.read_file(files["grid"]).to_file(project, layer="streets")
    extra: dict = {}
    CatchmentSetting("streets", "network").to_extra(extra)
    saved = SimpleNamespace(extra=extra)
    args = argparse.Namespace(network=None, network_layer=None, catchment=None)
    opened = resolve_network(args, project, saved)
    assert opened is not None and opened.name == "project.gpkg:streets"
    args.catchment = "line"
    assert resolve_network(args, project, saved) is None
    CatchmentSetting("streets", "line").to_extra(extra)  # the project chose circles
    args.catchment = None
    assert resolve_network(args, project, SimpleNamespace(extra=extra)) is None
