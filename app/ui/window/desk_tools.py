"""The desk tools of the main window (issue 17): measure, select features, attribute
tables, Find a place and the right-click menus, built and wired in one place."""

from __future__ import annotations

from app.ui.context.menus import ContextMenus
from app.ui.measure.panel import MeasurePanel
from app.ui.measure.tool import MeasureTool
from app.ui.search.box import SearchBox
from app.ui.table.manager import AttributeTables
from app.ui.table.select_tool import SelectFeaturesTool, SelectionOverlay
from app.ui.table.selection import FeatureSelection


class DeskTools:
    """Builds the tools and sets ``window.measure_tool`` and ``window.select_tool``.

    Attributes
    ----------
    selection : FeatureSelection
        Selected features of every layer (tables, select tool, map highlight).
    tables : AttributeTables
    search : SearchBox
        On the map toolbar.
    menus : ContextMenus
    measure_panel : MeasurePanel
    """

    def __init__(self, window) -> None:
        self.window = window
        status = window.statusBar()
        self.selection = FeatureSelection(window.stack, window)
        window.measure_tool = MeasureTool(window.canvas, window.editing)
        self.measure_panel = MeasurePanel(window.measure_tool)
        window.select_tool = SelectFeaturesTool(
            window.canvas,
            self.selection,
            window.layer_panel.current_layer,
            lambda text: status.showMessage(text, 6000),
        )
        window.canvas.overlays.insert(0, SelectionOverlay(self.selection))
        self.selection.changed.connect(lambda _name: window.canvas.update())
        self.tables = AttributeTables(window, self.selection)
        self.tables.message.connect(lambda text: status.showMessage(text, 8000))
        window.window_menus.map_toolbar.addSeparator()
        self.search = SearchBox(window, window.window_menus.map_toolbar)
        window.window_menus.map_toolbar.addWidget(self.search)
        self.menus = ContextMenus(window, self.tables)
        a = window.actions_by_name
        a["actionAttributeTable"].triggered.connect(
            lambda: self.tables.open(window.layer_panel.current_layer())
        )
        a["actionZoomToLayer"].triggered.connect(self._zoom_to_current)
        a["actionFindPlace"].triggered.connect(self.focus_search)
        measure = window.measure_tool
        measure.measured.connect(lambda _m: self._show_measure_status())
        measure.panel = self.measure_panel

    def _zoom_to_current(self) -> None:
        layer = self.window.layer_panel.current_layer()
        if layer is not None:
            self.menus.zoom_to_layer(layer)

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in the search box, its text selected."""
        self.search.setFocus()
        self.search.selectAll()

    def _show_measure_status(self) -> None:
        text = self.window.measure_tool.summary()
        if text:
            self.window.statusBar().showMessage(text)
        else:
            self.window.statusBar().clearMessage()
