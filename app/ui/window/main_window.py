"""The main window: the composition root wiring canvas, panels, actions and status bar."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QDoubleSpinBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from app import __version__
from app.core.errors import InnoAtlasError
from app.core.geodesy import to_lonlat
from app.core.project.scenes import scenes_from_settings
from app.core.project.store import ProjectSettings
from app.core.project.user_layers import display_text, is_user_layer, role_layer
from app.core.sites.edits import new_sites_layer
from app.core.zoning.rules import ZoningRules
from app.ui import i18n
from app.ui.analysis.actions import AnalysisLayers
from app.ui.canvas.map_canvas import MapCanvas, PanTool
from app.ui.i18n import tr
from app.ui.icons import make_icon
from app.ui.identify.panel import IdentifyPanel
from app.ui.identify.tool import IdentifyTool
from app.ui.indicators.controller import IndicatorsController
from app.ui.indicators.panel import IndicatorsPanel
from app.ui.layers.add_layer import LayerImporter, show_message
from app.ui.layers.commands import RemoveLayerCommand
from app.ui.layers.panel import LayerPanel
from app.ui.layers.properties import LayerPropertiesDialog
from app.ui.presentation.controller import PresentationController
from app.ui.project.controller import ProjectController
from app.ui.scenes.model import ScenesModel
from app.ui.scenes.panel import ScenesPanel
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
from app.ui.actions import (
    ACTIONS,
    DISTRICT_ACTIONS,
    LANGUAGE_ACTIONS,
    TOOL_ACTIONS,
    ActionSpec,
)
from layers.model import LayerStack
from layers.provenance import DataStatus
from layers.themes.districts import DISTRICTS


class MainWindow(QMainWindow):
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
        districts = stack.get("districts")
        if districts is not None and districts.extent is not None:
            self.canvas.home_extent = districts.extent
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
        self.scenes.set_scenes(
            scenes_from_settings(self.project.settings.extra, stack, self.language)
        )
        self.scenes_panel = ScenesPanel(self.scenes, self)
        self.scenes_dock = self._dock(
            "scenesDock", "Scenes", self.scenes_panel, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.tabifyDockWidget(self.layer_dock, self.scenes_dock)
        self.layer_dock.raise_()

        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._build_sites_toolbar()
        self._build_status_bar()
        self._connect()
        self.presentation = PresentationController(self)
        self.actions_by_name["actionPan"].setChecked(True)
        self.actions_by_name["actionSnapping"].setChecked(self.editing.snapping)
        if settings is not None:
            self._restore_sketch(settings)
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

    def _build_actions(self) -> None:
        menus = self.menus = {}
        toolbar = QToolBar("Map", self)
        toolbar.setObjectName("mapToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(22, 22))
        self.addToolBar(toolbar)
        self.map_toolbar = toolbar
        tools = QActionGroup(self)
        languages = QActionGroup(self)
        for spec in ACTIONS:
            action = self._make_action(spec)
            if spec.object_name in TOOL_ACTIONS:
                tools.addAction(action)
            if spec.object_name in LANGUAGE_ACTIONS:
                languages.addAction(action)
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            if spec.submenu:
                key = f"{spec.menu}/{spec.submenu}"
                if key not in menus:
                    menus[key] = menu.addMenu(spec.submenu)
                    menus[key].setObjectName("menu" + spec.submenu.strip("&"))
                menu = menus[key]
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(action)
            if spec.toolbar:
                if spec.separator_before:
                    toolbar.addSeparator()
                toolbar.addAction(action)
                if spec.icon.startswith("zoom_"):  # self-explanatory icons, tooltip says more
                    toolbar.widgetForAction(action).setToolButtonStyle(
                        Qt.ToolButtonStyle.ToolButtonIconOnly
                    )
        view = menus["&View"]
        view.addSeparator()
        for dock in (
            self.layer_dock,
            self.sites_dock,
            self.indicators_dock,
            self.identify_dock,
            self.scenes_dock,
        ):
            toggle = dock.toggleViewAction()
            toggle.setObjectName(
                f"actionToggle{dock.objectName()[0].upper()}{dock.objectName()[1:]}"
            )
            view.addAction(toggle)
        self.recent_menu = menus["&File"].addMenu("Open &recent")
        menus["Open &recent"] = self.recent_menu
        self.recent_menu.setObjectName("menuRecent")
        menus["&File"].insertMenu(self.actions_by_name["actionSave"], self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def _build_sites_toolbar(self) -> None:
        toolbar = QToolBar("Sites", self)
        toolbar.setObjectName("sitesToolbar")
        toolbar.setIconSize(QSize(22, 22))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.addToolBar(toolbar)
        for name in (
            "actionPointSite",
            "actionPolygonSite",
            "actionRectangleSite",
            "actionCircleSite",
            "actionEditSites",
            "actionSnapping",
        ):
            toolbar.addAction(self.actions_by_name[name])
        self.radius_box = QDoubleSpinBox(self)
        self.radius_box.setObjectName("radiusSpinBox")
        self.radius_box.setRange(0, 10_000)
        self.radius_box.setDecimals(0)
        self.radius_box.setSingleStep(50)
        self.radius_box.setSuffix(" m")
        self.radius_box.setValue(self.editing.radius_m)
        self.radius_box.setToolTip(
            "Catchment radius for new point sites (800 m ≈ a "
            "10-minute walk); change a site's own radius in the "
            "Sites panel"
        )
        self.radius_label = QLabel(" Radius ", self)
        toolbar.addWidget(self.radius_label)
        toolbar.addWidget(self.radius_box)
        self.sites_toolbar = toolbar

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.project.recent()
        for path in recent:
            action = self.recent_menu.addAction(str(path))
            action.setStatusTip(tr("Open the project {path}", path=str(path)))
            action.triggered.connect(lambda _=False, p=path: self.project.open_path(p))
        if not recent:
            self.recent_menu.addAction(tr("(no recent projects)")).setEnabled(False)

    def _make_action(self, spec: ActionSpec) -> QAction:
        action = QAction(spec.text, self)
        action.setObjectName(spec.object_name)
        if spec.shortcut:
            action.setShortcut(QKeySequence(spec.shortcut))
        tip = spec.tip + (f" ({spec.shortcut})" if spec.shortcut else "")
        action.setToolTip(tip)
        action.setStatusTip(spec.tip)
        action.setCheckable(spec.checkable)
        if spec.icon == "district":
            district_id = DISTRICT_ACTIONS[spec.object_name]
            _ko, english, colour = DISTRICTS[district_id]
            action.setIcon(make_icon("district", colour, english[0]))
            action.setProperty("sourceIconText", english)
        elif spec.icon:
            action.setIcon(make_icon(spec.icon))
            action.setProperty("sourceIconText", spec.text.replace("&", "").split()[0])
        self.actions_by_name[spec.object_name] = action
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coords_label = QLabel("", self)
        self.coords_label.setObjectName("coordinatesLabel")
        self.coords_label.setToolTip(
            "Cursor position: EPSG:5186 (Korea 2000 / Central Belt "
            "2010) metres and WGS84 latitude/longitude"
        )
        self.scale_label = QLabel("", self)
        self.scale_label.setObjectName("scaleLabel")
        self.data_label = QLabel(self.caveat_text(), self)
        self.data_label.setObjectName("dataStatusLabel")
        self.data_label.setStyleSheet("color: #b00020;")
        bar.addPermanentWidget(self.data_label)
        bar.addPermanentWidget(self.coords_label)
        bar.addPermanentWidget(self.scale_label)

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
        a["actionExportGpkg"].triggered.connect(self.export_gpkg_dialog)
        a["actionExportMap"].triggered.connect(self.export_map_dialog)
        a["actionExportHtml"].triggered.connect(self.export_html_dialog)
        a["actionUndo"].triggered.connect(self.undo_stack.undo)
        a["actionRedo"].triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a["actionUndo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(a["actionRedo"].setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self._set_undo_text("actionUndo", "&Undo", text)
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self._set_undo_text("actionRedo", "&Redo", text)
        )
        a["actionUndo"].setEnabled(False)
        a["actionRedo"].setEnabled(False)
        a["actionSnapping"].toggled.connect(self._set_snapping)
        for name, code in LANGUAGE_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, c=code: i18n.set_language(c))
        a["actionDeleteSite"].triggered.connect(self.editing.delete_selected)
        self.radius_box.valueChanged.connect(self._set_radius)
        # The panel's radius and the toolbar's are one setting.
        self.indicators_panel.radius.valueChanged.connect(
            lambda value: self.radius_box.setValue(float(value))
        )
        self.editing.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.project.stateChanged.connect(self._update_title)
        self.project.projectLoaded.connect(self._on_project_loaded)
        self.stack.layer_changed.connect(self._on_layer_changed)
        self.indicators.resultsChanged.connect(self.canvas.update)
        self._preview_request = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(15)  # at most one live computation per frame
        self._preview_timer.timeout.connect(self._run_preview)
        self.editing.previewRequested.connect(self._queue_preview)
        self.analysis = AnalysisLayers(self)
        self.editing.sketchChanged.connect(self._on_sketch_changed)
        for spin in self.indicators_panel.weight_spins.values():
            spin.valueChanged.connect(lambda _v: self.project._mark_settings_dirty())
        a["actionZoomIn"].triggered.connect(lambda: self.canvas.zoom_by(2.0))
        a["actionZoomOut"].triggered.connect(lambda: self.canvas.zoom_by(0.5))
        a["actionZoomFull"].triggered.connect(self.canvas.zoom_full)
        for name, district_id in DISTRICT_ACTIONS.items():
            a[name].triggered.connect(lambda _=False, d=district_id: self.zoom_to_district(d))
        a["actionLayerProperties"].triggered.connect(self._show_current_properties)
        a["actionLayerUp"].triggered.connect(lambda: self.layer_panel.move_current(-1))
        a["actionLayerDown"].triggered.connect(lambda: self.layer_panel.move_current(+1))
        a["actionAbout"].triggered.connect(self.show_about)
        self.layer_panel.propertiesRequested.connect(self.show_properties)
        self.identify_tool.identified.connect(self._on_identified)
        self.canvas.coordinatesChanged.connect(self._on_coordinates)
        self.canvas.extentChanged.connect(self._update_scale)
        self.canvas.rendered.connect(lambda _ms: self._update_scale())

    # -- language ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Show every menu, action, dock, toolbar and status text in the current language."""
        i18n.install_qt_translations()  # Qt's own buttons (Close, Yes/No…) follow too
        for key, menu in self.menus.items():
            menu.setTitle(tr(key.rsplit("/", 1)[-1]))
        for spec in ACTIONS:
            action = self.actions_by_name.get(spec.object_name)
            if action is None:
                continue
            action.setText(tr(spec.text))
            icon_text = action.property("sourceIconText")
            if icon_text:  # the short toolbar label
                action.setIconText(tr(icon_text))
            tip = tr(spec.tip)
            action.setToolTip(tip + (f" ({spec.shortcut})" if spec.shortcut else ""))
            action.setStatusTip(tip)
        for name, code in LANGUAGE_ACTIONS.items():
            self.actions_by_name[name].setChecked(code == self.language)
        site_commands.retranslate(self.undo_stack)
        self._update_undo_texts()
        for dock in self.findChildren(QDockWidget):
            source = dock.property("sourceTitle")
            if source:
                dock.setWindowTitle(tr(source))
                tip = tr("Show or hide the {panel} panel", panel=tr(source))
                dock.toggleViewAction().setToolTip(tip)
                dock.toggleViewAction().setStatusTip(tip)
        recent_tip = tr("Open one of the projects opened last")
        self.recent_menu.menuAction().setToolTip(recent_tip)
        self.recent_menu.menuAction().setStatusTip(recent_tip)
        self.recent_menu.setToolTipsVisible(True)
        # A message shown before the switch (e.g. "Snapping on") would stay in the old
        # language for seconds: the switch clears it.
        self.statusBar().clearMessage()
        self.map_toolbar.setWindowTitle(tr("Map"))
        self.sites_toolbar.setWindowTitle(tr("Sites"))
        self.radius_label.setText(" " + tr("Radius") + " ")
        self.radius_box.setToolTip(
            tr(
                "Catchment radius for new point sites (800 m ≈ a "
                "10-minute walk); change a site's own radius in the "
                "Sites panel"
            )
        )
        self.coords_label.setToolTip(
            tr(
                "Cursor position: EPSG:5186 (Korea 2000 / Central Belt "
                "2010) metres and WGS84 latitude/longitude"
            )
        )
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
        ):
            retranslate = getattr(widget, "retranslate", None)
            if retranslate is not None:
                retranslate()
        self._update_title()

    def _update_undo_texts(self) -> None:
        self._set_undo_text("actionUndo", "&Undo", self.undo_stack.undoText())
        self._set_undo_text("actionRedo", "&Redo", self.undo_stack.redoText())

    def _set_undo_text(self, name: str, source: str, text: str) -> None:
        """Edit → Undo/Redo say what they undo (the command's text, in its language)."""
        label = tr(source)
        self.actions_by_name[name].setText(f"{label} {text}" if text else label)

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
        elif attribute != "pan_tool":
            self.sites_dock.show()
            self.sites_dock.raise_()
        self.canvas.setFocus()

    def _presenting(self) -> bool:
        presentation = getattr(self, "presentation", None)
        return presentation is not None and presentation.active

    def _set_snapping(self, on: bool) -> None:
        self.editing.snapping = bool(on)
        self.statusBar().showMessage(tr("Snapping on") if on else tr("Snapping off"), 3000)

    def _set_radius(self, value: float) -> None:
        self.editing.radius_m = float(value)
        panel_radius = self.indicators_panel.radius
        if panel_radius.value() != round(value):
            panel_radius.blockSignals(True)
            panel_radius.setValue(round(value))
            panel_radius.blockSignals(False)
        self.project._mark_settings_dirty()
        self.sites_panel.model.bind()
        self.indicators.schedule()
        self.canvas.update()

    def _on_sketch_changed(self) -> None:
        if self.polygon_tool.vertices:
            self.project._mark_settings_dirty()  # so autosave keeps the unfinished sketch

    def _restore_sketch(self, settings: ProjectSettings) -> None:
        """Bring back an unfinished polygon saved with the project (paused)."""
        corners = settings.extra.get("pending_sketch") or []
        try:
            vertices = [(float(x), float(y)) for x, y in corners]
        except (TypeError, ValueError):
            return
        self.polygon_tool.vertices, self.polygon_tool.paused = vertices, bool(vertices)
        if vertices:
            self.statusBar().showMessage(
                tr(
                    "An unfinished polygon with {n} corners was restored: press G to finish or "
                    "discard it",
                    n=len(vertices),
                ),
                10000,
            )

    def export_map_dialog(self):
        """File → Export map…: open the (non-modal) PNG/PDF export dialog."""
        from app.ui.export.map_dialog import MapExportDialog

        dialog = MapExportDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()
        return dialog

    def export_map(self, path: Path, title: str | None = None) -> bool:
        """Render the current view to ``path`` (.png or .pdf) with the map furniture."""
        from app.ui.export.map_export import render_map

        # the indicators are awaited first: the sites' rank badges as the canvas shows them
        return self._run_export(
            lambda: render_map(
                self.stack,
                path,
                extent=self.canvas.viewport.extent,
                title=title or f"InnoAtlas — {self.project.display_name}",
                language=self.language,
                indicators=self.indicators.results,
                radius_m=self.editing.radius_m,
            ),
            tr("Cannot export the map"),
            tr("Map exported to {name}", name=path.name),
        )

    def _run_export(self, write, failure_title: str, done: str) -> bool:
        """Wait for the indicators, then call ``write()`` under a wait cursor; an
        :class:`InnoAtlasError` shows ``failure_title`` and the error, success shows
        ``done`` in the status bar."""
        self.indicators.wait()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write()
        except InnoAtlasError as err:
            error = str(err)
        else:
            error = None
        finally:
            QApplication.restoreOverrideCursor()
        if error is not None:
            QMessageBox.warning(self, failure_title, error)
            return False
        self.statusBar().showMessage(done, 8000)
        return True

    #: File-type choices of the web map dialog; the second adds the online basemap.
    HTML_FILTERS = (
        "Web map, works offline (*.html)",
        "Web map with OpenStreetMap basemap, online (*.html)",
    )

    def export_html_dialog(self) -> bool:
        """File → Export web map…: ask for a file (and whether to add a basemap)."""
        from PySide6.QtWidgets import QFileDialog

        filters = [tr(text) for text in self.HTML_FILTERS]
        name, chosen = QFileDialog.getSaveFileName(
            self, tr("Export web map"), "innoatlas-map.html", ";;".join(filters)
        )
        return bool(name) and self.export_html(Path(name), basemap=chosen == filters[1])

    def export_html(self, path: Path, basemap: bool = False) -> bool:
        """Write the interactive web map, opening at the map's current view; a failure
        shows a message and changes nothing."""
        from app.core.export.webmap.page import export_html

        if path.suffix.lower() not in (".html", ".htm"):
            path = path.with_suffix(".html")
        return self._run_export(
            lambda: export_html(
                path,
                self.stack,
                title=f"InnoAtlas — {self.project.display_name}",
                language=self.language,
                indicators=self.indicators.results,
                scenes=scenes_from_settings(
                    self.project.capture_settings().extra, self.stack, self.language
                ),
                basemap=basemap,
                radius_m=self.editing.radius_m,
                view=self.canvas.viewport.extent,
            ),  # opens where the user looks
            tr("Cannot export the web map"),
            tr("Web map exported to {name}", name=path.name),
        )

    def export_gpkg_dialog(self) -> bool:
        """File → Export GeoPackage…: ask for a file, then :meth:`export_gpkg`."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export GeoPackage"), "innoatlas-export.gpkg", "GeoPackage (*.gpkg)"
        )
        return bool(name) and self.export_gpkg(Path(name))

    def export_gpkg(self, path: Path) -> bool:
        """Write the styled GeoPackage; a failure shows a message and changes nothing."""
        from app.core.export.geopackage import export_geopackage

        if path.suffix.lower() != ".gpkg":
            path = path.with_suffix(".gpkg")

        def write():
            results = self.indicators.results
            # the sites layer already has the names; rank and the indicators are added
            export_geopackage(
                path,
                self.stack,
                indicators=results.drop(columns=["name"], errors="ignore")
                if len(results)
                else None,
                settings=self.project.capture_settings(),
            )

        return self._run_export(
            write, tr("Cannot export"), tr("Exported {name}: opens styled in QGIS", name=path.name)
        )

    # -- layers and their roles ---------------------------------------------------------------
    @property
    def roles(self) -> dict[str, str]:
        """Which layer plays each role for the indicators (``{role: layer name}``)."""
        return self.project.settings.roles()

    def set_roles(self, roles: dict[str, str]) -> None:
        """Make the indicators read these layers (undo commands call this)."""
        self.project.settings.extra["roles"] = dict(roles)
        self.indicators.set_roles(roles)
        self.data_label.setText(self.caveat_text())

    def role_layer(self, role: str):
        """The layer the indicators read for ``role`` (start-ups, zoning ...)."""
        return role_layer(self.stack, role, self.roles)

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
        """Weights, zoning overrides and layer roles saved with a project."""
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
            show_message(self, "Some layers were not loaded", "\n".join(notes))
        self._apply_project_rules(self.project.settings)
        self._restore_sketch(self.project.settings)
        self.indicators_panel.set_weights(self.indicators.weights)
        self.indicators.invalidate_engine()
        for box in (self.radius_box, self.indicators_panel.radius):
            box.blockSignals(True)
            box.setValue(round(self.editing.radius_m))
            box.blockSignals(False)
        districts = self.stack.get("districts")
        if districts is not None and districts.extent is not None:
            self.canvas.home_extent = districts.extent
        self.identify_panel.show_hits([])
        self.canvas.set_highlight([])
        self.presentation.forget_scene()
        self.scenes.set_scenes(
            scenes_from_settings(self.project.settings.extra, self.stack, self.language)
        )
        self._update_title()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.project.display_name}[*] — InnoAtlas")
        self.setWindowModified(self.project.dirty)

    def _on_identified(self, hits: list) -> None:
        if not self._presenting():
            self.identify_dock.show()
        self.identify_panel.show_hits(hits)

    def _on_coordinates(self, x: float, y: float) -> None:
        lon, lat = to_lonlat(x, y)
        self.coords_label.setText(
            tr(
                "EPSG:5186  {x} E  {y} N   |   {lat}° N  {lon}° E",
                x=f"{x:,.1f}",
                y=f"{y:,.1f}",
                lat=f"{lat:.6f}",
                lon=f"{lon:.6f}",
            )
        )

    def _update_scale(self) -> None:
        self.scale_label.setText(f"1:{self.canvas.viewport.scale_denominator():,.0f}")

    def _show_current_properties(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is None:
            self.statusBar().showMessage(tr("Select a layer in the Layers panel first"), 5000)
            return
        self.show_properties(layer)

    def show_properties(self, layer) -> LayerPropertiesDialog:
        """Open the (non-modal) properties dialog of ``layer``."""
        dialog = LayerPropertiesDialog(layer, self.language, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        return dialog

    def about_html(self) -> str:
        """About text: version, every layer's status, source and licence."""
        rows = []
        for layer in self.stack:
            p = layer.provenance
            status = tr(p.status.value)
            flag = (
                "<b style='color:#b00020'>" + status.upper() + "</b>"
                if p.status != DataStatus.REAL
                else status
            )
            rows.append(
                f"<li><b>{html.escape(layer.title(self.language))}</b> — {flag}: "
                f"{html.escape(display_text(p.source, self.language))}. {tr('Licence')}: "
                f"{html.escape(display_text(p.licence, self.language))}. "
                f"<i>{html.escape(p.notes)}</i></li>"
            )
        intro = tr(
            "Planning innovation-support centres in G-Valley, Magok and Yangjae/Gaepo. "
            "All analysis in EPSG:5186."
        )
        font = tr("Font: NanumGothic (NAVER, SIL Open Font Licence 1.1).")
        return (
            f"<h3>InnoAtlas {__version__}</h3><p>{intro}</p><ul>{''.join(rows)}</ul><p>{font}</p>"
        )

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(tr("About InnoAtlas"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_html())
        box.open()

    def _size_docks(self) -> None:
        """The docks' default widths (the right ones fit the indicator card and breakdown)."""
        self.resizeDocks([self.sites_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.layer_dock], [285], Qt.Orientation.Horizontal)

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
        event.accept()
