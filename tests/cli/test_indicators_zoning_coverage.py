"""``innoatlas indicators``: the zoning coverage column and "unknown" permission of a site
mostly outside the zoning data (issue 12)."""

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.cli.run import run_innoatlas

X0, Y0 = 190_000.0, 542_000.0  # G-Valley, EPSG:5186


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coverage")
    zoning = folder / "zoning.gpkg"
    gpd.GeoDataFrame(
        {"zone_type": ["준공업지역"]},
        geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 1000)],
        crs="EPSG:5186",
    ).to_file(zoning, driver="GPKG")
    sites = folder / "sites.gpkg"
    gpd.GeoDataFrame(
        {"name": ["two percent", "whole"]},
        geometry=[
            shapely.box(X0 - 98, Y0 + 100, X0 + 2, Y0 + 200),  # 2 m × 100 m on the zone
            shapely.box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200),
        ],
        crs="EPSG:5186",
    ).to_file(sites, driver="GPKG")
    return sites, zoning


def test_json_and_csv_carry_zoning_coverage(files):
    sites, zoning = files
    result = run_innoatlas("indicators", sites, "--zoning", zoning, "--format", "json")
    assert result.returncode == 0, result.stderr
    partial, whole = json.loads(result.stdout)
    assert partial["zoning_coverage"] == pytest.approx(0.02)
    assert partial["use_permitted"] is None  # was true
    assert partial["dominant_zone"] == "준공업"
    assert whole["zoning_coverage"] == pytest.approx(1.0)
    assert whole["use_permitted"] is True

    result = run_innoatlas("indicators", sites, "--zoning", zoning, "--format", "csv")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout))
    assert table["zoning_coverage"].tolist() == pytest.approx([0.02, 1.0])
    assert table["use_permitted"].isna().tolist() == [True, False]
