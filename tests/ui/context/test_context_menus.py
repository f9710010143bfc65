"""Right-click menus on layers, sites and the map, used with the mouse (issue 17)."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication


def right_click(qtbot, widget, pos):
    """A right click, then the context-menu event the window system sends after it
    (QTest's synthetic clicks do not make one)."""
    qtbot.mouseClick(widget, Qt.MouseButton.RightButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, widget.mapToGlobal(pos))
    QApplication.sendEvent(widget, event)


def menu_actions(menu):
    return {a.text().replace("&", ""): a for a in menu.actions() if a.text()}


def choose(qtbot, w, text):
    """Click the entry ``text`` of the menu that opened."""
    menu = w.desk.menus.last_menu
    qtbot.waitUntil(menu.isVisible)
    action = menu_actions(menu)[text]
    assert action.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    QApplication.processEvents()


def layer_row(w, name):
    tree = w.layer_panel.tree
    index = w.layer_panel.model.index(w.stack.index(w.stack.get(name)), 0)
    tree.scrollTo(index)
    return tree.visualRect(index).center()


def test_layer_menu_opens_the_table_zooms_and_pastes_a_style(qtbot, square_window):
    w = square_window
    tree = w.layer_panel.tree
    right_click(qtbot, tree.viewport(), layer_row(w, "red"))
    assert w.layer_panel.current_layer() is w.stack.get("red")
    entries = menu_actions(w.desk.menus.last_menu)
    assert {"Layer properties…", "Open attribute table", "Zoom to layer", "Copy style",
            "Paste style", "Remove layer"} <= set(entries)  # fmt: skip
    assert not entries["Paste style"].isEnabled()  # nothing copied yet
    choose(qtbot, w, "Open attribute table")
    assert "red" in w.desk.tables.open_tables

    w.canvas.zoom_to_extent((400, 400, 450, 450))
    right_click(qtbot, tree.viewport(), layer_row(w, "red"))
    choose(qtbot, w, "Zoom to layer")
    xmin, ymin, xmax, ymax = w.canvas.viewport.extent
    assert xmin <= 0 and ymin <= 0 and xmax >= 1000 and ymax >= 1000

    red, blue = w.stack.get("red"), w.stack.get("blue")
    right_click(qtbot, tree.viewport(), layer_row(w, "red"))
    choose(qtbot, w, "Copy style")
    right_click(qtbot, tree.viewport(), layer_row(w, "blue"))
    choose(qtbot, w, "Paste style")
    assert blue.style == red.style
    # one undo command for every style change (the Symbology page's too)
    from app.ui.layers.commands import SetStyleCommand

    assert isinstance(w.undo_stack.command(w.undo_stack.index() - 1), SetStyleCommand)
    assert w.undo_stack.undoText() == "Paste style on “blue”"
    w.undo_stack.undo()
    assert blue.style.symbol.fill == "#0000ff"
    # a point layer cannot take a polygon style
    right_click(qtbot, tree.viewport(), layer_row(w, "dots"))
    assert not menu_actions(w.desk.menus.last_menu)["Paste style"].isEnabled()


def test_remove_is_offered_for_imported_layers_only(qtbot, main_window):
    w = main_window
    right_click(qtbot, w.layer_panel.tree.viewport(), layer_row(w, "districts"))
    assert not menu_actions(w.desk.menus.last_menu)["Remove layer"].isEnabled()


def test_site_menu_in_the_sites_panel_and_on_the_map(qtbot, gvalley):
    w, cx, cy = gvalley
    table = w.sites_panel.table
    site_id = w.stack.get("sites").data["site_id"].iloc[0]
    pos = table.visualRect(w.sites_panel.model.index(0, 0)).center()
    right_click(qtbot, table.viewport(), pos)
    assert set(menu_actions(w.desk.menus.last_menu)) == {
        "Rename site", "Zoom to site", "Show indicators", "Delete site"
    }  # fmt: skip
    choose(qtbot, w, "Show indicators")
    assert w.editing.selected == site_id and w.indicators_dock.isVisible()

    right_click(qtbot, table.viewport(), pos)
    choose(qtbot, w, "Rename site")
    assert table.state() == table.State.EditingState

    # on the map: the site under the cursor has its own submenu, and coordinates copy
    w.actions_by_name["actionPan"].trigger()
    at = w.canvas.map_to_screen(cx, cy).toPoint()
    right_click(qtbot, w.canvas, at)
    menu = w.desk.menus.last_menu
    entries = menu_actions(menu)
    assert "Site “Site 1”" in entries
    copy = next(text for text in entries if text.startswith("Copy coordinates"))
    choose(qtbot, w, copy)
    x, y = (float(v) for v in QApplication.clipboard().text().split(","))
    assert abs(x - cx) < 5 and abs(y - cy) < 5

    right_click(qtbot, table.viewport(), pos)
    choose(qtbot, w, "Delete site")
    assert len(w.stack.get("sites").data) == 0
    w.undo_stack.undo()
    assert len(w.stack.get("sites").data) == 1


def test_no_map_menu_while_sketching_a_polygon(qtbot, square_window):
    w = square_window
    w.actions_by_name["actionPolygonSite"].trigger()
    before = w.desk.menus.last_menu
    right_click(qtbot, w.canvas, QPoint(200, 200))
    assert w.desk.menus.last_menu is before
