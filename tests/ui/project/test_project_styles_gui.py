"""Opening a project in the GUI applies the styles its ``layer_styles`` holds (a QGIS
graduated style drawn on the canvas) and names, in the open-notes message, a style it
could not read (issue 14, item 2)."""

import numpy as np
import pytest
import shapely

from tests.cli.test_project_styles import styled  # noqa: F401  (the module fixture)
from tests.ui.project.test_hostile_projects import load_note, open_through_the_menu
from tests.ui.project.test_project_file import Answers


@pytest.fixture
def answers():
    helper = Answers()
    yield helper
    helper.timer.stop()
    assert not helper.unexpected, f"unexpected dialogs: {helper.unexpected}"


def test_open_draws_the_qgis_graduated_style_and_names_the_unreadable_one(
    qtbot,
    main_window,
    answers,
    styled,  # noqa: F811
):
    w = main_window
    open_through_the_menu(w, answers, styled)
    note = load_note(qtbot)
    assert "layer 'dong'" in note and "regexp_match" in note and "single colour" in note
    gu = w.stack.get("gu")
    assert gu.style.kind == "graduated" and gu.style.field == "rank_no"
    # the canvas fills gu number 25 (rank 17-25) with the QGIS ramp's last colour
    polygon = gu.data.geometry[gu.data["rank_no"] == 25].iloc[0]
    w.canvas.set_view(polygon.centroid.x, polygon.centroid.y, 20.0)
    image = w.canvas.render_now()
    ratio = image.devicePixelRatio()
    inner = polygon.buffer(-300)
    xmin, ymin, xmax, ymax = inner.bounds
    grid = [
        (x, y)
        for x in np.linspace(xmin, xmax, 12)
        for y in np.linspace(ymin, ymax, 12)
        if inner.contains(shapely.Point(x, y))
    ]
    colours = []
    for x, y in grid:
        point = w.canvas.map_to_screen(x, y)
        colours.append(image.pixelColor(int(point.x() * ratio), int(point.y() * ratio)).name())
    assert len(grid) > 20 and colours.count("#bd0026") > 0.8 * len(grid), colours
