"""File → Add layer (and dropping on the map) recognises the official datasets and says
what it found; role, name, encoding and the knowledge-based KSIC filter stay editable;
the whole file is read in a worker with progress and Cancel. Real files (the fixtures of
tests/data/datasets), real clicks and keys."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.core.datasets.project_import import dataset_of
from app.core.project.coverage import saved_coverage
from layers.provenance import DataStatus
from tests.ui.layers.test_add_layer import _close_messages

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "datasets"


def _ask_dataset(window, qtbot, path):
    dialog = window.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    panel = dialog.dataset_panel
    qtbot.waitUntil(lambda: panel.result is not None or bool(panel.problem), timeout=20_000)
    return dialog


def _accept(window, qtbot, dialog):
    assert dialog.ok_button.isEnabled(), dialog.problem.text()
    with qtbot.waitSignal(window.importer.layerAdded, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_semas_is_recognised_filtered_and_added_as_real_start_ups(main_window, qtbot, tmp_path):
    window = main_window
    path = tmp_path / "download.csv"  # recognised by its header, not its name
    shutil.copy(FIXTURES / "store_info_seoul_202403.csv", path)
    before = window.stack.names()
    dialog = _ask_dataset(window, qtbot, path)
    panel = dialog.dataset_panel
    assert panel.isVisible() and "상가(상권)정보" in panel.found_label.text()
    assert "60 rows" in panel.found_label.text()
    assert panel.summary_label.text().startswith(
        "상가(상권)정보, 60 rows, 40 in the study area, 20 knowledge-based"
    )
    assert dialog.role_box.currentData() == "startups"
    assert not dialog.mapping_group.isVisible()  # mapped by the dataset's schema
    # the filter is edited with the keyboard: only software firms (J62, J582)
    panel.ksic_edit.setFocus()
    panel.ksic_edit.selectAll()
    qtbot.keyClicks(panel.ksic_edit, "J62, J582")
    with qtbot.waitSignal(panel.read, timeout=20_000):
        qtbot.keyClick(panel.ksic_edit, Qt.Key.Key_Return)
    kept = panel.result.layers[0].counts["kept"]
    assert 0 < kept < 20 and f"{kept} knowledge-based" in panel.summary_label.text()
    layer = _accept(window, qtbot, dialog)
    _close_messages(window, qtbot)
    assert set(layer.data["sector"]) == {"ICT/SW"}
    assert window.roles["startups"] == layer.name
    assert layer.provenance.status is DataStatus.REAL
    assert "J62, J582" in layer.provenance.notes
    assert dataset_of(window.project.settings.extra, layer.name) == "semas"
    assert saved_coverage(window.project.settings.extra, layer.name).mode == "districts"
    assert "Start-ups (synthetic)" not in window.data_label.text()
    assert "상가(상권)정보" in window.statusBar().currentMessage()
    # one undo step takes it away and brings the synthetic start-ups back
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.names() == before
    assert window.stack.get("startups").visible and window.roles.get("startups") is None


def test_a_bad_ksic_filter_says_why_and_blocks_add(main_window, qtbot):
    dialog = _ask_dataset(main_window, qtbot, FIXTURES / "store_info_seoul_202403.csv")
    panel = dialog.dataset_panel
    panel.ksic_edit.setFocus()
    panel.ksic_edit.selectAll()
    qtbot.keyClicks(panel.ksic_edit, "J62, software")
    qtbot.keyClick(panel.ksic_edit, Qt.Key.Key_Return)
    assert not dialog.ok_button.isEnabled()
    assert "not a KSIC code: 'software'" in dialog.problem.text()
    panel.ksic_edit.selectAll()
    qtbot.keyClicks(panel.ksic_edit, "J")
    with qtbot.waitSignal(panel.read, timeout=20_000):
        qtbot.keyClick(panel.ksic_edit, Qt.Key.Key_Return)
    assert dialog.ok_button.isEnabled()
    assert set(panel.result.layers[0].frame["표준산업분류코드"].str[0]) == {"J"}
    dialog.reject()


def test_unticking_the_dataset_gives_the_general_import(main_window, qtbot):
    window = main_window
    dialog = _ask_dataset(window, qtbot, FIXTURES / "store_info_seoul_202403.csv")
    panel = dialog.dataset_panel
    box = panel.use_check  # its tick box is at its left end
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not panel.active
    assert dialog.mapping_group.isVisible()
    assert dialog.mapping_boxes["name"].currentData() == "상호명"
    assert dialog.x_box.currentData() == "경도" and dialog.y_box.currentData() == "위도"
    layer = _accept(window, qtbot, dialog)
    _close_messages(window, qtbot)
    assert len(layer.data) == 60  # the whole file, not filtered
    assert layer.provenance.status is DataStatus.USER


def test_dropping_the_zoning_zip_adds_real_zoning(main_window, qtbot):
    window = main_window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(FIXTURES / "seoul_zoning_OA-21136.zip"))])
    centre = QPointF(window.canvas.width() / 2, window.canvas.height() / 2)
    enter = QDragEnterEvent(
        centre.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.canvas, enter)
    drop = QDropEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.canvas, drop)
    qtbot.waitUntil(lambda: window.importer.dialog is not None, timeout=5000)
    dialog = window.importer.dialog
    qtbot.waitUntil(lambda: dialog.dataset_panel.result is not None, timeout=20_000)
    assert (
        "용도지역, 40 polygons, 32 in the study area" in dialog.dataset_panel.summary_label.text()
    )
    assert dialog.encoding_box.currentData() == "CP949"
    assert "EPSG:5174" in dialog.crs_label.text()
    layer = _accept(window, qtbot, dialog)
    _close_messages(window, qtbot)
    assert window.roles["zoning"] == layer.name
    assert "unknown zone (UQA999)" in set(layer.data["zone_type"])
    assert saved_coverage(window.project.settings.extra, layer.name).mode == "polygons"
    assert not window.stack.get("zoning").visible


def test_an_old_release_says_what_is_missing_and_imports_nothing_by_itself(main_window, qtbot):
    window = main_window
    dialog = window.importer.ask(FIXTURES / "store_info_2015_release.csv")
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    panel = dialog.dataset_panel
    assert panel.isVisible() and not panel.active
    assert "lacks 표준산업분류코드" in panel.found_label.text()
    assert not panel.use_check.isVisible()
    dialog.reject()


def test_cancel_while_reading_the_dataset_adds_nothing(main_window, qtbot, tmp_path):
    import pandas as pd

    window = main_window
    rows = pd.read_csv(FIXTURES / "store_info_seoul_202403.csv", dtype=str)
    big = pd.concat([rows] * 3000, ignore_index=True)  # 180 000 rows
    path = tmp_path / "seoul_big.csv"
    big.to_csv(path, index=False)
    before = window.stack.names()
    dialog = window.importer.ask(path)
    panel = dialog.dataset_panel
    qtbot.waitUntil(lambda: panel.task is not None, timeout=20_000)
    assert panel.stop_button.isVisible() and panel.progress.isVisible()
    assert not dialog.ok_button.isEnabled()
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert panel.task is None and panel.result is None
    assert "cancelled" in panel.summary_label.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert window.importer.dialog is None
    assert window.stack.names() == before


def test_nps_after_semas_adds_workplaces_per_dong_and_matches_the_start_ups(main_window, qtbot):
    window = main_window
    dialog = _ask_dataset(window, qtbot, FIXTURES / "store_info_seoul_202403.csv")
    firms = _accept(window, qtbot, dialog)
    _close_messages(window, qtbot)
    dialog = _ask_dataset(window, qtbot, FIXTURES / "nps_workplaces_202403.csv")
    assert dialog.role_box.currentData() is None  # a context layer
    assert not dialog.crs_box.isVisible() and not dialog.x_box.isVisible()  # joined by code
    assert "joined to" in dialog.dataset_panel.summary_label.text()
    per_dong = _accept(window, qtbot, dialog)
    _close_messages(window, qtbot)
    assert per_dong.data.set_index("name").loc["가산동", "nps_employees"] == 47
    assert firms.data["nps_matched"].sum() == 16
    assert "matched 16 of 20 start-ups (80%)" in window.statusBar().currentMessage()
    # one undo takes the workplaces away and the start-ups lose their match
    window.undo_stack.undo()
    assert per_dong.name not in window.stack.names()
    assert "nps_matched" not in firms.data.columns
