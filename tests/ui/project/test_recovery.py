"""Crash recovery for real (issue 3): a process with unsaved edits is SIGKILLed, then the
project is opened again and the autosaved edits are offered back; a kill during a save
leaves the previous file intact."""

import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import shapely
from PySide6.QtWidgets import QMessageBox

from app.core.paths import ROOT
from app.core.project.store import ProjectSettings, open_project, save_project
from tests.ui.message_boxes import answer_message_box

Button = QMessageBox.StandardButton
MARKER = "RECOVERY-WRITTEN"

# Runs in a child process: open the project, make two unsaved sites (one named in
# Korean), wait until the autosave timer has written the recovery file, report, hang.
EDITOR = r"""
import json, sys, time
from pathlib import Path
import shapely
from app.core.sites.geometry import CheckedGeometry, rectangle
from app.ui.gui import application, open_main_window, wait_until_drawn
from app.ui.project.controller import recovery_path
from app.ui.sites.commands import SetAttributesCommand

project = Path(sys.argv[1])
app = application()
window = open_main_window(project, (900, 600), clamp_to_screen=False)
window.show()
wait_until_drawn(window)
first = window.editing.add_site(CheckedGeometry(shapely.Point(190321.5, 545432.25)))
window.undo_stack.push(SetAttributesCommand(window.editing.layer, first,
                                            {"name": "마곡 후보지 ①", "notes": "복구 시험"}))
window.editing.add_site(rectangle(191000.0, 546000.0, 191180.0, 546075.5))
target = recovery_path(window.project.path)
deadline = time.monotonic() + 30
while not target.exists() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
data = window.stack.get("sites").data
sites = [{"site_id": s, "name": n, "notes": t, "wkt": g.wkt} for s, n, t, g in
         zip(data["site_id"], data["name"], data["notes"], data.geometry)]
print("RECOVERY-WRITTEN" if target.exists() else "NO-RECOVERY", json.dumps(sites),
      flush=True)
time.sleep(120)
"""

# Runs in a child process: save a big project over an existing file (gets SIGKILLed).
SAVER = r"""
import sys
from pathlib import Path
from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project, save_project
from layers.themes.synthetic import generate_startups

project = open_project(DEFAULT_PROJECT)
stack = project.stack
stack.get("startups").set_data(generate_startups(
    300_000, stack.get("districts").data, stack.get("stations").data,
    stack.get("education").data, seed=7))
print("SAVING", flush=True)
save_project(Path(sys.argv[1]), stack, project.settings)
print("SAVED", flush=True)
"""


def child_env(tmp: Path) -> dict:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        INNOATLAS_AUTOSAVE_MS="200",
        INNOATLAS_DATA_DIR=str(tmp / "userdata"),
        XDG_CONFIG_HOME=str(tmp / "config"),
        PYTHONPATH=str(ROOT),
    )
    return env


def read_line_until(process: subprocess.Popen, prefix: str, timeout: float) -> str:
    """The first stdout line starting with ``prefix`` (fails after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            line = process.stdout.readline()
            if line.startswith(prefix):
                return line
            if not line and process.poll() is not None:
                break
    process.kill()
    _, err = process.communicate()
    pytest.fail(f"no {prefix!r} line from the child (exit {process.returncode}): {err[-2000:]}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def crashed(tmp_path_factory, default_project_path):
    """A saved project and the recovery file left by a SIGKILLed editing session."""
    folder = tmp_path_factory.mktemp("crashed")
    project = folder / "workshop.gpkg"
    save_project(project, open_project(default_project_path).stack, ProjectSettings())
    before = sha256(project)
    process = subprocess.Popen(
        [sys.executable, "-c", EDITOR, str(project)],
        cwd=ROOT,
        env=child_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = read_line_until(process, MARKER, timeout=60)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    sites = json.loads(line.split(" ", 1)[1])
    recovery = folder / "workshop.autosave.gpkg"
    assert recovery.exists()
    # The project itself was never touched by the autosave, and no temp file is left.
    assert sha256(project) == before
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".gpkg") == [
        "workshop.autosave.gpkg",
        "workshop.gpkg",
    ]
    return project, recovery, sites


@pytest.fixture
def reopened(qtbot, crashed, tmp_path):
    """A copy of the crashed project and its recovery file, opened in a main window."""
    from app.ui.gui import application, open_main_window, wait_until_drawn

    project, recovery, sites = crashed
    shutil.copy(project, tmp_path / project.name)
    shutil.copy(recovery, tmp_path / recovery.name)
    application()
    window = open_main_window(tmp_path / project.name, (900, 600), clamp_to_screen=False)
    window.show()
    qtbot.waitExposed(window)
    assert wait_until_drawn(window)
    yield window, tmp_path / project.name, tmp_path / recovery.name, sites
    window.project._set_clean()
    window.project.discard_recovery()
    window.close()
    window.deleteLater()


def test_recovery_after_kill_restores_the_unsaved_sites(qtbot, reopened):
    window, project, recovery, expected = reopened
    assert len(window.stack.get("sites").data) == 0  # the project file has no sites
    assert not window.isWindowModified()

    seen = []
    answer_message_box(Button.Yes, seen)
    assert window.project.offer_recovery() is True
    assert seen and seen[0][0] == "Recover unsaved changes?"
    assert "workshop" in seen[0][1]

    data = window.stack.get("sites").data
    assert data["name"].tolist() == ["마곡 후보지 ①", "Site 1"]
    assert data["name"].tolist() == [s["name"] for s in expected]
    assert data["site_id"].tolist() == [s["site_id"] for s in expected]
    assert data["notes"].tolist() == ["복구 시험", ""]
    for got, want in zip(data.geometry, expected):
        assert got.equals_exact(shapely.from_wkt(want["wkt"]), 1e-9)
    assert data["kind"].tolist() == ["point", "polygon"]
    # Restored, not saved: the window says so, and Save still goes to the original file.
    assert window.isWindowModified()
    assert window.project.path == project
    assert window.windowTitle().startswith("workshop[*]")
    assert window.sites_panel.model.rowCount() == 2
    assert len(open_project(project).stack.get("sites").data) == 0

    # Saving makes it permanent and removes the recovery file.
    assert window.project.save_to(project)
    assert not recovery.exists()
    saved = open_project(project).stack.get("sites").data
    pd.testing.assert_series_equal(saved["name"], data["name"])


def test_declining_recovery_deletes_the_recovery_file(qtbot, reopened):
    window, project, recovery, _expected = reopened
    before = sha256(project)
    seen = []
    answer_message_box(Button.No, seen)
    assert window.project.offer_recovery() is False
    assert seen
    assert not recovery.exists()
    assert len(window.stack.get("sites").data) == 0
    assert not window.isWindowModified()
    assert window.project.path == project
    assert sha256(project) == before
    # Nothing left to offer next time.
    assert window.project.offer_recovery() is False


def test_kill_during_a_save_leaves_the_previous_file_intact(tmp_path, default_project_path):
    target = tmp_path / "big.gpkg"
    old = open_project(default_project_path)
    from app.core.sites import edits as site_ops

    site_ops.insert_site(
        old.stack.get("sites"), site_ops.make_site(shapely.Point(190500.0, 545500.0), "이전 후보지")
    )
    save_project(target, old.stack, old.settings)
    before = sha256(target)
    old_sites = open_project(target).stack.get("sites").data

    process = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(target)],
        cwd=ROOT,
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        read_line_until(process, "SAVING", timeout=60)
        # Kill once the temporary file holds part of the start-ups (the layers before
        # them take < 2 MB, the whole file ~40 MB): certainly in the middle of the write.
        deadline = time.monotonic() + 30
        temporary = []
        while time.monotonic() < deadline and process.poll() is None:
            temporary = list(tmp_path.glob(".big.*.saving.gpkg"))
            try:
                if temporary and temporary[0].stat().st_size > 8_000_000:
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.002)
        finished = process.poll() is not None
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        out, _err = process.communicate(timeout=10)
    assert not finished and "SAVED" not in out, "the save finished before the kill"
    assert process.returncode == -signal.SIGKILL
    assert temporary and temporary[0].stat().st_size > 8_000_000  # killed mid-write

    assert sha256(target) == before
    reopened = open_project(target)
    pd.testing.assert_frame_equal(
        pd.DataFrame(reopened.stack.get("sites").data), pd.DataFrame(old_sites)
    )
    assert len(reopened.stack.get("startups").data) == len(old.stack.get("startups").data)


def test_untitled_project_autosaves_to_the_user_data_folder(
    qtbot, monkeypatch, tmp_path, default_project_path
):
    """The timer autosaves an unsaved default project under INNOATLAS_DATA_DIR; a new
    window on the default project offers it back."""
    from app.core.sites.geometry import CheckedGeometry
    from app.ui.gui import application, open_main_window
    from app.ui.project.controller import recovery_path, user_data_dir

    monkeypatch.setenv("INNOATLAS_AUTOSAVE_MS", "50")
    application()
    windows = []
    try:
        first = open_main_window(default_project_path, (800, 600), clamp_to_screen=False)
        windows.append(first)
        first.show()
        assert first.project.path is None
        site = first.editing.add_site(CheckedGeometry(shapely.Point(190400.0, 545600.0)))
        target = recovery_path(None)
        assert target.parent.parent == user_data_dir() == tmp_path / "userdata"
        qtbot.waitUntil(target.exists, timeout=5000)
        assert first.editing.last_message.startswith("Autosaved")

        second = open_main_window(default_project_path, (800, 600), clamp_to_screen=False)
        windows.append(second)
        second.show()
        seen = []
        answer_message_box(Button.Yes, seen)
        assert second.project.offer_recovery() is True
        assert "Untitled" in seen[0][1]
        assert second.stack.get("sites").data["site_id"].tolist() == [site]
        assert second.project.path is None and second.isWindowModified()
    finally:
        for window in windows:
            window.project._set_clean()
            window.project.discard_recovery()
            window.close()
            window.deleteLater()
