"""Sketching and editing sites with real mouse and key events, in map coordinates."""

import math

import pytest
import shapely
from PySide6.QtCore import QPoint, QRectF, Qt

# The square_window map: squares 0..1000 m; these points are far from every edge.
A, B, C, D = (300.0, 300.0), (700.0, 300.0), (700.0, 700.0), (300.0, 700.0)


def at(window, xy) -> QPoint:
    return window.canvas.map_to_screen(*xy).toPoint()


def click(qtbot, window, xy, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(window.canvas, button, pos=at(window, xy))


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.canvas, k, modifier)


def drag(qtbot, window, start, end, steps=4):
    canvas = window.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(window, start))
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i / steps
        y = start[1] + (end[1] - start[1]) * i / steps
        qtbot.mouseMove(canvas, at(window, (x, y)))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(window, end))


def sites(window):
    return window.stack.get("sites").data


def use(qtbot, window, shortcut):
    """Pick a tool with its keyboard shortcut, as a user would."""
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window, shortcut)


@pytest.fixture
def w(square_window):
    square_window.actions_by_name["actionSnapping"].setChecked(False)
    return square_window


def test_point_site_with_catchment(qtbot, w):
    use(qtbot, w, Qt.Key.Key_P)
    assert w.canvas.tool is w.point_tool
    click(qtbot, w, A)
    data = sites(w)
    assert len(data) == 1
    row = data.iloc[0]
    assert row["kind"] == "point" and row["name"] == "Site 1"
    assert math.isnan(row["radius_m"])  # follows the project radius (800 m)
    point = row.geometry
    assert point.distance(shapely.Point(A)) < 2 * w.canvas.viewport.resolution
    assert w.sites_panel.model.rowCount() == 1
    assert w.editing.selected == row["site_id"]


def test_polygon_backspace_and_enter(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    for xy in (A, B, (900.0, 900.0)):
        click(qtbot, w, xy)
    key(qtbot, w, Qt.Key.Key_Backspace)  # drop the stray corner
    assert len(w.polygon_tool.vertices) == 2
    click(qtbot, w, C)
    click(qtbot, w, D)
    assert w.polygon_tool.bar.isVisible()
    key(qtbot, w, Qt.Key.Key_Return)
    data = sites(w)
    assert len(data) == 1 and data.iloc[0]["kind"] == "polygon"
    polygon = data.geometry.iloc[0]
    assert polygon.area == pytest.approx(400 * 400, rel=0.02)
    assert not w.polygon_tool.vertices and not w.polygon_tool.bar.isVisible()


def test_double_click_finishes_a_polygon(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    for xy in (A, B, C):
        click(qtbot, w, xy)
    qtbot.mouseDClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, C))
    assert len(sites(w)) == 1
    assert len(shapely.get_coordinates(sites(w).geometry.iloc[0])) == 4  # 3 corners + closing


def test_escape_pauses_and_a_click_resumes_then_escape_twice_discards(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    click(qtbot, w, B)
    key(qtbot, w, Qt.Key.Key_Escape)
    tool = w.polygon_tool
    assert tool.paused and len(tool.vertices) == 2  # nothing lost
    click(qtbot, w, C)  # resumes
    assert not tool.paused and len(tool.vertices) == 3
    key(qtbot, w, Qt.Key.Key_Escape)
    key(qtbot, w, Qt.Key.Key_Escape)
    assert tool.vertices == [] and len(sites(w)) == 0
    assert "discarded" in w.editing.last_message
    # not lost even then: Ctrl+Z brings the three corners back, paused; Enter resumes
    assert "Discard sketch" in w.actions_by_name["actionUndo"].text()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(tool.vertices) == 3 and tool.paused
    key(qtbot, w, Qt.Key.Key_Enter)
    key(qtbot, w, Qt.Key.Key_Enter)
    assert len(sites(w)) == 1


def test_right_click_and_switching_tools_never_lose_the_sketch(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    click(qtbot, w, B)
    click(qtbot, w, C, Qt.MouseButton.RightButton)
    assert len(w.polygon_tool.vertices) == 2
    use(qtbot, w, Qt.Key.Key_P)  # another tool
    use(qtbot, w, Qt.Key.Key_G)  # back: the sketch is still there, paused
    assert len(w.polygon_tool.vertices) == 2 and w.polygon_tool.paused
    click(qtbot, w, C)
    key(qtbot, w, Qt.Key.Key_Enter)
    assert len(sites(w)) == 1


def test_finish_and_discard_buttons(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    click(qtbot, w, A)
    click(qtbot, w, B)
    bar = w.polygon_tool.bar
    assert not bar.finish.isEnabled()  # two corners cannot make a site
    click(qtbot, w, C)
    qtbot.mouseClick(bar.finish, Qt.MouseButton.LeftButton)
    assert len(sites(w)) == 1
    click(qtbot, w, A)
    qtbot.mouseClick(bar.discard, Qt.MouseButton.LeftButton)
    assert w.polygon_tool.vertices == [] and len(sites(w)) == 1


def test_collinear_polygon_is_refused_and_kept(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    for xy in (A, (500.0, 300.0), B):
        click(qtbot, w, xy)
    key(qtbot, w, Qt.Key.Key_Return)
    assert len(sites(w)) == 0
    assert "Cannot make a site" in w.editing.last_message
    assert len(w.polygon_tool.vertices) == 3  # the user can fix it


def test_self_intersecting_polygon_is_repaired_with_a_message(qtbot, w):
    use(qtbot, w, Qt.Key.Key_G)
    for xy in (A, C, B, D):  # a bow tie
        click(qtbot, w, xy)
    key(qtbot, w, Qt.Key.Key_Return)
    geometry = sites(w).geometry.iloc[0]
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon"
    assert "repaired" in w.editing.last_message


def test_rectangle_and_circle_by_dragging(qtbot, w):
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, C)
    rect = sites(w).geometry.iloc[0]
    assert rect.area == pytest.approx(400 * 400, rel=0.02)
    use(qtbot, w, Qt.Key.Key_C)
    drag(qtbot, w, (500.0, 500.0), (600.0, 500.0))
    circle = sites(w).geometry.iloc[1]
    assert circle.area == pytest.approx(3.14159 * 100**2, rel=0.03)
    assert len(shapely.get_coordinates(circle)) == 65  # 16 segments per quarter
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, A, steps=1)  # a click, not a drag: refused
    assert len(sites(w)) == 2 and "no area" in w.editing.last_message


def test_undo_redo_every_kind_of_edit(qtbot, w):
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, C)
    site_id = sites(w)["site_id"].iloc[0]
    undo = w.actions_by_name["actionUndo"]
    assert "Add site" in undo.text()
    # rename through the panel's model, as an edited cell does
    model = w.sites_panel.model
    model.setData(model.index(0, 0), "마곡 혁신센터")
    assert sites(w)["name"].iloc[0] == "마곡 혁신센터"
    assert "Rename" in undo.text()
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sites(w)["name"].iloc[0] == "Site 1"
    qtbot.keyClick(
        w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert sites(w)["name"].iloc[0] == "마곡 혁신센터"
    w.editing.select(site_id)
    w.actions_by_name["actionDeleteSite"].trigger()
    assert len(sites(w)) == 0
    w.undo_stack.undo()
    assert sites(w)["name"].iloc[0] == "마곡 혁신센터"
    while w.undo_stack.canUndo():
        w.undo_stack.undo()
    assert len(sites(w)) == 0
    while w.undo_stack.canRedo():
        w.undo_stack.redo()
    assert len(sites(w)) == 0  # add, rename, delete all redone
    w.undo_stack.undo()
    assert len(sites(w)) == 1 and sites(w)["name"].iloc[0] == "마곡 혁신센터"


def test_edit_tool_moves_and_consecutive_moves_merge(qtbot, w):
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, C)
    before = sites(w).geometry.iloc[0]
    use(qtbot, w, Qt.Key.Key_E)
    drag(qtbot, w, (500.0, 500.0), (550.0, 500.0))
    drag(qtbot, w, (550.0, 500.0), (550.0, 450.0))
    after = sites(w).geometry.iloc[0]
    shift = (after.centroid.x - before.centroid.x, after.centroid.y - before.centroid.y)
    assert shift == pytest.approx((50.0, -50.0), abs=3 * w.canvas.viewport.resolution)
    assert w.undo_stack.count() == 2  # add + one merged move
    w.undo_stack.undo()
    assert sites(w).geometry.iloc[0].equals(before)


def test_vertex_drag_add_and_delete(qtbot, w):
    use(qtbot, w, Qt.Key.Key_R)
    drag(qtbot, w, A, C)
    use(qtbot, w, Qt.Key.Key_E)
    click(qtbot, w, (500.0, 500.0))  # select
    drag(qtbot, w, C, (800.0, 800.0))  # move a corner
    geometry = sites(w).geometry.iloc[0]
    assert shapely.Point(800, 800).distance(geometry) < 3 * w.canvas.viewport.resolution
    corners = len(shapely.get_coordinates(geometry)) - 1
    qtbot.mouseDClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, (500.0, 300.0)))
    assert len(shapely.get_coordinates(sites(w).geometry.iloc[0])) - 1 == corners + 1
    qtbot.mouseMove(w.canvas, at(w, (500.0, 300.0)))  # hover the new corner
    key(qtbot, w, Qt.Key.Key_Delete)
    assert len(shapely.get_coordinates(sites(w).geometry.iloc[0])) - 1 == corners
    assert len(sites(w)) == 1
    qtbot.mouseMove(w.canvas, at(w, (450.0, 450.0)))  # no corner under the cursor
    key(qtbot, w, Qt.Key.Key_Delete)
    assert len(sites(w)) == 0
    assert w.undo_stack.undoText().startswith("Delete site")


def test_selection_follows_between_map_and_panel(qtbot, w):
    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, A)
    click(qtbot, w, C)
    table = w.sites_panel.table
    first = sites(w)["site_id"].iloc[0]
    use(qtbot, w, Qt.Key.Key_E)
    click(qtbot, w, A)
    assert w.editing.selected == first
    assert [i.row() for i in table.selectionModel().selectedRows()] == [0]
    rect = table.visualRect(w.sites_panel.model.index(1, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.editing.selected == sites(w)["site_id"].iloc[1]


def test_snapping_to_a_vertex_and_toggle(qtbot, w):
    w.actions_by_name["actionSnapping"].setChecked(True)
    w.canvas.zoom_to_extent((-200, -200, 400, 400), margin=0)
    use(qtbot, w, Qt.Key.Key_P)
    near = w.canvas.map_to_screen(0.0, 0.0).toPoint() + QPoint(4, -3)
    qtbot.mouseMove(w.canvas, near)
    assert w.point_tool.snap_result is not None and w.point_tool.snap_result.kind == "vertex"
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=near)
    assert sites(w).geometry.iloc[0].equals(shapely.Point(0, 0))  # exactly the corner
    qtbot.keyClick(w, Qt.Key.Key_S)  # snapping off
    assert not w.editing.snapping
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=near)
    assert not sites(w).geometry.iloc[1].equals(shapely.Point(0, 0))


def test_panel_edits_radius_and_refuses_bad_numbers(qtbot, w):
    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, A)
    model = w.sites_panel.model
    radius = model.index(0, 2)
    assert model.setData(radius, "1,200")
    assert sites(w)["radius_m"].iloc[0] == 1200.0
    assert not model.setData(radius, "far")
    assert "number" in w.editing.last_message
    assert not model.setData(radius, "-5")
    assert sites(w)["radius_m"].iloc[0] == 1200.0


def test_unfinished_sketch_is_saved_and_restored_paused(qtbot, main_window, tmp_path):
    from app.core.project.store import open_project
    from app.ui.window.main_window import MainWindow

    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    use(qtbot, w, Qt.Key.Key_G)
    for pos in (QPoint(300, 300), QPoint(420, 300), QPoint(420, 400)):
        qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert len(w.polygon_tool.vertices) == 3
    assert w.isWindowModified()  # an unfinished sketch counts as unsaved work
    path = tmp_path / "sketch.gpkg"
    assert w.project.save_to(path)
    project = open_project(path)
    again = MainWindow(project.stack, path, project.settings)
    try:
        assert [tuple(v) for v in again.polygon_tool.vertices] == [
            tuple(v) for v in w.polygon_tool.vertices
        ]
        assert again.polygon_tool.paused
    finally:
        again.project._set_clean()
        again.close()
        again.deleteLater()


def assert_sketch_bar_usable(qtbot, window):
    """Every button of the paused sketch bar is whole on the map, not under the north
    arrow, and a click on Resume then on Discard does what it says."""
    from app.ui.canvas.render.decorations import north_arrow_rect

    canvas, tool = window.canvas, window.polygon_tool
    bar = tool.bar
    assert bar.isVisible() and tool.paused
    arrow = north_arrow_rect(canvas.width(), canvas.decoration_scale, canvas.decoration_top)
    assert not QRectF(bar.geometry()).intersects(arrow)
    for widget in (bar.label, *bar.buttons):
        rect = widget.geometry().translated(bar.pos())
        assert canvas.rect().contains(rect), (widget.text(), rect, canvas.rect())
        assert widget.width() >= widget.sizeHint().width() or widget is bar.label
        # Nothing lies over the button: a click at its centre reaches it.
        assert canvas.childAt(rect.center()) is widget
    assert bar.pause.text() == "Resume" and "Enter" in bar.pause.toolTip()
    qtbot.mouseClick(bar.pause, Qt.MouseButton.LeftButton)
    assert not tool.paused and bar.pause.text() == "Pause"
    qtbot.mouseClick(bar.discard, Qt.MouseButton.LeftButton)
    assert tool.vertices == [] and not bar.isVisible()


def sketch_and_pause(qtbot, window, points):
    use(qtbot, window, Qt.Key.Key_G)
    for point in points:
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=point)
    key(qtbot, window, Qt.Key.Key_Escape)


def test_sketch_bar_fits_a_narrow_map_at_1000x700(qtbot, w):
    assert w.width() == 1000 and w.canvas.width() < 500  # docks on both sides
    sketch_and_pause(qtbot, w, [at(w, A), at(w, B), at(w, C)])
    bar = w.polygon_tool.bar
    # The long paused text has a row of its own above the buttons.
    assert bar.label.geometry().bottom() < bar.finish.geometry().top()
    assert_sketch_bar_usable(qtbot, w)


def test_sketch_bar_fits_the_real_window_at_1280x800(qtbot, main_window):
    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    centre = w.canvas.rect().center()
    sketch_and_pause(qtbot, w, [centre, centre + QPoint(60, 0), centre + QPoint(60, 60)])
    assert_sketch_bar_usable(qtbot, w)
    # A narrower map (the window made smaller): the bar fits itself again.
    sketch_and_pause(qtbot, w, [centre, centre + QPoint(60, 0)])
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: w.canvas.width() < 500, timeout=2000)
    qtbot.wait(20)
    assert_sketch_bar_usable(qtbot, w)
