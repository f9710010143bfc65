"""A save keeps what InnoAtlas does not own (issue 14, item 1): foreign feature and
attribute tables (R-tree index included), metadata rows, style rows of other tables,
extra columns of the app's layers with their types; real files through pyogrio and
sqlite3."""

import sqlite3
import subprocess

import geopandas as gpd
import pyogrio
import pytest
import shapely

from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project, save_project
from tests.gpkg_edit import gdal_functions
from tests.pyqgis import SYSTEM_PYTHON, system_python_imports

METADATA_SQL = (
    "CREATE TABLE gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
    "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, mime_type "
    "TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
    "column_name TEXT, row_id_value INTEGER, timestamp DATETIME NOT NULL DEFAULT "
    "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id "
    "INTEGER)",
)
QMD = "<qgis><identifier>survey</identifier><abstract>현장 조사 2026</abstract></qgis>"


def _dump(path, table):
    with sqlite3.connect(path) as con:
        rows = con.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    con.close()
    return rows


@pytest.fixture()
def shared(tmp_path):
    """A saved project to which another tool added tables, rows, columns and styles."""
    project = open_project(DEFAULT_PROJECT)
    path = tmp_path / "shared.gpkg"
    save_project(path, project.stack, project.settings)
    points = gpd.GeoDataFrame(
        {"memo": ["가산 현장", "양재 현장"], "visits": [3, 5]},
        geometry=[shapely.Point(190000, 543000), shapely.Point(203000, 542000)],
        crs="EPSG:5186",
    )
    pyogrio.write_dataframe(points, path, layer="survey", driver="GPKG", append=True)
    with sqlite3.connect(path) as con:
        gdal_functions(con)
        con.execute("CREATE TABLE contacts (fid INTEGER PRIMARY KEY AUTOINCREMENT, who TEXT)")
        con.execute("INSERT INTO contacts (who) VALUES ('김담당'), ('이주무관')")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('contacts', 'attributes', 'contacts')"
        )
        for sql in METADATA_SQL:
            con.execute(sql)
        con.execute(
            "INSERT INTO gpkg_metadata VALUES (7, 'dataset', "
            "'http://mrcc.com/qgis.dtd', 'text/xml', ?)",
            (QMD,),
        )
        con.execute(
            "INSERT INTO gpkg_metadata_reference VALUES ('table', 'survey', NULL, NULL, "
            "'2026-01-01T00:00:00.000Z', 7, NULL)"
        )
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
            "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
            "owner, ui, update_time) VALUES ('', '', 'survey', 'geom', 'survey', "
            "'<qgis/>', '', 1, 'QGIS', '', NULL, '2026-01-01T00:00:00Z')"
        )
        con.execute('ALTER TABLE zoning ADD COLUMN "floors" MEDIUMINT')
        con.execute('ALTER TABLE zoning ADD COLUMN "owner_ko" TEXT')
        con.execute("UPDATE zoning SET floors = 12, owner_ko = '서울시' WHERE fid = 1")
        con.execute('ALTER TABLE sites_points ADD COLUMN "top_sector_lq" REAL')
    con.close()
    return path


def test_save_keeps_foreign_tables_metadata_style_rows_and_extra_columns(shared, tmp_path):
    before = {t: _dump(shared, t) for t in ("contacts", "gpkg_metadata", "gpkg_metadata_reference")}
    survey = pyogrio.read_dataframe(shared, layer="survey")
    project = open_project(shared)
    assert project.notes == []
    zoning = project.stack.get("zoning")
    assert zoning.data["owner_ko"].tolist().count("서울시") == 1
    assert "top_sector_lq" in project.stack.get("sites").data.columns
    target = tmp_path / "saved as.gpkg"
    for path in (shared, target):  # Save, then Save As
        assert save_project(path, project.stack, project.settings) == []
        for table, rows in before.items():
            assert _dump(path, table) == rows, table
        again = pyogrio.read_dataframe(path, layer="survey")
        assert again.equals(survey)
        # the copied R-tree answers spatial queries: one point in this box
        assert (
            len(pyogrio.read_dataframe(path, layer="survey", bbox=(189000, 542000, 191000, 544000)))
            == 1
        )
        with sqlite3.connect(path) as con:
            styles = con.execute(
                "SELECT f_table_name, styleName, useAsDefault FROM layer_styles "
                "WHERE f_table_name IN ('survey', 'zoning') ORDER BY 1"
            ).fetchall()
            types = {row[1]: row[2] for row in con.execute("PRAGMA table_info(zoning)")}
            floors = con.execute(
                "SELECT floors, owner_ko FROM zoning WHERE floors IS NOT NULL"
            ).fetchall()
            sites_columns = [row[1] for row in con.execute("PRAGMA table_info(sites_points)")]
        con.close()
        assert styles == [("survey", "survey", 1), ("zoning", "zoning (InnoAtlas)", 1)]
        assert types["floors"] == "MEDIUMINT" and types["owner_ko"] == "TEXT"
        assert floors == [(12, "서울시")]
        assert "top_sector_lq" in sites_columns
    reopened = open_project(target)
    assert "survey" not in reopened.stack  # foreign tables stay foreign: kept, not shown


def test_a_damaged_source_does_not_stop_the_save(shared, tmp_path):
    project = open_project(shared)
    shared.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # damaged after opening
    notes = save_project(tmp_path / "rescue.gpkg", project.stack, project.settings)
    assert len(notes) == 1 and "could not be read" in notes[0] and "shared.gpkg" in notes[0]
    assert len(open_project(tmp_path / "rescue.gpkg").stack.get("zoning").data) > 0


VALIDATOR_MODULE = "osgeo_utils.samples.validate_gpkg"


@pytest.mark.skipif(
    not system_python_imports(VALIDATOR_MODULE),
    reason="GDAL's validate_gpkg.py is not installed (apt-get install python3-gdal)",
)
def test_a_save_with_foreign_content_is_a_valid_geopackage(shared, tmp_path):
    project = open_project(shared)
    target = tmp_path / "valid.gpkg"
    save_project(target, project.stack, project.settings)
    result = subprocess.run(
        [SYSTEM_PYTHON, "-m", VALIDATOR_MODULE, "-k", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not report, report


def test_a_sites_style_changed_in_innoatlas_survives_save_and_open(tmp_path):
    """The sites are stored per geometry type, their style whole in the settings."""
    from layers.style import LayerStyle, Symbol

    project = open_project(DEFAULT_PROJECT)
    style = LayerStyle(symbol=Symbol(fill="#00aa00", stroke="#123456", size=9.0))
    project.stack.get("sites").set_style(style)
    path = tmp_path / "styled.gpkg"
    save_project(path, project.stack, project.settings)
    assert open_project(path).stack.get("sites").style == style
    untouched = tmp_path / "plain.gpkg"
    save_project(untouched, open_project(DEFAULT_PROJECT).stack, project.settings)
    assert open_project(untouched).stack.get("sites").style != style
