"""PyQGIS of the system Python (``/usr/bin/python3``), for tests that let QGIS read our files."""
import os
import subprocess

SYSTEM_PYTHON = "/usr/bin/python3"


def has_pyqgis() -> bool:
    """True when ``/usr/bin/python3 -c "import qgis.core"`` works (not in CI)."""
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
