"""The project's scenes as a Qt model with undoable edits (add, rename, move, delete).

:class:`ScenesModel` holds the ordered list of :class:`~app.core.project.scenes.Scene`; every
edit goes through a QUndoCommand on the window's undo stack (so it marks the project
dirty and Ctrl+Z takes it back), the command changes the list, the model emits
``changed`` and the Scenes panel and presentation mode redraw.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.core.map.viewport import Viewport
from app.core.project.scenes import Scene, localized, new_scene_id, renamed
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.sites.commands import set_text
from layers.model import LayerStack


class ScenesModel(QObject):
    """An ordered list of scenes.

    Signals
    -------
    changed()
        The list changed (any edit, undo, redo, a newly loaded project, or the default
        district titles following a new UI language).
    """

    changed = Signal()

    def __init__(self, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._scenes: list[Scene] = []
        i18n.notifier.languageChanged.connect(self.follow_language)

    # -- reading -------------------------------------------------------------------------
    @property
    def scenes(self) -> list[Scene]:
        """A copy of the list, in presentation order."""
        return list(self._scenes)

    def __len__(self) -> int:
        return len(self._scenes)

    def __getitem__(self, index: int) -> Scene:
        return self._scenes[index]

    def index_of(self, scene_id: str) -> int:
        """Position of the scene called ``scene_id``, -1 when there is none."""
        for i, scene in enumerate(self._scenes):
            if scene.scene_id == scene_id:
                return i
        return -1

    # -- loading (not undoable: a project brings its own list) ---------------------------
    def set_scenes(self, scenes) -> None:
        """Replace the whole list (opening a project)."""
        self._scenes = list(scenes)
        self.changed.emit()

    def follow_language(self, language: str | None = None) -> bool:
        """Give the untouched default district scenes their title in ``language``.

        Not undoable and not an edit: renamed scenes keep their titles. True when a
        title changed (then ``changed`` is emitted).
        """
        language = language or i18n.language()
        scenes = [localized(scene, language) for scene in self._scenes]
        if all(a is b for a, b in zip(scenes, self._scenes)):
            return False
        self._scenes = scenes
        self.changed.emit()
        return True

    # -- undoable edits ------------------------------------------------------------------
    def add(self, scene: Scene, index: int | None = None) -> int:
        """Insert ``scene`` at ``index`` (default: the end); returns its position."""
        index = len(self._scenes) if index is None else max(0, min(index, len(self._scenes)))
        self.undo_stack.push(_InsertScene(self, index, scene))
        return index

    def rename(self, index: int, title: str) -> bool:
        """Give scene ``index`` another title; False when the title is empty or the same."""
        title = title.strip()
        if not (0 <= index < len(self._scenes)) or not title or title == self._scenes[index].title:
            return False
        self.undo_stack.push(_ReplaceScene(self, index, renamed(self._scenes[index], title)))
        return True

    def move(self, index: int, to: int) -> bool:
        """Move scene ``index`` to position ``to`` (both in the list before the move)."""
        count = len(self._scenes)
        if not (0 <= index < count) or not (0 <= to < count) or index == to:
            return False
        self.undo_stack.push(_MoveScene(self, index, to))
        return True

    def delete(self, index: int) -> bool:
        """Remove scene ``index`` (undo puts it back at its place)."""
        if not 0 <= index < len(self._scenes):
            return False
        self.undo_stack.push(_RemoveScene(self, index))
        return True

    # -- used by the commands ------------------------------------------------------------
    def _insert(self, index: int, scene: Scene) -> None:
        # A default scene put back by undo/redo gets its title in today's language.
        self._scenes.insert(index, localized(scene, i18n.language()))
        self.changed.emit()

    def _pop(self, index: int) -> Scene:
        scene = self._scenes.pop(index)
        self.changed.emit()
        return scene

    def _replace(self, index: int, scene: Scene) -> Scene:
        old, self._scenes[index] = self._scenes[index], scene
        self.changed.emit()
        return old

    def _move(self, index: int, to: int) -> None:
        self._scenes.insert(to, self._scenes.pop(index))
        self.changed.emit()


def scene_of_view(
    scenes: ScenesModel, viewport: Viewport, stack: LayerStack, title: str | None = None
) -> Scene:
    """A new scene showing the current view and the layers visible now."""
    scene_id = new_scene_id(scenes.scenes)
    number = len(scenes) + 1
    titles = {s.title for s in scenes.scenes}
    while tr("View {number}", number=number) in titles:
        number += 1
    visible = tuple(layer.name for layer in stack if layer.visible and layer.name != "sites")
    return Scene(
        scene_id,
        title or tr("View {number}", number=number),
        tuple(map(float, viewport.extent)),
        visible,
    )


class _InsertScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, scene: Scene) -> None:
        super().__init__()
        set_text(self, "Add scene “{title}”", title=scene.title)
        self.model, self.index, self.scene = model, index, scene

    def redo(self) -> None:
        self.model._insert(self.index, self.scene)

    def undo(self) -> None:
        self.model._pop(self.index)


class _RemoveScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int) -> None:
        self.model, self.index, self.scene = model, index, model[index]
        super().__init__()
        set_text(self, "Delete scene “{title}”", title=self.scene.title)

    def redo(self) -> None:
        self.model._pop(self.index)

    def undo(self) -> None:
        self.model._insert(self.index, self.scene)


class _ReplaceScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, scene: Scene) -> None:
        self.model, self.index, self.after = model, index, scene
        self.before = model[index]
        super().__init__()
        set_text(self, "Rename scene “{old}” to “{new}”", old=self.before.title, new=scene.title)

    def redo(self) -> None:
        self.model._replace(self.index, self.after)

    def undo(self) -> None:
        # The old title may be a default one of the language the rename was made in.
        self.model._replace(self.index, localized(self.before, i18n.language()))


class _MoveScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, to: int) -> None:
        super().__init__()
        set_text(self, "Move scene “{title}”", title=model[index].title)
        self.model, self.index, self.to = model, index, to

    def redo(self) -> None:
        self.model._move(self.index, self.to)

    def undo(self) -> None:
        self.model._move(self.to, self.index)


__all__ = ["ScenesModel", "scene_of_view"]
