"""Damaged and newer projects on the command line (issue 13)."""

import pytest

from tests.cli.run import assert_one_line_error, run_innoatlas
from tests.hostile_projects import (
    flip_geometry,
    project_with_sites,
    set_project_value,
    with_settings,
)

SITES = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Point","coordinates":[126.89,37.48]}}]}'


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return project_with_sites(tmp_path_factory.mktemp("cli") / "plan.gpkg")


@pytest.fixture
def project(saved, tmp_path):
    path = tmp_path / "plan.gpkg"
    path.write_bytes(saved.read_bytes())
    return path


@pytest.mark.parametrize("command", ["indicators", "suggest", "export-gpkg"])
def test_every_command_refuses_a_project_of_a_newer_format(project, tmp_path, command):
    set_project_value(project, "format_version", "2")
    sites = tmp_path / "sites.geojson"
    sites.write_text(SITES)
    args = {
        "indicators": ["indicators", sites, "--project", project],
        "suggest": ["suggest", "--district", "magok", "-k", "1", "--project", project],
        "export-gpkg": ["export-gpkg", tmp_path / "out.gpkg", "--project", project],
    }[command]
    result = run_innoatlas(*args)
    assert_one_line_error(result, "newer InnoAtlas")
    assert len(result.stderr) < 200


def test_an_absurd_format_version_is_one_short_line(project, tmp_path):
    set_project_value(project, "format_version", "x" * 20_000)
    sites = tmp_path / "sites.geojson"
    sites.write_text(SITES)
    result = run_innoatlas("indicators", sites, "--project", project)
    assert_one_line_error(result, "unreadable project format version")
    assert len(result.stderr) < 200


def test_damaged_features_and_absurd_settings_are_notes(project, tmp_path):
    (damaged,) = flip_geometry(project, "sites_points", "name = 's1'")
    with_settings(project, {"radius_m": float("inf")})
    result = run_innoatlas("export-gpkg", tmp_path / "out.gpkg", "--project", project)
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("innoatlas: note:")]
    assert any("'sites_points'" in line and f"fid {damaged[0]}" in line for line in notes), notes
    assert any("'radius_m'" in line for line in notes), notes
