"""View › Catchments and its map-toolbar button: how the sites' catchments are drawn.

The mode (:data:`app.core.map.catchments.CATCHMENT_MODES`: automatic, outlines, filled,
hidden) belongs to the project (``settings.extra["catchments"]``); changing it is one
undo step (:class:`SetCatchmentsCommand`), and the canvas, the PNG/PDF export and the
web map draw what it says. A scene may keep its own mode (``Scene.catchments``), shown
when the scene is.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton

from app.core.map.catchments import CATCHMENTS_KEY, DEFAULT_MODE, checked_mode, mode_of
from app.ui.actions import CATCHMENT_ACTIONS
from app.ui.canvas.render.sites_painter import CATCHMENT
from app.ui.i18n import tr
from app.ui.project.settings_commands import SettingCommand
from app.ui.sites.commands import set_text

#: English names of the modes (the Edit menu's "Catchments: …").
MODE_WORDS = {
    "auto": "automatic",
    "outline": "outlines only",
    "fill": "filled",
    "off": "hidden",
}


class Mode:
    """A mode's name shown in the UI language when the undo text is formatted."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __format__(self, spec: str) -> str:
        return format(tr(MODE_WORDS[self.mode]), spec)


class SetCatchmentsCommand(SettingCommand):
    """Change how the project draws catchments; ``apply(mode)`` shows and records it."""

    def __init__(self, apply: Callable[[str], None], before: str, after: str) -> None:
        super().__init__(apply, before, after)

    def _set_text(self) -> None:
        set_text(self, "Catchments: {mode}", mode=Mode(self.after))


def catchment_icon() -> QIcon:
    """Two dashed overlapping circles (the toolbar button)."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(CATCHMENT, 5, Qt.PenStyle.DashLine))
    fill = QColor(CATCHMENT)
    fill.setAlphaF(0.18)
    painter.setBrush(fill)
    painter.drawEllipse(QPointF(24, 32), 18, 18)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(QPointF(40, 32), 18, 18)
    painter.end()
    return QIcon(pixmap)


class CatchmentControl:
    """The window's catchment mode: the View › Catchments actions, a map-toolbar button
    with the same menu, and the mode shown by the sites' overlay.

    Parameters
    ----------
    window
        The main window (``actions_by_name``, ``menus``, ``window_menus``, ``canvas``,
        ``project``, ``undo_stack``).
    """

    def __init__(self, window) -> None:
        self.window = window
        self.actions = {
            mode: window.actions_by_name[name] for name, mode in CATCHMENT_ACTIONS.items()
        }
        for mode, action in self.actions.items():
            action.triggered.connect(lambda _=False, m=mode: self.change(m))
        self.menu: QMenu = window.menus["&View/&Catchments"]
        self.button = QToolButton(window)
        self.button.setObjectName("catchmentsButton")
        self.button.setIcon(catchment_icon())
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar = window.window_menus.map_toolbar
        toolbar.addSeparator()
        toolbar.addWidget(self.button)
        self.load()
        self.retranslate()

    def overlay(self):
        """The canvas overlay that draws the sites' catchments."""
        from app.ui.sites.overlay import SitesOverlay

        return next(o for o in self.window.canvas.overlays if isinstance(o, SitesOverlay))

    def current(self) -> str:
        """The project's mode."""
        return mode_of(self.window.project.settings.extra)

    def load(self) -> None:
        """Show the mode of the project just opened."""
        self.show(self.current())

    def show(self, mode: str) -> None:
        """Draw catchments as ``mode`` says and tick its action."""
        mode = checked_mode(mode)
        self.overlay().catchments = mode
        self.actions[mode].setChecked(True)
        self.window.canvas.update()

    def apply(self, mode: str) -> None:
        """Record ``mode`` in the project and show it (undo commands and scenes call this)."""
        extra = self.window.project.settings.extra
        if mode == DEFAULT_MODE:
            extra.pop(CATCHMENTS_KEY, None)
        else:
            extra[CATCHMENTS_KEY] = mode
        self.show(mode)

    def change(self, mode: str) -> bool:
        """Make ``mode`` the project's as one undo step (False: it already was)."""
        before = self.current()
        if mode == before:
            self.show(mode)
            return False
        self.window.undo_stack.push(SetCatchmentsCommand(self.apply, before, mode))
        return True

    def retranslate(self) -> None:
        """The button's label and tooltip in the UI language."""
        self.button.setText(tr("Catchments"))
        self.button.setToolTip(
            tr(
                "How the sites' catchment circles are drawn: automatic (outlines where "
                "they overlap), outlines only, filled or hidden"
            )
        )
        self.menu.setToolTipsVisible(True)


__all__ = ["CatchmentControl", "SetCatchmentsCommand", "catchment_icon"]
