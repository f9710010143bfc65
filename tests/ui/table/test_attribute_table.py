"""The attribute table: open with F6, filter, sort, select with the map both ways, zoom,
copy, export and edit values as undo steps, with real mouse and key events (issue 17)."""

import numpy as np
import pandas as pd
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from layers.rule_expr import filter_mask


def select_layer(qtbot, w, name):
    """Click the layer's row in the Layers panel, as a user does."""
    tree = w.layer_panel.tree
    index = w.layer_panel.model.index(w.stack.index(w.stack.get(name)), 0)
    tree.scrollTo(index)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(index).center()
    )
    assert w.layer_panel.current_layer() is w.stack.get(name)


def open_table(qtbot, w, name):
    select_layer(qtbot, w, name)
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F6)
    table = w.desk.tables.open_tables[name]
    qtbot.waitExposed(table)
    return table


def type_hangul(widget, text):
    """Type Korean as an input method delivers it (QTest types ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def cell_editor(qtbot, table, row, column):
    """Double-click a cell: its editor opens."""
    pos = cell_pos(table, row, column)
    qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(
        table.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_pos(table, row, column)
    )
    editor = table.view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.setFocus()
    editor.selectAll()
    return editor


def button(table, name):
    return table.findChild(QPushButton, name)


def cell_pos(table, row, column):
    return table.view.visualRect(table.model.index(row, column)).center()


def test_filter_sort_select_zoom_copy_and_export(qtbot, main_window, tmp_path):
    w = main_window
    table = open_table(qtbot, w, "startups")
    data = w.stack.get("startups").data
    assert table.model.rowCount() == len(data)

    expression = '"sector" LIKE \'AI%\' AND "employees" > 10'
    qtbot.keyClicks(table.filter, expression)
    qtbot.keyClick(table.filter, Qt.Key.Key_Return)
    expected = np.flatnonzero(filter_mask(expression, data))
    assert table.model.rowCount() == len(expected) > 0
    assert set(table.model.rows) == set(expected)
    assert "of 6,000 features shown" in table.status.text()

    # a bad expression is a note, and the filter stays
    table.filter.clear()
    qtbot.keyClicks(table.filter, '"employees" >')
    qtbot.keyClick(table.filter, Qt.Key.Key_Return)
    assert "not understood" in table.status.text()
    assert table.model.rowCount() == len(expected)

    # sort by employees with a click on the header
    column = table.model.columns.index("employees")
    header = table.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    values = [int(table.model.index(r, column).data()) for r in range(table.model.rowCount())]
    assert values == sorted(values) or values == sorted(values, reverse=True)

    # select two rows with the mouse: the map's selection follows
    qtbot.mouseClick(table.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_pos(table, 0, 0))
    qtbot.mouseClick(
        table.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        cell_pos(table, 2, 0),
    )
    chosen = sorted([table.model.source_row(0), table.model.source_row(2)])
    assert w.desk.selection.rows("startups").tolist() == chosen
    assert "2 selected" in table.status.text()

    qtbot.mouseClick(button(table, "tableZoomToSelection"), Qt.MouseButton.LeftButton)
    xmin, ymin, xmax, ymax = w.canvas.viewport.extent
    for geometry in data.geometry.values[chosen]:
        assert xmin <= geometry.x <= xmax and ymin <= geometry.y <= ymax

    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:2] == ["name", "sector"] and len(lines) == 3
    assert {line.split("\t")[0] for line in lines[1:]} == set(data["name"].iloc[chosen])

    path = tmp_path / "chosen.csv"
    assert table.export_to(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Korean names
    written = pd.read_csv(path, encoding="utf-8-sig")
    assert len(written) == 2 and "wkt" in written and written["synthetic"].all()
    gpkg = tmp_path / "chosen.gpkg"
    assert table.export_to(gpkg)
    import pyogrio

    assert len(pyogrio.read_dataframe(gpkg)) == 2


def test_box_select_on_the_map_selects_into_the_table(qtbot, square_window):
    w = square_window
    table = open_table(qtbot, w, "dots")
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(
        w, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert w.canvas.tool is w.select_tool
    start = w.canvas.map_to_screen(400, 600).toPoint()
    end = w.canvas.map_to_screen(600, 400).toPoint()
    qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(w.canvas, (start + end) / 2)
    qtbot.mouseMove(w.canvas, end)
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=end)
    assert w.desk.selection.rows("dots").tolist() == [0]
    assert [i.row() for i in table.view.selectionModel().selectedRows()] == [0]
    # the map draws the selection (yellow) over the green dot
    image = w.canvas.grab().toImage()
    centre = w.canvas.map_to_screen(500, 500).toPoint()
    ring = [image.pixelColor(centre + QPoint(dx, 0)).name() for dx in range(-12, 13)]
    assert "#ffd400" in ring
    # a click beside it, with Ctrl, removes nothing; a plain click on empty map clears
    qtbot.mouseClick(
        w.canvas, Qt.MouseButton.LeftButton, pos=w.canvas.map_to_screen(100, 100).toPoint()
    )
    assert w.desk.selection.rows("dots").tolist() == []
    assert table.view.selectionModel().selectedRows() == []


def test_edit_an_imported_layer_value_as_an_undo_step(qtbot, square_window):
    w = square_window
    table = open_table(qtbot, w, "dots")
    column = table.model.columns.index("name")
    editor = cell_editor(qtbot, table, 0, column)
    type_hangul(editor, "마곡 거점")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call
    assert w.stack.get("dots").data["name"].iloc[0] == "마곡 거점"
    assert table.model.index(0, column).data() == "마곡 거점"
    w.undo_stack.undo()
    assert w.stack.get("dots").data["name"].iloc[0] == "초록점"
    assert table.model.index(0, column).data() == "초록점"


def test_sites_edit_through_the_site_commands_and_other_layers_are_read_only(qtbot, gvalley):
    w, _cx, _cy = gvalley
    table = open_table(qtbot, w, "sites")
    column = table.model.columns.index("name")
    editor = cell_editor(qtbot, table, 0, column)
    qtbot.keyClicks(editor, "Lot A")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call
    assert w.stack.get("sites").data["name"].iloc[0] == "Lot A"
    assert w.undo_stack.undoText().startswith("Rename site")
    w.undo_stack.undo()
    assert w.stack.get("sites").data["name"].iloc[0] == "Site 1"
    # a number field refuses text, with a note
    radius = table.model.columns.index("radius_m")
    assert not table.model.setData(table.model.index(0, radius), "far")
    assert w.stack.get("sites").data["radius_m"].isna().iloc[0]
    # a bundled layer's table is read-only
    stations = w.desk.tables.open(w.stack.get("stations"))
    assert not stations.model.flags(stations.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_a_selected_site_stays_selected_when_sites_are_added_or_removed(qtbot, gvalley):
    w, cx, cy = gvalley  # Site 1: a polygon in G-Valley
    press = lambda key: (w.activateWindow(), w.canvas.setFocus(), qtbot.keyClick(w.canvas, key))  # noqa: E731
    at = lambda x, y: w.canvas.map_to_screen(x, y).toPoint()  # noqa: E731
    press(Qt.Key.Key_P)
    for dx in (600, 900):
        qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(cx + dx, cy + 400))
    sites = w.stack.get("sites")
    assert sites.data["name"].tolist() == ["Site 1", "Site 2", "Site 3"]
    table = open_table(qtbot, w, "sites")
    name = table.model.columns.index("name")
    row = next(
        r for r in range(table.model.rowCount()) if table.model.index(r, name).data() == "Site 2"
    )
    qtbot.mouseClick(
        table.view.viewport(), Qt.MouseButton.LeftButton, pos=cell_pos(table, row, name)
    )

    def selected_names():
        return sites.data["name"].iloc[w.desk.selection.rows(sites)].tolist()

    assert selected_names() == ["Site 2"]
    # a site added on the map: Site 2 stays selected
    press(Qt.Key.Key_P)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(cx - 700, cy - 400))
    assert len(sites.data) == 4 and selected_names() == ["Site 2"]
    # Site 1 deleted (Edit tool, click, Delete): the rows renumber, Site 2 stays selected
    press(Qt.Key.Key_E)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(cx, cy))
    qtbot.keyClick(w.canvas, Qt.Key.Key_Delete)
    assert "Site 1" not in sites.data["name"].tolist()
    assert selected_names() == ["Site 2"]
    # and the table shows it selected
    shown = [
        table.model.index(i.row(), name).data() for i in table.view.selectionModel().selectedRows()
    ]
    assert shown == ["Site 2"]
