"""File → Add layer… and drag and drop: real files, real dialog, real key and mouse events."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.project.store import open_project
from app.ui import worker

GASAN = (189_900.0, 542_300.0)  # EPSG:5186, inside G-Valley


def _points(n, centre=GASAN, spread=300.0, seed=1):
    rng = np.random.default_rng(seed)
    return shapely.points(
        centre[0] + rng.uniform(-spread, spread, n), centre[1] + rng.uniform(-spread, spread, n)
    )


def write_cp949_startups(folder, n=12):
    """A Korean start-up shapefile as portals ship it: CP949 text, no .cpg file."""
    frame = gpd.GeoDataFrame(
        {
            "상호": [f"가산스타트업{i}" for i in range(n)],
            "업종": ["AI/Data"] * (n // 2) + ["Bio/Health"] * (n - n // 2),
            "종사자수": list(range(1, n + 1)),
        },
        geometry=_points(n),
        crs="EPSG:5186",
    )
    path = folder / "startups_cp949.shp"
    pyogrio.write_dataframe(frame, path, encoding="CP949")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    return path, frame


def ask(window, qtbot, path):
    """Open the import dialog for ``path`` and wait until it shows the chosen layer."""
    dialog = window.importer.ask(path)
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    return dialog


def _finish_import(window, qtbot):
    """Accept the open import dialog with Enter and wait until the layer is added."""
    dialog = window.importer.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.ok_button.isEnabled(), dialog.problem.text()
    count = len(window.stack)
    with qtbot.waitSignal(window.importer.layerAdded, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert len(window.stack) == count + 1
    return blocker.args[0]


def _message_boxes(window):
    return [w for w in window.findChildren(QMessageBox) if w.isVisible()]


def _close_messages(window, qtbot=None):
    """Press OK on the open message boxes and give the focus back to the map."""
    for box in _message_boxes(window):
        qtbot.mouseClick(
            box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        ) if qtbot else box.done(0)
    if qtbot is not None:
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=3000)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def test_cp949_shapefile_is_detected_previewed_and_added(main_window, qtbot, tmp_path):
    path, frame = write_cp949_startups(tmp_path)
    window = main_window
    before = window.stack.names()
    dialog = ask(window, qtbot, path)
    assert dialog.encoding_box.currentData() == "CP949"
    assert "CP949" in dialog.encoding_note.text() and dialog.encoding_note.isVisible()
    model = dialog.table_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "상호" in headers
    assert model.item(0, headers.index("상호")).text() == "가산스타트업0"
    # the user tries UTF-8: the preview shows it is wrong (garbled or refused)
    dialog.encoding_box.setFocus()
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):  # read again, in a worker
        qtbot.keyClick(dialog.encoding_box, Qt.Key.Key_Up)
    assert dialog.encoding_box.currentData() == "UTF-8"
    texts = (
        [
            model.item(r, c).text()
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        ]
        if model.rowCount()
        else []
    )
    assert "가산스타트업0" not in texts
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):
        qtbot.keyClick(dialog.encoding_box, Qt.Key.Key_Down)
    assert dialog.encoding_box.currentData() == "CP949"
    layer = _finish_import(window, qtbot)
    _close_messages(window, qtbot)
    assert window.stack.names() == ["sites", layer.name] + before[1:]
    assert sorted(layer.data["상호"]) == sorted(frame["상호"])
    assert layer.data.crs.to_epsg() == 5186
    # one undo step takes it away, redo brings it back
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.names() == before
    qtbot.keyClick(
        window.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert layer.name in window.stack.names()


def test_startups_role_changes_indicators_and_survives_save(main_window, qtbot, tmp_path):
    from app.core.sites import edits as site_ops

    window = main_window
    path, frame = write_cp949_startups(tmp_path, n=40)
    site_ops.insert_site(
        window.stack.get("sites"),
        site_ops.make_site(shapely.Point(*GASAN), "Gasan test site", 800.0),
    )
    window.indicators.wait()
    default_n = int(window.indicators.results["startups_n"].iloc[0])
    dialog = ask(window, qtbot, path)
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("startups"))
    assert dialog.mapping_boxes["sector"].currentData() == "업종"
    assert dialog.mapping_boxes["employees"].currentData() == "종사자수"
    layer = _finish_import(window, qtbot)
    _close_messages(window)
    assert window.roles == {"startups": layer.name}
    assert not window.stack.get("startups").visible  # the synthetic ones step aside
    assert "Start-ups (synthetic)" not in window.data_label.text()
    window.indicators.wait()
    row = window.indicators.results.iloc[0]
    assert int(row["startups_n"]) == 40 != default_n
    assert int(row["employees_sum"]) == sum(range(1, 41))
    assert row["top_sector"] in {"AI/Data", "Bio/Health"}
    # saved and opened again: the layer, its role and the indicators are back
    project = tmp_path / "with_import.gpkg"
    assert window.project.save_to(project)
    reopened = open_project(project)
    assert layer.name in reopened.stack.names() and not reopened.notes
    assert reopened.settings.roles() == {"startups": layer.name}
    again = reopened.stack.get(layer.name)
    assert sorted(again.data["상호"]) == sorted(frame["상호"])
    assert again.style == layer.style
    # undo gives the indicators their default start-ups back
    window.undo_stack.undo()
    window.indicators.wait()
    assert int(window.indicators.results["startups_n"].iloc[0]) == default_n
    assert window.roles == {}
    assert window.stack.get("startups").visible


def test_csv_without_crs_needs_a_crs_choice(main_window, qtbot, tmp_path):
    window = main_window
    path = tmp_path / "centres.csv"
    pd.DataFrame(
        {"name": ["A", "B"], "x": [GASAN[0], GASAN[0] + 100], "y": [GASAN[1], GASAN[1] + 50]}
    ).to_csv(path, index=False)
    dialog = ask(window, qtbot, path)
    assert dialog.x_box.currentData() == "x" and dialog.y_box.currentData() == "y"
    assert not dialog.ok_button.isEnabled() and "CRS" in dialog.problem.text()
    dialog.crs_box.setFocus()
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):
        qtbot.keyClick(dialog.crs_box, Qt.Key.Key_Down)  # first preset: EPSG:5186
    assert dialog.crs_box.currentData() == "EPSG:5186"
    layer = _finish_import(window, qtbot)
    xs = sorted(shapely.get_x(layer.data.geometry.values))
    assert xs == pytest.approx([GASAN[0], GASAN[0] + 100], abs=1e-6)


def test_dropping_a_geojson_on_the_map_adds_it(main_window, qtbot, tmp_path):
    window = main_window
    path = tmp_path / "plan.geojson"
    gpd.GeoDataFrame(
        {"name": ["계획부지"]},
        geometry=[shapely.box(126.88, 37.47, 126.89, 37.48)],
        crs="EPSG:4326",
    ).to_file(path, driver="GeoJSON")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = QPointF(window.canvas.width() / 2, window.canvas.height() / 2)
    enter = QDragEnterEvent(
        centre.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window.canvas, enter)
    assert enter.isAccepted()  # the map shows it takes the file
    drop = QDropEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.canvas.filesDropped, timeout=3000):
        QApplication.sendEvent(window.canvas, drop)
    qtbot.waitUntil(lambda: window.importer.dialog is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.importer.dialog.ready, timeout=20_000)
    layer = _finish_import(window, qtbot)
    assert layer.title_en == "plan" and layer.geometry_kind == "polygon"
    assert layer.data["name"].tolist() == ["계획부지"]


def test_multi_layer_geopackage_asks_which_layer(main_window, qtbot, tmp_path):
    window = main_window
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame({"name": ["p"]}, geometry=[shapely.Point(*GASAN)], crs="EPSG:5186").to_file(
        path, layer="points"
    )
    gpd.GeoDataFrame(
        {"name": ["q"]},
        geometry=[shapely.box(*GASAN, GASAN[0] + 10, GASAN[1] + 10)],
        crs="EPSG:5186",
    ).to_file(path, layer="boxes")
    dialog = ask(window, qtbot, path)
    assert dialog.layer_box.isVisible() and dialog.layer_box.count() == 2
    dialog.layer_box.setFocus()
    index = dialog.layer_box.findData("boxes")
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):
        qtbot.keyClick(
            dialog.layer_box,
            Qt.Key.Key_Down if index > dialog.layer_box.currentIndex() else Qt.Key.Key_Up,
        )
    assert dialog.layer_box.currentData() == "boxes"
    layer = _finish_import(window, qtbot)
    assert layer.geometry_kind == "polygon" and layer.data["name"].tolist() == ["q"]
    assert layer.title_en == "boxes"  # named after the chosen layer, not the first one


def test_remove_layer_is_undoable_and_default_layers_stay(main_window, qtbot, tmp_path):
    window = main_window
    path = tmp_path / "one.geojson"
    gpd.GeoDataFrame(
        {"name": ["x"]}, geometry=[shapely.Point(126.89, 37.48)], crs="EPSG:4326"
    ).to_file(path, driver="GeoJSON")
    ask(window, qtbot, path)
    layer = _finish_import(window, qtbot)
    window.layer_panel.select_layer(layer)
    window.actions_by_name["actionRemoveLayer"].trigger()
    assert layer.name not in window.stack.names()
    window.undo_stack.undo()
    assert layer.name in window.stack.names()
    window.layer_panel.select_layer(window.stack.get("zoning"))
    assert not window.remove_current_layer()
    assert "zoning" in window.stack.names()
    assert _message_boxes(window)
    _close_messages(window)


def test_cancel_while_reading_adds_nothing(main_window, qtbot, tmp_path):
    from app.core.project.layer_import import ImportRequest

    window = main_window
    path = tmp_path / "many.gpkg"
    n = 400_000
    pyogrio.write_dataframe(
        gpd.GeoDataFrame({"v": np.arange(n)}, geometry=_points(n, spread=3000), crs="EPSG:5186"),
        path,
    )
    before = window.stack.names()
    task = window.importer.start(ImportRequest(path, title="many"))
    task.cancel()
    assert worker.wait_all(30_000)
    qtbot.waitUntil(lambda: window.importer.task is None, timeout=5000)
    assert window.stack.names() == before
    assert "cancelled" in window.statusBar().currentMessage()


def test_bad_files_give_a_message_and_change_nothing(main_window, qtbot, tmp_path):
    from tests.bad_inputs import build_corpus

    window = main_window
    before = window.stack.names()
    frames = {layer.name: layer.data for layer in window.stack}
    undo_count = window.undo_stack.count()
    failures = []
    window.importer.importFailed.connect(failures.append)
    checked = 0
    for case in build_corpus(tmp_path / "corpus"):
        if case.expect != "error" or case.role or case.options is not None:
            continue  # (cases with options stand for choices the dialog offers as lists)
        checked += 1
        failures.clear()
        dialog = window.importer.ask(case.path)
        if dialog is not None:  # inspected in a worker: it fails or shows the layer
            qtbot.waitUntil(lambda d=dialog: bool(failures) or d.ready, timeout=20_000)
        if failures:  # refused (at once, or by the inspection): a message box says why
            assert _message_boxes(window), case.name
            assert window.importer.dialog is None, case.name
            _close_messages(window, qtbot)
            continue
        if dialog.ok_button.isEnabled():  # the dialog could not tell: the read refuses it
            with qtbot.waitSignal(window.importer.importFailed, timeout=20_000):
                qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
            assert _message_boxes(window), case.name
            _close_messages(window, qtbot)
        else:  # the dialog says what is wrong and does not let it through
            assert dialog.problem.text(), case.name
            dialog.reject()
        assert window.stack.names() == before, case.name
    assert checked >= 15
    assert window.undo_stack.count() == undo_count
    assert all(window.stack.get(name).data is frame for name, frame in frames.items())


def test_real_zoning_with_full_korean_names_drives_the_zoning_indicators(
    main_window, qtbot, tmp_path
):
    from app.core.sites import edits as site_ops

    window = main_window
    x, y = GASAN
    zones = gpd.GeoDataFrame(
        {"용도지역명": ["일반상업지역", "제2종일반주거지역(7층이하)"], "면적": [1.0, 2.0]},
        geometry=[
            shapely.box(x - 500, y - 500, x + 500, y + 500),
            shapely.box(x + 500, y - 500, x + 1500, y + 500),
        ],
        crs="EPSG:5186",
    )
    path = tmp_path / "real_zoning.shp"  # as a portal ships it: UTM-K, CP949, no .cpg
    pyogrio.write_dataframe(zones.to_crs("EPSG:5179"), path, encoding="CP949")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    site_ops.insert_site(
        window.stack.get("sites"),
        site_ops.make_site(shapely.box(x - 50, y - 50, x + 50, y + 50), "Gasan block", 800.0),
    )
    window.indicators.wait()
    assert window.indicators.results["dominant_zone"].iloc[0] != "일반상업"
    dialog = ask(window, qtbot, path)
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("zoning"))
    assert dialog.mapping_boxes["zone_name"].currentData() == "용도지역명"
    layer = _finish_import(window, qtbot)
    _close_messages(window, qtbot)
    assert set(layer.data["zone_type"]) == {"일반상업", "제2종일반주거"}
    assert not window.stack.get("zoning").visible  # the illustrative zoning steps aside
    window.indicators.wait()
    row = window.indicators.results.iloc[0]
    assert row["dominant_zone"] == "일반상업"
    assert bool(row["use_permitted"])  # 업무시설 ○ in 일반상업 (docs/zoning.md)
    assert float(row["max_gfa_m2"]) == pytest.approx(100 * 100 * 8.0, rel=1e-6)  # FAR 800 %
    # removing the real zoning gives the role back to the illustrative layer, shown again
    window.layer_panel.select_layer(layer)
    window.activateWindow()
    qtbot.keyClick(window.canvas, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert layer.name not in window.stack.names()
    assert window.roles == {} and window.stack.get("zoning").visible
    window.undo_stack.undo()
    assert window.roles == {"zoning": layer.name} and not window.stack.get("zoning").visible


def test_dropping_all_parts_of_a_shapefile_is_one_import(main_window, qtbot, tmp_path):
    from app.ui.layers.add_layer import grouped_paths

    path, _frame = write_cp949_startups(tmp_path)
    parts = sorted(tmp_path.glob("startups_cp949.*"))
    assert len(parts) >= 4  # .shp .shx .dbf .prj
    assert grouped_paths(parts) == [path]
    lonely = tmp_path / "orphan.prj"
    lonely.write_text(path.with_suffix(".prj").read_text())
    assert grouped_paths([lonely, path.with_suffix(".dbf")]) == [lonely, path]
    window = main_window
    failures = []
    window.importer.importFailed.connect(failures.append)
    window.importer.import_paths([lonely])  # a part without its .shp: one clear line
    qtbot.waitUntil(lambda: bool(failures), timeout=20_000)
    assert failures and "part of a shapefile" in failures[0]
    _close_messages(window, qtbot)
    window.importer.import_paths(parts)
    assert window.importer.dialog is not None and window.importer.dialog.path == path
    qtbot.waitUntil(lambda: window.importer.dialog.ready, timeout=20_000)
    _finish_import(window, qtbot)
    _close_messages(window, qtbot)
    assert window.importer.dialog is None  # no second dialog for the .dbf, .shx or .prj


def test_a_geopackage_of_1500_layers_lists_at_once_and_inspects_off_the_gui_thread(
    main_window, qtbot, tmp_path, monkeypatch
):
    """The list shows before any layer is inspected; only the chosen layer is, and in a
    worker thread: the GUI thread never asks GDAL to describe a layer."""
    import threading

    from tests.hostile_gpkg import many_layers_gpkg

    path = many_layers_gpkg(tmp_path / "many.gpkg", 1500)
    described: list[tuple[str | None, bool]] = []
    real = pyogrio.read_info

    def spy(source, layer=None, **kwargs):
        in_gui = threading.current_thread() is threading.main_thread()
        described.append((layer, in_gui))
        if in_gui or len(described) > 5:
            raise AssertionError(f"layer {layer} described in the GUI thread or one by one")
        return real(source, layer=layer, **kwargs)

    monkeypatch.setattr(pyogrio, "read_info", spy)
    window = main_window
    before = window.stack.names()
    dialog = window.importer.ask(path)
    assert dialog is not None and dialog.isVisible()
    assert dialog.layer_box.count() == 1500 and dialog.layer_box.isVisible()
    assert dialog.layer_box.itemText(0) == "layer_0000 — Point, 1 features"
    qtbot.waitUntil(lambda: dialog.ready, timeout=20_000)
    assert described == [("layer_0000", False)]
    assert dialog.ok_button.isEnabled() and dialog.title_edit.text() == "layer_0000"
    dialog.layer_box.setFocus()
    with qtbot.waitSignal(dialog.inspected, timeout=20_000):
        qtbot.keyClick(dialog.layer_box, Qt.Key.Key_End)
    assert dialog.layer_box.currentData() == "layer_1499"
    assert described == [("layer_0000", False), ("layer_1499", False)]
    layer = _finish_import(window, qtbot)
    assert layer.title_en == "layer_1499" and len(layer.data) == 1
    window.undo_stack.undo()
    # Cancel while the chosen layer is being read: the dialog closes, nothing is added
    dialog = window.importer.ask(path)
    assert dialog.task is not None  # inspecting
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert window.importer.dialog is None and dialog.task is None
    assert worker.wait_all(20_000)
    assert window.stack.names() == before and not _message_boxes(window)


def test_layer_styles_is_not_offered_and_a_refused_style_is_noted(main_window, qtbot, tmp_path):
    from tests.hostile_gpkg import gpkg_with_system_tables

    path = gpkg_with_system_tables(tmp_path / "exported.gpkg")
    window = main_window
    dialog = ask(window, qtbot, path)
    items = [dialog.layer_box.itemData(i) for i in range(dialog.layer_box.count())]
    assert items == ["centres"] and not dialog.layer_box.isVisible()
    layer = _finish_import(window, qtbot)
    note = "centres: its saved style (layer_styles) cannot be read: the default style is used"
    assert note in window.statusBar().currentMessage()
    assert _message_boxes(window) == []  # a note only informs: no box to click away
    assert layer.data["name"].tolist() == ["센터"]


def test_an_informational_import_note_is_a_status_bar_note_not_a_dialog(
    main_window, qtbot, tmp_path
):
    """A note that needs no decision (issue 16) does not stop the user with a modal box."""
    path, _frame = write_cp949_startups(tmp_path)
    window = main_window
    ask(window, qtbot, path)
    layer = _finish_import(window, qtbot)  # a notes box would be open by now
    assert _message_boxes(window) == []
    assert QApplication.activeModalWidget() is None
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Added {layer.title_en}: 12 features — "), message


@pytest.mark.parametrize("language", ["en", "ko"])
def test_an_address_csv_says_it_has_no_coordinate_columns(main_window, qtbot, tmp_path, language):
    """An address list (no coordinates) is not refused with "Choose the CRS" (issue 16):
    the dialog says it has no coordinate columns and names the columns it has."""
    from app.ui import i18n

    i18n.set_language(language)
    path = tmp_path / "addresses.csv"
    path.write_text(
        "이름,주소,업종\n가산 A,서울 금천구 가산디지털1로 1,ICT/SW\n"
        "양재 C,서울 서초구 양재대로 2,AI/Data\n",
        encoding="utf-8",
    )
    dialog = ask(main_window, qtbot, path)
    problem = dialog.problem.text()
    assert dialog.problem.isVisible() and not dialog.ok_button.isEnabled()
    assert "이름, 주소, 업종" in problem and "addresses.csv" in problem
    if language == "en":
        assert "has no coordinate columns" in problem and "CRS" not in problem
    else:
        assert "좌표 열" in problem and "없습니다" in problem
    # choosing the columns with the keyboard takes the note away (then the CRS is asked)
    for box in (dialog.x_box, dialog.y_box):
        box.setFocus()
        with qtbot.waitSignal(dialog.inspected, timeout=20_000):
            qtbot.keyClick(box, Qt.Key.Key_Down)
    assert "이름, 주소, 업종" not in dialog.problem.text()
    dialog.reject()
