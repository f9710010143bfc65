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


def run_and_wait(qtbot, dialog):
    dialog.suggestion = None
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run_button.isEnabled(), timeout=120_000)
    assert dialog.suggestion is not None, dialog.summary.text()
    return dialog.suggestion


def test_saturated_answer_says_so_and_switches_to_the_fewest_sites(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("magok"))
    dialog.k.setValue(3)
    dialog.radius.setValue(800)
    s = run_and_wait(qtbot, dialog)
    assert s.model == "mclp" and s.saturated
    text = dialog.summary.text()
    assert "Saturated" in text and "does not tell places apart" in text
    assert dialog.switch_lscp.isVisible() and dialog.switch_pmedian.isVisible()
    assert "can rank below a drawn one" in dialog.rank_note.text()
    assert dialog.rank_note.isVisible()
    qtbot.mouseClick(dialog.switch_lscp, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.suggestion is not None and dialog.run_button.isEnabled())
    qtbot.waitUntil(lambda: dialog.suggestion.model == "lscp", timeout=120_000)
    lscp = dialog.suggestion
    assert dialog.model.currentData() == "lscp" and not dialog.k.isEnabled()
    assert lscp.optimal and len(lscp.sites) >= 3
    assert "fewest" in dialog.summary.text() and "Magok" in dialog.summary.text()
    assert "magok" not in dialog.summary.text()
    assert not dialog.switch_lscp.isVisible()
    dialog.close()


def test_the_dialog_remembers_district_k_model_and_share(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("yangjae"))
    dialog.model.setCurrentIndex(dialog.model.findData("pmedian"))
    dialog.k.setFocus()
    dialog.k.selectAll()
    qtbot.keyClicks(dialog.k, "2")
    dialog.spacing.setValue(400)
    dialog.radius.setValue(400)
    s = run_and_wait(qtbot, dialog)
    assert s.model == "pmedian" and s.k == 2 and s.mean_distance_m > 0
    assert "Yangjae/Gaepo" in dialog.summary.text() and "yangjae" not in dialog.summary.text()
    assert "Nearest site for" in [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    dialog.close()
    again = w.analysis.suggest()
    assert again.district.currentData() == "yangjae"
    assert again.model.currentData() == "pmedian" and again.k.value() == 2
    assert w.project.settings.extra["suggest"]["model"] == "pmedian"
    again.model.setCurrentIndex(again.model.findData("lscp"))
    assert again.share.isEnabled() and not again.k.isEnabled()
    again.share.setValue(95)
    again.spacing.setValue(400)
    run_and_wait(qtbot, again)
    again.close()
    third = w.analysis.suggest()
    assert third.model.currentData() == "lscp" and third.share.value() == 95
    assert w.project.settings.extra["suggest"] == {
        "district": "yangjae",
        "k": 2,
        "model": "lscp",
        "share": 0.95,
    }
    third.close()


def test_adopted_sites_follow_the_project_radius(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("magok"))
    dialog.k.setValue(1)
    dialog.spacing.setValue(200)
    assert dialog.radius.value() == w.editing.radius_m  # R as the project's
    run_and_wait(qtbot, dialog)
    qtbot.mouseClick(dialog.adopt_button, Qt.MouseButton.LeftButton)
    sites = w.stack.get("sites").data
    assert len(sites) == 1 and sites["radius_m"].isna().all()  # no own radius
    assert sites["name"].iloc[0] == "Suggested Magok 1"
    dialog.close()


def test_a_proven_p_median_says_how_it_was_proven(qtbot, main_window):
    w = main_window
    dialog = w.analysis.suggest()
    dialog.district.setCurrentIndex(dialog.district.findData("magok"))
    dialog.model.setCurrentIndex(dialog.model.findData("pmedian"))
    dialog.k.setValue(3)
    dialog.radius.setValue(800)
    dialog.spacing.setValue(100)
    s = run_and_wait(qtbot, dialog)
    assert s.model == "pmedian" and s.optimal, dialog.summary.text()
    text = dialog.summary.text()
    assert "proven optimal" in text and "not proven" not in text
    proof = s.extra["proof"]
    if proof == "lagrangian enumeration":
        assert "enumeration of the answers it could not rule out" in text
    elif proof == "lagrangian":
        assert "no branch and bound needed" in text
    else:
        assert proof == "cbc" and "(CBC)" in text
    dialog.close()


def test_the_progress_bar_is_korean_in_korean(qtbot, main_window):
    """In Korean the progress bar never shows the solver's English status once done
    (the summary below says it in Korean), and its stages read in Korean."""
    from app.ui import i18n

    w = main_window
    i18n.set_language("ko", save=False)
    try:
        dialog = w.analysis.suggest()
        dialog.district.setCurrentIndex(dialog.district.findData("magok"))
        dialog.k.setValue(2)
        dialog.radius.setValue(400)
        seen = []
        dialog.progress.valueChanged.connect(lambda _v: seen.append(dialog.progress.text()))
        s = run_and_wait(qtbot, dialog)
        assert s.optimal and "최적해" in dialog.summary.text()
        assert dialog.progress.text() == "100%"
        english = [t for t in seen if any("a" <= c.lower() <= "z" for c in t.replace("CBC", ""))]
        assert seen and not english, seen
        dialog.close()
    finally:
        i18n.set_language("en", save=False)
