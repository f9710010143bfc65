"""Analysis → Suggest sites: solve in a worker, show the proposals, adopt them in one step."""

import shapely
from PySide6.QtCore import Qt

from app.core.zoning.rules import ZoningRules


def test_suggest_in_magok_and_adopt_as_sites(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("magok"))
    dialog.k.setValue(2)
    dialog.radius.setValue(400)
    dialog.spacing.setValue(100)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.suggestion is not None, timeout=60_000)
    s = dialog.suggestion
    assert len(s.sites) == 2 and s.optimal
    assert "proven optimal" in dialog.summary.text()
    assert dialog.table.rowCount() == 2
    assert all(37.5 < site.lat < 37.6 and 126.8 < site.lon < 126.9 for site in s.sites)
    rules = ZoningRules.default()
    assert all(rules.permits(site.zone_type) for site in s.sites)
    assert dialog.overlay in w.canvas.overlays
    qtbot.mouseClick(dialog.adopt_button, Qt.MouseButton.LeftButton)
    sites = w.stack.get("sites").data
    assert len(sites) == 2
    assert all(shapely.Point(p.x, p.y).distance(g) < 1e-6 for p, g in zip(s.sites, sites.geometry))
    assert (sites["radius_m"] == 400).all()
    assert "Add 2 suggested site(s)" in w.actions_by_name["actionUndo"].text()
    w.undo_stack.undo()  # one step removes both
    assert len(w.stack.get("sites").data) == 0
    dialog.close()
    assert dialog.overlay not in w.canvas.overlays


def test_suggest_reports_errors_in_the_dialog(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("magok"))
    dialog.k.setValue(50)
    dialog.spacing.setValue(1000)  # very few candidates: k is too large
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run_button.isEnabled(), timeout=60_000)
    assert dialog.suggestion is None
    assert "candidate" in dialog.summary.text().lower()
    dialog.close()
