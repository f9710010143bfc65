"""Scenarios in the window (issue 20): new, duplicate, rename, delete and switch through
the Sites › Scenarios menu and the combos, each undoable; the map, the Sites panel and the
radius follow the current scenario; the Compare view shows linked maps and the KPIs."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMenu

from app.ui import i18n


def click_menu(qtbot, window, action):
    """Sites › Scenarios › ``action`` with the mouse."""
    bar = window.menuBar()
    sites = window.menus["&Sites"]
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(sites.menuAction()).center()
    )
    qtbot.waitUntil(sites.isVisible)
    submenu = window.findChild(QMenu, "menuScenarios")
    qtbot.mouseClick(
        sites, Qt.MouseButton.LeftButton, pos=sites.actionGeometry(submenu.menuAction()).center()
    )
    qtbot.waitUntil(submenu.isVisible)
    qtbot.mouseClick(
        submenu, Qt.MouseButton.LeftButton, pos=submenu.actionGeometry(action).center()
    )
    qtbot.waitUntil(lambda: not sites.isVisible())


def click_edit_undo(qtbot, window):
    """Edit › Undo with the mouse."""
    bar, edit = window.menuBar(), window.menus["&Edit"]
    qtbot.mouseClick(
        bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(edit.menuAction()).center()
    )
    qtbot.waitUntil(edit.isVisible)
    action = window.actions_by_name["actionUndo"]
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=edit.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not edit.isVisible())


def type_name(qtbot, window, name):
    """Type ``name`` in the open name dialog and press Enter."""
    qtbot.waitUntil(lambda: window.scenarios.pending_dialog is not None)
    dialog = window.scenarios.pending_dialog
    qtbot.waitUntil(dialog.isVisible)
    line = dialog.findChild(QLineEdit)
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, name)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.scenarios.pending_dialog = None


def pick(qtbot, combo: QComboBox, index: int):
    """Choose item ``index`` of ``combo`` with the keyboard, as a user does."""
    combo.setFocus()
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    for _ in range(combo.count()):
        qtbot.keyClick(view, Qt.Key.Key_Up)
    for _ in range(index):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())
    QApplication.processEvents()


def sketch_point(qtbot, window, x, y):
    """Draw a point site with the point tool: one click on the map."""
    window.set_tool("point_tool")
    qtbot.mouseClick(
        window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.map_to_screen(x, y).toPoint()
    )
    window.set_tool("pan_tool")


def names(window):
    return list(window.stack.get("sites").data["name"])


def test_scenario_edits_are_undoable(qtbot, gvalley):
    w, cx, cy = gvalley
    control = w.scenarios
    assert control.scenarios.names() == ["Scenario 1"]
    assert [control.combo.itemText(i) for i in range(control.combo.count())] == ["Scenario 1"]
    first_site = names(w)
    assert len(first_site) == 1

    # Duplicate: the copy has the same sites with new ids, and becomes current
    click_menu(qtbot, w, control.action_duplicate)
    type_name(qtbot, w, "Two centres")
    assert control.scenarios.names() == ["Scenario 1", "Two centres"]
    assert control.combo.currentText() == "Two centres" == control.panel_combo.currentText()
    assert names(w) == first_site
    ids_first = set(control.scenarios.sites_of(0, w.stack.get("sites"))["site_id"])
    assert not ids_first & set(w.stack.get("sites").data["site_id"])
    # sketching adds to the current scenario only
    sketch_point(qtbot, w, cx + 500, cy + 300)
    assert len(names(w)) == 2
    assert len(control.scenarios.sites_of(0, w.stack.get("sites"))) == 1

    # New: empty, with its own radius
    click_menu(qtbot, w, control.action_new)
    type_name(qtbot, w, "One large centre")
    assert control.scenarios.current_scenario.name == "One large centre"
    assert names(w) == []
    assert w.sites_panel.model.rowCount() == 0
    w.radius_box.lineEdit().selectAll()
    qtbot.keyClicks(w.radius_box.lineEdit(), "1200")
    qtbot.keyClick(w.radius_box, Qt.Key.Key_Return)
    assert w.editing.radius_m == 1200.0

    # Switch back with the toolbar combo (keys): sites and radius follow
    pick(qtbot, control.combo, 1)
    assert control.scenarios.current_scenario.name == "Two centres"
    assert len(names(w)) == 2 and w.editing.radius_m == 800.0
    pick(qtbot, control.panel_combo, 2)  # the Sites panel's combo does the same
    assert control.scenarios.current == 2 and w.editing.radius_m == 1200.0
    pick(qtbot, control.panel_combo, 1)

    # Rename
    click_menu(qtbot, w, control.action_rename)
    type_name(qtbot, w, "Stations")
    assert control.scenarios.names() == ["Scenario 1", "Stations", "One large centre"]
    assert control.combo.itemText(1) == "Stations"

    # Delete the current one: its neighbour becomes current; undo restores the sites
    click_menu(qtbot, w, control.action_delete)
    assert control.scenarios.names() == ["Scenario 1", "One large centre"]
    assert control.scenarios.current == 0 and names(w) == first_site
    undo = w.actions_by_name["actionUndo"]
    assert undo.text() == "&Undo Delete scenario “Stations”"
    click_edit_undo(qtbot, w)
    assert control.scenarios.names() == ["Scenario 1", "Stations", "One large centre"]
    assert control.scenarios.current_scenario.name == "Stations" and len(names(w)) == 2

    # Undo everything back to one scenario, then redo it all
    while w.undo_stack.canUndo() and len(control.scenarios) > 1:
        w.undo_stack.undo()
    assert control.scenarios.names() == ["Scenario 1"] and names(w) == first_site
    while w.undo_stack.canRedo():
        w.undo_stack.redo()
    assert control.scenarios.names() == ["Scenario 1", "One large centre"]
    assert control.scenarios.current == 0


def test_bad_names_are_refused_with_a_note(qtbot, gvalley):
    w, _cx, _cy = gvalley
    control = w.scenarios
    click_menu(qtbot, w, control.action_new)
    type_name(qtbot, w, "Scenario 1")
    assert control.scenarios.names() == ["Scenario 1"]
    assert "already called" in w.statusBar().currentMessage()
    assert not control.action_delete.isEnabled()


def test_korean_names_and_menu(qtbot, gvalley):
    w, _cx, _cy = gvalley
    i18n.set_language("ko", save=False)
    try:
        control = w.scenarios
        # a project saved before scenarios: its one scenario is named in the UI language
        assert control.combo.currentText() == "시나리오 1" == control.panel_combo.currentText()
        assert control.menu.title() == "시나리오(&E)"
        assert control.action_compare.text() == "시나리오 비교(&C)…"
        click_menu(qtbot, w, control.action_new)
        type_name(qtbot, w, "")  # an empty name is refused
        assert w.statusBar().currentMessage() == "시나리오에는 이름이 필요합니다"
    finally:
        i18n.set_language("en", save=False)


@pytest.fixture
def two_scenarios(qtbot, gvalley):
    w, cx, cy = gvalley
    control = w.scenarios
    control.apply_name("duplicate", "Plus one")
    sketch_point(qtbot, w, cx + 900, cy + 600)
    w.indicators.wait()
    return w


def test_compare_view_links_maps_and_shows_deltas(qtbot, two_scenarios, tmp_path):
    w = two_scenarios
    control = w.scenarios
    qtbot.mouseClick(
        control.toolbar.widgetForAction(control.action_compare), Qt.MouseButton.LeftButton
    )
    dialog = control.compare_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.chosen() == ["Scenario 1", "Plus one"]
    assert len(dialog.maps) == 2
    # sites of each scenario on its own map
    assert [len(d.stack.get("sites").data) for d in dialog.map_data] == [1, 2]
    # linked pan and zoom: wheel over the first map zooms the second too
    left, right = dialog.maps
    before = right.viewport.resolution
    qtbot.keyClick(left, Qt.Key.Key_Plus)
    assert right.viewport.resolution == pytest.approx(left.viewport.resolution)
    assert right.viewport.resolution < before
    qtbot.keyClick(left, Qt.Key.Key_Left)  # arrow keys pan
    assert right.viewport.center_x == pytest.approx(left.viewport.center_x)
    # the KPI table: sites row shows the delta
    table = dialog.table
    labels = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    row = labels.index("Sites")
    assert table.item(row, 0).text() == "1"
    assert table.item(row, 1).text() == "2  (+1)"
    assert labels[-3:] == [
        "Start-ups of G-Valley within R",
        "Start-ups of Magok within R",
        "Start-ups of Yangjae/Gaepo within R",
    ]
    # a third scenario picked with the keyboard adds a third linked map
    control.apply_name("duplicate", "Copy")  # from the current one, "Plus one"
    pick(qtbot, dialog.pickers[2], dialog.pickers[2].findData("Copy"))
    assert dialog.chosen() == ["Scenario 1", "Plus one", "Copy"]
    assert len(dialog.maps) == 3 and table.columnCount() == 3
    assert table.item(row, 2).text() == "2  (+1)"
    # PDF of the same comparison
    out = tmp_path / "cmp.pdf"
    assert dialog.export_pdf(out)
    assert out.read_bytes().startswith(b"%PDF")
    # Escape closes the view
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: control.compare_dialog is None)


def test_compare_with_an_empty_scenario_says_why(qtbot, gvalley):
    w, _cx, _cy = gvalley
    control = w.scenarios
    control.apply_name("new", "Nothing yet")
    dialog = control.compare()
    qtbot.waitUntil(dialog.isVisible)
    assert "has no sites" in dialog.note.text()
    assert dialog.table.rowCount() == 0 and not dialog.pdf_button.isEnabled()
    dialog.close()


def test_compare_in_presentation_mode(qtbot, two_scenarios):
    w = two_scenarios
    w.presentation.enter()
    try:
        qtbot.keyClick(
            w.canvas,
            Qt.Key.Key_C,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        dialog = w.scenarios.compare_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible)
        assert dialog.isFullScreen()
        assert len(dialog.maps) == 2
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # closes the view, not the presentation
        qtbot.waitUntil(lambda: w.scenarios.compare_dialog is None)
        assert w.presentation.active
    finally:
        w.presentation.leave()
