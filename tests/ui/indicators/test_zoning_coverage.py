"""A site mostly outside the zoning data is "unknown", grey and ranked after the permitted
sites, and its card says how much of it the zoning data cover (issue 12)."""

import shapely
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.core.indicators.engine import COLUMNS


def at(window, x, y) -> QPoint:
    return window.canvas.map_to_screen(x, y).toPoint()


def west_edge_of_zoning(window):
    """A point on the western edge of G-Valley's zoning: zones east of it, none west."""
    zoning = window.stack.get("zoning").data
    zones = shapely.union_all(zoning[zoning.kind == "zone"].geometry.values)
    districts = window.stack.get("districts").data
    gvalley = districts[districts.district_id == "gvalley"].geometry.iloc[0]
    y = gvalley.representative_point().y
    xmin, _, xmax, _ = gvalley.bounds
    line = shapely.LineString([(xmin - 500, y), (xmax, y)]).intersection(zones)
    return shapely.bounds(line)[0], y


def test_a_site_mostly_outside_zoning_is_unknown_grey_and_ranked_after(qtbot, gvalley):
    from app.ui.canvas.render.sites_painter import UNKNOWN_FILL, badge_colour, badge_rows

    w, _, _ = gvalley
    x, y = west_edge_of_zoning(w)
    w.canvas.set_view(x, y, 1.0)  # 1 m per pixel
    QApplication.processEvents()
    # A 200 m × 200 m rectangle with only its eastern 10 m on the zoning data, drawn
    # with the rectangle tool.
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_R)
    canvas = w.canvas
    start, end = at(w, x - 190, y - 100), at(w, x + 10, y + 100)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, (start + end) / 2)
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)
    w.indicators.wait()
    QApplication.processEvents()

    results = w.indicators.results
    assert len(results) == 2
    new = results.index[-1]
    row = results.loc[new]
    assert 0.02 < row["zoning_coverage"] < 0.09
    assert row["use_permitted"] is None or str(row["use_permitted"]) == "<NA>"  # not "yes"
    first = results.index[0]
    assert results.loc[first, "use_permitted"] == True  # noqa: E712
    assert results.loc[new, "rank"] == 2  # after the permitted site, whatever the score

    # Map badge: grey, as for a site without zoning data.
    sites = w.stack.get("sites")
    rows = badge_rows(sites, results)
    position = sites.data.index[sites.data["site_id"].astype(str) == str(new)][0]
    colour = badge_colour(rows["use_permitted"].iloc[sites.data.index.get_loc(position)])
    assert colour == UNKNOWN_FILL

    # Card: the coverage row, the qualified zoning values and the grey flag.
    w.editing.select(new)
    QApplication.processEvents()
    panel = w.indicators_panel
    values = panel.card_values()
    assert list(values) == list(COLUMNS)
    share = values["zoning_coverage"]
    assert share.endswith(" %") and 2 <= int(share.split()[0]) <= 9
    assert values["use_permitted"] == f"unknown ({share} covered)"
    assert values["dominant_zone"] == f"준공업 ({share} covered)"
    assert values["max_gfa_m2"].endswith("(covered part only)")
    assert values["max_footprint_m2"].endswith("(covered part only)")
    assert f"zoning data cover {share} of the site" in panel.title.text()
    assert "#2" in panel.title.text()

    # Comparison table: the coverage column is there, as a percentage.
    model = panel.table_model
    column = model.columns.index("zoning_coverage")
    texts = {model.index(r, column).data() for r in range(model.rowCount())}
    assert share in texts and "100 %" in texts
