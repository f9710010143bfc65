"""The card's score breakdown adds up and says what it leaves out (a planner's view)."""

import re

from PySide6.QtCore import QPoint, Qt

from app.ui.indicators.card_tables import POINTS_COLUMN, SHARE_COLUMN


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def press(qtbot, window, key):
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, key)


def click_tab(qtbot, panel, index):
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def shown_score(panel) -> str:
    return re.search(r"score (\S+)", panel.title.text()).group(1)


def assert_points_add_up(panel):
    rows = panel.site_card.breakdown_rows()
    *criteria, total = rows
    points = [float(row[POINTS_COLUMN]) for row in criteria if row[POINTS_COLUMN] != "—"]
    assert f"{sum(points):.1f}" == total[POINTS_COLUMN] == shown_score(panel)
    shares = [
        float(row[SHARE_COLUMN].split(" %")[0]) for row in criteria if "%" in row[SHARE_COLUMN]
    ]
    assert f"{sum(shares):.1f}" == "100.0"
    return rows


def test_point_site_without_lot_area_leaves_floor_area_out_of_every_card(qtbot, gvalley):
    w, cx, cy = gvalley  # Site 1: a polygon in G-Valley
    panel = w.indicators_panel
    press(qtbot, w, Qt.Key.Key_P)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx + 500, cy + 300))
    w.indicators.wait()
    assert len(w.stack.get("sites").data) == 2
    note = (
        "Buildable floor area left out of every score: unknown for Site 2 "
        "(point site without lot area)"
    )
    assert "Site 2" in panel.title.text()
    assert note in panel.site_card.score_note.text().splitlines()
    assert panel.site_card.score_note.isVisible()
    rows = assert_points_add_up(panel)
    floor = next(row for row in rows if row[0] == "Buildable floor area")
    assert floor[SHARE_COLUMN] == "left out" and floor[POINTS_COLUMN] == "—"

    # The polygon site: its floor area is known and shown, but counts for no site.
    press(qtbot, w, Qt.Key.Key_E)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx, cy))
    w.indicators.wait()
    assert "Site 1" in panel.title.text()
    assert note in panel.site_card.score_note.text().splitlines()
    rows = assert_points_add_up(panel)
    floor = next(row for row in rows if row[0] == "Buildable floor area")
    assert floor[1].endswith(" m²") and floor[SHARE_COLUMN] == "left out"
    score = w.indicators.results.loc[w.editing.selected, "score"]
    assert shown_score(panel) == f"{score:.1f}"

    # The comparison table says it too.
    click_tab(qtbot, panel, 1)
    assert panel.comparison.note.isVisible()
    assert note in panel.comparison.note.text().splitlines()


def test_weights_that_do_not_add_up_are_shown_as_shares_with_the_entered_values(qtbot, gvalley):
    w, _, _ = gvalley
    panel = w.indicators_panel
    click_tab(qtbot, panel, 3)
    for key, value in zip(
        ("startups", "diversity", "education", "transit", "floor_area"),
        ("39", "15", "26", "26", "24"),  # 130 % in all
    ):
        spin = panel.weight_spins[key]
        spin.setFocus()
        qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(spin, value)
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    w.indicators.wait()
    click_tab(qtbot, panel, 0)
    rows = assert_points_add_up(panel)
    startups = rows[0]
    assert startups[SHARE_COLUMN] == "30.0 %\n(entered 0.39)"
    assert rows[-1][SHARE_COLUMN] == "100.0 %"
    assert "add up to 1.3 as entered" in panel.site_card.score_note.text()
    # raw values: one rounding rule per unit
    by_name = {row[0]: row for row in rows}
    assert re.fullmatch(r"[\d,]+", by_name["Start-up concentration"][1])
    assert re.fullmatch(r"[\d,]+ m", by_name["Transit access"][1])
    assert re.fullmatch(r"0\.\d{3}", by_name["Sector diversity"][1])
    assert by_name["Transit access"][2] == "exp(-d / d_ref)"
    assert by_name["Transit access"][3] == "500 m"


def test_a_wide_card_shows_transform_and_reference_in_their_own_columns(qtbot, gvalley):
    from app.core.indicators.score import Weights
    from app.ui.indicators.card import SiteCard

    w, _, _ = gvalley
    card = SiteCard(lambda: Weights())
    qtbot.addWidget(card)
    card.retranslate()
    card.resize(900, 700)
    card.show()
    qtbot.waitExposed(card)
    card.show_site(w.indicators.results.iloc[[0]])
    assert not card.breakdown.isColumnHidden(2) and not card.breakdown.isColumnHidden(3)
    assert not card.transforms.isVisible()
    assert card.breakdown.horizontalScrollBar().maximum() == 0
    card.resize(300, 700)  # as narrow as the default dock: the details go under the table
    qtbot.waitUntil(lambda: card.breakdown.isColumnHidden(2))
    assert card.transforms.isVisible()
    assert "Transit access exp(-d / d_ref) (500 m)" in card.transforms.text()
