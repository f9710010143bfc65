"""``innoatlas render --dossier OUT.pdf --network FILE``: each page names the walking
network used and its inset fills the site's isochrone (child process)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.cli.network_files import network_files
from tests.cli.run import run_innoatlas


def test_dossier_pages_name_the_walking_network(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    files = network_files(tmp_path)
    walked, straight = tmp_path / "walked.pdf", tmp_path / "straight.pdf"
    result = run_innoatlas(
        "render", "--dossier", walked, "--sites", files["sites"], "--network", files["grid"]
    )
    assert result.returncode == 0, result.stderr
    result = run_innoatlas("render", "--dossier", straight, "--sites", files["sites"])
    assert result.returncode == 0, result.stderr

    def text(pdf):
        out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        return " ".join(out.split())

    assert text(walked).count("Catchment: Walking network: streets") == 2  # one per page
    assert text(straight).count("Catchment: Straight line (circle)") == 2
    assert "Walking isochrones" in text(walked)  # the inset's layer in the sources
