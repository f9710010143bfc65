"""Nine sites clustered in Magok at city scale: badges, site names and the district labels
are placed in one pass, on the canvas and in the PNG export, and none covers another."""

import numpy as np
import pytest
from shapely.geometry import Point


def _nine_points(stack):
    from app.core.project.scenes import find_scene, scenes_from_settings

    scene = find_scene(scenes_from_settings({}, stack, "en"), "magok")
    xmin, ymin, xmax, ymax = scene.extent
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    rng = np.random.default_rng(3)
    return [
        Point(x, y) for x, y in zip(cx + rng.uniform(-700, 700, 9), cy + rng.uniform(-500, 500, 9))
    ]


def _boxes(plan):
    return np.array([[b.left(), b.top(), b.right(), b.bottom()] for b in plan.boxes])


def _assert_legible(plan):
    from app.core.map.label_placement import overlaps

    boxes = _boxes(plan)
    hit = overlaps(boxes, boxes)
    np.fill_diagonal(hit, False)
    assert not hit.any(), "two drawn labels/badges overlap"
    assert plan.kinds.count("badge") == 9, "every site's badge is drawn"
    magok = plan.box_of("마곡", "districts")
    assert magok is not None, "the 마곡 label is drawn"
    others = [b for t, b in zip(plan.texts, plan.boxes) if t != "마곡"]
    assert not any(magok.intersects(b) for b in others), "something covers 마곡"


def test_canvas_places_nine_badges_and_the_magok_label_without_overlap(qtbot, main_window):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QApplication

    w = main_window
    w.actions_by_name["actionSnapping"].setChecked(False)
    canvas = w.canvas
    canvas.zoom_to_extent(w.stack.get("districts").extent)  # city scale
    qtbot.keyClick(canvas, Qt.Key.Key_P)  # the point tool; each click is a site
    for point in _nine_points(w.stack):
        sx, sy = canvas.viewport.map_to_screen(point.x, point.y)
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(sx), round(sy)))
    assert len(w.stack.get("sites").data) == 9
    w.indicators.wait()
    QApplication.processEvents()
    canvas.repaint()
    plan = w.canvas.last_labels
    _assert_legible(plan)
    # the badges are the indicator results' ranks
    ranks = sorted(int(t.split()[0][1:]) for t, k in zip(plan.texts, plan.kinds) if k == "badge")
    assert ranks == list(range(1, 10))


@pytest.fixture(scope="module")
def nine_sites(default_project_path):
    import geopandas as gpd
    import pandas as pd

    from app.core.project.store import open_project
    from app.core.sites.edits import new_sites_layer
    from app.ui.gui import application

    application()
    stack = open_project(default_project_path).stack
    ids = [f"s{i}" for i in range(9)]
    frame = gpd.GeoDataFrame(
        {"site_id": ids, "name": [f"Site {i + 1}" for i in range(9)], "kind": ["point"] * 9},
        geometry=_nine_points(stack),
        crs="EPSG:5186",
    )
    old = stack.get("sites")
    index = stack.index(old)
    stack.remove(old)
    stack.insert(index, new_sites_layer(frame))
    indicators = pd.DataFrame(
        {"rank": range(1, 10), "score": np.linspace(80, 40, 9), "use_permitted": True},
        index=ids,
    )
    return stack, indicators


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_export_places_nine_badges_and_the_magok_label_without_overlap(
    nine_sites, tmp_path, suffix
):
    from app.ui.export.map_export import render_map

    stack, indicators = nine_sites
    layout = render_map(stack, tmp_path / f"map{suffix}", indicators=indicators)
    _assert_legible(layout.labels)
    # a badge too far from its crowded site is linked to it by a leader line
    assert layout.labels.leaders > 0
