"""Damaged projects and a project open in two windows, in the GUI (issue 13)."""

import json
import sqlite3
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.project.lock import lock_path
from app.ui.project.lock_dialogs import READ_ONLY
from tests.hostile_projects import (
    flip_geometry,
    project_with_sites,
    set_project_value,
    with_settings,
)
from tests.ui.message_boxes import answer_message_box
from tests.ui.project.test_project_file import Answers

Button = QMessageBox.StandardButton


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    return project_with_sites(tmp_path_factory.mktemp("gui") / "plan.gpkg")


@pytest.fixture
def project(saved, tmp_path):
    path = tmp_path / "plan.gpkg"
    path.write_bytes(saved.read_bytes())
    return path


@pytest.fixture
def answers():
    helper = Answers()
    yield helper
    helper.timer.stop()
    assert not helper.unexpected, f"unexpected dialogs: {helper.unexpected}"


@pytest.fixture
def second_window(qtbot, default_project_path):
    """Another main window in the same process: another InnoAtlas instance's view."""
    from app.core.project.loader import load_project
    from app.ui.gui import fit_window, wait_until_drawn
    from app.ui.window.main_window import MainWindow

    window = MainWindow(load_project(default_project_path))
    fit_window(window, (1000, 700), clamp_to_screen=False)
    window.show()
    qtbot.waitExposed(window)
    assert wait_until_drawn(window)
    yield window
    window.project._set_clean()
    window.close()
    window.deleteLater()


def open_through_the_menu(window, answers, path, *then) -> None:
    """File → Open… of ``path``; ``then``: (dialog class, answer) pairs that follow."""
    answers.expect(QFileDialog, path)
    for kind, answer in then:
        answers.expect(kind, answer)
    window.actions_by_name["actionOpen"].trigger()


def load_note(qtbot) -> str:
    """The text of the non-blocking note shown after a project opened (then closed)."""
    boxes = []

    def shown():
        boxes[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "importMessage" and w.isVisible()
        ]
        assert boxes

    qtbot.waitUntil(shown)
    text = boxes[0].text()
    boxes[0].button(Button.Ok).click()
    return text


def test_a_damaged_site_is_named_on_open_and_kept_byte_for_byte_by_save(
    qtbot, main_window, answers, project
):
    w = main_window
    (damaged,) = flip_geometry(project, "sites_points", "name = 's1'")
    open_through_the_menu(w, answers, project)
    note = load_note(qtbot)
    assert "'sites_points'" in note and f"fid {damaged[0]}" in note
    assert sorted(w.stack.get("sites").data["name"]) == ["s0", "s2"]

    w.actions_by_name["actionSave"].trigger()
    assert not w.isWindowModified()
    with sqlite3.connect(project) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sites_points ORDER BY name")]
        (kept,) = con.execute("SELECT * FROM sites_points WHERE name = 's1'").fetchall()
    con.close()
    assert names == ["s0", "s1", "s2"]
    assert kept[1:] == damaged[1:]  # every column, the geometry blob's bytes included


@pytest.mark.parametrize(
    "changes, setting",
    [
        ({"radius_m": float("inf")}, "radius_m"),
        ({"radius_m": 1e300}, "radius_m"),
        ({"view": [1e300, 1e300, 1e300]}, "view"),
        ({"view": [190000.0, 545000.0, 0.0]}, "view"),
        ({"view": [190000.0, 545000.0, -2.0], "weights": {"startups": float("nan")}}, "view"),
    ],
)
def test_absurd_settings_open_and_paint_with_a_note(qtbot, project, changes, setting):
    """Regression: these crashed the paint ("int too big to convert", "math domain error")."""
    from app.ui.gui import open_main_window, wait_until_drawn

    with_settings(project, changes)
    window = open_main_window(project, (900, 600), clamp_to_screen=False)
    try:
        window.show()
        qtbot.waitExposed(window)
        assert wait_until_drawn(window)
        window.grab()  # paints every widget, badges and catchments included
        assert setting in window.statusBar().currentMessage()
        assert 0 < window.editing.radius_m <= 10_000
        assert 0 < window.canvas.viewport.resolution <= 2000
    finally:
        window.project._set_clean()
        window.close()
        window.deleteLater()


def test_a_newer_project_is_refused_by_the_gui(qtbot, main_window, answers, project):
    set_project_value(project, "format_version", "2")
    open_through_the_menu(main_window, answers, project, (QMessageBox, Button.Ok))
    qtbot.waitUntil(lambda: not answers.pending)
    assert "newer InnoAtlas" in answers.seen[-1][2]
    assert main_window.project.path != project


def test_a_second_window_is_warned_and_opens_read_only(
    qtbot, main_window, second_window, answers, project, tmp_path
):
    first, second = main_window, second_window
    open_through_the_menu(first, answers, project)
    assert first.project.path == project and lock_path(project).exists()

    seen: list = []
    answer_message_box(READ_ONLY, seen)
    assert second.project.open_path(project)
    ((title, text),) = seen
    assert "plan.gpkg" in text and "another InnoAtlas" in text
    assert "(read-only)" in second.windowTitle()

    # Saving the read-only project asks for a new file; cancelled, nothing is written.
    before = project.read_bytes()
    answers.expect(QFileDialog, None)
    second.actions_by_name["actionSave"].trigger()
    qtbot.waitUntil(lambda: not answers.pending)
    assert project.read_bytes() == before
    # Saved under a new name, it is a normal project again.
    answers.expect(QFileDialog, tmp_path / "mine.gpkg")
    second.actions_by_name["actionSave"].trigger()
    assert second.project.path == tmp_path / "mine.gpkg"
    assert "(read-only)" not in second.windowTitle()

    first.close()  # closing the project removes its lock
    assert not lock_path(project).exists()


def test_a_stale_lock_is_ignored(qtbot, main_window, answers, project):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    lock_path(project).write_text(
        json.dumps(
            {
                "pid": child.pid,
                "host": __import__("socket").gethostname(),
                "user": "crashed",
                "time": "2026-01-01 09:00",
                "instance": "gone",
            }
        )
    )
    open_through_the_menu(main_window, answers, project)  # no question: the lock is stale
    assert main_window.project.path == project
    assert json.loads(lock_path(project).read_text())["pid"] != child.pid
