"""QGIS (PyQGIS, system python3) opens every exported layer with the style from the file.

Skipped when ``/usr/bin/python3 -c "import qgis.core"`` fails (e.g. in CI without QGIS).
"""

import json
import textwrap

import pytest

from app.core.project.site_tables import table_layers
from tests.pyqgis import has_pyqgis, run_pyqgis, set_two_sites

pytestmark = pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS is not installed")

SCRIPT = textwrap.dedent("""
    import json, sys
    from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes
    app = QgsApplication([], False)
    app.initQgis()
    path, names = sys.argv[1], sys.argv[2:]
    out = {}
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        info = {"valid": layer.isValid(), "crs": layer.crs().authid(),
                "count": layer.featureCount(),
                "type": QgsWkbTypes.displayString(layer.wkbType())}
        metadata = layer.metadata()
        info["metadata"] = {"title": metadata.title(), "licences": metadata.licenses(),
                            "keywords": metadata.keywords(), "abstract": metadata.abstract()}
        message, ok = layer.loadDefaultStyle()
        info.update(load_ok=bool(ok), message=message)
        renderer = layer.renderer()
        info["renderer"] = renderer.type()
        if renderer.type() == "categorizedSymbol":
            info["field"] = renderer.classAttribute()
            info["colours"] = {str(c.value()): [c.symbol().color().name(),
                                                c.symbol().color().alpha()]
                               for c in renderer.categories()}
        elif renderer.type() == "singleSymbol":
            info["colour"] = renderer.symbol().color().name()
        elif renderer.type() == "RuleRenderer":
            info["rules"] = [r.filterExpression() for r in renderer.rootRule().children()]
        info["opacity"] = layer.opacity()
        info["labels"] = layer.labelsEnabled()
        if layer.labelsEnabled():
            settings = layer.labeling().settings()
            info["label_field"] = settings.fieldName
            info["label_scales"] = [settings.scaleVisibility, settings.minimumScale,
                                    settings.maximumScale]
        count, ids, style_names, descriptions, error = layer.listStylesInDatabase()
        info["related_styles"] = count
        info["first_style"] = style_names[0] if style_names else None
        out[name] = info
        del renderer
        del layer  # before exitQgis, which crashes otherwise
    print("RESULT " + json.dumps(out, ensure_ascii=False))
    app.exitQgis()
""")


@pytest.fixture(scope="module")
def qgis_report(default_project_path, tmp_path_factory):
    from app.core.export.geopackage import export_geopackage
    from app.core.project.store import open_project

    project = open_project(default_project_path)
    set_two_sites(project.stack)
    project.stack.get("dong").set_opacity(0.6)
    folder = tmp_path_factory.mktemp("qgis")
    path = export_geopackage(folder / "export.gpkg", project.stack)
    tables = {t: layer for item in project.stack for t, layer in table_layers(item)}
    result = run_pyqgis(SCRIPT, folder, path, *tables)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1][len("RESULT ") :]), project.stack, tables


def test_every_layer_loads_its_default_style_from_the_file(qgis_report):
    report, stack, tables = qgis_report
    assert set(report) == set(tables)
    for name, layer in tables.items():
        info = report[name]
        assert info["valid"] and info["crs"] == "EPSG:5186", info
        if layer.name in ("sites_points", "sites_areas"):
            assert info["count"] == 1  # one point site, one polygon site
        else:
            assert info["count"] == len(layer.data)
        assert info["load_ok"] and info["message"] == "Loaded from Provider", info
        assert info["related_styles"] == 1 and name in info["first_style"]
    # one geometry type per table: QGIS opens the sites as two ordinary layers
    assert report["sites_points"]["type"] == "Point"
    assert report["sites_areas"]["type"] == "MultiPolygon"


def test_layer_metadata_shows_the_provenance(qgis_report):
    report, _stack, tables = qgis_report
    for name, layer in tables.items():
        metadata = report[name]["metadata"]
        provenance = layer.provenance
        assert layer.title("en") in metadata["title"], metadata
        assert metadata["keywords"] == {"InnoAtlas data status": [str(provenance.status)]}
        assert provenance.source in metadata["abstract"]
        if provenance.licence:
            assert metadata["licences"] == [provenance.licence]
    startups = report["startups"]["metadata"]
    assert startups["title"].endswith("[SYNTHETIC]")
    assert startups["abstract"].startswith("SYNTHETIC DATA")
    assert report["zoning"]["metadata"]["title"].endswith("[ILLUSTRATIVE]")


def test_renderers_categories_and_colours(qgis_report):
    report, stack, _tables = qgis_report
    for name in ("zoning", "startups", "districts"):
        style = stack.get(name).style
        info = report[name]
        assert info["renderer"] == "categorizedSymbol" and info["field"] == style.field
        assert len(info["colours"]) == len(style.categories) + 1  # + all other values
        for category in style.categories:
            colour, alpha = info["colours"][str(category.value)]
            assert colour == category.symbol.fill
            assert alpha == round(255 * category.symbol.fill_alpha)
    assert report["zoning"]["colours"]["준공업"][0] == "#a8a9e8"
    assert report["education"]["colour"] == stack.get("education").style.symbol.fill
    assert report["sites_points"]["renderer"] == report["sites_areas"]["renderer"] == "singleSymbol"
    assert report["sites_areas"]["colour"] == stack.get("sites").style.symbol.fill


def test_opacity_and_labels(qgis_report):
    report, stack, tables = qgis_report
    assert report["dong"]["opacity"] == pytest.approx(0.6)
    assert report["gu"]["opacity"] == pytest.approx(1.0)
    for name, layer in tables.items():
        label = layer.style.label
        assert report[name]["labels"] == (label is not None), name
        if label is not None:
            assert report[name]["label_field"] == label.field
            # labels hide when zoomed out beyond max_resolution (QGIS minimumScale)
            expected = (
                [True, round(label.max_resolution * 96 / 0.0254), 0]
                if label.max_resolution
                else [False, 0, 0]
            )
            assert report[name]["label_scales"] == expected, name
