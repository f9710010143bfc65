"""The note on criteria left out of the score names app-made sites in the UI language."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def test_korean_ui_names_the_left_out_sites_in_korean(qtbot, gvalley):
    w, cx, cy = gvalley  # Site 1: a polygon in G-Valley
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w.canvas, Qt.Key.Key_P)
    qtbot.mouseClick(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx + 500, cy + 300))
    w.indicators.wait()
    note = w.indicators_panel.site_card.score_note
    assert "unknown for Site 2" in note.text()
    w.actions_by_name["actionLanguageKo"].trigger()  # Settings › Language › 한국어
    w.indicators.wait()
    QApplication.processEvents()
    panel = w.indicators_panel
    for text in (note.text(), panel.comparison.note.text(), panel.chart_page.note.text()):
        assert "후보지 2" in text
        assert "Site 2" not in text
