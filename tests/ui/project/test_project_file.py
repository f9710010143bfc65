"""File menu (issue 3): title and unsaved mark, save, close/new/open questions, recent files.

Modal dialogs (QMessageBox, QFileDialog) are answered by a QTimer callback that finds
the visible dialog and clicks a button; :class:`Answers` queues the expected dialogs so
that a chain of them (question, then file dialog, then warning) is answered in order.
"""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from app.core.errors import ProjectLoadError
from app.core.project.store import open_project
from app.core.sites.geometry import CheckedGeometry, rectangle
from app.ui.sites.commands import SetAttributesCommand

Button = QMessageBox.StandardButton
POINT = shapely.Point(190250.0, 545500.0)


class Answers:
    """Answer the modal dialogs that will open, in order.

    ``expect(QMessageBox, Button.Cancel)`` clicks a button of the next visible message
    box; ``expect(QFileDialog, path)`` selects ``path`` in the next visible file dialog
    and accepts it; ``expect(QFileDialog, None)`` cancels it. ``seen`` records
    ``(class name, title, text)`` of every answered dialog. A dialog nobody expected is
    closed after ~2 s and recorded in ``unexpected``, so a wrong guess fails the test
    instead of hanging it.
    """

    def __init__(self) -> None:
        self.queue: list = []
        self.seen: list[tuple[str, str, str]] = []
        self.unexpected: list[tuple[str, str, str]] = []
        self._idle_ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def expect(self, kind, answer) -> "Answers":
        self.queue.append((kind, answer))
        return self

    @property
    def pending(self) -> list:
        return list(self.queue)

    @staticmethod
    def _visible(kind) -> list:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    def _tick(self) -> None:
        if self.queue and self._visible(self.queue[0][0]):
            kind, answer = self.queue[0]
            dialogs = self._visible(kind)
            self.queue.pop(0)
            dialog = dialogs[0]
            if isinstance(dialog, QMessageBox):
                self.seen.append(("QMessageBox", dialog.windowTitle(), dialog.text()))
                dialog.button(answer).click()
            elif answer is None:
                self.seen.append((type(dialog).__name__, dialog.windowTitle(), "cancel"))
                dialog.reject()
            else:
                self.seen.append((type(dialog).__name__, dialog.windowTitle(), str(answer)))
                # Type the name, as a user would: selectFile alone does not select a
                # file in "open" mode until the folder listing has loaded.
                dialog.selectFile(str(answer))
                dialog.findChild(QLineEdit, "fileNameEdit").setText(str(answer))
                dialog.accept()
            return
        strays = [
            d
            for d in self._visible((QMessageBox, QFileDialog))
            if not (self.queue and isinstance(d, self.queue[0][0]))
        ]
        self._idle_ticks = self._idle_ticks + 1 if strays else 0
        if strays and self._idle_ticks > 100:
            dialog = strays[0]
            self.unexpected.append(
                (type(dialog).__name__, dialog.windowTitle(), getattr(dialog, "text", lambda: "")())
            )
            dialog.reject()
            self._idle_ticks = 0


@pytest.fixture
def answers():
    helper = Answers()
    yield helper
    helper.timer.stop()
    assert not helper.unexpected, f"unexpected dialogs: {helper.unexpected}"


@pytest.fixture
def w(main_window):
    """The main window on the default project (short name)."""
    return main_window


def sites(window) -> gpd.GeoDataFrame:
    return window.stack.get("sites").data


def add_point(window, name: str | None = None) -> str:
    site_id = window.editing.add_site(CheckedGeometry(POINT))
    if name is not None:
        window.undo_stack.push(SetAttributesCommand(window.editing.layer, site_id, {"name": name}))
    return site_id


def add_rectangle(window) -> str:
    return window.editing.add_site(rectangle(191000.0, 546000.0, 191150.0, 546080.0))


def snapshot(window):
    """What must not change when an action is refused or fails."""
    return (
        window.stack.names(),
        sites(window).copy(),
        window.project.path,
        window.undo_stack.count(),
        window.isWindowModified(),
    )


def assert_unchanged(window, before) -> None:
    names, data, path, count, modified = before
    assert window.stack.names() == names
    pd.testing.assert_frame_equal(pd.DataFrame(sites(window)), pd.DataFrame(data))
    assert window.project.path == path
    assert window.undo_stack.count() == count
    assert window.isWindowModified() == modified


# -- title, unsaved mark, save -------------------------------------------------------------


def test_title_shows_name_and_unsaved_mark(qtbot, w, answers, tmp_path):
    assert w.project.path is None
    assert w.windowTitle() == "Untitled (default project)[*] — InnoAtlas"
    assert not w.isWindowModified() and len(sites(w)) == 0

    first = add_point(w, "가산 후보지")
    second = add_rectangle(w)
    assert w.isWindowModified()
    assert w.undo_stack.count() == 3 and len(sites(w)) == 2
    assert sites(w)["name"].tolist() == ["가산 후보지", "Site 1"]
    assert sites(w)["kind"].tolist() == ["point", "polygon"]
    assert w.editing.selected == second

    w.undo_stack.undo()  # the rectangle goes
    assert sites(w)["site_id"].tolist() == [first]
    w.undo_stack.redo()
    assert sites(w)["site_id"].tolist() == [first, second]

    path = tmp_path / "마곡 워크숍.gpkg"
    assert w.project.save_to(path)
    assert not w.isWindowModified()
    assert w.windowTitle() == "마곡 워크숍[*] — InnoAtlas"
    assert w.project.path == path and path.exists()

    # The file holds exactly what the window shows.
    saved = open_project(path).stack.get("sites").data
    pd.testing.assert_frame_equal(
        pd.DataFrame(saved.drop(columns="geometry")),
        pd.DataFrame(sites(w).drop(columns="geometry")),
    )
    assert saved.geometry.iloc[0].equals_exact(POINT, 0)

    # Undo after a save is an unsaved change again; redo back to the saved state is not.
    w.undo_stack.undo()
    assert w.isWindowModified() and len(sites(w)) == 1
    w.undo_stack.redo()
    assert not w.isWindowModified()


def test_layer_visibility_is_an_unsaved_change_and_is_saved(qtbot, w, answers, tmp_path):
    w.stack.get("zoning").set_visible(False)
    w.stack.get("dong").set_opacity(0.4)
    assert w.isWindowModified()
    w.zoom_to_district("magok")
    view = [w.canvas.viewport.center_x, w.canvas.viewport.center_y, w.canvas.viewport.resolution]
    path = tmp_path / "view.gpkg"
    assert w.project.save_to(path)
    assert not w.isWindowModified()
    loaded = open_project(path)
    assert loaded.stack.get("zoning").visible is False
    assert loaded.stack.get("dong").opacity == pytest.approx(0.4)
    assert loaded.settings.view == pytest.approx(view)

    # Opening it again in the window restores the view too.
    w.zoom_to_district("gvalley")
    assert w.project.open_path(path)
    assert [
        w.canvas.viewport.center_x,
        w.canvas.viewport.center_y,
        w.canvas.viewport.resolution,
    ] == pytest.approx(view)
    assert w.stack.get("zoning").visible is False
    assert not w.isWindowModified()


def test_save_on_the_untitled_project_asks_for_a_file(qtbot, w, answers, tmp_path):
    """File → Save on the default project opens the (Qt, offscreen) file dialog."""
    add_point(w, "양재 후보지")
    answers.expect(QFileDialog, tmp_path / "chosen")  # no suffix typed
    w.actions_by_name["actionSave"].trigger()
    assert not answers.pending, "the file dialog did not open"
    assert answers.seen[0][0] == "QFileDialog"
    path = tmp_path / "chosen.gpkg"
    assert w.project.path == path and path.exists()
    assert not w.isWindowModified()
    assert w.windowTitle().startswith("chosen[*]")
    assert open_project(path).stack.get("sites").data["name"].tolist() == ["양재 후보지"]

    # A second Save writes to the same file without asking.
    add_rectangle(w)
    w.actions_by_name["actionSave"].trigger()
    assert not w.isWindowModified()
    assert len(open_project(path).stack.get("sites").data) == 2


def test_save_as_cancelled_changes_nothing(qtbot, w, answers, tmp_path):
    add_point(w)
    before = snapshot(w)
    answers.expect(QFileDialog, None)
    assert w.project.save_as() is False
    assert answers.seen and answers.seen[0][2] == "cancel"
    assert_unchanged(w, before)
    assert list(tmp_path.iterdir()) == []


def test_save_to_an_unwritable_place_warns_and_keeps_changes(qtbot, w, answers):
    add_point(w)
    before = snapshot(w)
    answers.expect(QMessageBox, Button.Ok)
    assert w.project.save_to(Path("/proc/innoatlas.gpkg")) is False
    assert answers.seen and answers.seen[0][1] == "Cannot save project"
    assert "cannot save" in answers.seen[0][2]
    assert_unchanged(w, before)


def test_the_embedded_default_project_is_never_overwritten(qtbot, w, answers, default_project_path):
    add_point(w)
    before_bytes = default_project_path.read_bytes()
    answers.expect(QMessageBox, Button.Ok)
    assert w.project.save_to(default_project_path) is False
    assert answers.seen and "default project" in answers.seen[0][2]
    assert default_project_path.read_bytes() == before_bytes
    assert w.isWindowModified()


# -- closing ---------------------------------------------------------------------------------


def test_close_with_unsaved_changes_asks(qtbot, w, answers):
    add_point(w, "지우지 마세요")
    recovery = w.project.autosave()
    assert recovery is not None and recovery.exists()

    answers.expect(QMessageBox, Button.Cancel)
    assert w.close() is False
    assert answers.seen and answers.seen[0][1] == "Unsaved changes"
    assert "Untitled (default project)" in answers.seen[0][2]
    assert w.isVisible() and w.isWindowModified()
    assert sites(w)["name"].tolist() == ["지우지 마세요"]
    assert recovery.exists()  # cancelling keeps the recovery file too

    answers.expect(QMessageBox, Button.Discard)
    assert w.close() is True
    assert len(answers.seen) == 2 and not answers.pending
    assert not w.isVisible()
    assert not recovery.exists()  # discarded on purpose: nothing to recover


def test_close_answer_save_writes_the_project(qtbot, w, answers, tmp_path):
    path = tmp_path / "closing.gpkg"
    add_point(w)
    assert w.project.save_to(path)
    add_rectangle(w)
    answers.expect(QMessageBox, Button.Save)
    assert w.close() is True
    assert answers.seen and not w.isVisible()
    assert open_project(path).stack.get("sites").data["kind"].tolist() == ["point", "polygon"]


def test_close_without_changes_does_not_ask(qtbot, w, answers, tmp_path):
    add_point(w)
    assert w.project.save_to(tmp_path / "clean.gpkg")
    assert w.close() is True  # a question here would block the test


# -- open and new -------------------------------------------------------------------------------


def _bad_files(tmp_path):
    garbage = tmp_path / "garbage.gpkg"
    garbage.write_bytes(b"PK\x03\x04 this is a zip, not a GeoPackage" * 10)
    other = tmp_path / "roads.gpkg"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(
            {"name": ["강남대로"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:5186"
        ),
        other,
        layer="roads",
        driver="GPKG",
    )
    return {
        "garbage": (garbage, "not a GeoPackage"),
        "not-a-project": (other, "not an InnoAtlas project"),
    }


@pytest.mark.parametrize("kind", ["garbage", "not-a-project"])
def test_file_open_of_a_bad_file_warns_and_changes_nothing(qtbot, w, answers, tmp_path, kind):
    add_point(w, "남겨둘 후보지")
    add_rectangle(w)
    before = snapshot(w)
    bad, expected = _bad_files(tmp_path)[kind]
    with pytest.raises(ProjectLoadError):
        open_project(bad)

    (
        answers.expect(QMessageBox, Button.Discard)  # "save the changes?"
        .expect(QFileDialog, bad)
        .expect(QMessageBox, Button.Ok)
    )  # "Cannot open project"
    w.actions_by_name["actionOpen"].trigger()
    assert not answers.pending, answers.seen
    assert [s[0] for s in answers.seen] == ["QMessageBox", "QFileDialog", "QMessageBox"]
    title, text = answers.seen[2][1:]
    assert title == "Cannot open project" and expected in text
    # The failed open changed nothing: same layers, same sites, same path, still unsaved.
    assert_unchanged(w, before)
    assert sites(w)["name"].iloc[0] == "남겨둘 후보지"


def test_open_a_project_through_the_dialog(qtbot, w, answers, tmp_path):
    add_point(w, "저장된 후보지")
    path = tmp_path / "saved.gpkg"
    assert w.project.save_to(path)
    assert w.project.new()  # clean: no question
    assert len(sites(w)) == 0 and w.project.path is None

    answers.expect(QFileDialog, path)
    w.actions_by_name["actionOpen"].trigger()
    assert not answers.pending
    assert w.project.path == path
    assert sites(w)["name"].tolist() == ["저장된 후보지"]
    assert not w.isWindowModified() and w.undo_stack.count() == 0


def test_new_replaces_the_project_after_asking(qtbot, w, answers, tmp_path):
    default_names = [n for n in w.stack.names()]
    path = tmp_path / "before-new.gpkg"
    add_point(w)
    assert w.project.save_to(path)
    add_rectangle(w)
    w.stack.get("gu").set_visible(False)
    before = snapshot(w)

    answers.expect(QMessageBox, Button.Cancel)
    assert w.project.new() is False
    assert answers.seen and answers.seen[0][1] == "Unsaved changes"
    assert "before-new" in answers.seen[0][2]
    assert_unchanged(w, before)

    answers.expect(QMessageBox, Button.Discard)
    w.actions_by_name["actionNew"].trigger()
    assert len(answers.seen) == 2 and not answers.pending
    assert w.project.path is None
    assert len(sites(w)) == 0
    assert w.stack.names() == default_names
    assert w.stack.get("gu").visible
    assert w.undo_stack.count() == 0 and not w.isWindowModified()
    assert w.windowTitle().startswith("Untitled (default project)")
    # The discarded edits never reached the saved file.
    assert open_project(path).stack.get("sites").data["kind"].tolist() == ["point"]


# -- recent files -------------------------------------------------------------------------------


def test_recent_files_list_saved_projects(qtbot, w, answers, tmp_path):
    assert w.project.recent() == []
    first, second = tmp_path / "first.gpkg", tmp_path / "둘째.gpkg"
    add_point(w, "first")
    assert w.project.save_to(first)
    add_rectangle(w)
    assert w.project.save_to(second)
    assert w.project.recent() == [second.resolve(), first.resolve()]

    w.recent_menu.aboutToShow.emit()
    entries = [a.text() for a in w.recent_menu.actions()]
    assert entries == [str(second.resolve()), str(first.resolve())]

    # Picking the older entry opens it (no question: nothing is unsaved).
    w.recent_menu.actions()[1].trigger()
    assert w.project.path == first.resolve()
    assert sites(w)["name"].tolist() == ["first"]
    assert w.project.recent()[0] == first.resolve()

    # A deleted project drops out of the list.
    second.unlink()
    assert w.project.recent() == [first.resolve()]


# -- window life cycle ----------------------------------------------------------------------


def test_destroying_a_window_with_undo_history_raises_nothing(
    qtbot, tmp_path, default_project_path
):
    """Regression: the QUndoStack (created before the ProjectController, so destroyed
    first) clears itself in its destructor and emits indexChanged; the controller then
    read the deleted stack -> RuntimeError, i.e. a "Something went wrong" dialog when
    the app quit after any edit."""
    import shiboken6

    from app.ui.gui import application, open_main_window

    application()
    w = open_main_window(default_project_path, (900, 600), clamp_to_screen=False)
    w.show()
    add_point(w)
    assert w.project.save_to(tmp_path / "saved.gpkg")  # nothing unsaved: no question
    assert w.close()
    with qtbot.capture_exceptions() as exceptions:
        shiboken6.delete(w)  # what Python does to run_gui's window when the app quits
    assert [str(e[1]) for e in exceptions] == []
