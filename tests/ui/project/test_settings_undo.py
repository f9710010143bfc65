"""The radius, the weights and the zoning overrides: applied once per committed edit, undoable.

Typed with real key events. "Computed" is what the indicators controller publishes
(``resultsChanged``), recorded with the radius it was computed for.
"""

import shapely
from PySide6.QtCore import Qt, QTimer

from app.core.sites.geometry import CheckedGeometry
from app.ui import i18n

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def record_computations(w) -> list[float]:
    """The radius of every set of results the indicators publish from now on."""
    computed: list[float] = []
    w.indicators.resultsChanged.connect(lambda: computed.append(w.editing.radius_m))
    return computed


def select_all(qtbot, box) -> None:
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, CTRL)


def undo(qtbot, w) -> None:
    qtbot.keyClick(w.canvas, Qt.Key.Key_Z, CTRL)
    w.indicators.wait()


def redo(qtbot, w) -> None:
    qtbot.keyClick(w.canvas, Qt.Key.Key_Z, CTRL_SHIFT)
    w.indicators.wait()


def test_typing_a_radius_computes_once_on_enter(qtbot, gvalley):
    w, _, _ = gvalley
    computed = record_computations(w)
    box = w.radius_box
    select_all(qtbot, box)
    for key in "5000":  # the app gets to run between the keystrokes, as with a real typist
        qtbot.keyClick(box, key)
        w.indicators.wait()
    assert computed == []  # no R = 5, 50, 500 on the way
    assert w.editing.radius_m == 800
    qtbot.keyClick(box, Qt.Key.Key_Return)
    w.indicators.wait()
    assert computed == [5000]
    assert w.indicators_panel.radius.value() == 5000
    assert w.undo_stack.undoText() == "Set radius to 5,000 m"


def test_a_pause_after_typing_applies_the_radius_once(qtbot, gvalley):
    w, _, _ = gvalley
    computed = record_computations(w)
    box = w.indicators_panel.radius
    select_all(qtbot, box)
    qtbot.keyClicks(box, "300")
    assert w.editing.radius_m == 800  # not while typing
    qtbot.waitUntil(lambda: w.editing.radius_m == 300, timeout=5000)  # the pause commits
    w.indicators.wait()
    assert computed == [300]
    assert w.radius_box.value() == 300
    assert w.undo_stack.undoText() == "Set radius to 300 m"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter after the pause: nothing new
    box.clearFocus()
    w.indicators.wait()
    assert computed == [300]
    assert w.undo_stack.undoText() == "Set radius to 300 m"
    undo(qtbot, w)
    assert w.undo_stack.undoText().startswith("Add site")  # the typing was one step


def test_undo_restores_the_radius_in_both_boxes_and_the_indicators(qtbot, gvalley):
    w, _, _ = gvalley
    before = w.indicators.results["startups_n"].iloc[0]
    select_all(qtbot, w.radius_box)
    qtbot.keyClicks(w.radius_box, "300")
    qtbot.keyClick(w.radius_box, Qt.Key.Key_Return)
    w.indicators.wait()
    smaller = w.indicators.results["startups_n"].iloc[0]
    assert smaller < before
    assert w.actions_by_name["actionUndo"].text() == "&Undo Set radius to 300 m"

    computed = record_computations(w)
    undo(qtbot, w)
    assert w.editing.radius_m == 800
    assert w.radius_box.value() == 800 and w.indicators_panel.radius.value() == 800
    assert computed == [800]  # once
    assert w.indicators.results["startups_n"].iloc[0] == before

    redo(qtbot, w)
    assert w.radius_box.value() == 300 and w.indicators_panel.radius.value() == 300
    assert w.indicators.results["startups_n"].iloc[0] == smaller


def test_radius_change_marks_the_project_unsaved_until_undone(qtbot, main_window):
    w = main_window
    assert not w.isWindowModified()
    select_all(qtbot, w.radius_box)
    qtbot.keyClicks(w.radius_box, "500")
    qtbot.keyClick(w.radius_box, Qt.Key.Key_Return)
    assert w.editing.radius_m == 500 and w.isWindowModified()
    undo(qtbot, w)
    assert w.editing.radius_m == 800 and not w.isWindowModified()


def test_arrow_steps_merge_into_one_undo_step(qtbot, gvalley):
    w, _, _ = gvalley
    steps = w.undo_stack.count()
    box = w.radius_box
    box.setFocus()
    for _ in range(3):
        qtbot.keyClick(box, Qt.Key.Key_Up)
    w.indicators.wait()
    assert w.editing.radius_m == 950 and w.indicators_panel.radius.value() == 950
    assert w.undo_stack.count() == steps + 1
    assert w.undo_stack.undoText() == "Set radius to 950 m"
    undo(qtbot, w)
    assert w.editing.radius_m == 800
    assert w.radius_box.value() == 800 and w.indicators_panel.radius.value() == 800


def test_weight_change_is_an_undo_step(qtbot, gvalley):
    w, cx, cy = gvalley
    w.editing.add_site(CheckedGeometry(shapely.Point(cx + 400, cy)))
    w.indicators.wait()
    scores = w.indicators.results["score"].copy()
    spin = w.indicators_panel.weight_spins["startups"]
    select_all(qtbot, spin)
    qtbot.keyClicks(spin, "40")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    w.indicators.wait()
    assert w.indicators.weights.startups == 0.4
    assert w.undo_stack.undoText() == "Set weight of Start-up concentration to 40 %"
    changed = w.indicators.results["score"].copy()
    assert not changed.equals(scores)

    steps = w.undo_stack.count()
    for _ in range(2):  # 41, 42 %: the same weight again, one step
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert w.undo_stack.count() == steps
    assert w.undo_stack.undoText() == "Set weight of Start-up concentration to 42 %"
    other = w.indicators_panel.weight_spins["transit"]
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_Down)  # another weight: its own step
    assert w.undo_stack.count() == steps + 1

    undo(qtbot, w)
    assert w.indicators.weights.transit == 0.2 and other.value() == 20
    undo(qtbot, w)
    assert w.indicators.weights.startups == 0.3 and spin.value() == 30
    assert w.indicators.results["score"].equals(scores)
    redo(qtbot, w)
    assert w.indicators.weights.startups == 0.42 and spin.value() == 42
    assert w.isWindowModified()
    i18n.set_language("ko")  # Edit → Redo/Undo follow the language, the criterion too
    assert w.undo_stack.undoText() == "스타트업 집적도 가중치를 42 %로 설정"


def test_zoning_override_is_an_undo_step(qtbot, gvalley):
    from app.ui.analysis.zoning_rules_dialog import ZoningRulesDialog

    w, _, _ = gvalley
    zoning = w.stack.get("zoning").data
    green = zoning[(zoning.kind == "zone") & (zoning.zone_type == "자연녹지")].geometry.iloc[0]
    inside = green.representative_point()
    site = w.editing.add_site(CheckedGeometry(shapely.Point(inside.x, inside.y)))
    w.indicators.wait()
    assert w.indicators.results.loc[site, "use_permitted"] == False  # noqa: E712

    def choose():
        dialog = next(d for d in w.findChildren(ZoningRulesDialog) if d.isVisible())
        dialog.combos[("자연녹지", "교육연구시설")].setCurrentText("○")
        dialog.accept()

    QTimer.singleShot(50, choose)
    assert w.analysis.edit_rules()
    w.activateWindow()  # the window manager's part once the modal dialog is gone
    qtbot.waitUntil(w.isActiveWindow)
    w.indicators.wait()
    assert w.indicators.results.loc[site, "use_permitted"] == True  # noqa: E712
    assert w.undo_stack.undoText() == "Override 교육연구시설 in 자연녹지: ○"

    undo(qtbot, w)
    assert w.indicators.results.loc[site, "use_permitted"] == False  # noqa: E712
    assert not w.indicators.rules.overrides
    assert w.project.settings.extra["zoning_overrides"] == []
    assert w.undo_stack.undoText().startswith("Add site")

    redo(qtbot, w)
    assert w.indicators.results.loc[site, "use_permitted"] == True  # noqa: E712
    assert w.project.settings.extra["zoning_overrides"] == [
        {"zone_type": "자연녹지", "use_class": "교육연구시설", "symbol": "○"}
    ]
