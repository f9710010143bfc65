"""The live preview of a dragged site gives the indicators the site gets once dropped there,
shape after shape, and a drag with real mouse moves shows them in the card: the same
numbers while dragging as after the release and as the full engine."""

import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.core.indicators.engine import COLUMNS
from app.core.indicators.format import is_missing
from app.core.indicators.preview import SitePreview
from app.core.sites.geometry import CheckedGeometry
from app.ui.indicators.card_tables import POINTS_COLUMN


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def same(a, b) -> bool:
    if is_missing(a) or is_missing(b):
        return is_missing(a) and is_missing(b)
    return a == b


def assert_row_equal(preview: SitePreview, stored) -> None:
    for column in COLUMNS:
        assert same(preview.values[column], stored[column]), column


def test_previews_match_the_stored_indicators_at_each_place(gvalley):
    w, cx, cy = gvalley
    site = w.editing.selected
    places = [(cx, cy), (cx + 900, cy + 400), (cx - 700, cy - 300)]
    previews = [w.indicators.preview(site, shapely.Point(x, y)) for x, y in places]
    assert all(isinstance(p, SitePreview) for p in previews)
    assert previews[0].values["startups_n"] != previews[1].values["startups_n"]
    # the first shape again: the same answer (an earlier shape left nothing behind)
    again = w.indicators.preview(site, shapely.Point(*places[0]))
    assert all(same(again.values[c], previews[0].values[c]) for c in again.values)
    for (x, y), preview in zip(places[1:], previews[1:]):
        w.editing.layer.set_data(
            w.editing.layer.data.assign(geometry=[shapely.Point(x, y)]).set_crs(
                w.editing.layer.data.crs, allow_override=True
            )
        )
        w.indicators.wait()
        assert_row_equal(preview, w.indicators.results.loc[site])
        assert preview.values["name"] == w.editing.layer.data["name"].iloc[0]


def _drag(qtbot, w, start, steps):
    """Press on ``start`` and move through ``steps`` with the left button held;
    returns the last preview published."""
    published = []
    w.indicators.previewChanged.connect(published.append)
    qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *start))
    for x, y in steps:
        count = len(published)
        qtbot.mouseMove(w.canvas, at(w, x, y))
        qtbot.waitUntil(lambda: len(published) > count, timeout=5000)
        QApplication.processEvents()
    w.indicators.previewChanged.disconnect(published.append)
    return published[-1]


def test_a_drag_shows_the_numbers_the_site_gets_when_dropped(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    w.set_tool("edit_tool")
    site = w.editing.selected
    before = panel.card_values()["startups_n"]
    end = (cx + 2500, cy + 2000)
    live = _drag(qtbot, w, (cx, cy), [(cx + 1200, cy + 1000), end])
    assert isinstance(live, SitePreview)
    assert "live" in panel.title.text()
    assert "updated when the site is dropped" in panel.site_card.robust_note.text()
    shown = panel.card_values()
    assert shown["startups_n"] != before
    breakdown = panel.site_card.breakdown_rows()
    title_score = panel.title.text().split("score ")[1].split(" ")[0]
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *end))
    w.indicators.wait()
    assert "live" not in panel.title.text() and "#1 · " in panel.title.text()
    # the card: every value, the breakdown's points and the score as while dragging
    assert panel.card_values() == shown
    assert panel.site_card.breakdown_rows() == breakdown
    assert breakdown[-1][POINTS_COLUMN] == title_score
    assert title_score in panel.title.text()
    # ... and the full engine's numbers for the dropped site
    assert_row_equal(live, w.indicators.results.loc[site])


def test_a_dragged_point_site_keeps_its_lot_area_and_radius(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    w.editing.add_site(
        CheckedGeometry(shapely.Point(cx + 300, cy - 300)), radius_m=500.0, lot_area_m2=3000.0
    )
    w.indicators.wait()
    site = w.editing.selected
    w.set_tool("edit_tool")
    end = (cx - 900, cy + 700)
    live = _drag(qtbot, w, (cx + 300, cy - 300), [(cx - 400, cy + 200), end])
    assert live.values["site_area_m2"] == 3000.0  # the floor area counts while dragging
    assert "floor_area" in live.basis.used
    shown = panel.card_values()
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *end))
    w.indicators.wait()
    assert panel.card_values() == shown
    assert_row_equal(live, w.indicators.results.loc[site])
    # the undo puts it back; the card follows
    w.undo_stack.undo()
    w.indicators.wait()
    assert panel.card_values() != shown


def test_a_drag_is_scored_with_the_other_sites_as_after_the_drop(qtbot, gvalley):
    """A point site without lot area leaves the floor area out of every score: the
    dragged square's live score already leaves it out (as after the drop), and the card
    says so, naming the point site."""
    w, cx, cy = gvalley
    panel = w.indicators_panel
    square = w.editing.selected
    w.editing.add_site(CheckedGeometry(shapely.Point(cx - 2000, cy - 1500)))
    w.indicators.wait()
    point_name = w.indicators.results["name"].iloc[-1]
    w.editing.select(square)
    QApplication.processEvents()
    w.set_tool("edit_tool")
    end = (cx + 800, cy + 600)
    live = _drag(qtbot, w, (cx, cy), [(cx + 400, cy + 300), end])
    assert "floor_area" not in live.basis.used
    note = panel.site_card.score_note.text()
    assert "Buildable floor area left out of every score" in note and point_name in note
    shown, breakdown = panel.card_values(), panel.site_card.breakdown_rows()
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *end))
    w.indicators.wait()
    assert panel.card_values() == shown
    assert panel.site_card.breakdown_rows() == breakdown
    assert panel.site_card.score_note.text() == note
    assert_row_equal(live, w.indicators.results.loc[square])


def _cells(card):
    rows = []
    for table in (card.card, card.breakdown):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                colour = item.foreground().color().name() if item.foreground().style() else ""
                rows.append((item.text(), colour, item.toolTip()))
    return rows


def test_the_card_updated_in_place_shows_what_a_fresh_card_shows(qtbot, gvalley):
    """A drag updates only the card's changed cells: after every move the card reads as
    a card filled afresh with the same preview (texts, colours, tooltips, notes)."""
    from app.ui.indicators.card import SiteCard

    w, cx, cy = gvalley
    panel = w.indicators_panel
    fresh = SiteCard(lambda: w.indicators.weights)
    qtbot.addWidget(fresh)
    fresh.resize(panel.site_card.size())
    w.set_tool("edit_tool")
    published = []
    w.indicators.previewChanged.connect(published.append)
    qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx, cy))
    # across G-Valley and out of the zoning layer (unknown zoning, no floor area)
    places = [(cx + 300 * k, cy - 250 * k) for k in range(1, 6)] + [(cx + 40_000, cy)]
    for x, y in places:
        count = len(published)
        qtbot.mouseMove(w.canvas, at(w, x, y))
        qtbot.waitUntil(lambda: len(published) > count, timeout=5000)
        fresh.show_site(published[-1], live=True)
        assert _cells(panel.site_card) == _cells(fresh)
        for label in ("title", "score_note", "coverage_note", "robust_note"):
            assert getattr(panel.site_card, label).text() == getattr(fresh, label).text()
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *places[-1]))
    w.indicators.previewChanged.disconnect(published.append)
    w.indicators.wait()
    assert len({str(p.values["dominant_zone"]) for p in published if p is not None}) > 1
