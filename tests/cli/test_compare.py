"""``innoatlas compare PROJECT --scenarios A,B``: KPIs and deltas as CSV/JSON; unknown
scenario and empty scenario are one-line errors (exit 2)."""

import io
import json
from functools import partial

import pandas as pd
import pytest
import shapely

from app.core.project.scenario_model import Scenario
from app.core.project.scenario_store import scenarios_of
from app.core.project.store import open_project, save_project
from app.core.sites import edits as site_ops
from tests.cli.run import assert_one_line_error, run_innoatlas

run_cli = partial(run_innoatlas, "compare")

#: In G-Valley (EPSG:5186), where the default project's synthetic start-ups are.
GVALLEY = shapely.Point(190300.0, 543300.0)


@pytest.fixture(scope="module")
def project_path(tmp_path_factory, default_project_path):
    project = open_project(default_project_path)
    sites = project.stack.get("sites")
    site_ops.insert_site(sites, site_ops.make_site(GVALLEY, "Station A"))
    scenarios = scenarios_of(sites)
    scenarios.rename(0, "Two centres")
    scenarios.insert(1, Scenario("One centre", 1200.0))
    scenarios.insert(2, Scenario("Empty"))
    scenarios.switch(sites, 1)
    site_ops.insert_site(sites, site_ops.make_site(GVALLEY.buffer(50), "Big block"))
    scenarios.switch(sites, 0)
    site_ops.insert_site(sites, site_ops.make_site(shapely.Point(190900.0, 543900.0), "B"))
    path = tmp_path_factory.mktemp("compare") / "p.gpkg"
    save_project(path, project.stack, project.settings)
    return path


def test_csv_has_kpis_and_deltas(project_path):
    result = run_cli(project_path, "--scenarios", "Two centres,One centre")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout.lstrip("\ufeff")))
    assert list(table["scenario"]) == ["Two centres", "One centre"]
    assert list(table["sites_n"]) == [2, 1]
    assert (table["union_startups"] > 0).all()
    assert table["delta_union_startups"].iloc[0] == 0
    assert table["delta_union_startups"].iloc[1] == (
        table["union_startups"].iloc[1] - table["union_startups"].iloc[0]
    )
    assert "share_gvalley" in table.columns
    assert "Not real data" in result.stderr  # synthetic start-ups said so


def test_json(project_path):
    result = run_cli(project_path, "--scenarios", "One centre,Two centres", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    names = [s["name"] for s in document["scenarios"]]
    assert names == ["One centre", "Two centres"]
    first, second = document["scenarios"]
    assert first["deltas"]["sites_n"] == 0 and second["deltas"]["sites_n"] == 1
    assert second["kpis"]["best_site"] in ("Station A", "B")
    assert "gvalley" in first["district_shares"]
    # the KPIs count synthetic start-ups and illustrative zoning: the output says so
    assert "Start-ups (synthetic)" in document["caveat"]
    assert "Zoning and restrictions (illustrative)" in document["caveat"]


def test_unknown_scenario_is_one_line(project_path):
    assert_one_line_error(run_cli(project_path, "--scenarios", "Two centres,Nope"), "'Nope'")


def test_scenario_without_sites_is_one_line(project_path):
    assert_one_line_error(
        run_cli(project_path, "--scenarios", "Two centres,Empty"), "scenario 'Empty' has no sites"
    )


def test_pdf_page(project_path, tmp_path):
    import shutil
    import subprocess

    out = tmp_path / "cmp.pdf"
    result = run_cli(
        project_path, "--scenarios", "Two centres,One centre", "--pdf", out, "--language", "ko"
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", out, "-"], capture_output=True, text=True).stdout
        assert "Two centres" in text and "One centre" in text
        assert "전체 후보지 반경 안 창업기업" in text  # the table, in Korean
        assert "합성" in text  # the synthetic start-ups said so in the footer


def test_pdf_with_a_bad_name_is_one_line(project_path, tmp_path):
    assert_one_line_error(run_cli(project_path, "--pdf", tmp_path / "x.png"), "--pdf")
