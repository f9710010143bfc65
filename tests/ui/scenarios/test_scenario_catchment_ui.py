"""A scenario's own catchment (issues 20 and 18): the Sites panel's Catchment combo sets
the current scenario's (one undo step), switching scenario applies each one's to the
indicators, and Compare measures each scenario with its own (real clicks and keys)."""

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.ui.network.windows import walking_window
from tests.ui.scenarios.test_scenarios_ui import click_edit_undo, click_menu, pick, type_name
from tests.ui.sites.test_tools import at, click, use


@pytest.fixture
def w(qtbot):
    yield from walking_window(qtbot, startups=2000, size=(1100, 800))


def startups_reached(window) -> float:
    window.indicators.wait()
    return float(window.indicators.row(window.editing.selected)["startups_n"])


def test_each_scenario_keeps_and_applies_its_catchment(qtbot, w):
    control, walking = w.scenarios, w.walking.controller
    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, (600.0, 900.0))  # a site just south of the river
    circle = startups_reached(w)
    combo = control.catchment.combo
    assert combo.currentText() == "Straight line (circle)"
    assert combo.itemText(1) == "Walking network: streets"
    # a copy of the scenario, walking along the streets (the Catchment combo, by keys)
    click_menu(qtbot, w, control.action_duplicate)
    type_name(qtbot, w, "Walks")
    assert control.combo.currentText() == "Walks"
    pick(qtbot, combo, 1)
    assert walking.setting.uses_network and walking.network is not None
    assert w.undo_stack.undoText() == "Catchment: walking network"
    assert control.scenarios.current_scenario.walking_network == "streets"
    w.editing.select(w.stack.get("sites").data["site_id"].iloc[0])
    walked = startups_reached(w)
    assert walked < circle  # the walk does not cross the river
    # back to Scenario 1 with the Sites panel's combo: circles again
    pick(qtbot, control.panel_combo, 0)
    assert control.combo.currentText() == "Scenario 1"
    assert not walking.setting.uses_network and w.indicators.walking is None
    assert combo.currentText() == "Straight line (circle)"
    # and to Walks: its walking network comes back
    pick(qtbot, control.panel_combo, 1)
    assert walking.setting.uses_network and w.indicators.walking is not None
    assert combo.currentText() == "Walking network: streets"
    # Edit › Undo (the switch): Scenario 1 and its circles
    click_edit_undo(qtbot, w)
    assert control.combo.currentText() == "Scenario 1" and not walking.setting.uses_network
    # Compare: each scenario with its own catchment
    dialog = control.compare()
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.chosen() == ["Scenario 1", "Walks"]
    table = dialog.table
    labels = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())]
    row = labels.index("Catchment")
    assert table.item(row, 0).text() == "Straight line (circle)"
    assert table.item(row, 1).text() == "Walking network: streets"
    reached = labels.index("Start-ups reached by all sites")
    assert int(table.item(reached, 0).text().replace(",", "")) == circle
    assert table.item(reached, 1).text().startswith(f"{walked:,.0f}  (−")
    dialog.close()
    assert at  # the helpers of the site tools are shared


def test_a_scene_keeps_its_catchment_and_showing_it_applies_it(qtbot, w):
    from tests.ui.scenes.test_scenes import click_row, row_centre, show_panel

    walking, combo = w.walking.controller, w.scenarios.catchment.combo
    pick(qtbot, combo, 1)  # walking network
    assert walking.setting.uses_network
    show_panel(qtbot, w)
    panel = w.scenes_panel
    before = len(w.scenes.scenes)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)  # a scene of this view
    scenes = w.scenes.scenes
    assert len(scenes) == before + 1
    added = scenes[-1]
    assert (added.catchment_mode, added.network_layer) == ("network", "streets")
    assert added.as_record()["catchment"] == "network"
    pick(qtbot, combo, 0)  # back to circles
    assert not walking.setting.uses_network
    # showing the scene (double click in the Scenes panel) walks again
    row = len(scenes) - 1
    lst = panel.list
    click_row(qtbot, w, row)
    qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=row_centre(w, row))
    qtbot.waitUntil(lambda: not w.presentation.animating, timeout=3000)
    assert walking.setting.uses_network and w.indicators.walking is not None
    assert combo.currentText() == "Walking network: streets"
    # the current scenario follows the live setting
    assert w.scenarios.scenarios.current_scenario.walking_network == "streets"


def _teal_pixels(pdf, tmp_path) -> int:
    """Pixels of the page near the isochrone colour (pdftoppm at 40 dpi)."""
    import shutil
    import subprocess

    from PySide6.QtGui import QImage

    from app.core.network.layer import ISOCHRONE_COLOUR

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    stem = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", pdf, stem], check=True)
    image = QImage(str(stem) + ".png").convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    rgb = data[:, : width * 3].reshape(height, width, 3).astype(int)
    target = np.array([int(ISOCHRONE_COLOUR[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=2) < 60).sum())


def test_the_dossier_shows_the_isochrone_and_names_the_catchment(qtbot, w, tmp_path):
    import shutil
    import subprocess

    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, (600.0, 900.0))
    w.indicators.wait()
    circles = tmp_path / "circles.pdf"
    assert w.decisions.export_dossiers(circles)
    pick(qtbot, w.scenarios.catchment.combo, 1)  # walking network
    w.indicators.wait()
    walks = tmp_path / "walks.pdf"
    assert w.decisions.export_dossiers(walks)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")

    def text(pdf):
        out = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        return " ".join(out.split())

    assert "Catchment: Straight line (circle)" in text(circles)
    assert "Catchment: Walking network: streets" in text(walks)
    # the inset fills the walk's area: many more pixels of the isochrone colour
    assert _teal_pixels(walks, tmp_path) > 5 * max(_teal_pixels(circles, tmp_path), 20)


def test_compare_maps_draw_the_walking_scenario_s_isochrones(qtbot, w):
    from app.core.network.layer import ISOCHRONE_LAYER

    control = w.scenarios
    use(qtbot, w, Qt.Key.Key_P)
    click(qtbot, w, (600.0, 900.0))
    w.indicators.wait()
    control.apply_name("duplicate", "Walks")
    pick(qtbot, control.catchment.combo, 1)  # Walks walks
    dialog = control.compare()
    qtbot.waitUntil(dialog.isVisible)
    circles, walks = dialog.map_data
    assert circles.stack.get(ISOCHRONE_LAYER) is None
    iso = walks.stack.get(ISOCHRONE_LAYER)
    assert iso is not None and len(iso.data) == 1
    # the isochrone stops at the river (y = 950..1050) but the circle crosses it
    assert not iso.data.geometry.iloc[0].intersects(shapely.Point(600, 1150).buffer(10))
    titles = [label.text() for label in dialog.findChildren(QLabel, "compareMapTitle")]
    assert any(t.endswith("Walking network: streets") for t in titles)
    dialog.close()
