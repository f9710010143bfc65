"""The screenshot command in a real X11 window (Xvfb), as on a desktop."""

import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.skipif(
    shutil.which("xvfb-run") is None, reason="Xvfb is not installed (apt-get install xvfb)"
)


def test_screenshot_under_xvfb(tmp_path):
    out = tmp_path / "xvfb.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1600x1000x24",
            sys.executable,
            "-m",
            "app",
            "--screenshot",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    colours = {image.pixel(x, y) for x in range(300, 1280, 7) for y in range(60, 760, 7)}
    assert len(colours) > 200
