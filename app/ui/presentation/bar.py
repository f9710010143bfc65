"""The on-map control bar of presentation mode: :class:`PresentationBar`.

Buttons on the title band for the facilitator (previous and next scene, the indicator
card, leave) and a scene counter ("Scene 2 of 4"). The bar sizes itself for the screen;
the controller places it (:class:`BarOwner` is what it asks of the controller).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from app.ui import i18n
from app.ui.i18n import tr
from app.ui.presentation.host import PresentationHost
from app.ui.presentation.overlay import overlay_scale


class BarOwner(Protocol):
    """What the control bar asks of presentation mode (the controller)."""

    @property
    def active(self) -> bool:
        """True while presenting."""
        ...

    @property
    def index(self) -> int | None:
        """Position of the scene shown last (None: none)."""
        ...

    @property
    def on_scene(self) -> bool:
        """True while the map shows the scene shown last."""
        ...

    def previous_scene(self) -> bool:
        """Go to the scene before."""
        ...

    def next_scene(self) -> bool:
        """Go to the scene after."""
        ...

    def leave(self) -> None:
        """Leave presentation mode."""
        ...

    def place_bar(self) -> None:
        """Put the bar at the right of the title band (it changed width)."""
        ...


class PresentationBar(QWidget):
    """Buttons on the title band: previous, next, indicator card, leave.

    Parameters
    ----------
    owner : BarOwner
        The presentation controller (the buttons step and leave through it).
    host : PresentationHost
        The window: its ``actionPresentationCard`` and scenes; the bar goes on its map.
    """

    def __init__(self, owner: BarOwner, host: PresentationHost) -> None:
        super().__init__(host.canvas)
        self.setObjectName("presentationBar")
        self.owner = owner
        self.host = host
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.counter = QLabel("", self)
        self.counter.setObjectName("presentationCounter")
        layout.addWidget(self.counter)
        actions = host.actions_by_name
        self.previous = self._button("presentPrevious", "◀")
        self.previous.clicked.connect(owner.previous_scene)
        self.next = self._button("presentNext", "▶")
        self.next.clicked.connect(owner.next_scene)
        self.card = self._button("presentCard")
        card_action = actions["actionPresentationCard"]
        self.card.setCheckable(True)
        self.card.setChecked(card_action.isChecked())
        self.card.toggled.connect(card_action.setChecked)
        card_action.toggled.connect(self.card.setChecked)
        self.leave = self._button("presentLeave")
        self.leave.clicked.connect(owner.leave)
        for button in (self.previous, self.next, self.card, self.leave):
            layout.addWidget(button)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    def _button(self, name: str, text: str = "") -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the map
        return button

    def retranslate(self) -> None:
        """Button texts, tooltips and the scene counter in the current UI language."""
        self.previous.setToolTip(tr("Previous scene (Page Up, ←)"))
        self.next.setToolTip(tr("Next scene (Page Down, →)"))
        self.card.setText(tr("Indicators (I)"))
        self.card.setToolTip(tr("Show the selected site's indicators over the map (I)"))
        self.leave.setText(tr("Leave (Esc)"))
        self.leave.setToolTip(tr("Leave presentation mode"))
        if self.owner.active:
            self.owner.place_bar()  # the buttons changed width
        else:
            self.refresh()

    def refresh(self) -> None:
        """Size the buttons for the screen and show which scene this is."""
        s = overlay_scale(self.host.canvas.height())  # the bar's parent
        px = max(12, round(19 * s))
        sheet = (
            f"QLabel {{ color: #c9d1da; font-size: {px}px; padding-right: {round(10 * s)}px; }}"
            f"QToolButton {{ color: white; background: rgba(255,255,255,40); border: 1px solid "
            f"rgba(255,255,255,90); border-radius: {round(6 * s)}px; font-size: {px}px; "
            f"padding: {round(6 * s)}px {round(12 * s)}px; }}"
            "QToolButton:checked { background: rgba(255,255,255,120); }"
            "QToolButton:hover { background: rgba(255,255,255,80); }"
        )
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        scenes = self.host.scenes
        index = self.owner.index
        if index is not None and self.owner.on_scene:
            text = tr("Scene {number} of {count}", number=index + 1, count=len(scenes))
        else:
            text = tr("{count} scenes", count=len(scenes))
        self.counter.setText(text)


__all__ = ["BarOwner", "PresentationBar"]
