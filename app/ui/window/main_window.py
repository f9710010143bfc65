"""The main window: the composition root wiring canvas, panels, actions and status bar.

:class:`MainWindow` builds the canvas, map tools, panels and docks itself; the menus and
map toolbar (:mod:`.menus`), the Sites toolbar (:mod:`.sites_toolbar`), the status bar
(:mod:`.status_bar`), the exports (:mod:`.exports`) and the About box (:mod:`.about`)
are built by collaborators, and the window connects them all.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStyle, QWidget

from app.core.errors import InnoAtlasError
from app.core.project.coverage import (
    DISTRICTS_LAYER,
    DONGS_LAYER,
    layer_coverage,
)
from app.core.project.scenes import districts_extent, scenes_from_settings
from app.core.project.store import ProjectSettings
from app.core.project.user_layers import is_user_layer
from app.core.sites.edits import new_sites_layer
from app.core.zoning.rules import ZoningRules
from app.ui import i18n
from app.ui.actions import DISTRICT_ACTIONS, LANGUAGE_ACTIONS, TOOL_ACTIONS
from app.ui.analysis.actions import AnalysisLayers
from app.ui.canvas.map_canvas import MapCanvas, PanTool
from app.ui.decisions.menu import DecisionActions
from app.ui.i18n import tr
from app.ui.identify.panel import IdentifyPanel
from app.ui.identify.tool import IdentifyTool
from app.ui.indicators.controller import IndicatorsController
from app.ui.indicators.panel import IndicatorsPanel
from app.ui.layers.add_layer import LayerImporter, show_message
from app.ui.layers.commands import RemoveLayerCommand, RenameLayerCommand, SetStyleCommand
from app.ui.layers.panel import LayerPanel
from app.ui.layers.properties import CoverageSetup, LayerEdits, LayerPropertiesDialog
from app.ui.network.setup import WalkingNetwork
from app.ui.participation.workshop import Workshop
from app.ui.presentation.controller import PresentationController
from app.ui.project.basemap_dialog import BasemapControl
from app.ui.project.controller import ProjectController
from app.ui.scenarios.control import ScenarioControl
from app.ui.scenes.model import ScenesModel
from app.ui.scenes.panel import ScenesPanel
from app.ui.scenes.view_state import SceneViewState
from app.ui.sites import commands as site_commands
from app.ui.sites.edit_tool import EditSitesTool
from app.ui.sites.editing import SiteEditing
from app.ui.sites.overlay import SitesOverlay
from app.ui.sites.panel import SitesPanel
from app.ui.sites.sketch_tools import (
    CircleSiteTool,
    PointSiteTool,
    PolygonSiteTool,
    RectangleSiteTool,
)
from app.ui.window import about
from app.ui.window import help as help_pages
from app.ui.window.catchments import CatchmentControl
from app.ui.window.desk_tools import DeskTools
from app.ui.window.exports import WindowExports
from app.ui.window.menus import WindowMenus
from app.ui.window.roles import LayerRoles
from app.ui.window.sites_toolbar import SitesToolbar
from app.ui.window.status_bar import StatusBarWidgets
from layers.model import LayerStack

#: Site rows the default dock layout shows without scrolling.
SITE_ROWS = 5


class MainWindow(LayerRoles, QMainWindow):
    """InnoAtlas main window for one loaded project."""

    def __init__(
        self,
        stack: LayerStack,
        project_path: Path | None = None,
        settings: ProjectSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        if "sites" not in stack:
            stack.insert(0, new_sites_layer())
        self.stack = stack
        self.undo_stack = QUndoStack(self)

        self.canvas = MapCanvas(stack, self)
        self.canvas.home_extent = districts_extent(stack)  # with their zoning overlays
        self.setCentralWidget(self.canvas)
        self.pan_tool = PanTool(self.canvas)
        self.identify_tool = IdentifyTool(self.canvas)
        self.editing = SiteEditing(self.canvas, self.undo_stack)
        self.point_tool = PointSiteTool(self.canvas, self.editing)
        self.polygon_tool = PolygonSiteTool(self.canvas, self.editing)
        self.rectangle_tool = RectangleSiteTool(self.canvas, self.editing)
        self.circle_tool = CircleSiteTool(self.canvas, self.editing)
        self.edit_tool = EditSitesTool(self.canvas, self.editing)
        self.indicators = IndicatorsController(stack, self.editing)
        if settings is not None:
            self._apply_project_rules(settings)
        self.canvas.overlays.append(SitesOverlay(self.editing, self.indicators))
        self.project = ProjectController(
            self, stack, self.undo_stack, self.canvas, self.editing, project_path, settings
        )
        if settings is not None:
            self.editing.radius_m = float(settings.radius_m)

        self.importer = LayerImporter(self)
        self.layer_panel = LayerPanel(stack, self)
        self.layer_panel.model.coverage_text = self.coverage_text
        self.identify_panel = IdentifyPanel(self)
        self.layer_dock = self._dock(
            "layerDock", "Layers", self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.identify_dock = self._dock(
            "identifyDock",
            "Identify results",
            self.identify_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.identify_dock.hide()
        self.sites_panel = SitesPanel(self.editing, self)
        self.sites_dock = self._dock(
            "sitesDock", "Sites", self.sites_panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.indicators_panel = IndicatorsPanel(self.indicators, self.editing, self)
        self.indicators_panel.set_weights(self.indicators.weights)
        self.indicators_dock = self._dock(
            "indicatorsDock",
            "Indicators",
            self.indicators_panel,
            Qt.DockWidgetArea.RightDockWidgetArea,
        )
        self.splitDockWidget(self.sites_dock, self.indicators_dock, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.sites_dock, self.identify_dock)
        self.sites_dock.raise_()
        self._size_docks()
        self._docks_sized = False
        self.scenes = ScenesModel(self.undo_stack, self)
        self.basemap = BasemapControl(self)
        self.basemap.load()
        self.scenes.set_scenes(
            scenes_from_settings(self.project.settings.extra, stack, self.language)
        )
        self.scenes_panel = ScenesPanel(self.scenes, self)
        self.scenes_dock = self._dock(
            "scenesDock", "Scenes", self.scenes_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.layer_dock, self.scenes_dock)
        self.layer_dock.raise_()

        self.window_menus = WindowMenus(
            self,
            (
                self.layer_dock,
                self.sites_dock,
                self.indicators_dock,
                self.identify_dock,
                self.scenes_dock,
            ),
        )
        self.actions_by_name = self.window_menus.actions_by_name
        self.menus, self.recent_menu = self.window_menus.menus, self.window_menus.recent_menu
        self.sites_toolbar = SitesToolbar(self, self.actions_by_name)
        self.radius_box = self.sites_toolbar.radius_box
        self.radius_label = self.sites_toolbar.radius_label
        self.status_widgets = StatusBarWidgets(self, self.canvas, self.caveat_text())
        self.coords_label = self.status_widgets.coords_label
        self.scale_label = self.status_widgets.scale_label
        self.data_label = self.status_widgets.data_label
        self.exports = WindowExports(self)
        self.desk = DeskTools(self)  # measure, select, attribute tables, search, menus
        self.catchments = CatchmentControl(self)  # View › Catchments, its toolbar button
        SceneViewState(self)  # scenes keep and show the catchments and the basemap
        self._connect()
        self.scenarios = ScenarioControl(self)  # toolbar combo, Sites panel combo, Compare
        self.walking = WalkingNetwork(self)  # walking catchments, isochrones (issue 18)
        self.scenarios.attach_walking(self.walking)  # a scenario's catchment is the setting
        self.presentation = PresentationController(self)
        self.workshop = Workshop(self)  # Workshop → participation (app/ui/participation)
        self.actions_by_name["actionPan"].setChecked(True)
        self.actions_by_name["actionSnapping"].setChecked(self.editing.snapping)
        if settings is not None:
            self.sites_toolbar.restore_sketch(settings)
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)

    # -- construction --------------------------------------------------------------------
    @property
    def language(self) -> str:
        """The UI language (``"en"`` or ``"ko"``): app-wide, see :mod:`app.ui.i18n`."""
        return i18n.language()

    def _dock(self, name: str, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setProperty("sourceTitle", title)  # English source, translated by retranslate()
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def caveat_text(self) -> str:
        """The warning for synthetic/illustrative layers that are shown or counted."""
        project = getattr(self, "project", None)
        counted = (
            {
                layer.name
                for role in ("startups", "education", "stations", "zoning")
                if (layer := self.role_layer(role)) is not None
            }
            if project
            else set()
        )
        caveated = [
            layer.title(self.language)
            for layer in self.stack
            if layer.provenance.status.is_caveated and (layer.visible or layer.name in counted)
        ]
        return tr("Not real data: {layers}", layers=", ".join(caveated)) if caveated else ""

    def _connect(self) -> None:
        a = self.actions_by_name
        a["actionQuit"].triggered.connect(self.close)
        for name, attribute in TOOL_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, t=attribute: self.set_tool(t))
        a["actionNew"].triggered.connect(self.project.new)
        a["actionOpen"].triggered.connect(self.project.open_dialog)
        a["actionSave"].triggered.connect(self.project.save)
        a["actionSaveAs"].triggered.connect(self.project.save_as)
        a["actionAddLayer"].triggered.connect(self.importer.open_dialog)
        a["actionRemoveLayer"].triggered.connect(self.remove_current_layer)
        self.canvas.filesDropped.connect(self.importer.import_paths)
        a["actionExportGpkg"].triggered.connect(self.exports.gpkg_dialog)
        a["actionExportShp"].triggered.connect(self.exports.files_dialog)
        a["actionExportMap"].triggered.connect(self.exports.map_dialog)
        a["actionExportHtml"].triggered.connect(self.exports.html_dialog)
        a["actionUndo"].triggered.connect(self.undo_stack.undo)
        a["actionRedo"].triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a["actionUndo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["actionRedo"].setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.window_menus.set_undo_text("actionUndo", "&Undo", text)
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.window_menus.set_undo_text("actionRedo", "&Redo", text)
        )
        a["actionUndo"].setEnabled(False)
        a["actionRedo"].setEnabled(False)
        a["actionSnapping"].toggled.connect(self.sites_toolbar.set_snapping)
        for name, code in LANGUAGE_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, c=code: i18n.set_language(c))
        a["actionDeleteSite"].triggered.connect(self.editing.delete_selected)
        self.sites_toolbar.connect()
        self.editing.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.project.stateChanged.connect(self._update_title)
        self.project.projectLoaded.connect(self._on_project_loaded)
        self.stack.layer_changed.connect(self._on_layer_changed)
        self.indicators.resultsChanged.connect(self.canvas.update)
        self._preview_request = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        # At once when the events are handled: moves that arrive during a computation
        # are coalesced into one (the latest shape); no fixed wait in every frame.
        self._preview_timer.setInterval(0)
        self._preview_timer.timeout.connect(self._run_preview)
        self.editing.previewRequested.connect(self._queue_preview)
        self.analysis = AnalysisLayers(self)
        self.decisions = DecisionActions(self)  # Analysis → Robustness…, Pairwise weights…
        self.editing.sketchChanged.connect(self.sites_toolbar.on_sketch_changed)
        a["actionZoomIn"].triggered.connect(lambda: self.canvas.zoom_by(2.0))
        a["actionZoomOut"].triggered.connect(lambda: self.canvas.zoom_by(0.5))
        a["actionZoomFull"].triggered.connect(self.canvas.zoom_full)
        for name, district_id in DISTRICT_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, d=district_id: self.zoom_to_district(d))
        a["actionLayerProperties"].triggered.connect(self._show_current_properties)
        a["actionBasemap"].triggered.connect(self.basemap.dialog)
        a["actionLayerUp"].triggered.connect(lambda: self.layer_panel.move_current(-1))
        a["actionLayerDown"].triggered.connect(lambda: self.layer_panel.move_current(+1))
        a["actionAbout"].triggered.connect(self.show_about)
        a["actionGuide"].triggered.connect(lambda: help_pages.show_guide(self, self.language))
        a["actionShortcuts"].triggered.connect(lambda: help_pages.show_shortcuts(self))
        a["actionDataSources"].triggered.connect(
            lambda: help_pages.show_guide(self, self.language, "datasets")
        )
        self.layer_panel.propertiesRequested.connect(self.show_properties)
        self.identify_tool.identified.connect(self._on_identified)
        self.canvas.coordinatesChanged.connect(self.status_widgets.show_coordinates)
        self.canvas.extentChanged.connect(self.status_widgets.update_scale)
        self.canvas.rendered.connect(lambda _ms: self.status_widgets.update_scale())

    # -- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Show every menu, action, dock, toolbar and status text in the current language."""
        i18n.install_qt_translations()  # Qt's own buttons (Close, Yes/No…) follow too
        site_commands.retranslate(self.undo_stack)
        self.window_menus.retranslate()
        self.catchments.retranslate()
        for dock in self.findChildren(QDockWidget):
            source = dock.property("sourceTitle")
            if source:
                dock.setWindowTitle(tr(source))
                tip = tr("Show or hide the {panel} panel", panel=tr(source))
                dock.toggleViewAction().setToolTip(tip)
                dock.toggleViewAction().setStatusTip(tip)
        # A message shown before the switch (e.g. "Snapping on") would stay in the old
        # language for seconds: the switch clears it.
        self.statusBar().clearMessage()
        self.sites_toolbar.retranslate()
        self.status_widgets.retranslate()
        self.data_label.setText(self.caveat_text())
        self.canvas.language = self.language
        self.canvas.update()
        for widget in (
            self.layer_panel,
            self.identify_panel,
            self.sites_panel,
            self.indicators_panel,
            self.analysis,
            self.polygon_tool,
            getattr(self, "workshop", None),
        ):
            retranslate = getattr(widget, "retranslate", None)
            if retranslate is not None:
                retranslate()
        self._update_title()

    # -- behaviour -------------------------------------------------------------------------
    def zoom_to_district(self, district_id: str) -> bool:
        """Zoom the map to one district; False when the districts layer lacks it."""
        layer = self.stack.get("districts")
        if layer is None or "district_id" not in layer.data:
            return False
        rows = layer.data[layer.data["district_id"] == district_id]
        if rows.empty:
            self.statusBar().showMessage(
                tr("No district '{district}' in this project", district=district_id), 5000
            )
            return False
        self.canvas.zoom_to_extent(rows.total_bounds, margin=0.08)
        return True

    def set_tool(self, attribute: str) -> None:
        """Activate the map tool stored in ``attribute`` (e.g. ``"polygon_tool"``)."""
        tool = getattr(self, attribute)
        self.canvas.set_tool(tool)
        if attribute != "identify_tool":
            self.canvas.set_highlight([])
        for name, other in TOOL_ACTIONS.items():
            if other == attribute:
                self.actions_by_name[name].setChecked(True)
        if self._presenting():
            pass  # the docks stay hidden while presenting
        elif attribute == "identify_tool":
            self.identify_dock.show()
            self.identify_dock.raise_()
        elif attribute not in ("pan_tool", "measure_tool", "select_tool"):
            self.sites_dock.show()
            self.sites_dock.raise_()
        self.canvas.setFocus()

    def _presenting(self) -> bool:
        presentation = getattr(self, "presentation", None)
        return presentation is not None and presentation.active

    # -- exports (see :class:`WindowExports`) -------------------------------------------------
    def export_map(self, path: Path, title: str | None = None) -> bool:
        """Render the current view to ``path`` (.png or .pdf) with the map furniture."""
        return self.exports.export_map(path, title)

    def export_html(self, path: Path, basemap: bool = False):
        """Write the interactive web map, opening at the map's current view, in the
        background (returns the running task)."""
        return self.exports.export_html(path, basemap)

    def export_gpkg(self, path: Path) -> bool:
        """Write the styled GeoPackage; a failure shows a message and changes nothing."""
        return self.exports.export_gpkg(path)

    def remove_current_layer(self) -> bool:
        """Layer → Remove layer: imported and analysis layers only (undoable)."""
        layer = self.layer_panel.current_layer()
        if layer is None:
            self.statusBar().showMessage(tr("Select a layer in the Layers panel first"), 5000)
            return False
        if not is_user_layer(layer):
            show_message(
                self,
                tr("Cannot remove the layer"),
                tr(
                    "“{name}” is part of every project: hide it with its check box instead.",
                    name=layer.title(self.language),
                ),
            )
            return False
        self.undo_stack.push(RemoveLayerCommand(self.stack, layer, self.set_roles, self.roles))
        return True

    def _apply_project_rules(self, settings: ProjectSettings) -> None:
        """Weights, zoning overrides, layer roles and coverage areas saved with a project."""
        self.indicators.extra = settings.extra
        self.indicators.set_roles(settings.roles())
        self.indicators.weights = settings.score_weights()
        try:
            self.indicators.set_rules(settings.zoning_rules())
        except InnoAtlasError:
            self.statusBar().showMessage(
                tr("The project's zoning overrides are unreadable; the table values are used"), 8000
            )
            self.indicators.set_rules(ZoningRules.default())

    def _queue_preview(self, site_id, geometry) -> None:
        self._preview_request = (site_id, geometry)
        if geometry is None:
            self._preview_timer.stop()
            self._run_preview()
        elif not self._preview_timer.isActive():
            self._preview_timer.start()

    def _run_preview(self) -> None:
        if self._preview_request is not None:
            site_id, geometry = self._preview_request
            self._preview_request = None
            self.indicators.preview(site_id, geometry)

    def _on_layer_changed(self, layer, what: str) -> None:
        if layer.name == "sites" and what == "data":
            self.canvas.update()
        if what == "visible":
            self.data_label.setText(self.caveat_text())
        if (
            what == "visible"
            and not layer.visible
            and any(hit.layer is layer for hit in self.identify_panel.hits)
        ):
            self.canvas.set_highlight([])

    def _on_project_loaded(self) -> None:
        self.sites_panel.rebind()
        notes = getattr(self.project, "load_notes", [])
        if notes:
            show_message(self, tr("Notes on the opened project"), "\n".join(notes))
        self._apply_project_rules(self.project.settings)
        self.walking.project_loaded(self.project.settings.extra)
        self.sites_toolbar.restore_sketch(self.project.settings)
        self.indicators_panel.set_weights(self.indicators.weights)
        self.indicators.invalidate_engine()
        for box in (self.radius_box, self.indicators_panel.radius):
            box.blockSignals(True)
            box.setValue(round(self.editing.radius_m))
            box.blockSignals(False)
        self.canvas.home_extent = districts_extent(self.stack)
        self.identify_panel.show_hits([])
        self.canvas.set_highlight([])
        self.presentation.forget_scene()
        self.scenes.set_scenes(
            scenes_from_settings(self.project.settings.extra, self.stack, self.language)
        )
        self.scenarios.reload()
        self.basemap.load()
        self.catchments.load()
        self._update_title()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.project.display_name}[*] — InnoAtlas")
        self.setWindowModified(self.project.dirty)

    def _on_identified(self, hits: list) -> None:
        if not self._presenting():
            self.identify_dock.show()
        self.identify_panel.show_hits(hits)

    def _show_current_properties(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is None:
            self.statusBar().showMessage(tr("Select a layer in the Layers panel first"), 5000)
            return
        self.show_properties(layer)

    def show_properties(self, layer) -> LayerPropertiesDialog:
        """Open the (non-modal) properties dialog of ``layer`` (with its coverage area
        when it plays a role)."""
        setup = None
        if self.plays_role(layer):
            districts, dongs = self.stack.get(DISTRICTS_LAYER), self.stack.get(DONGS_LAYER)
            setup = CoverageSetup(
                districts.data if districts is not None else None,
                dongs.data if dongs is not None else None,
                self.coverage(layer),
                layer_coverage(self.stack, layer, {}),  # the default: no saved record
                lambda coverage: self.change_coverage(layer, coverage),
                polygons=layer.geometry_kind == "polygon",
                project_layer=not is_user_layer(layer),
            )
        edits = LayerEdits(
            lambda style: self.undo_stack.push(SetStyleCommand(layer, layer.style, style)),
            lambda en, ko: self.undo_stack.push(RenameLayerCommand(layer, en, ko)),
        )
        dialog = LayerPropertiesDialog(layer, self.language, self, coverage=setup, edits=edits)
        self.walking.annotate_properties(dialog)  # a line layer: the walking network
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        return dialog

    def show_about(self) -> None:
        """Help → About: version, every layer's status, source and licence."""
        about.show_about(self, self.stack, self.language)

    def _size_docks(self) -> None:
        """The docks' default sizes: the right ones fit the indicator card and breakdown,
        and the Sites panel shows at least :data:`SITE_ROWS` rows (1366×768 too)."""
        self.resizeDocks([self.sites_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.layer_dock], [285], Qt.Orientation.Horizontal)
        title = self.sites_dock.style().pixelMetric(
            QStyle.PixelMetric.PM_TitleBarHeight, None, self.sites_dock
        )
        sites = self.sites_panel.height_for_rows(SITE_ROWS) + title
        both = self.sites_dock.height() + self.indicators_dock.height()
        if both > sites:
            self.resizeDocks(
                [self.sites_dock, self.indicators_dock],
                [sites, both - sites],
                Qt.Orientation.Vertical,
            )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_sized:  # again at the window's real size (1280x800 …)
            self._docks_sized = True
            self._size_docks()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.project.confirm_discard():
            event.ignore()
            return
        self.project.autosave_timer.stop()
        self.project.discard_recovery()
        self.project.release_lock()
        self.workshop.shutdown()  # the participation server ends with the window
        self.canvas.basemap.shutdown()  # no tile request outlives the window
        # The next start opens the window where and as large as it is now.
        QSettings().setValue("window/geometry", self.saveGeometry())
        event.accept()
