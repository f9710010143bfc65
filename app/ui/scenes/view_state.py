"""What a scene keeps of the view besides extent and layers: the sites' catchment mode
(how they are drawn), the basemap (source, opacity, greyscale, on/off) and the
catchment the indicators measure (straight line or a walking network: issue 18's "per
scene" setting, applied through the walking network's ``set_setting``).

A scene added from the current view keeps both as they are shown; showing the scene
(the Scenes panel, presentation mode) makes them the project's again, as the scene's
layer visibility does. Scenes saved before they kept them (``None``) leave the current
ones as they are.
"""

from __future__ import annotations

from typing import Any

from app.core.project.scenes import Scene


class SceneViewState:
    """Connects the window's scenes to its catchment and basemap controls.

    Parameters
    ----------
    window
        The main window (``scenes``, ``catchments``, ``basemap``).
    """

    def __init__(self, window) -> None:
        self.window = window
        window.scenes.capture = self.capture
        window.scenes.show_state = self.show

    def capture(self) -> dict[str, Any]:
        """The catchment mode and basemap a new scene keeps (keyword arguments of Scene)."""
        out: dict[str, Any] = {
            "catchments": self.window.catchments.current(),
            "basemap": self.window.basemap.current(),
        }
        walking = getattr(self.window, "walking", None)
        if walking is not None:
            setting = walking.controller.setting
            out["catchment_mode"] = "network" if setting.uses_network else "line"
            out["network_layer"] = setting.layer
        return out

    def show(self, scene: Scene) -> None:
        """Show ``scene``'s catchment mode and basemap (those it keeps)."""
        if scene.catchments is not None and scene.catchments != self.window.catchments.current():
            self.window.catchments.apply(scene.catchments)
        if scene.basemap is not None and scene.basemap != self.window.basemap.current():
            self.window.basemap.apply(scene.basemap)
        walking = getattr(self.window, "walking", None)
        if scene.catchment_mode is not None and walking is not None:
            from app.core.network.settings import CatchmentSetting

            before = walking.controller.setting
            layer = scene.network_layer or before.layer
            wanted = CatchmentSetting(layer, scene.catchment_mode, before.tolerance_m)
            if wanted != before:  # a refused network leaves the setting (status bar says why)
                walking.controller.set_setting(wanted, self.window.project.settings.extra)


__all__ = ["SceneViewState"]
