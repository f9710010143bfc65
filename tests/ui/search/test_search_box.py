"""Find a place: Ctrl+F, Korean/English/initial-consonant search, coordinates; the map
zooms to the place and flashes it (issue 17)."""

import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.core.geodesy import to_lonlat


def type_hangul(widget, text):
    """Type Korean as an input method delivers it (QTest types ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def find(qtbot, w):
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = w.desk.search
    assert box.hasFocus()
    return box


def centre(w):
    xmin, ymin, xmax, ymax = w.canvas.viewport.extent
    return shapely.Point((xmin + xmax) / 2, (ymin + ymax) / 2)


def test_initial_consonants_find_magok_and_the_map_goes_there(qtbot, main_window):
    w = main_window
    w.zoom_to_district("gvalley")
    box = find(qtbot, w)
    type_hangul(box, "ㅁㄱ")
    assert box.places and box.places[0].name == "마곡"
    assert box.completer.popup().isVisible()
    assert box.results.stringList()[0].startswith("마곡 · Magok")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    districts = w.stack.get("districts").data
    magok = districts[districts.district_id == "magok"].geometry.iloc[0]
    assert magok.contains(centre(w))
    assert box.flash.geometry is not None and box.flash.geometry.equals(magok)
    assert not box.completer.popup().isVisible()


def test_english_name_and_a_result_chosen_with_the_arrow_keys(qtbot, main_window):
    w = main_window
    box = find(qtbot, w)
    qtbot.keyClicks(box, "seoul national")
    assert box.places[0].name == "서울대학교" and len(box.places) >= 2
    second = box.places[1]
    assert (
        shapely.Point(second.x, second.y).distance(shapely.Point(box.places[0].x, box.places[0].y))
        > 100
    )
    qtbot.keyClick(box.completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(box.completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(box.completer.popup(), Qt.Key.Key_Return)
    QApplication.processEvents()
    place = second
    assert centre(w).distance(shapely.Point(place.x, place.y)) < 5
    assert w.canvas.viewport.resolution == pytest.approx(2.0)


def test_typed_coordinates_jump_there(qtbot, main_window):
    w = main_window
    box = find(qtbot, w)
    qtbot.keyClicks(box, "37.5602, 126.8254")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    lon, lat = to_lonlat(centre(w).x, centre(w).y)
    assert lat == pytest.approx(37.5602, abs=1e-5) and lon == pytest.approx(126.8254, abs=1e-5)
    box.selectAll()
    qtbot.keyClicks(box, "190000 550000")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert centre(w).x == pytest.approx(190000, abs=1) and centre(w).y == pytest.approx(
        550000, abs=1
    )


def test_nothing_found_is_a_status_note(qtbot, main_window):
    w = main_window
    box = find(qtbot, w)
    qtbot.keyClicks(box, "zzqx")
    before = w.canvas.viewport.extent
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "No place found" in w.statusBar().currentMessage()
    assert w.canvas.viewport.extent == before


def test_sites_and_imported_layers_are_searchable(qtbot, gvalley, tmp_path):
    w, cx, cy = gvalley
    box = find(qtbot, w)
    qtbot.keyClicks(box, "Site 1")
    assert any(p.layer == "sites" for p in box.places)
