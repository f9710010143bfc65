"""The live preview of a dragged site gives the indicators the site gets once dropped there,
shape after shape (its one-row table is reused between shapes, never changed by them),
and a drag with real mouse moves updates the card without a fixed wait."""

import pandas as pd
import shapely
from PySide6.QtCore import QPoint, Qt

COMPARED = ["startups_n", "employees_sum", "education_n", "stations_n", "score"]


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def test_previews_match_the_stored_indicators_at_each_place(gvalley):
    w, cx, cy = gvalley
    site = w.editing.selected
    places = [(cx, cy), (cx + 900, cy + 400), (cx - 700, cy - 300)]
    previews = [w.indicators.preview(site, shapely.Point(x, y)) for x, y in places]
    assert previews[0]["startups_n"].iloc[0] != previews[1]["startups_n"].iloc[0]
    # the first shape again: the same answer (an earlier shape left nothing behind)
    again = w.indicators.preview(site, shapely.Point(*places[0]))
    pd.testing.assert_frame_equal(again[COMPARED], previews[0][COMPARED])
    for (x, y), preview in zip(places[1:], previews[1:]):
        w.editing.layer.set_data(
            w.editing.layer.data.assign(geometry=[shapely.Point(x, y)]).set_crs(
                w.editing.layer.data.crs, allow_override=True
            )
        )
        w.indicators.wait()
        stored = w.indicators.results.loc[[site], COMPARED]
        pd.testing.assert_frame_equal(
            preview[COMPARED].reset_index(drop=True), stored.reset_index(drop=True)
        )
        assert preview["name"].iloc[0] == w.editing.layer.data["name"].iloc[0]


def test_a_drag_updates_the_card_as_soon_as_events_are_handled(qtbot, gvalley):
    w, cx, cy = gvalley
    panel = w.indicators_panel
    w.set_tool("edit_tool")
    before = panel.card_values()["startups_n"]
    qtbot.mousePress(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx, cy))
    qtbot.mouseMove(w.canvas, at(w, cx + 1500, cy + 1500))
    qtbot.mouseMove(w.canvas, at(w, cx + 3000, cy + 3000))
    qtbot.waitUntil(
        lambda: "live" in panel.title.text() and panel.card_values()["startups_n"] != before,
        timeout=5000,
    )
    live = panel.card_values()["startups_n"]
    qtbot.mouseRelease(w.canvas, Qt.MouseButton.LeftButton, pos=at(w, cx + 3000, cy + 3000))
    w.indicators.wait()
    assert panel.card_values()["startups_n"] == live
