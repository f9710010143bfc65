"""How sure the ranking is, in the app: the table's P(1st) column, the card's line, the
badge ring, the Robustness dialog (real clicks and keys) and the AHP dialog."""

import os

import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.sites.geometry import CheckedGeometry

SHOTS = os.environ.get("INNOATLAS_SHOTS")  # a folder: save the dialogs' pictures there


def three_sites(w, cx, cy):
    for dx, dy in ((900, 0), (-700, 500)):
        w.editing.add_site(CheckedGeometry(shapely.Point(cx + dx, cy + dy)))
    w.indicators.wait()
    QApplication.processEvents()


def test_table_card_and_badges_show_the_chance_of_ranking_first(qtbot, gvalley):
    w, cx, cy = gvalley
    three_sites(w, cx, cy)
    results = w.indicators.results
    assert results["p_first"].sum() == __import__("pytest").approx(1.0)
    assert (
        (results["rank_low"] <= results["rank"]) & (results["rank"] <= results["rank_high"])
    ).all()
    model = w.indicators_panel.comparison.table_model
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert "P(1st)" in headers and "Rank 5–95 %" in headers
    column = headers.index("P(1st)")
    shown = {model.data(model.index(r, column)) for r in range(model.rowCount())}
    assert all(text.endswith("%") for text in shown)
    # the card of the selected site says how often it ranks first
    note = w.indicators_panel.site_card.robust_note
    assert note.isVisible() and note.text().startswith("Ranked 1st in ")
    from app.ui.canvas.render.sites_painter import site_badges

    badges = site_badges(w.stack.get("sites"), results)
    assert len(badges) == 3 and all(b.p_first is not None for b in badges)
    assert abs(sum(b.p_first for b in badges) - 1.0) < 1e-9


def test_robustness_dialog_runs_with_the_typed_settings(qtbot, gvalley, tmp_path):
    w, cx, cy = gvalley
    three_sites(w, cx, cy)
    dialog = w.decisions.robustness()
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 3
    sentences = dialog.change.toPlainText()
    assert sentences.startswith("• ")
    draws = dialog.draws
    draws.setFocus()
    qtbot.keyClick(draws, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(draws, "500")
    qtbot.keyClick(draws, Qt.Key.Key_Tab)
    kappa = dialog.concentration
    kappa.setFocus()
    qtbot.keyClick(kappa, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(kappa, "5")
    qtbot.keyClick(kappa, Qt.Key.Key_Tab)
    assert "±16.3 points" in dialog.spread_hint.text()  # √(0.2·0.8/6)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    w.indicators.wait()
    assert w.indicators.robust_settings.draws == 500
    assert w.indicators.robust_settings.concentration == 5
    assert dialog.table.item(0, 2).text().endswith("%")
    # saved with the project, one undo step
    saved = w.project.capture_settings().extra["robustness"]
    assert saved["draws"] == 500 and saved["concentration"] == 5
    assert w.editing.undo_stack.undoText() == "Change the robustness settings"
    w.editing.undo_stack.undo()
    w.indicators.wait()
    assert w.indicators.robust_settings.draws == 2000 and dialog.draws.value() == 2000
    assert "robustness" not in w.project.settings.extra
    if SHOTS:
        dialog.grab().save(os.path.join(SHOTS, "robustness.png"))
        w.grab().save(os.path.join(SHOTS, "window.png"))


def test_large_runs_go_to_the_worker_with_progress(qtbot, gvalley, monkeypatch):
    from app.ui.indicators import controller

    w, cx, cy = gvalley
    monkeypatch.setattr(controller, "ROBUST_WORKER_THRESHOLD", 10)
    seen = []
    w.indicators.robustProgress.connect(seen.append)
    three_sites(w, cx, cy)

    def filled():
        results = w.indicators.results
        return len(results) == 3 and results["p_first"].notna().all()

    qtbot.waitUntil(filled, timeout=20_000)
    assert seen[0] == 0.0 and 1.0 in seen  # the worker's progress, from start to end


def test_one_site_has_no_robustness_line(gvalley):
    w, _, _ = gvalley
    assert w.indicators.results["p_first"].isna().all()
    assert not w.indicators_panel.site_card.robust_note.isVisible()
    dialog = w.decisions.robustness()
    assert "at least two sites" in dialog.message.text()


def test_the_exported_map_draws_the_p_first_ring(qtbot, gvalley, tmp_path):
    """The badges of a PNG export carry the ring's arc colour; without the robustness
    columns (a run that could not rank) they do not."""
    import numpy as np
    from PySide6.QtGui import QImage

    from app.core.decisions.robust import ROBUST_COLUMNS
    from app.ui.canvas.render.labels import P_FIRST_ARC
    from app.ui.export.map_export import render_map

    w, cx, cy = gvalley
    three_sites(w, cx, cy)
    extent = (cx - 2500, cy - 2000, cx + 2500, cy + 2000)

    def arc_pixels(indicators, name):
        path = tmp_path / name
        render_map(w.stack, path, extent=extent, size=(900, 700), dpi=96, indicators=indicators)
        image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
        pixels = np.frombuffer(image.constBits(), np.uint8)
        rgb = pixels.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        rgb = rgb.reshape(image.height(), image.width(), 3).astype(int)
        target = np.array([P_FIRST_ARC.red(), P_FIRST_ARC.green(), P_FIRST_ARC.blue()])
        return int((np.abs(rgb - target).sum(axis=2) < 30).sum())

    results = w.indicators.results
    assert arc_pixels(results, "with.png") > 20
    assert arc_pixels(results.drop(columns=list(ROBUST_COLUMNS)), "without.png") == 0
