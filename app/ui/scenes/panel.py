"""The Scenes panel: the ordered list of saved views, edited in place.

Rename inline (F2 or the Rename button), reorder by dragging or with the
Up/Down buttons, add the current view, delete; a double-click (or Enter) goes to
the scene. Every edit is an undoable command of :class:`~app.ui.scenes.model.ScenesModel`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui import i18n
from app.ui.i18n import tr
from app.ui.scenes.model import ScenesModel


class _SceneList(QListWidget):
    """The list: Delete removes, Enter goes to the scene."""

    deletePressed = Signal()
    enterPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() == Qt.Key.Key_Delete:
                self.deletePressed.emit()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enterPressed.emit()
                return
        super().keyPressEvent(event)


class ScenesPanel(QWidget):
    """List of scenes with Add / Rename / Delete / Move buttons.

    Signals
    -------
    sceneActivated(int)
        The user asked to go to the scene at this position (double-click or Enter).
    addRequested()
        "Add current view" was clicked (the window knows the view and the layers).
    """

    sceneActivated = Signal(int)
    addRequested = Signal()

    def __init__(self, model: ScenesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenesPanel")
        self.model = model
        self._filling = False
        self.list = _SceneList(self)
        self.list.setObjectName("scenesList")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setSpacing(2)
        # F2 or the Rename button (a double-click goes to the scene).
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.add_button = self._button("addSceneButton")
        self.rename_button = self._button("renameSceneButton")
        self.delete_button = self._button("deleteSceneButton")
        self.up_button = self._button("sceneUpButton", "↑")
        self.up_button.setFixedWidth(28)
        self.down_button = self._button("sceneDownButton", "↓")
        self.down_button.setFixedWidth(28)
        self.empty_label = QLabel(self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.add_button,
            self.rename_button,
            self.delete_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.addRequested)
        self.rename_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        self.list.deletePressed.connect(self.delete_current)
        self.list.enterPressed.connect(self._activate_current)
        self.list.itemDoubleClicked.connect(
            lambda item: self.sceneActivated.emit(self.list.row(item))
        )
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.model().rowsMoved.connect(self._on_rows_moved)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        model.changed.connect(self.refill)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    def _button(self, name: str, text: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def retranslate(self) -> None:
        """Buttons, hints and the scenes' tooltips in the current UI language."""
        self.list.setToolTip(
            tr(
                "Saved views, in presentation order. Double-click or Enter "
                "goes to a scene, F2 renames it, drag to reorder, Delete "
                "removes it. Page Down/Page Up step through them."
            )
        )
        self.add_button.setText(tr("Add view"))
        self.add_button.setToolTip(
            tr("Add the current view and the visible layers as a scene (Ctrl+Shift+A)")
        )
        self.rename_button.setText(tr("Rename"))
        self.rename_button.setToolTip(tr("Rename the selected scene (F2)"))
        self.delete_button.setText(tr("Delete"))
        self.delete_button.setToolTip(tr("Delete the selected scene (Delete; undoable)"))
        self.up_button.setToolTip(tr("Move the selected scene up"))
        self.down_button.setToolTip(tr("Move the selected scene down"))
        self.empty_label.setText(
            tr("No scenes yet: move the map to a view and click “{add}”.", add=tr("Add view"))
        )
        self.refill()

    # -- model → view --------------------------------------------------------------------
    def refill(self) -> None:
        """Show the model's scenes (keeps the selected row where possible)."""
        row = self.list.currentRow()
        self._filling = True
        self.list.clear()
        for i, scene in enumerate(self.model.scenes):
            item = QListWidgetItem(scene.title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
            layers = (
                tr("current layers")
                if scene.visible_layers is None
                else tr("{n} layers", n=len(scene.visible_layers))
            )
            width_km = (scene.extent[2] - scene.extent[0]) / 1000
            item.setToolTip(
                tr(
                    "Scene {number}: {title} — {width} km wide, {layers}. "
                    "Double-click to go there, F2 to rename.",
                    number=i + 1,
                    title=scene.title,
                    width=f"{width_km:.1f}",
                    layers=layers,
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, scene.scene_id)
            self.list.addItem(item)
        self._filling = False
        if self.list.count():
            self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
        self.empty_label.setVisible(self.list.count() == 0)
        self._update_buttons()

    def select_row(self, row: int) -> None:
        """Make ``row`` the current scene of the list."""
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)

    def _update_buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        for button in (self.rename_button, self.delete_button):
            button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)

    # -- view → model (undoable commands) ------------------------------------------------
    def edit_current(self) -> None:
        """Start renaming the selected scene in place."""
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def delete_current(self) -> bool:
        """Delete the selected scene."""
        return self.model.delete(self.list.currentRow())

    def move_current(self, step: int) -> bool:
        """Move the selected scene up (-1) or down (+1) and keep it selected."""
        row = self.list.currentRow()
        if not self.model.move(row, row + step):
            return False
        self.list.setCurrentRow(row + step)
        return True

    def _activate_current(self) -> None:
        if self.list.currentRow() >= 0:
            self.sceneActivated.emit(self.list.currentRow())

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        row = self.list.row(item)
        if not self.model.rename(row, item.text()):
            # Empty or unchanged title: show the scene's title again.
            QTimer.singleShot(0, self.refill)

    def _on_rows_moved(
        self, _parent: QModelIndex, start: int, _end: int, _destination: QModelIndex, row: int
    ) -> None:
        if self._filling:
            return
        to = row if row < start else row - 1
        # The drop is still being handled by the list: change the model afterwards.
        QTimer.singleShot(0, lambda: self._moved(start, to))

    def _moved(self, start: int, to: int) -> None:
        if not self.model.move(start, to):
            self.refill()
        else:
            self.list.setCurrentRow(to)


__all__ = ["ScenesPanel"]
