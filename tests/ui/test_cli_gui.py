"""The innoatlas command: --screenshot, --version, --help and bad input."""

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage


def run_cli(*args, env_extra=None, timeout=120):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_screenshot_is_a_drawn_window(tmp_path):
    out = tmp_path / "shot.png"
    result = run_cli("--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    # A drawn map has many colours (layers, labels); a blank window has a handful.
    colours = {image.pixel(x, y) for x in range(300, 1280, 7) for y in range(60, 760, 7)}
    assert len(colours) > 200


def test_version_and_help():
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("InnoAtlas ")
    helptext = run_cli("--help")
    assert helptext.returncode == 0 and "--screenshot" in helptext.stdout


@pytest.mark.parametrize("content", [None, b"", b"not a database at all"])
def test_bad_project_is_one_line_and_exit_2(tmp_path, content):
    path = tmp_path / "broken.gpkg"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("--project", str(path), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("innoatlas: error:")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_unwritable_screenshot_path(tmp_path):
    result = run_cli("--screenshot", str(tmp_path / "no" / "such" / "dir" / "x.png"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("innoatlas: error: cannot write")


def test_bad_size_option(tmp_path):
    result = run_cli("--screenshot", str(tmp_path / "x.png"), "--size", "huge")
    assert result.returncode == 2 and "--size" in result.stderr
