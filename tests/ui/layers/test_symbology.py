"""Layer Properties › Symbology, Labels and rename, driven through the dialog: every
change is one undo step, shows on the canvas and reaches the saved QML and project."""

import sqlite3

import geopandas as gpd
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.formats.qgis.qml_read import style_from_qml
from app.core.project.store import open_project
from layers.model import Layer
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle, Symbol

VALUES = [1.0, 2.0, 3.0, 50.0, 51.0, 100.0]
X0, Y0 = 200000.0, 550000.0


@pytest.fixture
def lots(main_window):
    """An imported polygon layer of six 100 m squares in a row, on top of the map."""
    frame = gpd.GeoDataFrame(
        {"lot": [f"L{i}" for i in range(6)], "far": VALUES},
        geometry=[shapely.box(X0 + i * 120, Y0, X0 + i * 120 + 100, Y0 + 100) for i in range(6)],
        crs="EPSG:5186",
    )
    layer = Layer(
        "lots",
        frame,
        LayerStyle(symbol=Symbol(fill="#888888", stroke=None)),
        Provenance(DataStatus.USER, "test", "CC0", "2026"),
        title_en="lots_5174",
        geometry_kind="polygon",
    )
    main_window.stack.insert(0, layer)
    main_window.canvas.zoom_to_extent((X0 - 50, Y0 - 200, X0 + 770, Y0 + 300), margin=0)
    return layer


def centre_pixel(window, i):
    canvas = window.canvas
    image = canvas.render_now()
    point = canvas.map_to_screen(X0 + i * 120 + 50, Y0 + 50)
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio)).name()


def test_graduated_style_through_the_dialog_reaches_canvas_and_qml(
    qtbot, main_window, lots, tmp_path
):
    w = main_window
    dialog = w.show_properties(lots)
    qtbot.waitExposed(dialog)
    page = dialog.symbology
    dialog.tabs.setCurrentWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("graduated"))
    page.field.setCurrentText("far")
    page.method.setCurrentIndex(page.method.findData("jenks"))
    page.classes.clear()
    qtbot.keyClicks(page.classes, "3")
    page.ramp.setCurrentIndex(page.ramp.findData("YlOrRd"))
    qtbot.mouseClick(page.classify, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 3
    assert page.table.item(1, 1).text() == "3 – 51"  # QGIS: a class starts where the last ended
    steps = w.undo_stack.count()
    qtbot.mouseClick(dialog.apply_style_button, Qt.MouseButton.LeftButton)
    assert w.undo_stack.count() == steps + 1
    assert lots.style.kind == "graduated"
    assert [centre_pixel(w, i) for i in range(6)] == (
        ["#ffffb2"] * 3 + ["#fd8d3c"] * 2 + ["#bd0026"]
    )
    # saved: the QML QGIS reads holds the same ranges, and the project reopens with them
    path = tmp_path / "p.gpkg"
    assert w.project.save_to(path)
    with sqlite3.connect(path) as con:
        (qml,) = con.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = 'lots' AND useAsDefault"
        ).fetchone()
    con.close()
    read = style_from_qml(qml, "polygon")
    assert read.kind == "graduated" and read.field == "far"
    assert [(r.lower, r.upper, r.symbol.fill) for r in read.ranges] == [
        (r.lower, r.upper, r.symbol.fill) for r in lots.style.ranges
    ]
    reopened = open_project(path).stack.get("lots")
    assert reopened.style.ranges == lots.style.ranges
    w.undo_stack.undo()
    assert lots.style.kind == "single"
    assert centre_pixel(w, 5) == "#888888"
    dialog.close()


def test_categorized_class_colour_and_label(qtbot, main_window, lots):
    dialog = main_window.show_properties(lots)
    page = dialog.symbology
    page.kind.setCurrentIndex(page.kind.findData("categorized"))
    page.field.setCurrentText("lot")
    qtbot.mouseClick(page.classify, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 6
    page.set_class_colour(2, "#123456")
    item = page.table.item(2, 2)
    item.setText("Lot two")
    qtbot.mouseClick(dialog.apply_style_button, Qt.MouseButton.LeftButton)
    assert lots.style.categories[2].label == "Lot two"
    assert centre_pixel(main_window, 2) == "#123456"
    dialog.close()


def test_labels_and_rename_are_undo_steps(qtbot, main_window, lots):
    w = main_window
    dialog = w.show_properties(lots)
    dialog.title_en.clear()
    qtbot.keyClicks(dialog.title_en, "Lots")
    dialog.title_ko.setText("필지")  # QTest cannot type Hangul (an input method does)
    labels = dialog.labels
    labels.enabled.setChecked(True)
    labels.field.setCurrentText("lot")
    steps = w.undo_stack.count()
    qtbot.mouseClick(dialog.apply_style_button, Qt.MouseButton.LeftButton)
    assert w.undo_stack.count() == steps + 2
    assert lots.title("en") == "Lots" and lots.title("ko") == "필지"
    assert lots.style.label is not None and lots.style.label.field == "lot"
    QApplication.processEvents()
    assert "Lots" in [w.layer_panel.model.index(r, 0).data() for r in range(5)]
    record = w.project.capture_settings().extra["user_layers"][0]
    assert record["title_en"] == "Lots" and record["style"]["label"]["field"] == "lot"
    w.undo_stack.undo()
    w.undo_stack.undo()
    assert lots.title("en") == "lots_5174" and lots.style.label is None
    dialog.close()


def test_a_renamed_default_layer_is_saved(qtbot, main_window, tmp_path):
    w = main_window
    stations = w.stack.get("stations")
    dialog = w.show_properties(stations)
    dialog.title_en.clear()
    qtbot.keyClicks(dialog.title_en, "Subway")
    qtbot.mouseClick(dialog.apply_style_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "p.gpkg"
    assert w.project.save_to(path)
    assert open_project(path).stack.get("stations").title("en") == "Subway"
    dialog.close()


def test_labels_show_between_a_minimum_and_a_maximum_scale(qtbot, main_window, lots, tmp_path):
    """QGIS's scale-dependent visibility: labels from 1:50 000 in to 1:2 000."""
    from app.core.formats.qgis.qml_write import style_qml
    from app.core.map.viewport import METRES_PER_INCH

    w = main_window
    dialog = w.show_properties(lots)
    labels = dialog.labels
    labels.enabled.setChecked(True)
    labels.field.setCurrentText("lot")
    for spin, value in ((labels.max_scale, "50000"), (labels.min_scale, "2000")):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, value)
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
    qtbot.mouseClick(dialog.apply_style_button, Qt.MouseButton.LeftButton)
    label = lots.style.label
    assert label.max_resolution and label.min_resolution
    assert label.min_resolution < label.max_resolution

    def lot_labels_at(scale):
        w.canvas.set_view(X0 + 350, Y0 + 50, scale * METRES_PER_INCH / 96.0)
        w.canvas.render_now()
        w.canvas.grab()
        return [
            t for t, k in zip(w.canvas.last_labels.texts, w.canvas.last_labels.kinds) if k == "lots"
        ]

    assert lot_labels_at(10_000)  # inside the range
    assert not lot_labels_at(1_000)  # zoomed in closer than 1:2 000
    assert not lot_labels_at(100_000)  # zoomed out further than 1:50 000
    # saved with the project and written to the QML that QGIS reads (scaleMin: 1:2 000)
    record = w.project.capture_settings().extra["user_layers"][0]
    assert record["style"]["label"]["min_resolution"] == label.min_resolution
    qml = style_qml(lots.style, lots)
    assert 'scaleMin="2000"' in qml and 'scaleMax="50000"' in qml
    read = style_from_qml(qml, "polygon").label
    assert read.min_resolution == pytest.approx(label.min_resolution, rel=1e-3)
    dialog.close()
