"""QGIS (PyQGIS, system python3) opens every exported layer with the style from the file.

Skipped when ``/usr/bin/python3 -c "import qgis.core"`` fails (e.g. in CI without QGIS).
"""

import json
import textwrap

import pytest

from tests.pyqgis import has_pyqgis, run_pyqgis, set_two_sites

pytestmark = pytest.mark.skipif(not has_pyqgis(), reason="PyQGIS is not installed")

SCRIPT = textwrap.dedent("""
    import json, sys
    from qgis.core import QgsApplication, QgsVectorLayer
    app = QgsApplication([], False)
    app.initQgis()
    path, names = sys.argv[1], sys.argv[2:]
    out = {}
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        info = {"valid": layer.isValid(), "crs": layer.crs().authid(),
                "count": layer.featureCount()}
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
    result = run_pyqgis(SCRIPT, folder, path, *project.stack.names())
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1][len("RESULT ") :]), project.stack


def test_every_layer_loads_its_default_style_from_the_file(qgis_report):
    report, stack = qgis_report
    assert set(report) == set(stack.names())
    for layer in stack:
        info = report[layer.name]
        assert info["valid"] and info["crs"] == "EPSG:5186", info
        assert info["count"] == len(layer.data)
        assert info["load_ok"] and info["message"] == "Loaded from Provider", info
        assert info["related_styles"] == 1 and layer.name in info["first_style"]


def test_renderers_categories_and_colours(qgis_report):
    report, stack = qgis_report
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
    assert report["sites"]["renderer"] == "RuleRenderer" and len(report["sites"]["rules"]) == 2


def test_opacity_and_labels(qgis_report):
    report, stack = qgis_report
    assert report["dong"]["opacity"] == pytest.approx(0.6)
    assert report["gu"]["opacity"] == pytest.approx(1.0)
    for layer in stack:
        label = layer.style.label
        assert report[layer.name]["labels"] == (label is not None), layer.name
        if label is not None:
            assert report[layer.name]["label_field"] == label.field
            # labels hide when zoomed out beyond max_resolution (QGIS minimumScale)
            expected = (
                [True, round(label.max_resolution * 96 / 0.0254), 0]
                if label.max_resolution
                else [False, 0, 0]
            )
            assert report[layer.name]["label_scales"] == expected, layer.name
