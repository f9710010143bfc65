"""The indicators panel follows the sites: live while dragging, weights, table, CSV, layers."""

import math

import pandas as pd
import shapely
from PySide6.QtCore import QPoint, Qt

from app.core.indicators.engine import COLUMNS
from app.core.sites.geometry import CheckedGeometry


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def test_card_shows_every_indicator_of_the_selected_site(gvalley):
    w, _, _ = gvalley
    values = w.indicators_panel.card_values()
    assert list(values) == list(COLUMNS)
    assert int(values["startups_n"].replace(",", "")) > 0
    assert "Site 1" in w.indicators_panel.title.text()
    tooltip = w.indicators_panel.card.item(0, 0).toolTip()
    assert "start-ups within R" in tooltip
    assert w.indicators_panel.breakdown.rowCount() == 6  # five criteria and the total


def test_dragging_a_site_updates_its_card_live_and_after_release(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    before = panel.card_values()["startups_n"]
    w.set_tool("edit_tool")
    canvas = w.canvas
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=at(w, cx, cy))
    target = (cx + 3000, cy + 3000)  # far outside G-Valley: fewer start-ups around
    qtbot.mouseMove(canvas, at(w, cx + 1500, cy + 1500))
    qtbot.mouseMove(canvas, at(w, *target))
    qtbot.wait(60)  # the live preview is computed at most once per frame
    assert "live" in panel.title.text()
    live = panel.card_values()["startups_n"]
    assert live != before
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=at(w, *target))
    w.indicators.wait()
    assert "live" not in panel.title.text()
    assert panel.card_values()["startups_n"] == live
    stored = w.indicators.results.iloc[0]
    assert stored["startups_n"] == int(live.replace(",", ""))


def test_weights_change_every_score_and_are_saved(qtbot, gvalley, tmp_path):
    w, cx, cy = gvalley
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 400, cy)))
    w.indicators.wait()
    before = w.indicators.results["score"].copy()
    spin = w.indicators_panel.weight_spins["startups"]
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "100")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    w.indicators.wait()
    assert w.indicators.weights.startups == 1.0
    assert not w.indicators.results["score"].equals(before)
    assert w.isWindowModified()
    path = tmp_path / "weights.gpkg"
    assert w.project.save_to(path)
    from app.core.project.store import open_project

    assert open_project(path).settings.weights["startups"] == 1.0


def test_radius_change_updates_all_sites(qtbot, gvalley):
    w, _, _ = gvalley
    before = w.indicators.results["startups_n"].iloc[0]
    box = w.indicators_panel.radius
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "300")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    w.indicators.wait()
    assert w.editing.radius_m == 300 and w.radius_box.value() == 300  # one setting
    assert w.indicators.results["startups_n"].iloc[0] < before


def test_not_permitted_site_ranks_last_and_is_flagged(gvalley):
    w, _, _ = gvalley
    zoning = w.stack.get("zoning").data
    green = zoning[(zoning.kind == "zone") & (zoning.zone_type == "자연녹지")].geometry.iloc[0]
    inside = green.representative_point()
    w.editing.add_site(CheckedGeometry(shapely.Point(inside.x, inside.y)))
    w.indicators.wait()
    results = w.indicators.results
    blocked = results[results["use_permitted"] == False]  # noqa: E712
    assert len(blocked) == 1
    assert blocked["rank"].iloc[0] == len(results)
    w.editing.select(blocked.index[0])
    assert "does not permit" in w.indicators_panel.title.text()


def test_comparison_table_sorts_and_exports_csv_with_bom(qtbot, gvalley, tmp_path):
    w, cx, cy = gvalley
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 2500, cy + 2500)))
    w.indicators.wait()
    panel = w.indicators_panel
    model = panel.table.model()
    assert model.rowCount() == 2
    header = panel.table.horizontalHeader()
    score_col = panel.table_model.columns.index("score")
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(score_col) + 5, 5),
    )
    first = model.index(0, score_col).data()
    second = model.index(1, score_col).data()
    order = header.sortIndicatorOrder()
    a, b = float(first.replace(",", "")), float(second.replace(",", ""))
    assert (a <= b) if order == Qt.SortOrder.AscendingOrder else (a >= b)
    _ = w.stack.get("sites").data  # names may be Korean: the CSV must keep them
    from app.ui.sites.commands import SetAttributesCommand

    site_id = w.stack.get("sites").data["site_id"].iloc[0]
    w.undo_stack.push(SetAttributesCommand(w.stack.get("sites"), site_id, {"name": "마곡 센터"}))
    w.indicators.wait()
    out = tmp_path / "indicators.csv"
    assert panel.export_csv(out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert list(frame.columns) == ["rank", "name", "site_id", *COLUMNS]
    assert "마곡 센터" in set(frame["name"])


def test_density_and_hot_spot_layers_toggle(qtbot, main_window):
    w = main_window
    for name in ("startup_density", "startup_hotspots"):
        action = w.analysis.actions[name]
        action.trigger()
        qtbot.waitUntil(lambda n=name: w.stack.get(n) is not None, timeout=10_000)
        layer = w.stack.get(name)
        assert len(layer.data) > 0
        assert layer.provenance.status.value == "synthetic"  # derived from synthetic data
        assert w.stack.index(layer) == w.stack.index(w.stack.get("startups")) + 1
        action.trigger()
        assert w.stack.get(name) is None
    hot = None
    w.analysis.actions["startup_hotspots"].trigger()
    qtbot.waitUntil(lambda: w.stack.get("startup_hotspots") is not None, timeout=10_000)
    hot = w.stack.get("startup_hotspots").data
    assert (hot["z"] >= 1.96).all() and not math.isnan(hot["z"].max())


def test_removing_an_analysis_layer_unticks_its_menu_entry(qtbot, main_window):
    w = main_window
    action = w.analysis.actions["startup_density"]
    action.trigger()
    qtbot.waitUntil(lambda: w.stack.get("startup_density") is not None, timeout=10_000)
    w.layer_panel.select_layer(w.stack.get("startup_density"))
    w.actions_by_name["actionRemoveLayer"].trigger()  # Layer → Remove layer
    assert w.stack.get("startup_density") is None and not action.isChecked()
    w.undo_stack.undo()
    assert w.stack.get("startup_density") is not None and action.isChecked()
    action.trigger()  # the menu takes it away again; redo then has nothing to remove
    assert w.stack.get("startup_density") is None
    w.undo_stack.redo()
    assert w.stack.get("startup_density") is None and not action.isChecked()


def test_large_layers_are_computed_in_a_worker_with_the_same_result(qtbot, gvalley):
    from app.ui.indicators.controller import WORKER_THRESHOLD
    from layers.themes.synthetic import generate_startups

    w, cx, cy = gvalley
    stack = w.stack
    big = generate_startups(
        WORKER_THRESHOLD + 10_000,
        stack.get("districts").data,
        stack.get("stations").data,
        stack.get("education").data,
    )
    stack.get("startups").set_data(big)
    for dx in (0, 300, 600):
        w.editing.add_site(CheckedGeometry(shapely.Point(cx + dx, cy + 100)))
    w.indicators.wait()
    qtbot.waitUntil(lambda: len(w.indicators.results) == 4, timeout=10_000)
    expected = w.indicators.engine.compute(
        stack.get("sites").data, w.editing.radius_m, weights=w.indicators.weights
    )
    got = w.indicators.results
    assert got["startups_n"].tolist() == expected["startups_n"].tolist()
    assert got["score"].round(9).tolist() == expected["score"].round(9).tolist()


def test_zoning_override_changes_permission_and_is_saved(qtbot, gvalley, tmp_path):
    from PySide6.QtCore import QTimer

    from app.core.project.store import open_project
    from app.ui.analysis.zoning_rules_dialog import ZoningRulesDialog

    w, _, _ = gvalley
    zoning = w.stack.get("zoning").data
    green = zoning[(zoning.kind == "zone") & (zoning.zone_type == "자연녹지")].geometry.iloc[0]
    inside = green.representative_point()
    site = w.editing.add_site(CheckedGeometry(shapely.Point(inside.x, inside.y)))
    w.indicators.wait()
    assert w.indicators.results.loc[site, "use_permitted"] == False  # noqa: E712

    seen = []

    def choose():
        dialog = next(d for d in w.findChildren(ZoningRulesDialog) if d.isVisible())
        seen.append(dialog.table.item(list(dialog.base.zones).index("자연녹지"), 3).text())
        dialog.combos[("자연녹지", "교육연구시설")].setCurrentText("○")
        dialog.accept()  # before any assertion: a failing check must not leave it open

    QTimer.singleShot(50, choose)
    assert w.analysis.edit_rules()
    assert seen and "(?)" in seen[0]  # the unconfirmed Seoul FAR is flagged
    w.indicators.wait()
    assert w.indicators.results.loc[site, "use_permitted"] == True  # noqa: E712
    path = tmp_path / "overrides.gpkg"
    assert w.project.save_to(path)
    saved = open_project(path).settings.extra["zoning_overrides"]
    assert saved == [{"zone_type": "자연녹지", "use_class": "교육연구시설", "symbol": "○"}]


def test_file_export_geopackage_writes_styles_and_indicators(qtbot, gvalley, tmp_path):
    import sqlite3

    import pyogrio

    w, _, _ = gvalley
    out = tmp_path / "for_qgis.gpkg"
    assert w.export_gpkg(out)
    names = {name for name, kind in pyogrio.list_layers(out) if kind is not None}
    assert {"sites_points", "sites_areas", "startups", "zoning", "districts"} <= names
    sites = pyogrio.read_dataframe(out, layer="sites_areas")  # the square site
    assert {"rank", "score", "startups_n"} <= set(sites.columns)
    with sqlite3.connect(out) as con:
        rows = con.execute(
            "SELECT f_table_name FROM layer_styles WHERE useAsDefault = 1 AND f_table_schema = ''"
        ).fetchall()
    assert {r[0] for r in rows} == names


def test_file_export_shapefiles_runs_in_the_worker(qtbot, gvalley, tmp_path):
    import pandas as pd
    import pyogrio

    from app.ui import worker

    w, _, _ = gvalley
    w.exports.export_files(tmp_path / "shp", "shp", "cp949")
    assert worker.wait_all(120_000)
    qtbot.waitUntil(lambda: "shp" in w.statusBar().currentMessage(), timeout=10_000)
    areas = pyogrio.read_dataframe(tmp_path / "shp" / "sites_areas.shp")
    fields = pd.read_csv(tmp_path / "shp" / "fields.csv", encoding="utf-8-sig")
    short = dict(zip(fields["field"], fields["short_name"]))
    assert {short["rank"], short["score"], short["startups_n"]} <= set(areas.columns)
    assert (tmp_path / "shp" / "sites_areas.cpg").read_text() == "CP949"


def click_tab(qtbot, panel, index):
    """Click the panel's tab ``index`` with the mouse, as a user does."""
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert panel.tabs.currentIndex() == index


def test_english_names_are_readable_and_tooltips_hold_the_column(qtbot, gvalley):
    from app.core.indicators.labels import label

    w, _, _ = gvalley
    panel = w.indicators_panel
    labels = panel.card_labels()
    assert labels[0] == "Start-ups within R"
    assert "Sector concentration (HHI)" in labels and "Score (0–100)" in labels
    assert not set(labels) & set(COLUMNS)  # no raw column name is shown
    hhi = labels.index("Sector concentration (HHI)")
    assert panel.card.item(hhi, 0).toolTip() == "sector_hhi: Herfindahl index Σ p_k² (0..1)"
    assert panel.card.item(hhi, 1).toolTip().startswith("sector_hhi: ")
    assert list(panel.card_values()) == list(COLUMNS)  # keyed by the contract names
    click_tab(qtbot, panel, 1)
    model = panel.table.model()
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers[:3] == ["Rank", "Name", "Start-ups within R"]
    assert model.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "startups_n: start-ups within R"
    )
    assert label("sector_hhi", "ko") == "업종 HHI"  # Korean keeps its names


def test_card_breakdown_chart_and_sites_fit_the_default_window(qtbot, gvalley):
    from app.ui import i18n

    w, cx, cy = gvalley
    assert (w.width(), w.height()) == (1280, 800)
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 600, cy + 400)))
    w.indicators.wait()
    panel = w.indicators_panel
    for language in ("en", "ko"):
        i18n.set_language(language)
        click_tab(qtbot, panel, 0)
        qtbot.wait(20)
        breakdown = panel.breakdown
        assert breakdown.rowCount() == 6  # five criteria and the total
        assert breakdown.horizontalScrollBar().maximum() == 0, language
        last = breakdown.horizontalHeader()
        right = last.sectionViewportPosition(6) + last.sectionSize(6)
        assert right <= breakdown.viewport().width(), language  # "Pts" wholly visible
        assert (
            breakdown.rowViewportPosition(5) + breakdown.rowHeight(5)
            <= breakdown.viewport().height()
        )  # every criterion and the total without scrolling
        assert panel.card.horizontalScrollBar().maximum() == 0
        label = panel.breakdown_label  # wraps instead of being cut off
        assert label.height() >= label.heightForWidth(label.width())
        assert w.sites_panel.table.horizontalScrollBar().maximum() == 0
        click_tab(qtbot, panel, 2)
        panel.chart.repaint()
        widest = max(rect.right() for rect, _tip in panel.chart.bars)
        assert widest > 0.6 * panel.chart.width(), language  # bars use the width
        # hovering a bar segment names the site, the criterion and its points
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent
        from PySide6.QtWidgets import QApplication, QToolTip

        rect, tip = panel.chart.bars[0]
        centre = rect.center().toPoint()
        QApplication.sendEvent(
            panel.chart, QHelpEvent(QEvent.Type.ToolTip, centre, panel.chart.mapToGlobal(centre))
        )
        # the site's name in the UI language ("Site 1" is "후보지 1" in Korean)
        assert QToolTip.text() == tip and tip.startswith("Site " if language == "en" else "후보지 ")
        QToolTip.hideText()


def test_compare_csv_export_writes_formula_names_as_text(qtbot, gvalley, tmp_path):
    """A site named like a spreadsheet formula is exported as text (issue 13)."""
    from app.ui.sites.commands import SetAttributesCommand

    w, cx, cy = gvalley
    w.indicators.wait()
    layer = w.stack.get("sites")
    site_id = layer.data["site_id"].iloc[0]
    hostile = '=HYPERLINK("http://evil.example","x")'
    w.undo_stack.push(SetAttributesCommand(layer, site_id, {"name": hostile}))
    w.indicators.wait()
    out = tmp_path / "indicators.csv"
    assert w.indicators_panel.export_csv(out)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert "'" + hostile in set(frame["name"])
    assert pd.api.types.is_numeric_dtype(frame["startups_n"])


def test_a_site_with_a_huge_outline_is_computed_off_the_gui_thread(qtbot, gvalley):
    """A site of 150 000 vertices (issue 13) keeps the window responsive: the indicators
    run in a worker thread and arrive with the same values as a direct computation."""
    import threading

    import numpy as np

    from app.ui.indicators.controller import SITE_VERTEX_THRESHOLD

    w, cx, cy = gvalley
    t = np.linspace(0, 2 * np.pi, SITE_VERTEX_THRESHOLD + 50_000, endpoint=False)
    r = 150 + 10 * np.sin(t * 40)
    outline = shapely.Polygon(np.c_[cx + 600 + r * np.cos(t), cy + r * np.sin(t)])
    computed_in = []
    original = w.indicators._compute

    def spy(*args, **kwargs):
        computed_in.append(threading.current_thread() is threading.main_thread())
        return original(*args, **kwargs)

    w.indicators._compute = spy
    w.editing.add_site(CheckedGeometry(outline))
    w.indicators.wait()
    qtbot.waitUntil(lambda: len(w.indicators.results) == 2, timeout=60_000)
    assert computed_in and not computed_in[-1], "the huge site was computed in the GUI thread"
    expected = w.indicators.engine.compute(
        w.stack.get("sites").data, w.editing.radius_m, weights=w.indicators.weights
    )
    assert w.indicators.results["startups_n"].tolist() == expected["startups_n"].tolist()
