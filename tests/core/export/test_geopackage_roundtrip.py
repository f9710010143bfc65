"""Export → Add layer in InnoAtlas gives back the same geometries, attributes, CRS and style.

This is the path a user takes with a GeoPackage from InnoAtlas (or from QGIS after editing
it): File → Add layer…, one layer at a time, through app.core.project.layer_import.import_layer.
"""

import numpy as np
import pyogrio
import pytest
import shapely

from app.core.export.geopackage import export_geopackage, layer_frame
from app.core.formats.vector import ReadOptions
from app.core.project.layer_import import ImportRequest, import_layer
from app.core.project.store import open_project


@pytest.fixture(scope="module")
def export(default_project_path, tmp_path_factory):
    project = open_project(default_project_path)
    stack = project.stack
    stack.get("zoning").set_opacity(0.55)
    path = tmp_path_factory.mktemp("roundtrip") / "워크숍 export.gpkg"
    export_geopackage(path, stack)
    return path, stack


LAYERS = ["districts", "gu", "dong", "education", "stations", "startups", "zoning"]


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_comes_back_exactly(export, name):
    path, stack = export
    original = stack.get(name)
    result = import_layer(ImportRequest(path, ReadOptions(layer=name), title=name))
    frame = result.frame
    assert frame.crs.to_epsg() == 5186
    expected = layer_frame(original)
    assert len(frame) == len(expected)
    # geometries: exactly equal, vertex for vertex (GeoPackage stores doubles)
    assert shapely.equals_exact(
        np.asarray(frame.geometry.values), np.asarray(expected.geometry.values), tolerance=0
    ).all()
    for column in expected.columns.drop(expected.geometry.name):
        got, want = frame[column].tolist(), expected[column].tolist()
        assert [None if v != v else v for v in got] == [None if v != v else v for v in want], (
            column
        )  # NaN and None both mean "empty"
    # the style and opacity QGIS would read are the app's own
    assert result.style == original.style
    assert result.opacity == pytest.approx(original.opacity, abs=1 / 255)


def test_korean_text_survives(export):
    path, _stack = export
    result = import_layer(ImportRequest(path, ReadOptions(layer="districts"), title="d"))
    assert "마곡" in set(result.frame["name_ko"])
    assert any("양재" in name for name in result.frame["name_ko"])


def test_export_reports_the_layers_gdal_sees(export):
    path, stack = export
    names = {str(n) for n, _ in pyogrio.list_layers(path)}
    assert set(LAYERS) <= names
