"""PyQGIS of the system Python (``/usr/bin/python3``), for tests that let QGIS read our files,
and the two candidate sites those tests export."""

import os
import subprocess

import geopandas as gpd
import shapely

SYSTEM_PYTHON = "/usr/bin/python3"


def system_python_imports(module: str) -> bool:
    """True when ``/usr/bin/python3 -c "import MODULE"`` works (not in CI)."""
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    try:
        return (
            subprocess.run(
                [SYSTEM_PYTHON, "-c", f"import {module}"], capture_output=True, timeout=60
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def has_pyqgis() -> bool:
    """True when ``/usr/bin/python3 -c "import qgis.core"`` works (not in CI)."""
    return system_python_imports("qgis.core")


def run_pyqgis(script: str, folder, *args: str) -> subprocess.CompletedProcess:
    """Run the PyQGIS ``script`` with the system Python in ``folder`` (offscreen Qt, a
    private runtime folder); ``args`` are its command line."""
    path = folder / "pyqgis_script.py"
    path.write_text(script, encoding="utf-8")
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    return subprocess.run(
        [SYSTEM_PYTHON, str(path), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=folder,
    )


def set_two_sites(stack, **second) -> None:
    """Give ``stack`` two sites: a point "가산 A" in G-Valley and a small parcel "양재 C"
    in Yangjae (``second``: more :func:`~app.core.sites.edits.make_site` arguments of it)."""
    from app.core.sites.edits import make_site, normalise_sites

    lonlat = gpd.GeoSeries(
        [shapely.Point(126.8826, 37.4776), shapely.box(127.0340, 37.4830, 127.0360, 37.4845)],
        crs="EPSG:4326",
    ).to_crs("EPSG:5186")
    stack.get("sites").set_data(
        normalise_sites(
            gpd.GeoDataFrame(
                [make_site(lonlat[0], "가산 A"), make_site(lonlat[1], "양재 C", **second)],
                geometry="geometry",
                crs="EPSG:5186",
            )
        )
    )
