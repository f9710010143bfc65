"""``innoatlas suggest --model pmedian --network``: the mean distance is walked."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.cli.network_files import network_files
from tests.cli.run import run_innoatlas


def _header(path):
    text = path.read_text(encoding="utf-8")
    return dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("# "))


def test_pmedian_with_a_network_reports_walking_distances(tmp_path):
    files = network_files(tmp_path)
    args = ["--district", "gvalley", "--model", "pmedian", "-k", "2", "--spacing", "400"]
    line, walk = tmp_path / "line.csv", tmp_path / "walk.csv"
    straight = run_innoatlas("suggest", *args, "--out", line)
    walked = run_innoatlas("suggest", *args, "--network", files["grid"], "--out", walk)
    assert straight.returncode == 0, straight.stderr
    assert walked.returncode == 0, walked.stderr
    assert "distances by walking distance along streets.gpkg" in walked.stderr
    mean_line = float(_header(line)["mean_distance_m"])
    mean_walk = float(_header(walk)["mean_distance_m"])
    assert mean_walk > 0 and mean_walk != pytest.approx(mean_line, rel=1e-3)
    sites = pd.read_csv(walk, comment="#")
    assert len(sites) == 2 and (sites["assigned_demand"] > 0).all()
