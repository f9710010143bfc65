"""Long status messages are elided before the "Not real data" notice."""

from PySide6.QtWidgets import QApplication


def test_a_long_message_is_elided_before_the_notice(qtbot, main_window):
    w = main_window
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: w.width() == 1000, timeout=2000)
    QApplication.processEvents()
    notice = w.data_label
    assert notice.isVisible() and notice.text().startswith("Not real data")
    long = "Some layers were not loaded: " + "; ".join(
        f"layer_{i}.gpkg: no geometry column" for i in range(12)
    )
    w.statusBar().showMessage(long, 8000)
    shown = w.statusBar().currentMessage()
    assert shown != long and shown.endswith("…")
    right_edge = w.statusBar().fontMetrics().horizontalAdvance(shown) + 6
    assert right_edge < notice.x()  # the text ends before the notice starts
    assert w.statusBar().toolTip() == long  # the whole message, on hover
    w.statusBar().showMessage("Snapping on", 3000)
    assert w.statusBar().currentMessage() == "Snapping on"
    assert w.statusBar().toolTip() == ""
