"""``innoatlas suggest``: output fields, formats, optimality and one-line error exits."""

import io
import json
from functools import partial

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from app.cli.suggest import SITE_FIELDS, SUMMARY_FIELDS
from tests.cli.run import assert_one_line_error, run_innoatlas

run_cli = partial(run_innoatlas, "suggest")


def test_json_has_the_summary_and_the_sites_and_is_optimal():
    result = run_cli("--district", "magok", "-k", "2", "--radius", "400", "--spacing", "100")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record) == [*SUMMARY_FIELDS, "model_size", "sites"]
    assert record["optimal"] is True and record["solver"] in {"cbc", "lagrangian"}
    size = record["model_size"]  # the exact model, reduced before solving
    assert size["candidates_reduced"] <= size["candidates"] == record["n_candidates"]
    assert size["demand_reduced"] <= size["demand"] <= record["n_demand"]
    assert f"from {size['candidates']} to {size['candidates_reduced']} candidates" in (
        result.stderr
    )
    assert record["district"] == "magok" and record["k"] == 2 and record["radius_m"] == 400
    assert len(record["sites"]) == 2 and list(record["sites"][0]) == list(SITE_FIELDS)
    assert 0 < record["share"] <= 1
    assert record["share"] == pytest.approx(record["covered_demand"] / record["total_demand"])
    for site in record["sites"]:
        assert 180_000 < site["x"] < 200_000 and 540_000 < site["y"] < 560_000
        assert 126.7 < site["lon"] < 127.0 and 37.5 < site["lat"] < 37.6


def test_csv_with_commented_summary_and_out_file(tmp_path):
    out = tmp_path / "suggest.csv"
    result = run_cli("--district", "gvalley", "-k", "2", "--weight", "employees", "--out", out)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# optimal: true\n" in text and "# weight: employees\n" in text
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert list(table.columns) == list(SITE_FIELDS) and len(table) == 2


def test_fixed_sites(tmp_path):
    base = json.loads(run_cli("--district", "magok", "-k", "1", "--radius", "400").stdout)
    first = base["sites"][0]
    fixed = tmp_path / "fixed.geojson"
    gpd.GeoDataFrame(geometry=[shapely.Point(first["lon"], first["lat"])], crs="EPSG:4326").to_file(
        fixed, driver="GeoJSON"
    )
    result = run_cli("--district", "magok", "-k", "1", "--radius", "400", "--fixed", fixed)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["fixed_covered_demand"] == pytest.approx(base["covered_demand"], abs=1)
    site = record["sites"][0]
    assert (site["x"], site["y"]) != (first["x"], first["y"])
    assert record["covered_demand"] == pytest.approx(
        record["fixed_covered_demand"] + record["new_covered_demand"]
    )


@pytest.mark.parametrize(
    "args, text",
    [
        (("--district", "busan", "-k", "1"), "unknown district"),
        (("--district", "magok", "-k", "0"), "-k"),
        (("--district", "magok", "-k", "-2"), "-k"),
        (("--district", "magok", "-k", "500", "--spacing", "200"), "more than"),
        (("--district", "magok", "--spacing", "0"), "--spacing"),
        (("--district", "magok", "--radius", "-5"), "--radius"),
        (("--district", "magok", "-k", "1", "--fixed", "/no/such/file.gpkg"), "file.gpkg"),
        (("--district", "magok", "-k", "1", "--project", "/no/such/project.gpkg"), "project"),
        (
            (
                "-k",
                "1",
            ),
            "--district",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, text):
    assert_one_line_error(run_cli(*args), text)


# --- models: mclp (saturation), lscp, pmedian -------------------------------------------
def test_saturated_mclp_says_so_and_offers_the_other_models():
    result = run_cli("--district", "magok", "-k", "3", "--radius", "800")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["model"] == "mclp" and record["saturated"] is True and record["share"] >= 0.99
    assert "--model lscp" in record["note"] and "--model pmedian" in record["note"]
    assert "innoatlas: note:" in result.stderr and "tell places apart" in result.stderr


def test_lscp_finds_the_fewest_sites_for_a_share():
    result = run_cli("--district", "magok", "--model", "lscp", "--share", "0.95", "--radius", "800")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["model"] == "lscp" and record["target_share"] == 0.95
    assert record["optimal"] is True and record["bound"] == record["objective"]
    assert record["k"] == len(record["sites"]) == record["objective"] >= 1
    assert record["share"] >= 0.95 and record["greedy_objective"] >= record["objective"]
    assert record["saturated"] is False


def test_pmedian_reports_the_mean_distance_in_csv(tmp_path):
    out = tmp_path / "median.csv"
    result = run_cli(
        "--district", "magok", "--model", "pmedian", "-k", "2", "--radius", "400",
        "--spacing", "400", "--time-limit", "120", "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "# model: pmedian\n" in text and "# optimal: true\n" in text
    header = dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# "))
    mean = float(header["mean_distance_m"])
    assert 0 < mean < 2000 and float(header["bound"]) == pytest.approx(mean)
    assert float(header["greedy_objective"]) >= mean - 1e-6
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert len(table) == 2 and (table["assigned_demand"] > 0).all()


@pytest.mark.parametrize(
    "args, text",
    [
        (("--district", "magok", "--model", "lscp", "-k", "2"), "-k does not apply"),
        (("--district", "magok", "--model", "mclp", "-k", "2", "--share", "0.9"), "lscp only"),
        (("--district", "magok", "--model", "pmedian", "-k", "2", "--share", "0.9"), "lscp only"),
        (("--district", "magok", "--model", "lscp", "--share", "1.5"), "> 0 and <= 1"),
        (("--district", "magok", "--model", "lscp", "--share", "0"), "> 0 and <= 1"),
        (("--district", "magok", "--model", "pmedian"), "-k is required"),
        (("--district", "magok"), "-k is required"),
        (("--district", "magok", "--model", "pcenter", "-k", "1"), "invalid choice"),
    ],
)
def test_bad_model_combinations_are_one_line_and_exit_2(args, text):
    assert_one_line_error(run_cli(*args), text)
