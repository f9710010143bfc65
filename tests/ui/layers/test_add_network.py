"""File → Add layer… as the walking network: the OA-21208 CSV recognised, a line layer
chosen, a point layer refused; one undo step removes the layer and the walking catchment
(real dialog, real clicks and keys)."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import shapely
from PySide6.QtCore import Qt

from app.ui.layers.add_layer_network import WALKING_ROLE
from tests.ui.layers.test_add_layer import (
    GASAN,
    _close_messages,
    _finish_import,
    _message_boxes,
    _points,
    ask,
)

FIXTURE = Path(__file__).parents[2] / "data" / "network" / "oa21208_guro.csv"


def test_the_seoul_pedestrian_csv_is_recognised_and_becomes_the_walking_network(
    main_window, qtbot, tmp_path
):
    window = main_window
    controller = window.walking.controller
    assert controller.network is None and window.indicators.walking is None
    path = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, path)
    dialog = ask(window, qtbot, path)
    assert dialog.role_box.currentData() == WALKING_ROLE  # recognised by its columns
    assert not dialog.mapping_group.isVisible() and not dialog.coverage_group.isVisible()
    # nothing to choose: no coordinate columns or CRS; the dialog says how it is read
    assert not dialog.x_box.isVisible() and not dialog.crs_box.isVisible()
    assert "OA-21208" in dialog.crs_label.text()
    count = len(window.stack)
    layer = _finish_import(window, qtbot)
    _close_messages(window, qtbot)
    assert layer.geometry_kind == "line" and len(window.stack) == count + 1
    assert controller.setting.uses_network and controller.setting.layer == layer.name
    assert controller.network is not None and window.indicators.walking is not None
    assert window.project.settings.extra["walking_network"]["layer"] == layer.name
    # one Ctrl+Z: the layer is gone and the catchments are circles again
    assert window.undo_stack.undoText() == "Add walking network oa21208_guro"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert layer.name not in window.stack.names()
    assert controller.network is None and window.indicators.walking is None
    assert "walking_network" not in window.project.settings.extra
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert layer.name in window.stack.names() and controller.setting.layer == layer.name


def test_a_line_layer_can_be_chosen_and_a_point_layer_cannot(main_window, qtbot, tmp_path):
    window = main_window
    x, y = GASAN
    streets = [
        shapely.LineString([(x - 600, y + d), (x + 600, y + d)]) for d in range(-600, 601, 100)
    ]
    streets += [
        shapely.LineString([(x + d, y - 600), (x + d, y + 600)]) for d in range(-600, 601, 100)
    ]
    lines = tmp_path / "streets.geojson"
    gpd.GeoDataFrame(geometry=streets, crs="EPSG:5186").to_file(lines, driver="GeoJSON")
    points = tmp_path / "shops.geojson"
    gpd.GeoDataFrame(geometry=_points(10), crs="EPSG:5186").to_file(points, driver="GeoJSON")

    dialog = ask(window, qtbot, points)
    dialog.role_box.setFocus()
    while dialog.role_box.currentData() != WALKING_ROLE:  # arrow keys down the list
        qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    assert not dialog.ok_button.isEnabled()
    assert "line layer" in dialog.problem.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.importer.dialog is None)
    assert window.walking.controller.network is None

    dialog = ask(window, qtbot, lines)
    assert dialog.role_box.currentData() is None  # not preset: only the CSV is recognised
    dialog.role_box.setFocus()
    while dialog.role_box.currentData() != WALKING_ROLE:
        qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    assert dialog.ok_button.isEnabled(), dialog.problem.text()
    layer = _finish_import(window, qtbot)
    _close_messages(window, qtbot)
    controller = window.walking.controller
    assert controller.setting.layer == layer.name and controller.network is not None
    assert window.undo_stack.undoText() == "Add walking network streets"


def test_a_refused_network_is_reported_and_nothing_is_added(main_window, qtbot, tmp_path):
    window = main_window
    far = [shapely.LineString([(x, 300_000), (x, 301_000)]) for x in (0.0, 50.0)]
    path = tmp_path / "far_streets.geojson"
    gpd.GeoDataFrame(geometry=far, crs="EPSG:5186").to_file(path, driver="GeoJSON")
    dialog = ask(window, qtbot, path)
    dialog.role_box.setFocus()
    while dialog.role_box.currentData() != WALKING_ROLE:
        qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    names, undo = window.stack.names(), window.undo_stack.count()
    with qtbot.waitSignal(window.importer.importFailed, timeout=20_000) as failed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "district" in failed.args[0]  # outside the districts: one clear line
    assert window.stack.names() == names and window.undo_stack.count() == undo
    assert window.walking.controller.network is None
    assert _message_boxes(window)  # the dialog tells the user
    _close_messages(window, qtbot)
