"""``innoatlas indicators --format json``: every score can be recomputed from the file."""

import io
import json
import math
from functools import partial

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.cli.run import run_innoatlas

run_cli = partial(run_innoatlas, "indicators")

TRANSFORMS = {
    "n / (n + n_ref)": lambda x, ref: x / (x + ref),
    "clip(e, 0, 1)": lambda x, ref: min(max(x, 0.0), 1.0),
    "exp(-d / d_ref)": lambda x, ref: math.exp(-x / ref),
    "g / (g + g_ref)": lambda x, ref: x / (x + ref),
}


@pytest.fixture(scope="module")
def sites_file(tmp_path_factory):
    """A point site with a lot, one without (Site 2), and a polygon, in lon/lat."""
    path = tmp_path_factory.mktemp("sites") / "sites.geojson"
    gpd.GeoDataFrame(
        {"name": ["Site 1", "Site 2", "Site 3"], "lot_area_m2": [3000.0, None, None]},
        geometry=[
            shapely.Point(126.8826, 37.4776),
            shapely.Point(126.8830, 37.4790),
            shapely.box(126.8850, 37.4800, 126.8870, 37.4815),
        ],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    return path


@pytest.fixture(scope="module")
def json_run(sites_file):
    result = run_cli(sites_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    return result


def test_json_breakdown_recomputes_every_score(json_run):
    records = json.loads(json_run.stdout)
    assert len(records) == 3
    for record in records:
        parts = record["breakdown"]
        assert {p["criterion"] for p in parts} == {
            "startups",
            "diversity",
            "education",
            "transit",
        }  # floor area is unknown for Site 2, so it counts for no site
        total_weight = sum(p["weight"] for p in parts)
        for p in parts:
            value = TRANSFORMS[p["transform"]](p["raw"], p["reference"])
            assert p["value01"] == pytest.approx(value, abs=1e-9)
            assert p["weight_share"] == pytest.approx(p["weight"] / total_weight, abs=1e-9)
            assert p["points"] == pytest.approx(100 * p["weight_share"] * p["value01"], abs=1e-9)
        assert sum(p["points"] for p in parts) == pytest.approx(record["score"], abs=1e-9)
        assert sum(p["weight_share"] for p in parts) == pytest.approx(1.0, abs=1e-9)
        [left_out] = record["left_out"]
        assert left_out["criterion"] == "floor_area"
        assert left_out["unknown_for"] == [
            {"site": "Site 2", "reason": "point site without lot area"}
        ]
    assert records[2]["max_gfa_m2"] > 0  # the polygon's floor area is shown, not counted


def test_the_left_out_criterion_is_noted_on_stderr(json_run, sites_file):
    note = (
        "innoatlas: note: Buildable floor area left out of every score: unknown for "
        "Site 2 (point site without lot area)"
    )
    assert note in json_run.stderr.splitlines()
    csv = run_cli(sites_file)
    assert note in csv.stderr.splitlines()
    table = pd.read_csv(io.StringIO(csv.stdout))
    assert "breakdown" not in table.columns  # the CSV keeps its columns
    scores = [r["score"] for r in json.loads(json_run.stdout)]
    assert table["score"].tolist() == pytest.approx(scores, abs=1e-9)
