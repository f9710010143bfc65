"""What presentation mode uses of the main window: the :class:`PresentationHost` protocol.

The presentation controller, navigator, overlay and control bar reach the window only
through this protocol, which the main window satisfies structurally (nothing here
imports it): the map canvas, the layer stack, the scenes and their panel, the site
tools, the indicators and project controllers, the actions by name, the caveat text,
and the few QMainWindow calls that going full screen and back needs.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from PySide6.QtCore import QByteArray, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QAction, QScreen, QWindow
from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

from app.ui.canvas.map_canvas import MapCanvas, PanTool
from app.ui.identify.tool import IdentifyTool
from app.ui.indicators.controller import IndicatorsController
from app.ui.project.controller import ProjectController
from app.ui.scenes.model import ScenesModel
from app.ui.scenes.panel import ScenesPanel
from app.ui.sites.edit_tool import EditSitesTool
from app.ui.sites.editing import SiteEditing
from app.ui.sites.sketch_tools import (
    CircleSiteTool,
    PointSiteTool,
    PolygonSiteTool,
    RectangleSiteTool,
)
from layers.model import LayerStack

_T = TypeVar("_T", bound=QObject)


class PresentationHost(Protocol):
    """The main window as presentation mode sees it.

    The map tools are named as in :data:`app.ui.actions.TOOL_ACTIONS` (leaving puts
    back the tool of before through :meth:`set_tool`).
    """

    canvas: MapCanvas
    stack: LayerStack
    scenes: ScenesModel
    scenes_panel: ScenesPanel
    editing: SiteEditing
    indicators: IndicatorsController
    project: ProjectController
    actions_by_name: dict[str, QAction]
    pan_tool: PanTool
    identify_tool: IdentifyTool
    point_tool: PointSiteTool
    polygon_tool: PolygonSiteTool
    rectangle_tool: RectangleSiteTool
    circle_tool: CircleSiteTool
    edit_tool: EditSitesTool

    @property
    def language(self) -> str:
        """The UI language (``"en"`` or ``"ko"``)."""
        ...

    def caveat_text(self) -> str:
        """The "Not real data: …" warning for the caveated layers ("" when none)."""
        ...

    def set_tool(self, attribute: str) -> None:
        """Activate the map tool stored in ``attribute`` (e.g. ``"polygon_tool"``)."""
        ...

    # -- the Qt window (a QMainWindow) ----------------------------------------------------
    def window(self, /) -> QWidget:
        """The window as a widget (a top-level widget's ``window()`` is itself): parent of
        the controller and of the screen menu."""
        ...

    def installEventFilter(self, filterObj: QObject, /) -> None: ...
    def addAction(self, action: QAction, /) -> None: ...
    def findChildren(
        self, type: type[_T], /, name: str = ..., options: Qt.FindChildOption = ...
    ) -> list[_T]: ...
    def menuBar(self, /) -> QMenuBar: ...
    def statusBar(self, /) -> QStatusBar: ...
    def screen(self, /) -> QScreen: ...
    def windowHandle(self, /) -> QWindow | None: ...
    def mapToGlobal(self, arg__1: QPoint, /) -> QPoint: ...
    def rect(self, /) -> QRect: ...
    def geometry(self, /) -> QRect: ...
    def setGeometry(self, arg__1: QRect, /) -> None: ...
    def saveGeometry(self, /) -> QByteArray: ...
    def restoreGeometry(self, geometry: QByteArray, /) -> bool: ...
    def saveState(self, /, version: int | None = ...) -> QByteArray: ...
    def restoreState(self, state: QByteArray, /, version: int | None = ...) -> bool: ...
    def windowState(self, /) -> Qt.WindowState: ...
    def setWindowState(self, state: Qt.WindowState, /) -> None: ...
    def move(self, arg__1: QPoint, /) -> None: ...
    def showFullScreen(self, /) -> None: ...


__all__ = ["PresentationHost"]
