import geopandas as gpd
import shapely

from app.core.map.identify import identify
from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle

PROV = Provenance(DataStatus.REAL, "test", "CC0", "2026")


def _stack():
    points = gpd.GeoDataFrame(
        {"name": ["가", "나"]},
        geometry=shapely.points([100.0, 300.0], [100.0, 100.0]),
        crs="EPSG:5186",
    )
    polygons = gpd.GeoDataFrame(
        {"name": ["big"]}, geometry=[shapely.box(0, 0, 1000, 1000)], crs="EPSG:5186"
    )
    return LayerStack(
        [
            Layer("pts", points, LayerStyle(), PROV, geometry_kind="point"),
            Layer("poly", polygons, LayerStyle(), PROV, geometry_kind="polygon"),
        ]
    )


def test_identify_top_layer_first_nearest_point():
    hits = identify(_stack(), 104.0, 100.0, tolerance=10.0)
    assert [(h.layer.name, h.attributes["name"]) for h in hits] == [("pts", "가"), ("poly", "big")]
    assert hits[0].distance == 4.0


def test_identify_respects_tolerance_and_visibility():
    stack = _stack()
    assert [h.layer.name for h in identify(stack, 150.0, 100.0, tolerance=10.0)] == ["poly"]
    stack.get("poly").set_visible(False)
    assert identify(stack, 150.0, 100.0, tolerance=10.0) == []
    assert identify(stack, 5000.0, 5000.0, tolerance=10.0) == []
