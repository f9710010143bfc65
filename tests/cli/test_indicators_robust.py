"""``innoatlas indicators --robust``: how sure the ranking is, from the command line."""

import json

import geopandas as gpd
import pytest
import shapely

from tests.cli.run import assert_one_line_error, run_innoatlas


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    """Three G-Valley sites, all with a lot area (every criterion counts)."""
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    gpd.GeoDataFrame(
        {"name": ["가산 A", "가산 B", "구로 C"], "lot_area_m2": [3000.0, 2500.0, 4000.0]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.Point(126.8900, 37.4810),
            shapely.Point(126.9010, 37.4850),
        ],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


def test_json_has_each_sites_chance_of_ranking_first(sites_file):
    result = run_innoatlas("indicators", sites_file, "--format", "json", "--robust", "1000")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert sum(r["p_first"] for r in records) == pytest.approx(1.0)
    for record in records:
        assert record["rank_low"] <= record["rank_high"]
    first = max(records, key=lambda r: r["p_first"])
    # the winner (the most likely first here) is the one a weight change would overtake
    notes = [line for line in result.stderr.splitlines() if line.startswith("innoatlas: note:")]
    swaps = [line for line in notes if " weight from " in line]
    assert swaps and all(line.endswith(f"ahead of {first['site']}.") for line in swaps)
    again = json.loads(
        run_innoatlas("indicators", sites_file, "--format", "json", "--robust", "1000").stdout
    )
    assert [r["p_first"] for r in again] == [r["p_first"] for r in records]  # seeded


def test_without_the_option_the_columns_are_the_contract(sites_file):
    result = run_innoatlas("indicators", sites_file)
    assert "p_first" not in result.stdout.splitlines()[0]


def test_zero_draws_is_one_line(sites_file):
    assert_one_line_error(run_innoatlas("indicators", sites_file, "--robust", "0"), "draws")
