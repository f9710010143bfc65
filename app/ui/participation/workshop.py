"""Builds the Workshop menu's participation into a main window: :class:`Workshop`.

The controller, the Participation dock (hidden until Workshop → Start participation),
the map overlay (pins, proposals, the QR code while presenting), the dots on the site
badges and in the Compare table. The window calls :meth:`Workshop.shutdown` when it
closes, so the server never outlives it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea

from app.core.participation.layers import display_layers
from app.ui.i18n import tr
from app.ui.participation.controller import ParticipationController
from app.ui.participation.overlay import ParticipationOverlay
from app.ui.participation.panel import ALL_INTERFACES, ParticipationPanel, interface_addresses
from app.ui.sites.overlay import SitesOverlay
from layers.events import Signal
from layers.model import LayerStack


class Workshop:
    """Participation of ``window`` (a MainWindow)."""

    def __init__(self, window) -> None:
        self.window = window
        self.controller = ParticipationController(window)
        self.panel = ParticipationPanel(self.controller, window)
        dock = QDockWidget("Participation", window)
        dock.setProperty("sourceTitle", "Participation")  # translated by the window
        dock.setObjectName("participationDock")
        scroll = QScrollArea(dock)  # the panel never makes the window taller
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.panel)
        dock.setWidget(scroll)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.tabifyDockWidget(window.indicators_dock, dock)
        dock.hide()
        self.dock = dock
        window.menus["&View"].addAction(dock.toggleViewAction())
        self.overlay = ParticipationOverlay(self.controller, getattr(window, "presentation", None))
        window.canvas.overlays.append(self.overlay)
        for overlay in window.canvas.overlays:
            if isinstance(overlay, SitesOverlay):
                overlay.dots = self.controller.dots
        self.controller.resultsChanged.connect(self._show_dots)
        self.controller.stateChanged.connect(self._on_state)
        a = window.actions_by_name
        a["actionStartParticipation"].triggered.connect(self.start)
        a["actionStopParticipation"].triggered.connect(self.controller.stop)
        self._on_state()
        self._show_dots()

    def start(self) -> None:
        """Workshop → Start participation: the panel (its Start button is the second
        click); while presenting, start at once on the interface chosen in the panel (by
        default the first network address)."""
        presentation = getattr(self.window, "presentation", None)
        if presentation is not None and presentation.active:
            if not self.controller.running:
                host = self.panel.interface.currentData() or interface_addresses()[0][0]
                if host == ALL_INTERFACES:  # never without asking: that is the panel's Start
                    host = interface_addresses()[0][0]
                self.controller.start(host)
            self.window.canvas.update()
            return
        self.panel.fill_interfaces()
        self.dock.show()
        self.dock.raise_()

    def _on_state(self) -> None:
        running = self.controller.running
        a = self.window.actions_by_name
        a["actionStopParticipation"].setEnabled(running)
        self._show_dots()
        self.window.canvas.update()

    def _show_dots(self) -> None:
        controller = self.controller
        show = controller.running or len(controller.results) > 0
        table = self.window.indicators_panel.comparison.table_model
        table.set_dots(controller.dots() if show else None)
        self.window.canvas.update()

    def export_stack(self, base: LayerStack | None = None) -> LayerStack:
        """``base`` (default: the project's layers) plus the participants' visible pins and
        proposals, for the exports (copies of the layers: ``base`` is not touched)."""
        base = self.window.stack if base is None else base
        extra = display_layers(self.controller.results, self.window.language)
        if not extra:
            return base
        stack = LayerStack()
        for layer in [*extra, *base]:  # the first is on top
            if layer.name not in stack:
                stack.append(dataclasses.replace(layer, changed=Signal()))
        return stack

    def retranslate(self) -> None:
        self.dock.setWindowTitle(tr("Participation"))
        self.panel.retranslate()

    def shutdown(self) -> None:
        """The window closes: end the server."""
        self.controller.stop()


__all__ = ["Workshop"]
