"""Presentation mode (View → Present, F5): the map full screen for a workshop projector.

:class:`PresentationController` hides the docks, toolbars, menu bar and status bar,
shows the window full screen on a chosen screen, enlarges the map's labels and draws
:class:`PresentationOverlay` over the map: a title band with the scene's title and the
"Not real data" caveat, a large legend and, on request (``I``), the selected site's
indicator card. Page Down/Page Up and the arrow keys step through the project's scenes
with a short animated pan/zoom. Esc first pauses a polygon being sketched, then leaves;
leaving restores the window exactly as it was, and every layer's visibility and opacity
(with the project's unsaved mark, when the scenes' visibility was the only change).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEasingCurve, QEvent, QObject, QRectF, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QFontMetricsF, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.core.indicators.format import blocked, format_value, is_missing
from app.core.indicators.labels import ENGLISH
from app.core.map.viewport import Viewport
from app.ui import i18n
from app.ui.canvas.map_canvas import PanTool
from app.ui.canvas.render.decorations import north_arrow_rect
from app.ui.canvas.render.legend import elide, legend_entries, paint_legend_rows
from app.ui.fonts import map_font
from app.ui.i18n import tr
from app.ui.scenes.model import scene_of_view
from app.ui.sites.sketch_tools import DragShapeTool
from app.ui.actions import TOOL_ACTIONS

#: Label font sizes are multiplied by this while presenting (styles stay unchanged).
LABEL_SCALE = 1.6
#: Scale bar, north arrow and attribution grow by this while presenting.
DECORATION_SCALE = 1.5
ANIMATION_MS = 400
#: Fraction of the scene's extent added on each side when going to a scene.
SCENE_MARGIN = 0.06
MESSAGE_MS = 8000
#: The paused polygon sketch bar's hint while presenting (the bar shows it through ``tr``).
PRESENTING_SKETCH_HINT = "click the map or Resume to go on (Esc leaves, the sketch is kept)"
#: Actions whose shortcut works only while the map has the keyboard focus.
MAP_ONLY_ACTIONS = ("actionNextScene", "actionPreviousScene", "actionPresentationCard")

BAND = QColor(24, 32, 42, 240)
BAND_TEXT = QColor("#ffffff")
BAND_MUTED = QColor("#c9d1da")
CAVEAT = QColor("#ffb4a8")
PANEL = QColor(255, 255, 255, 236)
INK = QColor("#1d1d1d")
WARNING = QColor("#b00020")

#: Indicators on the big card: (column, English label; shown through ``tr``), named as
#: in the web map (:mod:`app.core.indicators.labels`).
CARD_ROWS = tuple(
    (column, ENGLISH[column])
    for column in (
        "score",
        "startups_n",
        "employees_sum",
        "top_sector",
        "education_n",
        "education_nearest_m",
        "stations_n",
        "station_nearest_m",
        "site_area_m2",
        "dominant_zone",
        "use_permitted",
        "max_gfa_m2",
    )
)


def overlay_scale(height: float) -> float:
    """Size factor of the overlays: 1 on a 1080-pixel-high screen."""
    return max(0.6, min(2.5, height / 1080.0))


def band_height(height: float) -> float:
    """Height of the title band for a canvas ``height`` pixels high."""
    return 118.0 * overlay_scale(height)


class PresentationController(QObject):
    """Enters and leaves presentation mode and steps through the scenes.

    Parameters
    ----------
    window : MainWindow
        Needs ``canvas``, ``stack``, ``scenes`` (:class:`~app.ui.scenes.model.ScenesModel`),
        ``editing``, ``indicators``, ``project``, ``actions_by_name`` and ``set_tool``.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.canvas = window.canvas
        self.active = False
        #: Id of the scene shown last (None: none yet, or it was deleted), the view that
        #: showing it produced (the band names the scene while the map still shows that
        #: view) and, after the scene was deleted, the position it had.
        self.scene_id: str | None = None
        self._scene_view: Viewport | None = None
        self._position: int | None = None
        self._gap: int | None = None
        self._band_on_scene = False
        self.show_card = False
        self.message = ""
        self.animation_ms = ANIMATION_MS
        self._saved: dict | None = None
        #: Unsaved marks since entering from visibility/opacity that leaving puts back.
        self._own_marks = 0
        self._target: Viewport | None = None
        self._start: Viewport | None = None
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(self._step_animation)
        self.animation.finished.connect(self._finish_animation)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._clear_message)
        self.overlay = PresentationOverlay(self)
        self.canvas.overlays.append(self.overlay)
        self.bar = _ControlBar(self, self.canvas)
        self.bar.hide()
        self.canvas.installEventFilter(self)
        window.installEventFilter(self)
        # Shortcuts must keep working with the menu bar and toolbars hidden. The scene
        # keys (Page Up/Down) and I belong to the map only: lists, tables and sliders of
        # the panels keep their own Page Up/Down.
        for name, action in window.actions_by_name.items():
            if name in MAP_ONLY_ACTIONS:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.canvas.addAction(action)
            else:
                window.addAction(action)
        self._connect_actions(window.actions_by_name)
        window.scenes.changed.connect(self._on_scenes_changed)
        self.canvas.extentChanged.connect(self._on_view_changed)
        # A message in the language of before must not stay on the projector.
        i18n.notifier.languageChanged.connect(self._on_language_changed)
        window.stack.layer_changed.connect(self._on_layer_changed)
        window.editing.selectionChanged.connect(lambda _id: self._update_if_card())
        window.indicators.resultsChanged.connect(self._update_if_card)

    def _connect_actions(self, actions) -> None:
        actions["actionPresent"].triggered.connect(self._on_present_action)
        actions["actionNextScene"].triggered.connect(self.next_scene)
        actions["actionPreviousScene"].triggered.connect(self.previous_scene)
        actions["actionAddScene"].triggered.connect(self.add_current_view)
        actions["actionPresentationCard"].toggled.connect(self.set_card_visible)
        self.window.scenes_panel.sceneActivated.connect(self.go_to)
        self.window.scenes_panel.addRequested.connect(self.add_current_view)

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
        menu = QMenu(self.window)
        menu.setObjectName("presentScreenMenu")
        current = self.window.screen()
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
            lambda: self.window.actions_by_name["actionPresent"].setChecked(self.active)
        )
        menu.popup(self.window.mapToGlobal(self.window.rect().center()))

    def enter(self, screen=None) -> None:
        """Go full screen on ``screen`` (default: the window's) with the overlays."""
        window = self.window
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
            "sketch_hint": (
                self.window.polygon_tool.bar.top,
                self.window.polygon_tool.bar.paused_hint,
                self.window.polygon_tool.bar.left,
            ),
            # The scenes change which layers show; leaving puts every layer back.
            "layers": [(layer, layer.visible, layer.opacity) for layer in window.stack],
            "layer_ids": {id(layer) for layer in window.stack},
            "settings_mark": window.project.settings_mark(),
        }
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
        self.show_card = window.actions_by_name["actionPresentationCard"].isChecked()
        self._sync_present_action()
        self.bar.show()
        self.bar.raise_()
        self._place_bar()
        # Start at the scene selected in the Scenes panel (else the first); the canvas
        # fits it again once it has its full-screen size (see eventFilter).
        if len(window.scenes):
            row = window.scenes_panel.list.currentRow()
            self.go_to(row if 0 <= row < len(window.scenes) else 0, animate=False)
        self.canvas.setFocus()
        self.canvas.refresh()

    def leave(self) -> None:
        """Back to the window exactly as it was before :meth:`enter`."""
        if not self.active:
            return
        window, saved = self.window, self._saved or {}
        self._restore_layers(saved)  # still active: these changes are the presentation's
        self.active = False
        self.animation.stop()
        self._finish_animation()
        self.bar.hide()
        self.canvas.set_label_scale(saved.get("label_scale", 1.0))
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
        if "dock_state" in saved:
            window.restoreState(saved["dock_state"])
            # Once more after the window has its size back: the dock splitters were laid
            # out for the full-screen size in between and may be off by a pixel.
            QTimer.singleShot(0, lambda state=saved["dock_state"]: self._restore_docks(state))
        window.menuBar().setVisible(saved.get("menu_bar", True))
        window.statusBar().setVisible(saved.get("status_bar", True))
        if self.message:
            window.statusBar().showMessage(self.message, MESSAGE_MS)
        self._clear_message()  # not carried into the next presentation
        self._saved = None
        self._sync_present_action()
        self.canvas.setFocus()
        self.canvas.refresh()

    def _restore_layers(self, saved: dict) -> None:
        """Every layer's visibility and opacity as on entering; layers added or removed
        meanwhile stay so. The unsaved mark goes back too unless something else changed."""
        if "layers" not in saved:
            return
        present = {id(layer) for layer in self.window.stack}
        for layer, visible, opacity in saved["layers"]:
            if id(layer) in present:
                layer.set_visible(visible)
                layer.set_opacity(opacity)
        self.window.project.restore_settings_mark(saved["settings_mark"], self._own_marks)
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

    def _sketch_bar_hint(self, hint) -> None:
        """Put the polygon sketch bar at ``hint = (top, paused text)``; None: below the band."""
        tool = self.window.polygon_tool
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

    def _restore_docks(self, state) -> None:
        if not self.active:
            self.window.restoreState(state)

    def _current_tool(self) -> str | None:
        tool = self.canvas.tool
        for attribute in TOOL_ACTIONS.values():
            if getattr(self.window, attribute, None) is tool:
                return attribute
        # The canvas starts with a pan tool of its own.
        return "pan_tool" if isinstance(tool, PanTool) else None

    def _sync_present_action(self) -> None:
        action = self.window.actions_by_name["actionPresent"]
        action.blockSignals(True)
        action.setChecked(self.active)
        action.blockSignals(False)

    # -- scenes --------------------------------------------------------------------------
    @property
    def index(self) -> int | None:
        """Position of the scene shown last (None: none yet, or it was deleted)."""
        if self.scene_id is None:
            return None
        index = self.window.scenes.index_of(self.scene_id)
        return index if index >= 0 else None

    @property
    def on_scene(self) -> bool:
        """True while the map shows the scene shown last (not panned or zoomed away)."""
        if self.index is None or self._scene_view is None:
            return False
        if self.animating:
            return True
        view, target = self.canvas.viewport, self._scene_view
        return (
            abs(view.center_x - target.center_x) <= 0.5 * target.resolution
            and abs(view.center_y - target.center_y) <= 0.5 * target.resolution
            and abs(math.log(view.resolution / target.resolution)) < 1e-3
        )

    def forget_scene(self) -> None:
        """No scene shown yet (another project was opened): Page Down starts at the first."""
        self.scene_id = self._scene_view = self._position = self._gap = None

    def next_scene(self) -> bool:
        """Go to the scene after the one shown last (the first when none was shown).

        When the map was moved away from that scene and it is the last, it comes back.
        """
        return self._step(1)

    def previous_scene(self) -> bool:
        """Go to the scene before the one shown last (the last when none was shown).

        When the map was moved away from that scene and it is the first, it comes back.
        """
        return self._step(-1)

    def _step(self, direction: int) -> bool:
        """Go ``direction`` (1: on, -1: back) from the scene shown last."""
        count = len(self.window.scenes)
        if count == 0:
            return self._no_scenes()
        index = self.index
        if index is None:  # none shown yet, or it was deleted: the one now at its place
            if self._gap is None:
                target = 0 if direction > 0 else count - 1
            else:
                target = self._gap if direction > 0 else self._gap - 1
        else:
            target = index + direction
            if self.on_scene and not 0 <= target < count:
                self.show_message(
                    tr("This is the last scene (Page Up goes back)")
                    if direction > 0
                    else tr("This is the first scene (Page Down goes on)")
                )
                return False
        return self.go_to(min(max(target, 0), count - 1))

    def _no_scenes(self) -> bool:
        self.show_message(
            tr(
                "No scenes: add the current view with Ctrl+Shift+A "
                "(View → Add current view as scene)"
            )
        )
        return False

    def go_to(self, index: int, animate: bool = True) -> bool:
        """Show scene ``index``: its layers at once, its extent with a short pan/zoom.

        While presenting, the extent is centred in the part of the map that the title
        band and the legend leave free. Layers the scene names that the project no
        longer has are reported in a message (on the map while presenting, in the
        status bar otherwise); the rest is shown.
        """
        scenes = self.window.scenes
        if not 0 <= index < len(scenes):
            return False
        scene = scenes[index]
        self.scene_id, self._position, self._gap = scene.scene_id, index, None
        missing = scene.apply_visibility(self.window.stack)
        if missing:
            names = ", ".join(missing)
            text = (
                (
                    "Scene “{title}”: the layers {names} no longer exist in this project; "
                    "showing the others"
                )
                if len(missing) > 1
                else (
                    "Scene “{title}”: the layer {names} no longer exists in this project; "
                    "showing the others"
                )
            )
            self.show_message(tr(text, title=scene.title, names=names))
        target = self._scene_target(scene)
        self._scene_view = target
        self.window.scenes_panel.select_row(index)
        self._place_bar()
        self.animation.stop()
        self._start, self._target = self.canvas.viewport.copy(), target
        if animate and self.animation_ms > 0 and self.canvas.isVisible():
            self.animation.setDuration(int(self.animation_ms))
            self.animation.start()
        else:
            self._finish_animation()
        self.canvas.update()
        return True

    def _scene_target(self, scene) -> Viewport:
        """The view that shows ``scene`` on the canvas at its present size."""
        width, height = self.canvas.width(), self.canvas.height()
        target = self.canvas.viewport.copy()
        target.resize(width, height)
        if not self.active:
            target.zoom_to_extent(scene.extent, SCENE_MARGIN)
            return target
        legend = self.overlay.legend_box(width, height)
        left = legend.right() if not legend.isEmpty() else 0.0
        target.zoom_to_extent_within(
            scene.extent, (left, band_height(height), width, height), SCENE_MARGIN
        )
        return target

    def _refit_scene(self) -> None:
        """Fit the scene shown again after the canvas changed size (entering, leaving)."""
        if not self.on_scene or self._scene_view is None:
            return
        view = self.canvas.viewport
        if (view.width, view.height) == (self._scene_view.width, self._scene_view.height) and (
            self.canvas.width(),
            self.canvas.height(),
        ) == (view.width, view.height):
            return
        scene = self.window.scenes[self.index]
        target = self._scene_target(scene)
        self._scene_view = target
        if self.animating:
            self._target = target  # the running pan/zoom ends there
        else:
            self.canvas.set_view(target.center_x, target.center_y, target.resolution)

    def _step_animation(self, value) -> None:
        start, target = self._start, self._target
        if start is None or target is None:
            return
        t = float(value)
        # Centre linear, resolution geometric: the zoom feels even all the way.
        resolution = math.exp(
            math.log(start.resolution)
            + (math.log(target.resolution) - math.log(start.resolution)) * t
        )
        self.canvas.set_view(
            start.center_x + (target.center_x - start.center_x) * t,
            start.center_y + (target.center_y - start.center_y) * t,
            resolution,
        )

    def _finish_animation(self) -> None:
        target, self._target, self._start = self._target, None, None
        if target is not None:
            self.canvas.set_view(target.center_x, target.center_y, target.resolution)

    @property
    def animating(self) -> bool:
        """True while the view is moving to a scene."""
        return self.animation.state() == QVariantAnimation.State.Running

    def add_current_view(self) -> int:
        """Add the current view and visible layers as a scene (undoable); its position.

        The new scene becomes the one shown (the map shows it already)."""
        scenes = self.window.scenes
        scene = scene_of_view(scenes, self.canvas.viewport, self.window.stack)
        self.animation.stop()
        self._finish_animation()
        index = scenes.add(scene)
        self.scene_id, self._position, self._gap = scene.scene_id, index, None
        self._scene_view = self.canvas.viewport.copy()
        self.window.scenes_panel.select_row(index)
        self.show_message(
            tr("Added scene “{title}” (rename it in the Scenes panel, F2)", title=scene.title)
        )
        self._place_bar()
        return index

    def _on_scenes_changed(self) -> None:
        # The scene shown is followed by its id across moves, renames and additions;
        # when it is deleted, stepping goes on from the position it had.
        if self.scene_id is not None:
            index = self.window.scenes.index_of(self.scene_id)
            if index >= 0:
                self._position = index
            else:
                self._gap, self.scene_id, self._scene_view = self._position, None, None
        self._place_bar()
        self.canvas.update()

    def _on_view_changed(self) -> None:
        # Panning or zooming away from the scene: the band and the counter say so.
        if self.active and self.on_scene != self._band_on_scene:
            self._place_bar()

    def current_title(self) -> str:
        """The title band's text: the scene's title while the map shows it, else the
        project's name."""
        if self.on_scene:
            return self.window.scenes[self.index].title
        project = self.window.project
        return (
            project.display_name
            if project.path is not None
            else tr("InnoAtlas — innovation-support centres")
        )

    # -- indicator card and messages -----------------------------------------------------
    def set_card_visible(self, on: bool) -> None:
        """Show or hide the selected site's indicator card over the map."""
        self.show_card = bool(on)
        self.canvas.update()

    def _update_if_card(self) -> None:
        if self.active and self.show_card:
            self.canvas.update()

    def show_message(self, text: str) -> None:
        """A message on the map while presenting (and in the status bar)."""
        self.message = text
        self.window.statusBar().showMessage(text, MESSAGE_MS)
        self._message_timer.start(MESSAGE_MS)
        self.canvas.update()

    def _on_language_changed(self, _language: str = "") -> None:
        self.overlay.forget_legend()  # the layer titles and categories change language
        self._clear_message()

    def _clear_message(self) -> None:
        self.message = ""
        self.canvas.update()

    # -- keys ----------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.canvas and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._after_resize)
        if not self.active or event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if key == Qt.Key.Key_Escape:
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
        if tool is self.window.polygon_tool:
            return bool(tool.vertices) and not tool.paused
        if isinstance(tool, DragShapeTool):
            return tool.start is not None
        if tool is self.window.edit_tool:
            return tool.mode is not None
        return False

    def _after_resize(self) -> None:
        if self.active:
            self._refit_scene()
        self._place_bar()

    def _place_bar(self) -> None:
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


class _ControlBar(QWidget):
    """Buttons on the title band: previous, next, indicator card, leave."""

    def __init__(self, controller: PresentationController, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("presentationBar")
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.counter = QLabel("", self)
        self.counter.setObjectName("presentationCounter")
        layout.addWidget(self.counter)
        actions = controller.window.actions_by_name
        self.previous = self._button("presentPrevious", "◀")
        self.previous.clicked.connect(controller.previous_scene)
        self.next = self._button("presentNext", "▶")
        self.next.clicked.connect(controller.next_scene)
        self.card = self._button("presentCard")
        card_action = actions["actionPresentationCard"]
        self.card.setCheckable(True)
        self.card.setChecked(card_action.isChecked())
        self.card.toggled.connect(card_action.setChecked)
        card_action.toggled.connect(self.card.setChecked)
        self.leave = self._button("presentLeave")
        self.leave.clicked.connect(controller.leave)
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
        if self.controller.active:
            self.controller._place_bar()  # the buttons changed width
        else:
            self.refresh()

    def refresh(self) -> None:
        """Size the buttons for the screen and show which scene this is."""
        s = overlay_scale(self.parentWidget().height())
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
        scenes = self.controller.window.scenes
        index = self.controller.index
        on_scene = index is not None and self.controller.on_scene
        self.counter.setText(
            tr("Scene {number} of {count}", number=index + 1, count=len(scenes))
            if on_scene
            else tr("{count} scenes", count=len(scenes))
        )


def _paint_panel(painter: QPainter, box: QRectF, s: float) -> None:
    """The white rounded panel behind the legend and the card."""
    painter.setPen(QPen(QColor(0, 0, 0, 40), 1.0))
    painter.setBrush(PANEL)
    painter.drawRoundedRect(box, 10 * s, 10 * s)


class PresentationOverlay:
    """Paints the title band, legend, caveat, indicator card and messages (when active)."""

    def __init__(self, controller: PresentationController) -> None:
        self.controller = controller
        #: Where the parts went in the last frame (tests look at them).
        self.title_rect = QRectF()
        self.legend_rect = QRectF()
        self.card_rect = QRectF()
        self.message_rect = QRectF()
        #: :func:`legend_entries` of the stack, kept until a layer or the language changes
        #: (the controller tells of the language; a frame of the animation only paints).
        self._entries: list | None = None
        stack = controller.window.stack
        for signal in (stack.layer_changed, stack.inserted, stack.removed, stack.moved):
            signal.connect(self.forget_legend)

    def forget_legend(self, *_args) -> None:
        """The legend's rows must be found again (a layer or the language changed)."""
        self._entries = None

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        """Draw the title band, the legend, the indicator card and the message (canvas
        overlay hook; nothing outside presentation mode)."""
        controller = self.controller
        if not controller.active:
            return
        window = controller.window
        width, height = float(viewport.width), float(viewport.height)
        s = overlay_scale(height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        band = band_height(height)
        # The north arrow (drawn after the overlays) goes below the band.
        controller.canvas.decoration_top = band
        self.title_rect = self._paint_band(painter, width, band, s)
        margin = 22 * s
        bottom = height - 90 * s  # above the scale bar
        self.legend_rect = self._paint_legend(painter, self._legend_area(width, height), s)
        self.card_rect = QRectF()
        if controller.show_card:
            arrow = north_arrow_rect(width, controller.canvas.decoration_scale, band)
            top = arrow.bottom() + margin / 2  # below the north arrow
            card_w = min(560 * s, width * 0.36)
            self.card_rect = self._paint_card(
                painter, QRectF(width - card_w - margin, top, card_w, bottom - top), s, window
            )
        self.message_rect = QRectF()
        if controller.message:
            self.message_rect = self._paint_message(painter, width, height, s, controller.message)

    def _paint_band(self, painter: QPainter, width: float, band: float, s: float) -> QRectF:
        rect = QRectF(0, 0, width, band)
        painter.fillRect(rect, BAND)
        pad = 30 * s
        title_font = map_font(10, bold=True)
        title_font.setPixelSize(max(12, round(52 * s)))
        bar_w = self.controller.bar.width() + 40 * s if self.controller.bar.isVisible() else 0
        text_w = width - 2 * pad - bar_w
        painter.setFont(title_font)
        painter.setPen(BAND_TEXT)
        metrics = QFontMetricsF(title_font)
        title = metrics.elidedText(
            self.controller.current_title(), Qt.TextElideMode.ElideRight, max(10.0, text_w)
        )
        title_rect = QRectF(pad, 10 * s, text_w, 66 * s)
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignVCenter), title)
        caveat = self.controller.window.caveat_text()
        if caveat:
            font = map_font(10, bold=True)
            font.setPixelSize(max(10, round(22 * s)))
            painter.setFont(font)
            painter.setPen(CAVEAT)
            caveat = QFontMetricsF(font).elidedText(
                "⚠ " + caveat, Qt.TextElideMode.ElideRight, max(10.0, text_w)
            )
            painter.drawText(
                QRectF(pad, 76 * s, text_w, 32 * s), int(Qt.AlignmentFlag.AlignVCenter), caveat
            )
        return rect

    @staticmethod
    def _legend_area(width: float, height: float) -> QRectF:
        """The column the legend may take: left, below the band, above the scale bar."""
        s = overlay_scale(height)
        margin, band = 22 * s, band_height(height)
        return QRectF(
            margin, band + margin, min(470 * s, width * 0.3), height - 90 * s - band - margin
        )

    def _legend_layout(self, rect: QRectF, s: float):
        """``(entries, box, k)`` of the legend in ``rect`` (None: no legend)."""
        window = self.controller.window
        if self._entries is None:
            self._entries = legend_entries(window.stack, window.language)
        entries = self._entries
        if not entries or rect.height() <= 40 * s:
            return None
        lines = 1 + sum(
            1 if layer.style.kind != "categorized" else 1 + len(rows) for layer, rows in entries
        )
        pad, row_h, gaps = 18 * s, 34 * s, len(entries) * 6 * s
        k = min(1.0, (rect.height() - 2 * pad) / max(1.0, lines * row_h + gaps))
        needed = 2 * pad + lines * row_h * k + gaps * k
        return entries, QRectF(rect.left(), rect.top(), rect.width(), min(rect.height(), needed)), k

    def legend_box(self, width: float, height: float) -> QRectF:
        """Where the legend goes on a map ``width`` × ``height`` pixels with the layers
        visible now (empty: no legend)."""
        layout = self._legend_layout(self._legend_area(width, height), overlay_scale(height))
        return QRectF() if layout is None else layout[1]

    def _paint_legend(self, painter: QPainter, rect: QRectF, s: float) -> QRectF:
        window = self.controller.window
        layout = self._legend_layout(rect, s)
        if layout is None:
            return QRectF()
        entries, box, k = layout
        pad = 18 * s
        row_h = 34 * s * k
        swatch = 26 * s * k
        head_font, layer_font, row_font = (
            map_font(10, bold=True),
            map_font(10, bold=True),
            map_font(10),
        )
        head_font.setPixelSize(max(9, round(26 * s * k)))
        layer_font.setPixelSize(max(8, round(21 * s * k)))
        row_font.setPixelSize(max(8, round(20 * s * k)))
        painter.save()
        _paint_panel(painter, box, s)
        x, y = box.left() + pad, box.top() + pad
        text_w = box.width() - 2 * pad
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
        painter.setPen(INK)
        painter.setFont(head_font)
        painter.drawText(QRectF(x, y, text_w, row_h), flags, tr("Legend"))
        y += row_h
        paint_legend_rows(
            painter,
            entries,
            x,
            y,
            box.right() - pad,
            row_h,
            swatch,
            layer_font,
            row_font,
            window.language,
            ink=INK,
            layer_gap=6 * s * k,
            indent=14 * s * k,
            swatch_gap=12 * s * k,
            min_point=10.0,
        )
        painter.restore()
        return box

    def _paint_card(self, painter: QPainter, rect: QRectF, s: float, window) -> QRectF:
        site_id = window.editing.selected
        row = window.indicators.row(site_id)
        pad = 20 * s
        title_font = map_font(10, bold=True)
        title_font.setPixelSize(max(10, round(30 * s)))
        font = map_font(10)
        font.setPixelSize(max(9, round(22 * s)))
        bold = map_font(10, bold=True)
        bold.setPixelSize(max(9, round(22 * s)))
        row_h = 36 * s
        painter.save()
        if row is None:
            text = tr(
                "Select a site to see its indicators (E, then click a site)"
                if site_id is None
                else "Indicators are being computed…"
            )
            box = QRectF(rect.left(), rect.top(), rect.width(), 2 * pad + 2 * row_h)
            _paint_panel(painter, box, s)
            painter.setPen(INK)
            painter.setFont(font)
            painter.drawText(
                box.adjusted(pad, pad, -pad, -pad),
                int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            painter.restore()
            return box
        k = min(1.0, (rect.height() - 2 * pad) / ((len(CARD_ROWS) + 1.6) * row_h))
        row_h *= k
        for f in (title_font, font, bold):
            f.setPixelSize(max(8, round(f.pixelSize() * k)))
        box = QRectF(
            rect.left(), rect.top(), rect.width(), 2 * pad + (len(CARD_ROWS) + 1.6) * row_h
        )
        _paint_panel(painter, box, s)
        x, y, w = box.left() + pad, box.top() + pad, box.width() - 2 * pad
        rank = row.get("rank")
        name = str(row.get("name") or site_id)
        heading = (f"#{int(rank)}  " if rank is not None and not is_missing(rank) else "") + name
        painter.setPen(INK)
        painter.setFont(title_font)
        painter.drawText(
            QRectF(x, y, w, 1.6 * row_h),
            int(Qt.AlignmentFlag.AlignVCenter),
            elide(heading, title_font, w),
        )
        y += 1.6 * row_h
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
        for column, label in CARD_ROWS:
            if column not in row.index:
                continue
            value = row[column]
            text = format_value(column, value, i18n.language())
            if column == "score" and not is_missing(value):
                text = f"{float(value):.1f}"
            painter.setPen(QColor("#505050"))
            painter.setFont(font)
            painter.drawText(QRectF(x, y, w * 0.56, row_h), flags, elide(tr(label), font, w * 0.56))
            painter.setPen(WARNING if column == "use_permitted" and blocked(value) else INK)
            painter.setFont(bold)
            painter.drawText(
                QRectF(x + w * 0.58, y, w * 0.42, row_h),
                flags | int(Qt.AlignmentFlag.AlignRight),
                elide(text, bold, w * 0.42),
            )
            y += row_h
        painter.restore()
        return box

    def _paint_message(
        self, painter: QPainter, width: float, height: float, s: float, text: str
    ) -> QRectF:
        font = map_font(10, bold=True)
        font.setPixelSize(max(10, round(22 * s)))
        metrics = QFontMetricsF(font)
        max_w = width * 0.6
        bound = metrics.boundingRect(QRectF(0, 0, max_w, 1000), int(Qt.TextFlag.TextWordWrap), text)
        pad = 16 * s
        box = QRectF(
            (width - bound.width()) / 2 - pad,
            height - 150 * s - bound.height(),
            bound.width() + 2 * pad,
            bound.height() + 2 * pad,
        )
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(120, 0, 20, 225))
        painter.drawRoundedRect(box, 8 * s, 8 * s)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(font)
        painter.drawText(
            box.adjusted(pad, pad, -pad, -pad),
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter),
            text,
        )
        painter.restore()
        return box


__all__ = ["PresentationController", "PresentationOverlay", "LABEL_SCALE", "band_height"]
