"""A project with a large table opens at once: the window draws the other layers, the
large layer arrives from a worker thread (busy bar in the status bar meanwhile) and is
drawn; a save in the meantime waits for it, so no feature is lost."""

import shutil

import numpy as np
import pytest
from PySide6.QtWidgets import QProgressBar

from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project
from app.ui.gui import open_main_window, wait_until_drawn
from app.ui.project.deferred import large_tables


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "big.gpkg"
    shutil.copy(DEFAULT_PROJECT, path)
    return path


@pytest.fixture
def opened(qtbot):
    """Open a project with 6 000 start-ups counted as "large" (the path of a million, in
    a test's time); closed without questions afterwards."""
    windows = []

    def open_(path):
        window = open_main_window(path, (1000, 700), clamp_to_screen=False, defer_above=1000)
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.deferred_layers.wait()
        window.project._set_clean()
        window.project.discard_recovery()
        window.close()
        window.deleteLater()


def _sector_pixels(window) -> int:
    """Pixels of the map near a start-up sector's colour (drawn with alpha 0.8)."""
    window.canvas.repaint()
    image = window.canvas.render_now()
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, -1)[:, : width * 4]
    rgb = pixels.reshape(height, width, 4)[:, :, 2::-1].reshape(-1, 3).astype(int)
    sectors = np.array([[0x4E, 0x79, 0xA7], [0xF2, 0x8E, 0x2B], [0x59, 0xA1, 0x4F]])
    near = np.abs(rgb[:, None, :] - sectors[None, :, :]).max(axis=2) < 30
    return int(near.any(axis=1).sum())


def test_large_tables_are_found_by_their_counts(project_path):
    assert large_tables(project_path, 1000) == {"startups"}
    assert large_tables(project_path) == set()  # the default project has none


def test_the_window_draws_first_and_the_large_layer_arrives(qtbot, opened, project_path):
    expected = len(open_project(project_path).stack.get("startups").data)
    window = opened(project_path)
    startups = window.stack.get("startups")
    assert len(startups.data) == 0  # not read yet
    assert len(window.stack.get("stations").data) > 0
    window.show()
    assert wait_until_drawn(window)
    bar = window.statusBar().findChild(QProgressBar, "deferredLayersProgress")
    if len(startups.data) == 0:  # still reading: the status bar says so
        assert bar is not None and bar.isVisible()
        assert "Reading" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: len(startups.data) == expected, timeout=30_000)
    qtbot.waitUntil(
        lambda: window.statusBar().findChild(QProgressBar, "deferredLayersProgress") is None
    )
    assert f"{expected:,} features read" in window.statusBar().currentMessage()
    # the map is drawn with them: many more pixels of the sectors' colours than without
    window.canvas.zoom_to_extent(window.stack.get("districts").extent)
    shown = _sector_pixels(window)
    startups.set_visible(False)
    hidden = _sector_pixels(window)
    assert shown > 2 * hidden + 500


def test_a_save_while_reading_waits_and_keeps_every_feature(opened, project_path, tmp_path):
    expected = len(open_project(project_path).stack.get("startups").data)
    window = opened(project_path)
    assert len(window.stack.get("startups").data) == 0
    out = tmp_path / "saved.gpkg"
    assert window.project.save_to(out)  # at once, before the layer arrived
    assert len(open_project(out).stack.get("startups").data) == expected


def test_file_open_reads_a_large_layer_after_the_map_shows(
    qtbot, main_window, project_path, monkeypatch
):
    from app.ui.project import deferred

    monkeypatch.setattr(deferred, "LARGE_LAYER", 1000)  # 6 000 start-ups count as large
    expected = len(open_project(project_path).stack.get("startups").data)
    w = main_window
    assert w.project.open_path(project_path, confirmed=True)
    startups = w.stack.get("startups")
    assert len(startups.data) == 0 and "Reading" in w.statusBar().currentMessage()
    qtbot.waitUntil(lambda: len(startups.data) == expected, timeout=30_000)
    assert w.project.path == project_path and not w.project.dirty


def test_after_a_failed_read_save_refuses_and_the_file_keeps_its_features(
    qtbot, opened, project_path, tmp_path
):
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from tests.ui.message_boxes import answer_message_box

    expected = len(open_project(project_path).stack.get("startups").data)
    window = opened(project_path)
    # the table goes away before the read starts (it starts after the first frame)
    copy = tmp_path / "kept.gpkg"
    shutil.copy(project_path, copy)
    with sqlite3.connect(project_path) as db:
        db.execute("DELETE FROM gpkg_contents WHERE table_name = 'startups'")
        db.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = 'startups'")
    window.show()
    assert wait_until_drawn(window)
    qtbot.waitUntil(lambda: not window.deferred_layers.pending, timeout=30_000)
    assert "startups" in window.deferred_layers.failed
    assert "Cannot read the layer startups" in window.statusBar().currentMessage()
    seen = []
    answer_message_box(QMessageBox.StandardButton.Ok, seen)
    assert not window.project.save_to(copy)  # would write an empty start-ups table
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0][0] == "Cannot save project" and "could not be read" in seen[0][1]
    assert len(open_project(copy).stack.get("startups").data) == expected
    window.project.mark_settings_dirty()  # an unsaved change: autosave would run now
    assert window.project.autosave() is None
    assert not window.project.recovery_file().exists()
