"""A drag of a site, as a user does it: Esc during the drag puts the card back to the
site's numbers; the live card in Korean, and with the walking network, shows what it
shows after the drop."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui import i18n
from tests.ui.indicators.test_preview import _drag, assert_row_equal, at


def test_escape_during_a_drag_puts_the_card_back(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    w.set_tool("edit_tool")
    site = w.editing.selected
    before = panel.card_values()
    title = panel.title.text()
    geometry = w.editing.selected_geometry()
    steps = w.undo_stack.count()
    live = _drag(qtbot, w, (cx, cy), [(cx + 1200, cy + 1000), (cx + 2500, cy + 2000)])
    assert panel.card_values() != before and "live" in panel.title.text()
    qtbot.keyClick(w.canvas, Qt.Key.Key_Escape)
    QApplication.processEvents()
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx + 2500, cy + 2000))
    w.indicators.wait()
    QApplication.processEvents()
    assert w.editing.selected_geometry().equals(geometry)  # not moved
    assert w.undo_stack.count() == steps  # nothing to undo
    assert "live" not in panel.title.text()
    assert panel.card_values() == before, (live.values["startups_n"],)
    assert panel.title.text() == title
    assert site == w.editing.selected


def test_a_drag_in_korean_shows_the_numbers_of_the_drop(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    i18n.set_language("ko", save=False)
    try:
        w.set_tool("edit_tool")
        site = w.editing.selected
        end = (cx - 1500, cy + 800)
        live = _drag(qtbot, w, (cx, cy), [(cx - 700, cy + 300), end])
        shown, breakdown = panel.card_values(), panel.site_card.breakdown_rows()
        note = panel.site_card.score_note.text()
        qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, *end))
        w.indicators.wait()
        QApplication.processEvents()
        assert panel.card_values() == shown
        assert panel.site_card.breakdown_rows() == breakdown
        assert panel.site_card.score_note.text() == note
        assert_row_equal(live, w.indicators.results.loc[site])
    finally:
        i18n.set_language("en", save=False)


def test_a_drag_with_the_walking_network_shows_the_numbers_of_the_drop(qtbot):
    from tests.ui.network.test_walking import choose_walking_network
    from tests.ui.network.windows import walking_window
    from tests.ui.sites.test_tools import at as at_xy
    from tests.ui.sites.test_tools import click, use

    gen = walking_window(qtbot)
    w = next(gen)
    try:
        choose_walking_network(qtbot, w)
        use(qtbot, w, Qt.Key.Key_P)
        for x, y in ((600.0, 900.0), (1500.0, 1500.0), (300.0, 300.0)):
            click(qtbot, w, (x, y))
            w.indicators.wait()
        panel = w.indicators_panel
        use(qtbot, w, Qt.Key.Key_E)
        click(qtbot, w, (600.0, 900.0))
        w.indicators.wait()
        QApplication.processEvents()
        site = w.editing.selected
        published = []
        w.indicators.previewChanged.connect(published.append)
        qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=at_xy(w, (600.0, 900.0)))
        for x in (900.0, 1300.0, 1700.0):
            count = len(published)
            qtbot.mouseMove(w.canvas, at_xy(w, (x, 900.0)))
            qtbot.waitUntil(lambda: len(published) > count, timeout=10000)
            QApplication.processEvents()
        shown, breakdown = panel.card_values(), panel.site_card.breakdown_rows()
        title = panel.title.text()
        qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at_xy(w, (1700.0, 900.0)))
        w.indicators.wait()
        QApplication.processEvents()
        w.indicators.previewChanged.disconnect(published.append)
        assert panel.card_values() == shown, (title, panel.title.text())
        assert panel.site_card.breakdown_rows() == breakdown
        assert site == w.editing.selected
    finally:
        next(gen, None)
