"""Partial and unknown values in the card, the table and the map badge; the breakdown in
the default 330 px dock; the chart's left-out note; the Weights tab's explanation.

The frames are the real results of a G-Valley site, with the coverage columns the engine
writes (startups_coverage …, partial) set as a site partly outside a Magok-only layer
would have them, so that the rendering is tested apart from the engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.core.indicators.score import BASIS
from app.core.map.viewport import Viewport
from app.ui.canvas.render.sites_painter import PARTIAL_RING, paint_badges
from app.ui.indicators.coverage_marks import UNKNOWN

STARTUP_VALUES = ("startups_n", "startups_per_km2", "employees_sum", "sector_shannon")


def _partial_frame(window) -> pd.DataFrame:
    """Two sites: the real one (complete) and a copy 40 % inside the start-up coverage
    with no university data under it (education unknown)."""
    results = window.indicators.results
    complete = results.iloc[[0]].copy()
    partial = complete.copy()
    partial.index = ["partial-site"]
    partial["name"] = "Outside site"
    partial["rank"] = 2
    frame = pd.concat([complete, partial])
    frame["startups_coverage"] = [1.0, 0.4]
    frame["education_coverage"] = [1.0, 0.0]
    frame["stations_coverage"] = [1.0, 1.0]
    frame["partial"] = [False, True]
    for column in ("education_n", "education_nearest_m"):
        frame[column] = frame[column].astype(float)
        frame.loc["partial-site", column] = np.nan
    frame.attrs = dict(results.attrs)
    return frame


def test_card_marks_a_partial_site_and_shows_unknown_in_grey(qtbot, gvalley):
    window, _cx, _cy = gvalley
    panel = window.indicators_panel
    frame = _partial_frame(window)
    panel.show_card(frame.loc[["partial-site"]])
    card = panel.site_card
    assert "◐" in panel.title.text() and "partial" in panel.title.text()
    note = card.coverage_note
    assert note.isVisibleTo(card)
    lines = note.text().splitlines()
    assert "start-ups cover 40 % of the catchment" in note.text()
    assert "university data cover 0 % of the catchment" in note.text()
    assert not any("station" in line for line in lines)  # 100 %: no line
    values = card.values()
    assert values["education_n"] == "unknown" and values["education_nearest_m"] == "unknown"
    assert values["startups_coverage"] == "40 %" and values["education_coverage"] == "0 %"
    assert values["partial"].startswith("◐")
    row = next(
        r
        for r in range(card.card.rowCount())
        if card.card.item(r, 0).data(Qt.ItemDataRole.UserRole) == "education_n"
    )
    assert card.card.item(row, 1).foreground().color() == UNKNOWN
    # a complete site: no mark, no note
    panel.show_card(frame.iloc[[0]])
    assert "◐" not in panel.title.text() and not note.isVisibleTo(card)


def test_table_marks_partial_rows_and_has_coverage_columns(qtbot, gvalley):
    window, _cx, _cy = gvalley
    panel = window.indicators_panel
    frame = _partial_frame(window)
    model = panel.table_model
    model.set_frame(frame)
    columns = model.columns
    for column in ("startups_coverage", "education_coverage", "stations_coverage", "partial"):
        assert column in columns
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(columns))]
    assert "Start-up data coverage" in headers

    def cell(row, column, role=Qt.ItemDataRole.DisplayRole):
        return model.data(model.index(row, columns.index(column)), role)

    assert cell(1, "name").startswith("◐") and not cell(0, "name").startswith("◐")
    assert "start-ups cover 40 %" in cell(1, "name", Qt.ItemDataRole.ToolTipRole)
    assert cell(1, "startups_coverage") == "40 %"
    assert cell(1, "education_n") == "unknown"
    assert cell(1, "education_n", Qt.ItemDataRole.ForegroundRole) == UNKNOWN
    assert cell(0, "education_n") not in ("unknown", "—")
    # unknown sorts below every known value, never as 0
    assert cell(1, "education_n", Qt.ItemDataRole.UserRole) == float("-inf")


def _badge_image(layer, frame) -> QImage:
    image = QImage(400, 300, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    x, y = layer.data.geometry.iloc[0].representative_point().coords[0]
    viewport = Viewport(x, y, 1.0, 400, 300)
    painter = QPainter(image)
    paint_badges(painter, viewport, layer, frame)
    painter.end()
    return image


def _ring_pixels(image: QImage) -> int:
    ring = PARTIAL_RING
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if abs(image.pixelColor(x, y).red() - ring.red()) < 30
        and abs(image.pixelColor(x, y).green() - ring.green()) < 40
        and image.pixelColor(x, y).blue() < 90
    )


def test_the_map_badge_of_a_partial_site_has_a_dashed_ring(qtbot, gvalley):
    window, _cx, _cy = gvalley
    layer = window.stack.get("sites")
    frame = window.indicators.results.copy()
    frame["partial"] = False
    complete = _badge_image(layer, frame)
    frame["partial"] = True
    partial = _badge_image(layer, frame)
    assert _ring_pixels(complete) == 0
    assert _ring_pixels(partial) > 20
    # results from before the coverage columns: no ring, no error
    assert _ring_pixels(_badge_image(layer, frame.drop(columns="partial"))) == 0


def test_breakdown_fits_the_default_330_px_dock(qtbot, gvalley):
    window, _cx, _cy = gvalley
    assert window.indicators_dock.width() <= 340
    panel = window.indicators_panel
    breakdown = panel.breakdown
    assert breakdown.compact  # f(x) and the reference go under the table
    card = panel.site_card
    assert card.transforms.isVisibleTo(card) and "f(x)" not in card.transforms.text()
    assert "Start-up concentration" in card.transforms.text()
    visible = [c for c in range(breakdown.columnCount()) if not breakdown.isColumnHidden(c)]
    assert visible == [0, 1, 4, 5, 6]
    metrics = breakdown.fontMetrics()
    right = max(breakdown.columnViewportPosition(c) + breakdown.columnWidth(c) for c in visible)
    assert right <= breakdown.viewport().width()  # no column is cut off at the right
    assert breakdown.horizontalScrollBar().maximum() == 0
    assert card.score_area.horizontalScrollBar().maximum() == 0
    for row in range(breakdown.rowCount()):
        for column in visible[1:]:  # the numbers are whole
            for line in breakdown.item(row, column).text().split("\n"):
                assert metrics.horizontalAdvance(line) + 6 <= breakdown.columnWidth(column), (
                    row,
                    column,
                    line,
                )
        name = breakdown.item(row, 0)
        if metrics.horizontalAdvance(name.text()) + 6 > breakdown.columnWidth(0):
            assert name.text() in name.toolTip()  # elided: the whole name in its tooltip
    assert not breakdown.wordWrap()


def test_chart_shows_the_left_out_note_and_weights_say_what_the_score_is(qtbot, gvalley):
    from app.core.indicators.score import score_breakdown

    window, _cx, _cy = gvalley
    panel = window.indicators_panel
    # a point site without lot area: floor area is left out of every score
    from shapely.geometry import Point

    from app.core.sites import edits as site_ops

    cx, cy = _cx, _cy
    site_ops.insert_site(
        window.stack.get("sites"), site_ops.make_site(Point(cx + 300, cy), "Point site", 800.0)
    )
    window.indicators.wait()
    frame = window.indicators.results
    assert frame.attrs.get(BASIS) is not None
    page = panel.chart_page
    bar = panel.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    assert page.isVisible()
    assert page.note.isVisible() and "left out" in page.note.text()
    assert page.note.text() == panel.comparison.note.text()
    assert len(score_breakdown(frame, window.indicators.weights))
    text = panel.weights_note.text()
    assert "weighted mean" not in text
    assert "100 × its weight share × that value" in text and "add up to the score" in text
