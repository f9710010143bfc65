"""The project's scenes as a Qt model with undoable edits (add, rename, move, delete).

:class:`ScenesModel` holds the ordered list of :class:`~app.core.scenes.Scene`; every
edit goes through a QUndoCommand on the window's undo stack (so it marks the project
dirty and Ctrl+Z takes it back), the command changes the list, the model emits
``changed`` and the Scenes panel and presentation mode redraw.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.core.scenes import Scene, new_scene_id, renamed
from app.core.viewport import Viewport
from layers.model import LayerStack


class ScenesModel(QObject):
    """An ordered list of scenes.

    Signals
    -------
    changed()
        The list changed (any edit, undo, redo or a newly loaded project).
    """

    changed = Signal()

    def __init__(self, undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._scenes: list[Scene] = []

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

    # -- undoable edits ------------------------------------------------------------------
    def add(self, scene: Scene, index: int | None = None) -> int:
        """Insert ``scene`` at ``index`` (default: the end); returns its position."""
        index = len(self._scenes) if index is None else max(0, min(index, len(self._scenes)))
        self.undo_stack.push(_InsertScene(self, index, scene))
        return index

    def rename(self, index: int, title: str) -> bool:
        """Give scene ``index`` another title; False when the title is empty or the same."""
        title = title.strip()
        if not (0 <= index < len(self._scenes)) or not title \
                or title == self._scenes[index].title:
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
        self._scenes.insert(index, scene)
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


def scene_of_view(scenes: ScenesModel, viewport: Viewport, stack: LayerStack,
                  title: str | None = None) -> Scene:
    """A new scene showing the current view and the layers visible now."""
    scene_id = new_scene_id(scenes.scenes)
    number = len(scenes) + 1
    titles = {s.title for s in scenes.scenes}
    while f"View {number}" in titles:
        number += 1
    visible = tuple(layer.name for layer in stack if layer.visible and layer.name != "sites")
    return Scene(scene_id, title or f"View {number}", tuple(map(float, viewport.extent)),
                 visible)


class _InsertScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, scene: Scene) -> None:
        super().__init__(f"Add scene “{scene.title}”")
        self.model, self.index, self.scene = model, index, scene

    def redo(self) -> None:
        self.model._insert(self.index, self.scene)

    def undo(self) -> None:
        self.model._pop(self.index)


class _RemoveScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int) -> None:
        self.model, self.index, self.scene = model, index, model[index]
        super().__init__(f"Delete scene “{self.scene.title}”")

    def redo(self) -> None:
        self.model._pop(self.index)

    def undo(self) -> None:
        self.model._insert(self.index, self.scene)


class _ReplaceScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, scene: Scene) -> None:
        self.model, self.index, self.after = model, index, scene
        self.before = model[index]
        super().__init__(f"Rename scene “{self.before.title}” to “{scene.title}”")

    def redo(self) -> None:
        self.model._replace(self.index, self.after)

    def undo(self) -> None:
        self.model._replace(self.index, self.before)


class _MoveScene(QUndoCommand):
    def __init__(self, model: ScenesModel, index: int, to: int) -> None:
        super().__init__(f"Move scene “{model[index].title}”")
        self.model, self.index, self.to = model, index, to

    def redo(self) -> None:
        self.model._move(self.index, self.to)

    def undo(self) -> None:
        self.model._move(self.to, self.index)


__all__ = ["ScenesModel", "scene_of_view"]
