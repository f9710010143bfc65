"""Presentation mode (View → Present, F5): the map full screen for a workshop projector.

:class:`PresentationController` hides the docks, toolbars, menu bar and status bar,
shows the window full screen on a chosen screen, enlarges the map's labels and draws
:class:`~app.ui.presentation.overlay.PresentationOverlay` over the map: a title band with
the scene's title and the "Not real data" caveat, a large legend and, on request
(``I``), the selected site's indicator card; :class:`~app.ui.presentation.bar.PresentationBar`
sits on the band. Page Down/Page Up and the arrow keys step through the project's
scenes (:class:`~app.ui.presentation.navigator.SceneNavigator`), starting at the scene
the map's view is in. One Esc closes the innermost thing: the indicator card, then a
polygon being sketched (it pauses), then presentation mode; leaving restores the window
exactly as it was (dock layout, view, tool), and
every layer's visibility and opacity (with the project's unsaved mark, when the scenes'
visibility was the only change). The window is reached only through
:class:`~app.ui.presentation.host.PresentationHost`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from app.core.project.scenes import scene_for_view
from app.ui import i18n
from app.ui.actions import TOOL_ACTIONS
from app.ui.canvas.map_canvas import PanTool
from app.ui.i18n import tr
from app.ui.presentation.bar import PresentationBar
from app.ui.presentation.host import PresentationHost
from app.ui.presentation.navigator import SceneNavigator
from app.ui.presentation.overlay import PresentationOverlay, band_height, overlay_scale
from app.ui.sites.sketch_tools import DragShapeTool

#: Label font sizes are multiplied by this while presenting (styles stay unchanged).
LABEL_SCALE = 1.6
#: Scale bar, north arrow and attribution grow by this while presenting.
DECORATION_SCALE = 1.5
MESSAGE_MS = 8000
#: After leaving, the dock layout is put back on every resize of the window for this long.
DOCKS_SETTLE_MS = 1500
#: The paused polygon sketch bar's hint while presenting (the bar shows it through ``tr``).
PRESENTING_SKETCH_HINT = "click the map or Resume to go on (Esc leaves, the sketch is kept)"
#: Actions whose shortcut works only while the map has the keyboard focus.
MAP_ONLY_ACTIONS = ("actionNextScene", "actionPreviousScene", "actionPresentationCard")


class PresentationController(QObject):
    """Enters and leaves presentation mode; steps through the scenes with its navigator.

    Parameters
    ----------
    host : PresentationHost
        The main window.
    """

    def __init__(self, host: PresentationHost) -> None:
        super().__init__(host.window())
        self.host = host
        self.canvas = host.canvas
        self.active = False
        #: Whether the band showed the scene's title when the bar was placed last.
        self._band_on_scene = False
        self.show_card = False
        self.message = ""
        self._saved: dict[str, Any] | None = None
        #: Unsaved marks since entering from visibility/opacity that leaving puts back.
        self._own_marks = 0
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._clear_message)
        #: The dock layout to put back while the window returns to its size after leaving.
        self._pending_docks: QByteArray | None = None
        self._docks_timer = QTimer(self)
        self._docks_timer.setSingleShot(True)
        self._docks_timer.setInterval(DOCKS_SETTLE_MS)
        self._docks_timer.timeout.connect(self._forget_docks)
        self.overlay = PresentationOverlay(host, self)
        self.navigator = SceneNavigator(host, self, self.overlay, self)
        self.canvas.overlays.append(self.overlay)
        self.bar = PresentationBar(self, host)
        self.bar.hide()
        self.canvas.installEventFilter(self)
        host.installEventFilter(self)
        # Shortcuts must keep working with the menu bar and toolbars hidden. The scene
        # keys (Page Up/Down) and I belong to the map only: lists, tables and sliders of
        # the panels keep their own Page Up/Down.
        for name, action in host.actions_by_name.items():
            if name in MAP_ONLY_ACTIONS:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.canvas.addAction(action)
            else:
                host.addAction(action)
        self._connect_actions(host.actions_by_name)
        self.canvas.extentChanged.connect(self._on_view_changed)
        # A message in the language of before must not stay on the projector.
        i18n.notifier.languageChanged.connect(self._on_language_changed)
        host.stack.layer_changed.connect(self._on_layer_changed)
        host.editing.selectionChanged.connect(lambda _id: self._update_if_card())
        host.indicators.resultsChanged.connect(self._update_if_card)

    def _connect_actions(self, actions: dict[str, QAction]) -> None:
        actions["actionPresent"].triggered.connect(self._on_present_action)
        actions["actionNextScene"].triggered.connect(self.next_scene)
        actions["actionPreviousScene"].triggered.connect(self.previous_scene)
        actions["actionAddScene"].triggered.connect(self.add_current_view)
        actions["actionPresentationCard"].toggled.connect(self.set_card_visible)
        self.host.scenes_panel.sceneActivated.connect(self.go_to)
        self.host.scenes_panel.addRequested.connect(self.add_current_view)

    # -- entering and leaving ------------------------------------------------------------
    def _on_present_action(self) -> None:
        if self.active:
            self.leave()
            return
        screens = QGuiApplication.screens()
        if len(screens) < 2:
            self.enter()
            return
        # Several screens: choose one (the window's own is the default).
        menu = QMenu(self.host.window())
        menu.setObjectName("presentScreenMenu")
        current = self.host.screen()
        for screen in sorted(screens, key=lambda s: s is not current):
            size = screen.geometry()
            text = tr(
                "{screen} — {width}×{height}",
                screen=screen.name() or tr("Screen"),
                width=size.width(),
                height=size.height(),
            )
            action = menu.addAction(
                text + ("  " + tr("(this window)") if screen is current else "")
            )
            action.triggered.connect(lambda _=False, s=screen: self.enter(s))
            if screen is current:
                menu.setDefaultAction(action)
        menu.aboutToHide.connect(
            lambda: self.host.actions_by_name["actionPresent"].setChecked(self.active)
        )
        menu.popup(self.host.mapToGlobal(self.host.rect().center()))

    def enter(self, screen: QScreen | None = None) -> None:
        """Go full screen on ``screen`` (default: the window's) with the overlays.

        Parameters
        ----------
        screen : QScreen, optional
            The screen to present on (the projector); None: the window's own.
        """
        window = self.host
        if self.active:
            return
        self._saved = {
            "geometry": window.saveGeometry(),
            "rect": window.geometry(),
            "window_state": window.windowState(),
            "dock_state": window.saveState(),
            "menu_bar": window.menuBar().isVisible(),
            "status_bar": window.statusBar().isVisible(),
            "label_scale": self.canvas.label_scale,
            "decoration_scale": self.canvas.decoration_scale,
            "decoration_top": self.canvas.decoration_top,
            "tool": self._current_tool(),
            "view": (
                self.canvas.viewport.center_x,
                self.canvas.viewport.center_y,
                self.canvas.viewport.resolution,
            ),
            "sketch_hint": (
                window.polygon_tool.bar.top,
                window.polygon_tool.bar.paused_hint,
                window.polygon_tool.bar.left,
            ),
            # The scenes change which layers show; leaving puts every layer back.
            "layers": [(layer, layer.visible, layer.opacity) for layer in window.stack],
            "layer_ids": {id(layer) for layer in window.stack},
            "settings_mark": window.project.settings_mark(),
        }
        view_extent = self.canvas.viewport.extent
        self._own_marks = 0
        self.active = True
        self._clear_message()  # a desk message is not for the audience
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for widget in window.findChildren(QDockWidget, options=direct) + window.findChildren(
            QToolBar, options=direct
        ):
            widget.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        if screen is not None and screen is not window.screen():
            handle = window.windowHandle()
            if handle is not None:
                handle.setScreen(screen)
            window.move(screen.geometry().topLeft())
        window.showFullScreen()
        self.canvas.set_label_scale(LABEL_SCALE)
        self.canvas.decoration_scale = DECORATION_SCALE
        self.canvas.show_snap_marker = False  # a magenta square is not for the audience
        self.show_card = window.actions_by_name["actionPresentationCard"].isChecked()
        self._sync_present_action()
        self.bar.show()
        self.bar.raise_()
        self.place_bar()
        # Start at the scene the view is in (the one selected in the Scenes panel when
        # the view is in it too, else the selected one, else the first); the canvas fits
        # it again once it has its full-screen size (see eventFilter).
        if len(window.scenes):
            self.go_to(self._first_scene(view_extent), animate=False)
        self.canvas.setFocus()
        self.canvas.refresh()

    def _first_scene(self, view: tuple[float, float, float, float]) -> int:
        """Where presenting starts: the scene the view ``view`` is in (the selected one
        when the view is in it too), else the scene selected in the Scenes panel, else
        the first."""
        scenes = self.host.scenes.scenes
        selected = self.host.scenes_panel.list.currentRow()
        if not 0 <= selected < len(scenes):
            selected = -1
        if selected >= 0 and scene_for_view([scenes[selected]], view) == 0:
            return selected
        found = scene_for_view(scenes, view)
        if found is not None:
            return found
        return max(selected, 0)

    def leave(self) -> None:
        """Back to the window exactly as it was before :meth:`enter`."""
        if not self.active:
            return
        window, saved = self.host, self._saved or {}
        self._restore_layers(saved)  # still active: these changes are the presentation's
        self.active = False
        self.navigator.stop()
        self.bar.hide()
        self.canvas.set_label_scale(saved.get("label_scale", 1.0))
        self.canvas.show_snap_marker = True
        self.canvas.decoration_scale = saved.get("decoration_scale", 1.0)
        self.canvas.decoration_top = saved.get("decoration_top", 0.0)
        if "sketch_hint" in saved:
            self._sketch_bar_hint(saved["sketch_hint"])
        tool = saved.get("tool")
        if tool is not None and tool != self._current_tool():
            window.set_tool(tool)
        state = saved.get("window_state", Qt.WindowState.WindowNoState)
        window.setWindowState(state)
        if "geometry" in saved:
            window.restoreGeometry(saved["geometry"])
        if (
            not state & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen)
            and "rect" in saved
        ):
            # restoreGeometry fits the window to the screen; put it back as it was.
            window.setGeometry(saved["rect"])
        if "view" in saved:  # the map as it was before presenting, not the last scene
            self.canvas.set_view(*saved["view"])
        if "dock_state" in saved:
            window.restoreState(saved["dock_state"])
            # Again each time the window changes size or state in the next moments (a
            # window manager gives the size back asynchronously): the dock splitters were
            # laid out for the full-screen size in between and would keep its proportions.
            self._pending_docks = saved["dock_state"]
            self._docks_timer.start()
            QTimer.singleShot(0, self._restore_docks)
        window.menuBar().setVisible(saved.get("menu_bar", True))
        window.statusBar().setVisible(saved.get("status_bar", True))
        if self.message:
            window.statusBar().showMessage(self.message, MESSAGE_MS)
        self._clear_message()  # not carried into the next presentation
        self._saved = None
        self._sync_present_action()
        self.canvas.setFocus()
        self.canvas.refresh()

    def _restore_layers(self, saved: dict[str, Any]) -> None:
        """Every layer's visibility and opacity as on entering; layers added or removed
        meanwhile stay so. The unsaved mark goes back too unless something else changed."""
        if "layers" not in saved:
            return
        present = {id(layer) for layer in self.host.stack}
        for layer, visible, opacity in saved["layers"]:
            if id(layer) in present:
                layer.set_visible(visible)
                layer.set_opacity(opacity)
        self.host.project.restore_settings_mark(saved["settings_mark"], self._own_marks)
        self._own_marks = 0

    def _on_layer_changed(self, layer, what: str) -> None:
        # Visibility and opacity of the layers present on entering go back on leaving:
        # their unsaved marks do not count as edits (see _restore_layers).
        if (
            self.active
            and what in ("visible", "opacity")
            and self._saved
            and id(layer) in self._saved.get("layer_ids", ())
        ):
            self._own_marks += 1

    def _sketch_bar_hint(self, hint: tuple[float, str, float] | None) -> None:
        """Put the polygon sketch bar at ``hint = (top, paused text, left)``; None: below
        the band, right of the legend."""
        tool = self.host.polygon_tool
        bar = tool.bar
        if hint is None:
            legend = self.overlay.legend_box(self.canvas.width(), self.canvas.height())
            hint = (
                band_height(self.canvas.height()) + 10,
                PRESENTING_SKETCH_HINT,
                legend.right() if not legend.isEmpty() else 0.0,
            )
        if (bar.top, bar.paused_hint, bar.left) != tuple(hint):
            bar.top, bar.paused_hint, bar.left = hint
        if bar.isVisible():
            bar.refresh(tool)  # also when the map's size or decorations changed

    def _restore_docks(self) -> None:
        if not self.active and self._pending_docks is not None:
            self.host.restoreState(self._pending_docks)

    def _forget_docks(self) -> None:
        self._restore_docks()
        self._pending_docks = None

    def _current_tool(self) -> str | None:
        tool = self.canvas.tool
        for attribute in TOOL_ACTIONS.values():
            if getattr(self.host, attribute, None) is tool:
                return attribute
        # The canvas starts with a pan tool of its own.
        return "pan_tool" if isinstance(tool, PanTool) else None

    def _sync_present_action(self) -> None:
        action = self.host.actions_by_name["actionPresent"]
        action.blockSignals(True)
        action.setChecked(self.active)
        action.blockSignals(False)

    # -- scenes (see SceneNavigator) ------------------------------------------------------
    @property
    def index(self) -> int | None:
        """Position of the scene shown last (None: none yet, or it was deleted)."""
        return self.navigator.index

    @property
    def on_scene(self) -> bool:
        """True while the map shows the scene shown last (not panned or zoomed away)."""
        return self.navigator.on_scene

    @property
    def animating(self) -> bool:
        """True while the view is moving to a scene."""
        return self.navigator.animating

    @property
    def animation_ms(self) -> int:
        """Duration of the pan/zoom to a scene (0: jump)."""
        return self.navigator.animation_ms

    @animation_ms.setter
    def animation_ms(self, value: int) -> None:
        self.navigator.animation_ms = value

    def forget_scene(self) -> None:
        """No scene shown yet (another project was opened): Page Down starts at the first."""
        self.navigator.forget_scene()

    def next_scene(self) -> bool:
        """Go to the scene after the one shown last; see :meth:`SceneNavigator.next_scene`."""
        return self.navigator.next_scene()

    def previous_scene(self) -> bool:
        """Go to the scene before the one shown last; see
        :meth:`SceneNavigator.previous_scene`."""
        return self.navigator.previous_scene()

    def go_to(self, index: int, animate: bool = True) -> bool:
        """Show scene ``index``; see :meth:`SceneNavigator.go_to`."""
        return self.navigator.go_to(index, animate)

    def add_current_view(self) -> int:
        """Add the current view as a scene, now the one shown; its position."""
        return self.navigator.add_current_view()

    def current_title(self) -> str:
        """The title band's text: the scene's title while the map shows it, else the
        project's name."""
        return self.navigator.current_title()

    def _on_view_changed(self) -> None:
        # Panning or zooming away from the scene: the band and the counter say so.
        if self.active and self.on_scene != self._band_on_scene:
            self.place_bar()

    # -- indicator card and messages -----------------------------------------------------
    def set_card_visible(self, on: bool) -> None:
        """Show or hide the selected site's indicator card over the map."""
        self.show_card = bool(on)
        self.canvas.update()

    def _update_if_card(self) -> None:
        if self.active and self.show_card:
            self.canvas.update()

    def show_message(self, text: str) -> None:
        """A message on the map while presenting (and in the status bar).

        Parameters
        ----------
        text : str
            The message, already translated; it goes after ``MESSAGE_MS``.
        """
        self.message = text
        self.host.statusBar().showMessage(text, MESSAGE_MS)
        self._message_timer.start(MESSAGE_MS)
        self.canvas.update()

    def _on_language_changed(self, _language: str = "") -> None:
        self.overlay.forget_legend()  # the layer titles and categories change language
        self._clear_message()

    def _clear_message(self) -> None:
        self.message = ""
        self.canvas.update()

    # -- keys ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refit the scene after the map was resized; the keys of presentation mode."""
        if watched is self.canvas and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._after_resize)
        if (
            watched is self.host
            and self._pending_docks is not None
            and event.type() in (QEvent.Type.Resize, QEvent.Type.WindowStateChange)
        ):
            QTimer.singleShot(0, self._restore_docks)
        if not self.active or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if key == Qt.Key.Key_Escape:
            # One Esc closes the innermost thing: the card, then the sketch, then this.
            if self.show_card:
                self.host.actions_by_name["actionPresentationCard"].setChecked(False)
                self.set_card_visible(False)
                return True
            if self._tool_wants_escape():
                return False  # the sketch pauses; a second Esc leaves
            self.leave()
            return True
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.next_scene()
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.previous_scene()
            return True
        return False

    def _tool_wants_escape(self) -> bool:
        tool = self.canvas.tool
        if tool is self.host.polygon_tool:
            return bool(tool.vertices) and not tool.paused
        if isinstance(tool, DragShapeTool):
            return tool.start is not None
        if tool is self.host.edit_tool:
            return tool.mode is not None
        return False

    def _after_resize(self) -> None:
        if self.active:
            self.navigator.refit_scene()
        self.place_bar()

    def place_bar(self) -> None:
        """Put the control bar at the right of the title band and update its counter,
        and the polygon sketch bar below the band (nothing outside presentation mode)."""
        if not self.active:
            return
        self._band_on_scene = self.on_scene
        self.bar.refresh()
        self.bar.adjustSize()
        s = overlay_scale(self.canvas.height())
        margin = 18 * s
        self.bar.move(
            int(self.canvas.width() - self.bar.width() - margin),
            int((band_height(self.canvas.height()) - self.bar.height()) / 2),
        )
        self._sketch_bar_hint(None)


__all__ = ["LABEL_SCALE", "PresentationController"]
