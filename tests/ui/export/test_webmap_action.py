"""File → Export web map (HTML): the window's layers, indicators, scenes and language,
written in the worker with a progress dialog whose Cancel stops it."""

import json
import re

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from app.core.export.webmap.records import extent_to_bounds
from app.core.sites.geometry import polygon_from_vertices
from app.ui import worker
from tests.ui.message_boxes import answer_message_box


def test_export_web_map_with_the_sites_indicators(qtbot, main_window, tmp_path):
    w = main_window
    action = w.actions_by_name["actionExportHtml"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert action in w.menuBar().actions()[0].menu().actions()  # in the File menu
    districts = w.stack.get("districts").data
    centre = districts[districts.district_id == "magok"].geometry.iloc[0].representative_point()
    cx, cy = centre.x, centre.y
    w.editing.add_site(
        polygon_from_vertices(
            [(cx - 50, cy - 50), (cx + 50, cy - 50), (cx + 50, cy + 50), (cx - 50, cy + 50)]
        )
    )
    w.indicators.wait()
    site_id = w.indicators.results.index[0]
    w.zoom_to_district("magok")
    w.canvas.zoom_by(2.0)  # the user's own view, not a scene's
    out = tmp_path / "workshop"  # the suffix is added
    assert w.export_html(out)
    assert worker.wait_all(120_000)
    qtbot.waitUntil(lambda: "web map exported" in w.statusBar().currentMessage().lower())
    text = (tmp_path / "workshop.html").read_text(encoding="utf-8")
    # the page opens where the map was
    assert (
        '"view":' + json.dumps(extent_to_bounds(w.canvas.viewport.extent), separators=(",", ":"))
        in text
    )
    assert '"start":""' in text
    assert f'"_k":"{site_id}"' in text
    startups = int(w.indicators.results.loc[site_id, "startups_n"])
    assert re.search(r'\["Start-ups within R","' + f"{startups:,}" + '",""\\]', text)
    assert text.count('<button type="button" class="inno-scene"') == 4
    assert "web map exported" in w.statusBar().currentMessage().lower()


def test_export_web_map_failure_shows_a_message(qtbot, main_window, tmp_path):
    seen = []

    answer_message_box(QMessageBox.StandardButton.Ok, seen)
    main_window.export_html(tmp_path / "missing" / "map.html")
    assert worker.wait_all(120_000)
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)  # the box follows the worker's signal
    assert seen == [
        (
            "Cannot export the web map",
            f"cannot write the web map to {tmp_path / 'missing' / 'map.html'}: no such folder",
        )
    ]


def test_web_map_export_runs_in_the_worker_with_progress(qtbot, main_window, tmp_path):
    w = main_window
    path = tmp_path / "progress.html"
    task = w.exports.export_html(path)
    # the call returns at once: the page is written in the background ...
    assert task.thread is not None and not path.exists()
    dialog = w.exports.html_progress
    assert dialog.isVisible() and dialog.labelText() == "Exporting the web map…"
    # ... while the window's event loop runs and shows the progress
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=60_000)
    assert worker.wait_all(120_000)
    qtbot.waitUntil(lambda: "web map exported" in w.statusBar().currentMessage().lower())
    assert path.exists() and not dialog.isVisible()


def test_cancel_stops_the_web_map_export(qtbot, main_window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    w = main_window
    path = tmp_path / "cancelled.html"
    w.exports.export_html(path)
    dialog = w.exports.html_progress
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert worker.wait_all(120_000)
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "Export cancelled")
    assert not path.exists()
    assert not list(tmp_path.glob("*.html"))  # no half-written page either
