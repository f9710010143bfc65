"""GDAL's GeoPackage validator (validate_gpkg.py of Debian's python3-gdal) finds neither
errors nor warnings in an InnoAtlas export or a saved project (issue 5).

Run with Debian's /usr/bin/python3, which has the osgeo bindings; skipped when absent.
"""

import subprocess

import pytest

from app.core.export.geopackage import export_geopackage
from app.core.indicators.engine import IndicatorEngine
from app.core.project.store import open_project, save_project
from tests.pyqgis import SYSTEM_PYTHON, set_two_sites, system_python_imports

MODULE = "osgeo_utils.samples.validate_gpkg"
#: -k: report every problem, not the first; --extra: GDAL's checks beyond the strict
#: requirements; --warning-as-error: a warning fails too.
OPTIONS = ["-k", "--extra", "--warning-as-error"]
VALIDATOR = [SYSTEM_PYTHON, "-m", MODULE] if system_python_imports(MODULE) else None
pytestmark = pytest.mark.skipif(
    VALIDATOR is None,
    reason="GDAL's validate_gpkg.py is not installed (apt-get install python3-gdal)",
)


def _validate(path) -> None:
    result = subprocess.run(
        [*VALIDATOR, *OPTIONS, str(path)], capture_output=True, text=True, timeout=120
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not report, f"{path.name}:\n{report}"


@pytest.fixture(scope="module")
def project(default_project_path):
    return open_project(default_project_path)


def _with_sites(project):
    set_two_sites(project.stack, radius_m=500)
    return project


def test_export_of_the_default_project_is_a_valid_geopackage(project, tmp_path):
    _validate(export_geopackage(tmp_path / "export.gpkg", project.stack))


def test_export_with_sites_and_indicators_is_valid(default_project_path, tmp_path):
    project = _with_sites(open_project(default_project_path))
    stack = project.stack
    sites = stack.get("sites").data
    engine = IndicatorEngine(
        *(stack.get(n).data for n in ("startups", "education", "stations", "zoning"))
    )
    indicators = engine.compute(sites)
    indicators.index = sites["site_id"].to_numpy()
    _validate(export_geopackage(tmp_path / "sites.gpkg", stack, indicators=indicators))


def test_saved_project_is_a_valid_geopackage(default_project_path, tmp_path):
    project = _with_sites(open_project(default_project_path))
    path = tmp_path / "프로젝트.gpkg"
    save_project(path, project.stack, project.settings)
    _validate(path)
    reopened = open_project(path)
    assert len(reopened.stack.get("sites").data) == 2


def test_the_validator_does_report_problems(project, tmp_path):
    import sqlite3

    path = export_geopackage(tmp_path / "broken.gpkg", project.stack)
    with sqlite3.connect(path) as con:  # a user table keyed by text breaks requirement 119
        con.execute('CREATE TABLE "notes" ("key" TEXT PRIMARY KEY, "value" TEXT)')
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('notes', 'attributes', 'notes')"
        )
    con.close()
    with pytest.raises(AssertionError, match="Req 119"):
        _validate(path)
