"""``--network`` on ``suggest``, ``render`` and ``export-html`` (child processes)."""

from __future__ import annotations

import json

import pytest

from tests.cli.network_files import network_files
from tests.cli.run import run_innoatlas


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return network_files(tmp_path_factory.mktemp("network_exports"))


def test_web_map_and_png_draw_the_walking_isochrones(files):
    html = files["dir"] / "map.html"
    result = run_innoatlas(
        "export-html", html, "--sites", files["sites"], "--network", files["grid"]
    )
    assert result.returncode == 0, result.stderr
    page = html.read_text(encoding="utf-8")
    assert "Walking isochrones" in page
    png = files["dir"] / "map.png"
    result = run_innoatlas(
        "render",
        png,
        "--sites",
        files["sites"],
        "--network",
        files["grid"],
        "--size",
        "400x300",
    )
    assert result.returncode == 0, result.stderr
    assert png.stat().st_size > 0


def test_suggest_covers_by_walking_distance(files):
    base = (
        "suggest",
        "--district",
        "gvalley",
        "-k",
        "2",
        "--radius",
        "400",
        "--spacing",
        "200",
        "--time-limit",
        "20",
    )
    walked = run_innoatlas(*base, "--network", files["grid"])
    assert walked.returncode == 0, walked.stderr
    assert "walking distance along streets.gpkg" in walked.stderr
    line = run_innoatlas(*base)
    walk, circle = json.loads(walked.stdout), json.loads(line.stdout)
    assert walk["n_candidates"] == circle["n_candidates"]
    assert 0 < walk["covered_demand"] < circle["covered_demand"]
