import geopandas as gpd
import shapely

from layers.model import Layer, LayerStack
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle, Symbol, categorized
from layers.themes.registry import DEFAULT_SPECS


def _layer(name, xs=(0.0, 10.0)):
    frame = gpd.GeoDataFrame(
        {"v": list(range(len(xs)))},
        geometry=shapely.points(list(xs), [0.0] * len(xs)),
        crs="EPSG:5186",
    )
    return Layer(
        name, frame, LayerStyle(), Provenance(DataStatus.REAL, "s", "l", "v"), geometry_kind="point"
    )


def test_stack_order_move_and_signals():
    stack = LayerStack([_layer("a"), _layer("b"), _layer("c")])
    moves = []
    stack.moved.connect(lambda old, new: moves.append((old, new)))
    stack.move(2, 0)
    assert stack.names() == ["c", "a", "b"]
    assert [layer.name for layer in stack.draw_order()] == ["b", "a", "c"]
    assert moves == [(2, 0)]
    stack.move(0, 99)  # clamped to the bottom
    assert stack.names() == ["a", "b", "c"]


def test_layer_changes_are_forwarded_by_the_stack():
    layer = _layer("a")
    stack = LayerStack([layer])
    seen = []
    stack.layer_changed.connect(lambda lyr, what: seen.append((lyr.name, what)))
    layer.set_visible(False)
    layer.set_visible(False)  # no change, no signal
    layer.set_opacity(1.7)
    assert seen == [("a", "visible")]  # opacity already 1.0 after clamping
    layer.set_opacity(0.25)
    assert seen[-1] == ("a", "opacity") and layer.opacity == 0.25


def test_extent_and_duplicate_names():
    stack = LayerStack([_layer("a", (0.0, 5.0)), _layer("b", (-3.0, 20.0))])
    assert stack.extent() == (-3.0, 0.0, 20.0, 0.0)
    try:
        stack.append(_layer("a"))
    except ValueError as err:
        assert "already" in str(err)
    else:
        raise AssertionError("duplicate layer name accepted")


def test_categorized_legend_lists_present_values_and_other():
    style = categorized(
        "k",
        [("x", "X", Symbol(fill="#ff0000")), ("y", "Y", Symbol(fill="#00ff00"))],
        other=Symbol(fill="#000000"),
    )
    assert style.symbol_for("y").fill == "#00ff00"
    assert style.symbol_for("zzz").fill == "#000000"
    assert [label for label, _ in style.legend(["y", "q"])] == ["Y", "other"]
    assert [label for label, _ in style.legend()] == ["X", "Y"]


def test_every_spec_declares_provenance_and_fixed_names():
    names = [spec.name for spec in DEFAULT_SPECS]
    assert names == ["startups", "stations", "education", "districts", "zoning", "dong", "gu"]
    status = {spec.name: spec.provenance.status for spec in DEFAULT_SPECS}
    assert status["startups"] == DataStatus.SYNTHETIC
    assert status["zoning"] == DataStatus.ILLUSTRATIVE
    assert status["districts"] == DataStatus.APPROXIMATE
    for spec in DEFAULT_SPECS:
        assert spec.provenance.source and spec.provenance.licence and spec.provenance.vintage


def test_provenance_record_round_trip():
    p = Provenance(DataStatus.SYNTHETIC, "gen", "CC0", "2026", "attr", "note")
    assert Provenance.from_record(p.as_record()) == p
