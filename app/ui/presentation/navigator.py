"""Scene stepping of presentation mode: :class:`SceneNavigator`.

Page Down/Page Up (and the arrow keys, the bar's buttons, the Scenes panel) step
through the project's scenes: each shows its layers at once and its extent with a short
animated pan/zoom (centre linear, resolution geometric), centred while presenting in
the part of the map that the title band and the legend leave free. The scene shown is
followed by its id across moves, renames, additions and deletions; after the map was
panned or zoomed away, stepping comes back to it first. The navigator reaches the
window through :class:`~app.ui.presentation.host.PresentationHost` and the controller
through :class:`NavigatorOwner`.
"""

from __future__ import annotations

import math
from typing import Protocol

from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation

from app.core.map.viewport import Viewport
from app.core.project.scenes import Scene
from app.ui.i18n import tr
from app.ui.presentation.host import PresentationHost
from app.ui.presentation.overlay import PresentationOverlay, band_height
from app.ui.scenes.model import scene_of_view

ANIMATION_MS = 400
#: Fraction of the scene's extent added on each side when going to a scene.
SCENE_MARGIN = 0.06


class NavigatorOwner(Protocol):
    """What the navigator asks of presentation mode (the controller)."""

    @property
    def active(self) -> bool:
        """True while presenting (scenes are then framed beside the legend)."""
        ...

    def show_message(self, text: str) -> None:
        """Show ``text`` on the map while presenting (and in the status bar)."""
        ...

    def place_bar(self) -> None:
        """Update the control bar (the scene shown or the number of scenes changed)."""
        ...


class SceneNavigator(QObject):
    """Goes to the project's scenes and remembers the one shown last.

    Parameters
    ----------
    host : PresentationHost
        The window: its ``scenes``, ``scenes_panel``, ``stack``, ``canvas`` and ``project``.
    owner : NavigatorOwner
        The presentation controller.
    overlay : PresentationOverlay
        Where the legend is while presenting (scenes are framed beside it).
    parent : QObject, optional
        Qt parent (the controller).
    """

    def __init__(
        self,
        host: PresentationHost,
        owner: NavigatorOwner,
        overlay: PresentationOverlay,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.owner = owner
        self.overlay = overlay
        self.canvas = host.canvas
        #: Id of the scene shown last (None: none yet, or it was deleted), the view that
        #: showing it produced (the band names the scene while the map still shows that
        #: view) and, after the scene was deleted, the position it had.
        self.scene_id: str | None = None
        self._scene_view: Viewport | None = None
        self._position: int | None = None
        self._gap: int | None = None
        self.animation_ms = ANIMATION_MS
        self._target: Viewport | None = None
        self._start: Viewport | None = None
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self.animation.valueChanged.connect(self._step_animation)
        self.animation.finished.connect(self._finish_animation)
        host.scenes.changed.connect(self._on_scenes_changed)

    @property
    def index(self) -> int | None:
        """Position of the scene shown last (None: none yet, or it was deleted)."""
        if self.scene_id is None:
            return None
        index = self.host.scenes.index_of(self.scene_id)
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
        count = len(self.host.scenes)
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
                self.owner.show_message(
                    tr("This is the last scene (Page Up goes back)")
                    if direction > 0
                    else tr("This is the first scene (Page Down goes on)")
                )
                return False
        return self.go_to(min(max(target, 0), count - 1))

    def _no_scenes(self) -> bool:
        self.owner.show_message(
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
        scenes = self.host.scenes
        if not 0 <= index < len(scenes):
            return False
        scene = scenes[index]
        self.scene_id, self._position, self._gap = scene.scene_id, index, None
        missing = scene.apply_visibility(self.host.stack)
        self.host.scenes.show_state(scene)  # its catchments and basemap
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
            self.owner.show_message(tr(text, title=scene.title, names=names))
        target = self._scene_target(scene)
        self._scene_view = target
        self.host.scenes_panel.select_row(index)
        self.owner.place_bar()
        self.animation.stop()
        self._start, self._target = self.canvas.viewport.copy(), target
        if animate and self.animation_ms > 0 and self.canvas.isVisible():
            self.animation.setDuration(int(self.animation_ms))
            self.animation.start()
        else:
            self._finish_animation()
        self.canvas.update()
        return True

    def _scene_target(self, scene: Scene) -> Viewport:
        """The view that shows ``scene`` on the canvas at its present size."""
        width, height = self.canvas.width(), self.canvas.height()
        target = self.canvas.viewport.copy()
        target.resize(width, height)
        if not self.owner.active:
            target.zoom_to_extent(scene.extent, SCENE_MARGIN)
            return target
        legend = self.overlay.legend_box(width, height)
        left = legend.right() if not legend.isEmpty() else 0.0
        target.zoom_to_extent_within(
            scene.extent, (left, band_height(height), width, height), SCENE_MARGIN
        )
        return target

    def refit_scene(self) -> None:
        """Fit the scene shown again after the canvas changed size (entering, leaving)."""
        index = self.index
        if index is None or not self.on_scene or self._scene_view is None:
            return
        view = self.canvas.viewport
        if (view.width, view.height) == (self._scene_view.width, self._scene_view.height) and (
            self.canvas.width(),
            self.canvas.height(),
        ) == (view.width, view.height):
            return
        scene = self.host.scenes[index]
        target = self._scene_target(scene)
        self._scene_view = target
        if self.animating:
            self._target = target  # the running pan/zoom ends there
        else:
            self.canvas.set_view(target.center_x, target.center_y, target.resolution)

    def _step_animation(self, value: float) -> None:
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

    def stop(self) -> None:
        """End a running pan/zoom at once, at its target."""
        self.animation.stop()
        self._finish_animation()

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
        scenes = self.host.scenes
        scene = scene_of_view(scenes, self.canvas.viewport, self.host.stack)
        self.stop()
        index = scenes.add(scene)
        self.scene_id, self._position, self._gap = scene.scene_id, index, None
        self._scene_view = self.canvas.viewport.copy()
        self.host.scenes_panel.select_row(index)
        self.owner.show_message(
            tr("Added scene “{title}” (rename it in the Scenes panel, F2)", title=scene.title)
        )
        self.owner.place_bar()
        return index

    def _on_scenes_changed(self) -> None:
        # The scene shown is followed by its id across moves, renames and additions;
        # when it is deleted, stepping goes on from the position it had.
        if self.scene_id is not None:
            index = self.host.scenes.index_of(self.scene_id)
            if index >= 0:
                self._position = index
            else:
                self._gap, self.scene_id, self._scene_view = self._position, None, None
        self.owner.place_bar()
        self.canvas.update()

    def current_title(self) -> str:
        """The title band's text: the scene's title while the map shows it, else the
        project's name."""
        index = self.index
        if index is not None and self.on_scene:
            return self.host.scenes[index].title
        project = self.host.project
        return (
            project.display_name
            if project.path is not None
            else tr("InnoAtlas — innovation-support centres")
        )


__all__ = ["ANIMATION_MS", "SCENE_MARGIN", "NavigatorOwner", "SceneNavigator"]
