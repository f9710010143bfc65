"""The main window on a 1366×768 laptop screen (an offscreen screen of that size, in a
child process): the default dock layout, and presentation mode on a maximised window."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCREEN = {
    "screens": [
        {
            "name": "laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        }
    ]
}

SCRIPT = r"""
import json, sys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from app.core.paths import DEFAULT_PROJECT
from app.core.sites.geometry import circle
from app.ui.gui import application, open_main_window, wait_until_drawn

def settle(n=40):
    for _ in range(n):
        QApplication.processEvents()
        QTest.qWait(5)

def visible_rows(table):
    viewport = table.viewport().height()
    return sum(
        1
        for row in range(table.model().rowCount())
        if table.rowViewportPosition(row) >= 0
        and table.rowViewportPosition(row) + table.rowHeight(row) <= viewport
    )

app = application(sys.argv[:1])
window = open_main_window(DEFAULT_PROJECT)
if sys.argv[1] == "maximised":
    window.showMaximized()
else:
    window.show()
assert wait_until_drawn(window)
districts = window.stack.get("districts").data
centre = districts.geometry.iloc[0].representative_point()
for i in range(8):
    window.editing.add_site(circle(centre.x + 150 * i, centre.y, 40))
window.indicators.wait()
window.sites_panel.table.scrollToTop()
settle()
out = {"window": [window.width(), window.height()]}
table = window.sites_panel.table
card = window.indicators_panel.card
out["rows"] = visible_rows(table)
out["card"] = card.isVisible() and card.visibleRegion().boundingRect().height() >= min(
    card.height(), 4 * card.verticalHeader().defaultSectionSize()
)
out["sites_height"] = window.sites_dock.height()
if sys.argv[1] == "maximised":
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, Qt.Key.Key_F5)
    settle()
    out["presenting"] = window.presentation.active and window.isFullScreen()
    QTest.keyClick(window.canvas, Qt.Key.Key_Escape)
    settle(80)
    out["after"] = {
        "presenting": window.presentation.active,
        "maximised": window.isMaximized(),
        "sites_height": window.sites_dock.height(),
        "rows": visible_rows(table),
    }
if len(sys.argv) > 2:
    window.grab().save(sys.argv[2])
window.project.mark_clean() if hasattr(window.project, "mark_clean") else None
window.undo_stack.setClean()
print(json.dumps(out))
"""


def run_on_laptop(tmp_path, mode):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(SCREEN))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        INNOATLAS_DATA_DIR=str(tmp_path / "userdata"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        LANG="en_US.UTF-8",
    )
    root = Path(__file__).resolve().parents[3]
    shot = os.environ.get("INNOATLAS_SHOTS")
    args = [sys.executable, "-c", SCRIPT, mode]
    if shot:
        args.append(str(Path(shot) / f"laptop_{mode}.png"))
    result = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_default_layout_on_1366x768_shows_five_site_rows_and_the_card(tmp_path):
    out = run_on_laptop(tmp_path, "normal")
    assert out["window"][1] <= 768
    assert out["rows"] >= 5, out
    assert out["card"], out


@pytest.mark.parametrize("mode", ["maximised"])
def test_leaving_presentation_keeps_the_sites_panel_height_when_maximised(tmp_path, mode):
    out = run_on_laptop(tmp_path, mode)
    assert out["presenting"]
    after = out["after"]
    assert not after["presenting"] and after["maximised"]
    assert after["sites_height"] == out["sites_height"], out
    assert after["rows"] == out["rows"] >= 5, out
