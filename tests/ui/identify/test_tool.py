"""Identify: clicking a feature lists its attributes."""

from PySide6.QtCore import Qt


def test_click_identifies_the_point_under_the_cursor(qtbot, square_window):
    square_window.actions_by_name["actionIdentify"].trigger()
    canvas = square_window.canvas
    qtbot.mouseClick(
        canvas, Qt.MouseButton.LeftButton, pos=canvas.map_to_screen(503.0, 498.0).toPoint()
    )
    panel = square_window.identify_panel
    assert square_window.identify_dock.isVisible()
    assert [h.layer.name for h in panel.hits] == ["dots", "red", "blue"]
    assert panel.hits[0].attributes["name"] == "초록점"
    top = panel.topLevelItem(0)
    assert top.text(0) == "dots (real)"
    assert top.child(0).text(0) == "초록점"


def test_click_on_empty_map_says_nothing_found(qtbot, square_window):
    square_window.actions_by_name["actionIdentify"].trigger()
    canvas = square_window.canvas
    qtbot.mouseClick(
        canvas, Qt.MouseButton.LeftButton, pos=canvas.map_to_screen(-60.0, -60.0).toPoint()
    )
    assert square_window.identify_panel.hits == []
    assert square_window.identify_panel.topLevelItem(0).text(0) == "No feature here"


def test_identify_a_real_station(qtbot, main_window):
    stations = main_window.stack.get("stations").data
    for layer in main_window.stack:
        if layer.name != "stations":
            layer.set_visible(False)
    station = stations.iloc[0]
    main_window.canvas.zoom_to_extent(station.geometry.buffer(300).bounds)
    main_window.actions_by_name["actionIdentify"].trigger()
    canvas = main_window.canvas
    qtbot.mouseClick(
        canvas,
        Qt.MouseButton.LeftButton,
        pos=canvas.map_to_screen(station.geometry.x, station.geometry.y).toPoint(),
    )
    names = [hit.attributes["name"] for hit in main_window.identify_panel.hits]
    assert station["name"] in names
