"""The walking network in the app: chosen in its dialog, isochrone drawn and following a
dragged site, reach ratio on the card (real mouse and key events)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QLabel

from layers.model import Layer
from layers.style import LayerStyle, Symbol
from tests.ui.conftest import PROV
from tests.ui.sites.test_tools import at, click, use


def _streets() -> Layer:
    """Streets every 100 m over 0..2000 m; a 'river' at y = 1000 crossed only at x = 1800."""
    lines = [shapely.LineString([(x, 0), (x, 950)]) for x in range(0, 2001, 100)]
    lines += [shapely.LineString([(x, 1050), (x, 2000)]) for x in range(0, 2001, 100)]
    lines += [shapely.LineString([(0, y), (2000, y)]) for y in range(0, 951, 100)]
    lines += [shapely.LineString([(0, y), (2000, y)]) for y in range(1050, 2001, 100)]
    lines.append(shapely.LineString([(1800, 950), (1800, 1050)]))  # the bridge
    frame = gpd.GeoDataFrame(geometry=lines, crs="EPSG:5186")
    style = LayerStyle(symbol=Symbol(fill=None, stroke="#777777", stroke_width=1.0))
    return Layer("streets", frame, style, PROV, title_en="streets", geometry_kind="line")


def choose_walking_network(qtbot, window) -> None:
    """Analysis → Walking network…, tick 'walking network', OK (real clicks)."""

    def answer():
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "walkingNetworkDialog"
        qtbot.mouseClick(dialog.walk, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.show_all, Qt.MouseButton.LeftButton)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, answer)
    window.walking.action.trigger()
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    QApplication.processEvents()


def test_isochrone_follows_a_dragged_site_and_the_card_shows_the_reach(qtbot, w):
    controller = w.walking.controller
    assert controller.network is None
    choose_walking_network(qtbot, w)
    assert controller.network is not None and controller.setting.layer == "streets"
    assert w.undo_stack.undoText() == "Catchment: walking network"
    use(qtbot, w, Qt.Key.Key_P)
    assert w.canvas.tool is w.point_tool
    click(qtbot, w, (600.0, 900.0))  # a site just south of the river
    w.indicators.wait()
    site_id = w.editing.selected
    row = w.indicators.row(site_id)
    assert 0 < row["reach_ratio"] < 1  # the circle claims the north bank, the walk does not
    labels = [
        w.indicators_panel.card.item(i, 0).text() for i in range(w.indicators_panel.card.rowCount())
    ]
    assert "Reach ratio (walk ÷ circle)" in labels
    ((_, geometry, radius),) = controller.shown()
    before = controller.polygon(geometry, radius)
    assert not before.intersects(shapely.Point(600, 1150).buffer(10))  # across the river
    assert before.contains(shapely.Point(600, 500))
    # drag the site east with the edit tool; the isochrone moves while dragging
    use(qtbot, w, Qt.Key.Key_E)
    click(qtbot, w, (600.0, 900.0))
    canvas = w.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(w, (600.0, 900.0)))
    centres = []
    for x in (800.0, 1100.0, 1400.0):
        qtbot.mouseMove(canvas, at(w, (x, 900.0)))
        qtbot.wait(30)
        assert controller.live is not None
        pieces = controller.live[3]
        centres.append(shapely.centroid(shapely.multilinestrings(pieces)).x)
    assert centres[0] < centres[1] < centres[2]
    # near the bridge the walk crosses the river
    qtbot.mouseMove(canvas, at(w, (1700.0, 900.0)))
    qtbot.wait(30)
    live = shapely.multilinestrings(controller.live[3])
    assert live.intersects(shapely.Point(1800, 1150).buffer(5))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(w, (1700.0, 900.0)))
    assert controller.live is None
    ((_, moved, radius),) = controller.shown()
    after = controller.polygon(moved, radius)
    assert after.contains(shapely.Point(1700, 500)) and not after.contains(shapely.Point(600, 500))
    w.indicators.wait()
    assert w.indicators.row(site_id)["reach_ratio"] > row["reach_ratio"]
    exported = w.walking.export_stack()  # PNG/PDF and the web map get it as a layer
    layer = exported.get("walking_isochrones")
    assert layer is not None and "walking_isochrones" not in w.stack
    assert layer.data.geometry.iloc[0].contains(shapely.Point(1700, 500))
    image = w.canvas.grab().toImage()  # the isochrone is painted green over the map
    pixel = image.pixelColor(at(w, (1700.0, 600.0)))
    assert pixel.green() > pixel.red() and pixel.green() > pixel.blue()


def test_undo_returns_to_circles(qtbot, w):
    choose_walking_network(qtbot, w)
    assert w.indicators.walking is not None
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.indicators.walking is None and w.walking.controller.network is None
    assert "walking_network" not in w.project.settings.extra


def test_the_layer_menu_makes_a_line_layer_the_walking_network(qtbot, w):
    streets = w.stack.get("streets")
    menu = w.desk.menus.layer_menu(streets)
    entry = next(a for a in menu.actions() if a.objectName() == "actionUseAsWalkingNetwork")
    assert not entry.isChecked()
    entry.trigger()
    assert w.walking.controller.setting.layer == "streets" and w.indicators.walking is not None
    again = w.desk.menus.layer_menu(streets)
    entry = next(a for a in again.actions() if a.objectName() == "actionUseAsWalkingNetwork")
    assert entry.isChecked()
    entry.trigger()  # unticked: circles again
    assert w.indicators.walking is None
    points = w.desk.menus.layer_menu(w.stack.get("startups"))
    assert not any(a.objectName() == "actionUseAsWalkingNetwork" for a in points.actions())


def test_layer_properties_make_the_walking_network_and_show_its_islands(qtbot, w):
    dialog = w.show_properties(w.stack.get("streets"))
    qtbot.waitExposed(dialog)
    box = dialog.findChild(QCheckBox, "propertiesWalkingNetwork")
    info = dialog.findChild(QLabel, "propertiesNetworkInfo")
    assert box is not None and not box.isChecked() and info.text() == ""
    # on the tick box itself (a click right of the text does nothing)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and w.walking.controller.setting.uses_network
    assert "0 disconnected parts" in info.text() and "edges" in info.text()
    dialog.close()
    points = w.show_properties(w.stack.get("startups"))
    assert points.findChild(QCheckBox, "propertiesWalkingNetwork") is None
    points.close()
