"""File menu behaviour: new, open, save, save as, recent files, autosave and recovery.

The project's layers live in one :class:`LayerStack` for the whole session;
opening a project replaces the stack's contents, so every view stays connected.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.core.errors import InnoAtlasError
from app.core.paths import DEFAULT_PROJECT
from app.core.project.lock import ProjectLock
from app.core.project.scenes import scenes_to_settings
from app.core.project.store import Project, ProjectSettings, open_project, save_project
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.project import deferred, lock_dialogs
from layers.model import LayerStack

AUTOSAVE_MS = 30_000
MAX_RECENT = 8
FILTER = "InnoAtlas project (*.gpkg)"


def user_data_dir() -> Path:
    """Folder for recovery files (``INNOATLAS_DATA_DIR`` overrides it, e.g. in tests)."""
    override = os.environ.get("INNOATLAS_DATA_DIR")
    if override:
        return Path(override)
    return Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    )


def recovery_path(project_path: Path | None, read_only: bool = False) -> Path:
    """Where unsaved changes of ``project_path`` are autosaved.

    A project open read-only (another instance has it open and autosaves next to it)
    autosaves to the user data folder instead.
    """
    if project_path is None:
        return user_data_dir() / "recovery" / "untitled.autosave.gpkg"
    if read_only:
        return user_data_dir() / "recovery" / f"{project_path.stem}.read-only.autosave.gpkg"
    return project_path.with_name(project_path.stem + ".autosave.gpkg")


def replace_contents(stack: LayerStack, new: LayerStack) -> None:
    """Make ``stack`` hold the layers of ``new`` (same order), emitting the usual signals."""
    for layer in list(stack):
        stack.remove(layer)
    for layer in list(new):
        new.remove(layer)
        stack.append(layer)


class ProjectController(QObject):
    """Owns the project path, its settings and its saved/unsaved state.

    Signals
    -------
    projectLoaded()
        The stack holds a different project now.
    stateChanged()
        Title-relevant state changed (path or unsaved mark).
    """

    projectLoaded = Signal()
    stateChanged = Signal()

    def __init__(
        self,
        window: QWidget,
        stack: LayerStack,
        undo_stack,
        canvas,
        editing,
        path: Path | None = None,
        settings: ProjectSettings | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.stack, self.undo_stack = window, stack, undo_stack
        self.canvas, self.editing = canvas, editing
        self.path = path
        self.settings = settings or ProjectSettings()
        self._settings_dirty = False
        #: How many times the settings were marked unsaved (see :meth:`settings_mark`).
        self._settings_marks = 0
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(int(os.environ.get("INNOATLAS_AUTOSAVE_MS", AUTOSAVE_MS)))
        self.autosave_timer.timeout.connect(self.autosave)
        self.last_autosave: Path | None = None
        #: The lock file of the open project (app/core/project/lock.py).
        self.lock = ProjectLock()
        #: Open read-only: another instance has the file open; Save asks for a new file.
        self.read_only = False
        #: More tables every save and autosave writes (``ExtraTables`` of core's store, e.g.
        #: the participation results); each may have ``saved(path)``, called after a save.
        self.table_writers: list = []
        undo_stack.cleanChanged.connect(self._on_state)
        undo_stack.indexChanged.connect(self._on_state)
        stack.layer_changed.connect(self._on_layer_view_change)
        stack.moved.connect(lambda *_: self.mark_settings_dirty())

    # -- state ---------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """True when there are changes that are not saved."""
        try:
            return not self.undo_stack.isClean() or self._settings_dirty
        except RuntimeError:  # the window is being destroyed: its undo stack went first
            return False

    @property
    def display_name(self) -> str:
        if self.path is None:
            return tr("Untitled (default project)")
        return tr("{name} (read-only)", name=self.path.stem) if self.read_only else self.path.stem

    def _on_layer_view_change(self, _layer, what: str) -> None:
        if what in ("visible", "opacity"):
            self.mark_settings_dirty()

    def mark_settings_dirty(self) -> None:
        """Mark the project settings (weights, radius, view, sketch …) as unsaved.

        The window title shows the change and autosave starts; see also
        :meth:`settings_mark`.
        """
        self._settings_marks += 1
        self._settings_dirty = True
        self._on_state()

    def settings_mark(self) -> tuple[bool, int]:
        """The settings' unsaved state now: ``(unsaved, marks so far)``.

        Pass it to :meth:`restore_settings_mark` to undo a passing change (e.g. the
        layer visibility of a presentation) without hiding other edits.
        """
        return self._settings_dirty, self._settings_marks

    def restore_settings_mark(self, mark: tuple[bool, int], own_marks: int) -> bool:
        """Put the settings' unsaved state back to ``mark`` if nothing else changed.

        Parameters
        ----------
        mark : (bool, int)
            A :meth:`settings_mark` taken before the passing change.
        own_marks : int
            How many marks since then came from the passing change itself (and were
            undone by the caller). Any other mark keeps the settings unsaved.

        Returns
        -------
        bool
            True when the state was put back.
        """
        unsaved, marks = mark
        if self._settings_marks - marks != own_marks:
            return False
        if self._settings_dirty != unsaved:
            self._settings_dirty = unsaved
            if not self.dirty:
                self.autosave_timer.stop()
            self._on_state()
        return True

    def _on_state(self, *_args) -> None:
        try:
            self.undo_stack.isClean()
        except RuntimeError:
            return  # emitted by the undo stack's destructor at quit
        if self.dirty and not self.autosave_timer.isActive():
            self.autosave_timer.start()
        self.stateChanged.emit()

    def _set_clean(self) -> None:
        self._settings_marks += 1  # saved or loaded: an older mark no longer applies
        self.undo_stack.setClean()
        self._settings_dirty = False
        self.autosave_timer.stop()
        self.stateChanged.emit()

    # -- load ----------------------------------------------------------------------------
    def load(self, project: Project, path: Path | None, dirty: bool = False) -> None:
        """Show ``project``; ``path`` is where Save writes (None: ask)."""
        self.editing.select(None)
        replace_contents(self.stack, project.stack)
        self.path = path
        self.settings = project.settings
        self.load_notes = list(project.notes)
        self.editing.radius_m = float(self.settings.radius_m)
        self.undo_stack.clear()
        view = self.settings.view
        if len(view) == 3:
            self.canvas.set_view(*view)
        self.projectLoaded.emit()
        self._set_clean()
        if dirty:
            self.mark_settings_dirty()

    def confirm_discard(self) -> bool:
        """Ask to save unsaved changes; False when the user cancels."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self.window,
            tr("Unsaved changes"),
            tr("Save the changes to {name} before closing it?", name=self.display_name),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self) -> bool:
        """File → New: the embedded default project, unsaved."""
        if not self.confirm_discard():
            return False
        return self.open_path(DEFAULT_PROJECT, as_new=True, confirmed=True)

    def open_dialog(self) -> bool:
        """File → Open…"""
        if not self.confirm_discard():
            return False
        name, _ = QFileDialog.getOpenFileName(
            self.window,
            tr("Open project"),
            str(self.path.parent if self.path else Path.home()),
            FILTER,
        )
        return bool(name) and self.open_path(Path(name), confirmed=True)

    def open_path(self, path: Path, as_new: bool = False, confirmed: bool = False) -> bool:
        """Open a project file; on error show a message and change nothing."""
        if not confirmed and not self.confirm_discard():
            return False
        read_only = False
        if not as_new:
            choice = self.ask_about_lock(Path(path))
            if choice is None:
                return False
            if choice == "copy":
                copy = self.copy_dialog(Path(path))
                if copy is None:
                    return False
                path = copy
            read_only = choice == "read-only"
        # Large tables (a million start-ups) are read after the map shows the rest.
        defer = deferred.large_tables(Path(path), deferred.LARGE_LAYER)
        try:
            project = open_project(path, defer=defer)
        except InnoAtlasError as err:
            QMessageBox.warning(self.window, tr("Cannot open project"), str(err))
            return False
        self.discard_recovery()
        self.read_only = read_only
        self.load(project, None if as_new else Path(path))
        if defer:
            specs = deferred.layer_specs(project.settings)
            self.window.deferred_layers = deferred.DeferredLayers(
                self.window, Path(path), {name: specs[name] for name in defer if name in specs}
            )
        self.lock.release()
        if not as_new and not read_only:
            self.lock.acquire(Path(path))
        if not as_new:
            self.add_recent(Path(path))
        self.offer_recovery()
        return True

    # -- lock file (app/core/project/lock.py) ---------------------------------------------
    def ask_about_lock(self, path: Path, can_cancel: bool = True) -> str | None:
        """ "open", or what the user chose when ``path`` is open in another instance:
        "read-only", "copy", "anyway"; None to cancel (see ``lock_dialogs``)."""
        return lock_dialogs.ask_about_lock(self.window, self.lock, path, can_cancel)

    def copy_dialog(self, path: Path) -> Path | None:
        """Copy ``path`` to a file the user names (Open a copy); None when cancelled."""
        return lock_dialogs.copy_dialog(self.window, path)

    def confirm_overwrite_open(self, path: Path) -> bool:
        """Ask before saving over a file another instance has open."""
        return lock_dialogs.confirm_overwrite_open(self.window, self.lock, path)

    def claim_lock(self) -> None:
        """Lock the project the window started with, asking first when another instance
        has it open (no Cancel: the window is already there; Escape opens it read-only)."""
        if self.path is None:
            return
        choice = self.ask_about_lock(self.path, can_cancel=False)
        if choice == "copy":
            copy = self.copy_dialog(self.path)
            if copy is not None and self.open_path(copy, confirmed=True):
                return
            choice = "read-only"
        self.read_only = choice == "read-only"
        if not self.read_only:
            self.lock.acquire(self.path)
        self.stateChanged.emit()

    def release_lock(self) -> None:
        """Remove this window's lock file (on close)."""
        self.lock.release()

    # -- save ----------------------------------------------------------------------------
    def capture_settings(self) -> ProjectSettings:
        """Project settings as they are now in the window."""
        viewport = self.canvas.viewport
        self.settings.view = [viewport.center_x, viewport.center_y, viewport.resolution]
        self.settings.radius_m = self.editing.radius_m
        self.settings.language = i18n.language()  # informative: the UI language is app-wide
        indicators = getattr(self.window, "indicators", None)
        if indicators is not None:
            self.settings.weights = indicators.weights.to_dict()
        # An unfinished polygon is kept too: autosave and crash recovery must not lose it.
        sketch = getattr(getattr(self.window, "polygon_tool", None), "vertices", [])
        if sketch:
            self.settings.extra["pending_sketch"] = [list(map(float, v)) for v in sketch]
        else:
            self.settings.extra.pop("pending_sketch", None)
        scenes = getattr(self.window, "scenes", None)
        if scenes is not None:
            scenes_to_settings(self.settings.extra, scenes.scenes)
        self.settings.capture_layers(self.stack)
        return self.settings

    def save(self) -> bool:
        """File → Save (asks for a file the first time, and when open read-only)."""
        if self.path is None or self.read_only:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        """File → Save As…"""
        start = str(self.path) if self.path else str(Path.home() / "innoatlas-project.gpkg")
        name, _ = QFileDialog.getSaveFileName(self.window, tr("Save project as"), start, tr(FILTER))
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != ".gpkg":
            path = path.with_suffix(".gpkg")
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Write the project to ``path``; a failure shows a message and keeps the changes."""
        if Path(path).resolve() == DEFAULT_PROJECT.resolve():
            QMessageBox.warning(
                self.window,
                tr("Cannot save"),
                tr(
                    "The embedded default project cannot be overwritten; "
                    "choose another file with Save As."
                ),
            )
            return False
        if not self.confirm_overwrite_open(Path(path)):
            return False
        blocked = self._unsaveable()
        if blocked:
            QMessageBox.warning(self.window, tr("Cannot save project"), blocked)
            return False
        try:
            notes = save_project(
                path, self.stack, self.capture_settings(), extra_tables=self.table_writers
            )
        except InnoAtlasError as err:
            QMessageBox.warning(self.window, tr("Cannot save project"), str(err))
            return False
        if notes:  # the engine's notes stay English, like the load notes
            self.editing.notify(tr("Saved; note: {notes}", notes="; ".join(notes)))
        old_recovery = self.recovery_file()
        self.path, self.read_only = Path(path), False
        old_recovery.unlink(missing_ok=True)
        self.discard_recovery()
        if self.lock.project is None or self.lock.project.resolve() != self.path.resolve():
            self.lock.acquire(self.path)
        self.add_recent(self.path)
        self._set_clean()
        for writer in self.table_writers:
            if hasattr(writer, "saved"):
                writer.saved(self.path)
        return True

    def _unsaveable(self) -> str:
        """Why saving now would lose features (a large layer not read: gui.py), or ""."""
        deferred = getattr(self.window, "deferred_layers", None)
        return "" if deferred is None else deferred.blocks_saving()

    # -- autosave and recovery -----------------------------------------------------------
    def autosave(self) -> Path | None:
        """Write unsaved changes to the recovery file (not to the project itself)."""
        if not self.dirty or self._unsaveable():
            return None
        target = self.recovery_file()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            save_project(
                target,
                self.stack,
                self.capture_settings(),
                remember=False,
                extra_tables=self.table_writers,
            )
        except (InnoAtlasError, OSError) as err:
            self.editing.notify(tr("Autosave failed: {error}", error=err))
            return None
        self.last_autosave = target
        self.editing.notify(
            tr("Autosaved unsaved changes at {time}", time=f"{datetime.now():%H:%M:%S}")
        )
        return target

    def discard_recovery(self) -> None:
        """Delete the recovery file of the current project."""
        self.recovery_file().unlink(missing_ok=True)

    def recovery_file(self) -> Path:
        """Where this window autosaves the current project (see :func:`recovery_path`)."""
        return recovery_path(self.path, self.read_only)

    def offer_recovery(self) -> bool:
        """If a recovery file exists for the current project, offer to restore it."""
        recovery = self.recovery_file()
        if not recovery.exists():
            return False
        stamp = datetime.fromtimestamp(recovery.stat().st_mtime)
        answer = QMessageBox.question(
            self.window,
            tr("Recover unsaved changes?"),
            tr(
                "InnoAtlas was closed with unsaved changes to {name} (autosaved {stamp}). "
                "Restore them?",
                name=self.display_name,
                stamp=f"{stamp:%Y-%m-%d %H:%M:%S}",
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            recovery.unlink(missing_ok=True)
            return False
        try:
            project = open_project(recovery)
        except InnoAtlasError as err:
            QMessageBox.warning(
                self.window,
                tr("Cannot recover"),
                tr(
                    "The recovery file is damaged ({error}); it was kept at {path}.",
                    error=err,
                    path=recovery,
                ),
            )
            return False
        self.load(project, self.path, dirty=True)
        return True

    # -- recent files --------------------------------------------------------------------
    def recent(self) -> list[Path]:
        """Recently opened or saved projects that still exist, newest first."""
        values = QSettings().value("recentProjects", []) or []
        if isinstance(values, str):
            values = [values]
        return [Path(v) for v in values if Path(v).exists()]

    def add_recent(self, path: Path) -> None:
        paths = [str(path.resolve())] + [
            str(p) for p in self.recent() if p.resolve() != path.resolve()
        ]
        QSettings().setValue("recentProjects", paths[:MAX_RECENT])
