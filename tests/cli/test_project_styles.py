"""``innoatlas render`` draws the styles a project's ``layer_styles`` holds, whoever
wrote them, and says on stderr what it could not read (issue 14, item 2)."""

import sqlite3
from pathlib import Path

import pytest

from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project, save_project
from tests.cli.run import run_innoatlas
from tests.gpkg_edit import gdal_functions

QML = Path(__file__).parents[1] / "data" / "qgis"


def _qgis_style(con, table, qml_name, style_name):
    """Save a QGIS QML as the table's default style, the way QGIS does."""
    con.execute("UPDATE layer_styles SET useAsDefault = 0 WHERE f_table_name = ?", (table,))
    con.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
        "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
        "ui, update_time) VALUES ('', '', ?, 'geom', ?, ?, '', 1, '', '', NULL, "
        "'2026-12-01T00:00:00Z')",
        (table, style_name, (QML / qml_name).read_text(encoding="utf-8")),
    )


@pytest.fixture(scope="module")
def styled(tmp_path_factory):
    """The default project with only ``gu`` shown; in "QGIS" a number column was added to
    ``gu`` with a graduated default style, and ``dong`` got a rule InnoAtlas cannot read."""
    project = open_project(DEFAULT_PROJECT)
    for layer in project.stack:
        layer.set_visible(layer.name == "gu")
    path = tmp_path_factory.mktemp("styled") / "qgis styled.gpkg"
    save_project(path, project.stack, project.settings)
    with sqlite3.connect(path) as con:
        gdal_functions(con)
        con.execute("ALTER TABLE gu ADD COLUMN rank_no INTEGER")
        con.execute("UPDATE gu SET rank_no = fid")  # 1 .. 25
        _qgis_style(con, "gu", "graduated_polygons.qml", "QGIS ranks")
        _qgis_style(con, "dong", "rules_unreadable.qml", "QGIS regexp")
    con.close()
    return path


def test_render_draws_the_qgis_graduated_style_and_notes_the_unreadable_rule(styled, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "map.png"
    result = run_innoatlas("render", out, "--project", styled, "--size", "900x700", "--dpi", "96")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "dong" in line]
    assert notes == [
        "innoatlas: note: layer 'dong': rule 'regexp_match(\"name\", '구$')' not understood; "
        "drawn with a single colour"
    ]
    image = QImage(str(out))
    counts = {"#ffffcc": 0, "#de8079": 0, "#bd0026": 0}
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            name = image.pixelColor(x, y).name()
            if name in counts:
                counts[name] += 1
    # the three ranks classes fill the 25 gu: every class colour covers a real area
    assert min(counts.values()) > 200, counts
