"""Coverage areas of role layers in the GUI: the import dialog, the layer properties, the
layers panel's tooltip (real dialogs, real mouse and key events)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QRadioButton

from app.core.indicators.engine import COLUMNS
from app.core.project.coverage import Coverage, saved_coverage
from app.ui.layers.properties import LayerPropertiesDialog
from app.ui.layers.tree_model import LayerTreeModel
from tests.ui.layers.test_add_layer import _close_messages

#: The core engine marks values outside a layer's coverage as unknown (issue 12).
ENGINE_KNOWS_COVERAGE = "startups_coverage" in COLUMNS


def _centre(window, district_id):
    districts = window.stack.get("districts").data
    shape = districts[districts.district_id == district_id].geometry.iloc[0]
    return shape.representative_point()


def write_magok_startups(window, folder, n=30):
    """A GeoJSON of start-ups that all lie in Magok (EPSG:5186)."""
    centre = _centre(window, "magok")
    rng = np.random.default_rng(3)
    frame = gpd.GeoDataFrame(
        {
            "name": [f"마곡스타트업{i}" for i in range(n)],
            "sector": ["AI/Data", "Bio/Health"] * (n // 2),
            "employees": list(range(1, n + 1)),
        },
        geometry=shapely.points(
            centre.x + rng.uniform(-120, 120, n), centre.y + rng.uniform(-120, 120, n)
        ),
        crs="EPSG:5186",
    )
    path = folder / "magok_startups.geojson"
    pyogrio.write_dataframe(frame, path)
    return path


def _click(qtbot, widget):
    """Click a button (a radio button on its indicator, which a click anywhere may miss)."""
    pos = widget.rect().center()
    if isinstance(widget, QRadioButton):
        pos = QPoint(8, widget.height() // 2)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def _check_item(qtbot, box, text):
    """Tick the list entry whose text starts with ``text`` (keyboard: select, Space)."""
    row = next(r for r in range(box.count()) if box.item(r).text().startswith(text))
    box.setFocus()
    box.setCurrentRow(row)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    return box.item(row)


def _tooltip(window, layer):
    model: LayerTreeModel = window.layer_panel.model
    index = model.index(window.stack.names().index(layer.name), 0)
    return model.data(index, Qt.ItemDataRole.ToolTipRole)


def test_import_preselects_where_the_features_fall_and_undo_takes_both_back(
    main_window, qtbot, tmp_path
):
    window = main_window
    path = write_magok_startups(window, tmp_path)
    before = window.stack.names()
    dialog = window.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    assert not dialog.coverage_group.isVisible()  # no role: no coverage
    # the user picks the start-up role with the keyboard
    dialog.role_box.setFocus()
    with qtbot.waitSignal(dialog.located, timeout=20_000):
        qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    assert dialog.role_box.currentData() == "startups"
    editor = dialog.coverage_editor
    assert dialog.coverage_group.isVisible()
    assert editor.coverage() == Coverage("districts", ("magok",))
    assert "Magok" in editor.default_label.text()
    assert editor.buttons["districts"].isChecked() and editor.district_list.isVisible()
    checked = [
        editor.district_list.item(r).text()
        for r in range(editor.district_list.count())
        if editor.district_list.item(r).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["Magok"]
    assert not editor.buttons["polygons"].isVisible()  # only for zoning
    assert not editor.reset_button.isEnabled()
    # whole map, then back to the default with the reset button
    _click(qtbot, editor.buttons["map"])
    assert editor.coverage().whole_map and not editor.district_list.isVisible()
    assert dialog.coverage_choice() == Coverage()
    assert editor.reset_button.isEnabled()
    _click(qtbot, editor.reset_button)
    assert editor.coverage() == Coverage("districts", ("magok",))
    assert dialog.coverage_choice() is None  # the default: where the features fall
    # add it: the layer and its coverage arrive together
    count = len(window.stack)
    with qtbot.waitSignal(window.importer.layerAdded, timeout=20_000) as blocker:
        _click(qtbot, dialog.ok_button)
    layer = blocker.args[0]
    assert len(window.stack) == count + 1
    extra = window.project.settings.extra
    assert saved_coverage(extra, layer.name) == Coverage("districts", ("magok",))
    assert "Covers: Magok" in _tooltip(window, layer)
    assert "Covers" not in _tooltip(window, window.stack.get("districts"))
    # one undo step removes the layer and its coverage record
    _close_messages(window, qtbot)  # "Layer added with notes", if any
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.names() == before
    assert saved_coverage(window.project.settings.extra, layer.name) is None
    assert window.roles == {}
    qtbot.keyClick(
        window.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert layer.name in window.stack.names()
    assert saved_coverage(window.project.settings.extra, layer.name) == Coverage(
        "districts", ("magok",)
    )


def test_a_coverage_chosen_in_the_dialog_is_the_one_saved(main_window, qtbot, tmp_path):
    window = main_window
    path = write_magok_startups(window, tmp_path)
    dialog = window.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    dialog.role_box.setFocus()
    with qtbot.waitSignal(dialog.located, timeout=20_000):
        qtbot.keyClick(dialog.role_box, Qt.Key.Key_Down)
    editor = dialog.coverage_editor
    _click(qtbot, editor.buttons["dongs"])
    assert editor.dong_search.isVisible()
    qtbot.keyClicks(editor.dong_search, "gasan")  # the romanised name finds it too
    visible = [
        editor.dong_list.item(r).text()
        for r in range(editor.dong_list.count())
        if not editor.dong_list.item(r).isHidden()
    ]
    assert visible and all("Gasan" in text for text in visible)
    assert any(text.startswith("가산동") for text in visible)
    _check_item(qtbot, editor.dong_list, "가산동")
    code = next(
        str(item.data(Qt.ItemDataRole.UserRole))
        for r in range(editor.dong_list.count())
        if (item := editor.dong_list.item(r)).checkState() == Qt.CheckState.Checked
    )
    assert editor.coverage() == Coverage("dongs", (code,))
    assert "가산동" in editor.summary.text()
    with qtbot.waitSignal(window.importer.layerAdded, timeout=20_000) as blocker:
        _click(qtbot, dialog.ok_button)
    layer = blocker.args[0]
    assert saved_coverage(window.project.settings.extra, layer.name) == Coverage("dongs", (code,))
    assert "가산동" in _tooltip(window, layer)


def _properties(window, qtbot, layer) -> LayerPropertiesDialog:
    window.layer_panel.select_layer(layer)
    window.actions_by_name["actionLayerProperties"].trigger()
    dialogs = [d for d in window.findChildren(LayerPropertiesDialog) if d.isVisible()]
    assert dialogs
    qtbot.waitExposed(dialogs[-1])
    return dialogs[-1]


@pytest.mark.parametrize("layer_name", ["startups"])
def test_properties_change_a_default_layers_coverage_as_one_undo_step(gvalley, qtbot, layer_name):
    window, cx, cy = gvalley
    layer = window.stack.get(layer_name)
    card = window.indicators_panel
    before_n = card.card_values()["startups_n"]
    assert before_n not in ("unknown", "—")
    assert "Covers: whole map" in _tooltip(window, layer)
    dialog = _properties(window, qtbot, layer)
    editor = dialog.coverage_editor
    assert editor is not None and editor.coverage().whole_map
    assert "whole map — a layer of the project" in editor.default_label.text()
    assert not dialog.apply_button.isEnabled()  # nothing changed yet
    _click(qtbot, editor.buttons["districts"])
    _check_item(qtbot, editor.district_list, "Magok")
    assert editor.coverage() == Coverage("districts", ("magok",))
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(window.indicators.resultsChanged, timeout=20_000):
        _click(qtbot, dialog.apply_button)  # computed again, as a role change is
    assert saved_coverage(window.project.settings.extra, layer_name) == Coverage(
        "districts", ("magok",)
    )
    assert window.undo_stack.undoText().startswith("Set coverage")
    assert "Magok" in dialog.browser.toPlainText()
    assert "Covers: Magok" in _tooltip(window, layer)
    window.indicators.wait()
    if ENGINE_KNOWS_COVERAGE:  # a G-Valley site is outside a Magok-only start-up layer
        assert card.card_values()["startups_n"] == "unknown"
    # undo: the whole map again, in the settings, the dialog and the card
    with qtbot.waitSignal(window.indicators.resultsChanged, timeout=20_000):
        window.actions_by_name["actionUndo"].trigger()
    window.indicators.wait()
    assert saved_coverage(window.project.settings.extra, layer_name) is None
    assert editor.coverage().whole_map and not dialog.apply_button.isEnabled()
    assert card.card_values()["startups_n"] == before_n
    window.actions_by_name["actionRedo"].trigger()
    window.indicators.wait()
    assert editor.coverage() == Coverage("districts", ("magok",))
    if ENGINE_KNOWS_COVERAGE:
        assert card.card_values()["startups_n"] == "unknown"
    # saved with the project: the record is in the settings the store writes
    assert window.project.dirty
    dialog.close()
    QApplication.processEvents()


def test_layers_that_play_no_role_have_no_coverage_editor(main_window, qtbot):
    window = main_window
    dialog = _properties(window, qtbot, window.stack.get("districts"))
    assert dialog.coverage_editor is None and dialog.apply_button is None
    assert "Covers" not in _tooltip(window, window.stack.get("districts"))
    dialog.close()


def test_zoning_offers_its_own_polygons(main_window, qtbot):
    window = main_window
    dialog = _properties(window, qtbot, window.stack.get("zoning"))
    editor = dialog.coverage_editor
    assert editor.buttons["polygons"].isVisible()
    _click(qtbot, editor.buttons["polygons"])
    _click(qtbot, dialog.apply_button)
    assert saved_coverage(window.project.settings.extra, "zoning") == Coverage("polygons")
    assert "Covers: the layer's own polygons" in _tooltip(window, window.stack.get("zoning"))
    dialog.close()
