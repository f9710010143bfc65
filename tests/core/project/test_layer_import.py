"""import_layer: a GeoPackage's saved style comes along, or a note says why not."""

from __future__ import annotations

from app.core.project.layer_import import ImportRequest, import_layer
from tests.hostile_gpkg import gpkg_with_system_tables


def test_a_refused_saved_style_is_named_in_a_note_and_the_default_is_used(tmp_path):
    path = gpkg_with_system_tables(tmp_path / "refused_style.gpkg")
    result = import_layer(ImportRequest(path, title="centres"))
    assert result.style is None and len(result.frame) == 1
    assert result.notes == [
        "centres: its saved style (layer_styles) cannot be read: the default style is used"
    ]


def test_a_readable_saved_style_comes_along_without_a_note(tmp_path):
    import geopandas as gpd

    from app.core.formats.qgis.qml_write import style_qml
    from layers.model import Layer
    from layers.style import LayerStyle, Symbol

    style = LayerStyle(symbol=Symbol(fill="#ff0000"))
    layer = Layer(
        name="centres",
        data=gpd.GeoDataFrame(geometry=[]),
        style=style,
        provenance=None,
        geometry_kind="point",
    )
    qml = style_qml(style, layer)
    result = import_layer(ImportRequest(gpkg_with_system_tables(tmp_path / "s.gpkg", qml)))
    assert result.notes == [] and result.style is not None
    assert result.style.symbol.fill == "#ff0000"
