"""InnoAtlas → QGIS → InnoAtlas → QGIS loses nothing (issue 14, items 1 and 2): a field
added in QGIS, its values, and a graduated style saved by QGIS as the layer's default
survive an InnoAtlas open, edit and save; InnoAtlas draws that style."""

import json
import sqlite3

import pytest

from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project, save_project
from app.core.sites.edits import set_attributes
from tests.pyqgis import has_pyqgis, run_pyqgis, set_two_sites

pytestmark = pytest.mark.skipif(
    not has_pyqgis(), reason="PyQGIS (python3-qgis for /usr/bin/python3) is not installed"
)

# QGIS adds an INTEGER field "floors" (7 on the first site, NULL on the second) and a text
# field, then saves a graduated style on "floors" as the default style in the GeoPackage.
QGIS_EDIT = """
import sys
from qgis.core import (QgsApplication, QgsVectorLayer, QgsField, QgsGraduatedSymbolRenderer,
    QgsRendererRange, QgsMarkerSymbol)
from qgis.PyQt.QtCore import QVariant
app = QgsApplication([], False); app.initQgis()
# the point site (7 floors) is in sites_points, the parcel (no floors) in sites_areas
for table, floors_value, owner_value in (
    ("sites_areas", None, "민간"), ("sites_points", 7, "서울시 소유")
):
    layer = QgsVectorLayer(sys.argv[1] + "|layername=" + table, table, "ogr")
    assert layer.isValid()
    layer.dataProvider().addAttributes(
        [QgsField("floors", QVariant.Int), QgsField("owner_ko", QVariant.String)])
    layer.updateFields()
    layer.startEditing()
    floors, owner = layer.fields().indexOf("floors"), layer.fields().indexOf("owner_ko")
    for feature in layer.getFeatures():
        layer.changeAttributeValue(feature.id(), floors, floors_value)
        layer.changeAttributeValue(feature.id(), owner, owner_value)
    assert layer.commitChanges(), layer.commitErrors()
ranges = [
    QgsRendererRange(0, 5, QgsMarkerSymbol.createSimple({"color": "20,120,220", "size": "4"}),
                     "낮음 0-5"),
    QgsRendererRange(5, 10, QgsMarkerSymbol.createSimple({"color": "220,30,40", "size": "4"}),
                     "높음 5-10"),
]
layer.setRenderer(QgsGraduatedSymbolRenderer("floors", ranges))
message = layer.saveStyleToDatabase("QGIS floors", "made in QGIS", True, "")
assert not message, message
print("ok")
"""

QGIS_READ = """
import json, sys
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False); app.initQgis()
layers = [QgsVectorLayer(sys.argv[1] + "|layername=" + t, t, "ogr")
          for t in ("sites_points", "sites_areas")]
assert all(layer.isValid() for layer in layers)
layer = layers[0]
renderer = layer.renderer()
fields = {f.name(): f.typeName() for f in layer.fields()}
values = sorted(
    [f["name"], f["floors"], f["owner_ko"]] for one in layers for f in one.getFeatures())
ranges = [[r.lowerValue(), r.upperValue(), r.label(), r.symbol().color().name()]
          for r in renderer.ranges()] if renderer.type() == "graduatedSymbol" else []
print(json.dumps({"renderer": renderer.type(), "attr": getattr(renderer, "classAttribute",
    lambda: "")(), "ranges": ranges, "fields": fields,
    "values": [[n, None if v is None or str(v) == "NULL" else v,
                None if o is None or str(o) == "NULL" else o] for n, v, o in values]},
    ensure_ascii=False))
"""


def _qgis(script, folder, *args):
    result = run_pyqgis(script, folder, *args)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture()
def qgis_edited(tmp_path):
    """An InnoAtlas project with two sites, then edited in QGIS."""
    project = open_project(DEFAULT_PROJECT)
    set_two_sites(project.stack)
    path = tmp_path / "shared.gpkg"
    save_project(path, project.stack, project.settings)
    assert _qgis(QGIS_EDIT, tmp_path, path) == "ok"
    return path


def test_qgis_field_values_and_graduated_style_survive_an_innoatlas_edit(tmp_path, qgis_edited):
    before = json.loads(_qgis(QGIS_READ, tmp_path, qgis_edited))
    assert before["renderer"] == "graduatedSymbol" and len(before["ranges"]) == 2

    project = open_project(qgis_edited)
    sites = project.stack.get("sites")
    # the graduated style is in the style model ...
    assert sites.style.kind == "graduated" and sites.style.field == "floors"
    assert [(r.lower, r.upper, r.label) for r in sites.style.ranges] == [
        (0, 5, "낮음 0-5"),
        (5, 10, "높음 5-10"),
    ]
    assert [r.symbol.fill for r in sites.style.ranges] == ["#1478dc", "#dc1e28"]
    # ... and the canvas draws the site with 7 floors red, the one without in no class
    from app.ui.canvas.render.layer_painter import group_rows

    groups = {
        symbol.fill: sorted(sites.data["name"].iloc[rows]) for symbol, rows in group_rows(sites)
    }
    assert groups["#dc1e28"] == ["가산 A"]
    assert "#1478dc" not in groups
    assert project.notes == []

    # an edit in InnoAtlas, then save over the shared file
    site_id = sites.data["site_id"].iloc[1]
    set_attributes(sites, site_id, {"notes": "InnoAtlas에서 수정"})
    save_project(qgis_edited, project.stack, project.settings)

    after = json.loads(_qgis(QGIS_READ, tmp_path, qgis_edited))
    assert after["fields"]["floors"] == before["fields"]["floors"]  # still an integer field
    assert after["fields"]["owner_ko"] == before["fields"]["owner_ko"]
    assert after["values"] == before["values"]
    assert after["renderer"] == "graduatedSymbol" and after["attr"] == "floors"
    assert after["ranges"] == before["ranges"]
    with sqlite3.connect(qgis_edited) as con:
        rows = con.execute(
            "SELECT styleName, useAsDefault FROM layer_styles WHERE f_table_name = 'sites_points' "
            "ORDER BY id"
        ).fetchall()
        notes = con.execute(
            "SELECT notes FROM sites_points UNION ALL SELECT notes FROM sites_areas"
        ).fetchall()
    con.close()
    assert ("QGIS floors", 1) in rows  # QGIS's default style row is kept, still default
    assert ("InnoAtlas에서 수정",) in notes


def test_a_style_changed_in_innoatlas_becomes_the_default_and_qgis_row_is_kept(
    tmp_path, qgis_edited
):
    from layers.style import LayerStyle, Symbol

    project = open_project(qgis_edited)
    project.stack.get("sites").set_style(LayerStyle(symbol=Symbol(fill="#00aa00")))
    save_project(qgis_edited, project.stack, project.settings)
    with sqlite3.connect(qgis_edited) as con:
        rows = dict(
            con.execute(
                "SELECT styleName, useAsDefault FROM layer_styles "
                "WHERE f_table_name = 'sites_points'"
            ).fetchall()
        )
    con.close()
    assert rows == {"sites_points (InnoAtlas)": 1, "QGIS floors": 0}  # kept, no longer the default
    reopened = open_project(qgis_edited)
    assert reopened.stack.get("sites").style.symbol.fill == "#00aa00"
