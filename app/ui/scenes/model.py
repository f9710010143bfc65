"""The project's scenes as a Qt list model with undoable edits (add, rename, move, delete).

:class:`ScenesModel` is a thin ``QAbstractListModel`` over the Qt-free
:class:`~app.core.project.scenes.SceneList` (one row per scene, its title shown). Every
edit goes through a QUndoCommand on the window's undo stack (so it marks the project
dirty and Ctrl+Z takes it back); the command edits the list, the list's signals become
the model's row signals and ``changed``, and the Scenes panel and presentation mode
redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.core.map.viewport import Viewport
from app.core.project.scenes import Scene, SceneList, localized, new_scene_id, renamed
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.sites.commands import set_text
from layers.model import LayerStack

_Index = QModelIndex | QPersistentModelIndex


class ScenesModel(QAbstractListModel):
    """The scenes of a :class:`~app.core.project.scenes.SceneList`, one row each.

    Rows show the scene's title (display and edit roles) and hold its id in
    ``Qt.ItemDataRole.UserRole``.

    Signals
    -------
    changed()
        The list changed (any edit, undo, redo, a newly loaded project, or the default
        district titles following a new UI language).
    """

    changed = Signal()

    def __init__(
        self,
        undo_stack: QUndoStack,
        parent: QObject | None = None,
        scene_list: SceneList | None = None,
    ) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.scene_list = SceneList() if scene_list is None else scene_list
        #: ``capture()`` → the view state a new scene keeps (``catchments``, ``basemap``:
        #: keyword arguments of :class:`Scene`); ``show(scene)`` shows a scene's state.
        #: Set by :class:`app.ui.scenes.view_state.SceneViewState`.
        self.capture: Callable[[], dict[str, Any]] = dict
        self.show_state: Callable[[Scene], None] = lambda _scene: None
        events = self.scene_list
        events.inserting.connect(self._on_inserting)
        events.inserted.connect(self._on_inserted)
        events.removing.connect(self._on_removing)
        events.removed.connect(self._on_removed)
        events.moving.connect(self._on_moving)
        events.moved.connect(self._on_moved)
        events.replaced.connect(self._on_replaced)
        events.resetting.connect(self.beginResetModel)
        events.reset.connect(self.endResetModel)
        events.changed.connect(self.changed.emit)
        i18n.notifier.languageChanged.connect(self.follow_language)

    # -- reading -------------------------------------------------------------------------
    @property
    def scenes(self) -> list[Scene]:
        """A copy of the list, in presentation order."""
        return self.scene_list.scenes

    def __len__(self) -> int:
        return len(self.scene_list)

    def __getitem__(self, index: int) -> Scene:
        return self.scene_list[index]

    def index_of(self, scene_id: str) -> int:
        """Position of the scene called ``scene_id``, -1 when there is none."""
        return self.scene_list.index_of(scene_id)

    # -- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.scene_list)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.scene_list):
            return None
        scene = self.scene_list[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return scene.title
        if role == Qt.ItemDataRole.UserRole:
            return scene.scene_id
        return None

    def _on_inserting(self, index: int) -> None:
        self.beginInsertRows(QModelIndex(), index, index)

    def _on_inserted(self, _index: int, _scene: Scene) -> None:
        self.endInsertRows()

    def _on_removing(self, index: int) -> None:
        self.beginRemoveRows(QModelIndex(), index, index)

    def _on_removed(self, _index: int, _scene: Scene) -> None:
        self.endRemoveRows()

    def _on_moving(self, index: int, to: int) -> None:
        # Qt wants the row the moved one goes before, counted in the list before the move.
        self.beginMoveRows(QModelIndex(), index, index, QModelIndex(), to + (to > index))

    def _on_moved(self, _index: int, _to: int) -> None:
        self.endMoveRows()

    def _on_replaced(self, index: int, _old: Scene, _new: Scene) -> None:
        row = self.index(index, 0)
        self.dataChanged.emit(row, row)

    # -- loading (not undoable: a project brings its own list) ---------------------------
    def set_scenes(self, scenes: Iterable[Scene]) -> None:
        """Replace the whole list (opening a project)."""
        self.scene_list.set_scenes(scenes)

    def follow_language(self, language: str | None = None) -> bool:
        """Give the untouched default district scenes their title in ``language``.

        Not undoable and not an edit: renamed scenes keep their titles. True when a
        title changed (then ``changed`` is emitted).
        """
        return self.scene_list.localize(language or i18n.language())

    # -- undoable edits ------------------------------------------------------------------
    def add(self, scene: Scene, index: int | None = None) -> int:
        """Insert ``scene`` at ``index`` (default: the end); returns its position."""
        count = len(self.scene_list)
        index = count if index is None else max(0, min(index, count))
        self.undo_stack.push(_InsertScene(self.scene_list, index, scene))
        return index

    def rename(self, index: int, title: str) -> bool:
        """Give scene ``index`` another title; False when the title is empty or the same."""
        title = title.strip()
        scenes = self.scene_list
        if not (0 <= index < len(scenes)) or not title or title == scenes[index].title:
            return False
        self.undo_stack.push(_ReplaceScene(scenes, index, renamed(scenes[index], title)))
        return True

    def move(self, index: int, to: int) -> bool:
        """Move scene ``index`` to position ``to`` (both in the list before the move)."""
        count = len(self.scene_list)
        if not (0 <= index < count) or not (0 <= to < count) or index == to:
            return False
        self.undo_stack.push(_MoveScene(self.scene_list, index, to))
        return True

    def delete(self, index: int) -> bool:
        """Remove scene ``index`` (undo puts it back at its place)."""
        if not 0 <= index < len(self.scene_list):
            return False
        self.undo_stack.push(_RemoveScene(self.scene_list, index))
        return True


def scene_of_view(
    scenes: ScenesModel | SceneList, viewport: Viewport, stack: LayerStack, title: str | None = None
) -> Scene:
    """A new scene showing the current view and the layers visible now (and, for a
    :class:`ScenesModel`, what its ``capture()`` adds: the catchments and basemap)."""
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
        **(scenes.capture() if isinstance(scenes, ScenesModel) else {}),
    )


def _put_back(scenes: SceneList, index: int, scene: Scene) -> None:
    # A default scene put back by undo/redo gets its title in today's language.
    scenes.insert(index, localized(scene, i18n.language()))


class _InsertScene(QUndoCommand):
    def __init__(self, scenes: SceneList, index: int, scene: Scene) -> None:
        super().__init__()
        set_text(self, "Add scene “{title}”", title=scene.title)
        self.scenes, self.index, self.scene = scenes, index, scene

    def redo(self) -> None:
        _put_back(self.scenes, self.index, self.scene)

    def undo(self) -> None:
        self.scenes.remove(self.index)


class _RemoveScene(QUndoCommand):
    def __init__(self, scenes: SceneList, index: int) -> None:
        self.scenes, self.index, self.scene = scenes, index, scenes[index]
        super().__init__()
        set_text(self, "Delete scene “{title}”", title=self.scene.title)

    def redo(self) -> None:
        self.scenes.remove(self.index)

    def undo(self) -> None:
        _put_back(self.scenes, self.index, self.scene)


class _ReplaceScene(QUndoCommand):
    def __init__(self, scenes: SceneList, index: int, scene: Scene) -> None:
        self.scenes, self.index, self.after = scenes, index, scene
        self.before = scenes[index]
        super().__init__()
        set_text(self, "Rename scene “{old}” to “{new}”", old=self.before.title, new=scene.title)

    def redo(self) -> None:
        self.scenes.replace(self.index, self.after)

    def undo(self) -> None:
        # The old title may be a default one of the language the rename was made in.
        self.scenes.replace(self.index, localized(self.before, i18n.language()))


class _MoveScene(QUndoCommand):
    def __init__(self, scenes: SceneList, index: int, to: int) -> None:
        super().__init__()
        set_text(self, "Move scene “{title}”", title=scenes[index].title)
        self.scenes, self.index, self.to = scenes, index, to

    def redo(self) -> None:
        self.scenes.move(self.index, self.to)

    def undo(self) -> None:
        self.scenes.move(self.to, self.index)


__all__ = ["ScenesModel", "scene_of_view"]
