"""Fixed start-up cost: modules that the app's first frame and ``innoatlas indicators``
do not need stay unimported (docs/performance.md, "Round 4"). Each check runs in a fresh
interpreter, as a user's start does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROJECT = ROOT / "data" / "innoatlas_default.gpkg"

#: Imported only by the commands and dialogs that use them (walking networks, workshops,
#: suggestions, web maps, charts, tests' tools).
NEVER_AT_START = (
    "scipy",
    "aiohttp",
    "folium",
    "jinja2",
    "pulp",
    "matplotlib",
    "networkx",
    "playwright",
    "segno",
    "fontTools",
)


def loaded_after(code: str, tmp_path: Path, **env) -> set[str]:
    """Top-level packages in ``sys.modules`` after ``code`` ran in a fresh interpreter."""
    script = code + (
        "\nimport json, sys\n"
        "print('MODULES', json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            INNOATLAS_DATA_DIR=str(tmp_path / "userdata"),
            PYTHONPATH=str(ROOT),
            **env,
        ),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_indicators_command_imports_no_qt_and_no_optional_packages(tmp_path):
    startups = tmp_path / "startups.gpkg"
    gpd.GeoDataFrame(
        {"sector": ["ict_sw", "ai_data"], "employees": [3, 5]},
        geometry=shapely.points([[195000, 548000], [195300, 548200]]),
        crs="EPSG:5186",
    ).to_file(startups, layer="startups")
    out = tmp_path / "out.csv"
    code = (
        "from app.cli.main import main\n"
        f"rc = main(['indicators', {str(DEFAULT_PROJECT)!r}, '--startups', {str(startups)!r},"
        f" '--out', {str(out)!r}])\n"
        "assert rc == 0, rc\n"
    )
    loaded = loaded_after(code, tmp_path)
    assert out.read_text(encoding="utf-8-sig").startswith("site,site_id,startups_n")
    assert "PySide6" not in loaded and "shiboken6" not in loaded
    assert not loaded & set(NEVER_AT_START), sorted(loaded & set(NEVER_AT_START))


def test_parsing_the_command_line_imports_no_data_library(tmp_path):
    """``innoatlas`` builds its parser (every subcommand's options) before it knows what
    to run: that must not cost pandas, numpy or Qt."""
    loaded = loaded_after("from app.cli.main import build_parser\nbuild_parser()\n", tmp_path)
    heavy = {"pandas", "numpy", "geopandas", "shapely", "pyogrio", "pyproj", "PySide6"}
    assert not loaded & heavy, sorted(loaded & heavy)


def test_window_drawn_without_optional_packages(tmp_path):
    code = (
        "from app.ui.application import application\n"
        "from app.ui.gui import open_main_window, wait_until_drawn\n"
        "application(['innoatlas'])\n"
        f"window = open_main_window({str(DEFAULT_PROJECT)!r})\n"
        "window.show()\n"
        "assert wait_until_drawn(window)\n"
    )
    loaded = loaded_after(code, tmp_path)
    assert "PySide6" in loaded  # the check itself would see a module that is there
    assert not loaded & set(NEVER_AT_START), sorted(loaded & set(NEVER_AT_START))
