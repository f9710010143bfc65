"""The main window: the composition root wiring canvas, panels, actions and status bar."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QLabel, QMainWindow, QMessageBox, QToolBar,
                               QWidget)

from app import __version__
from app.core.geodesy import to_lonlat
from app.ui.actions import ACTIONS, DISTRICT_ACTIONS, ActionSpec
from app.ui.icons import make_icon
from app.ui.identify_panel import IdentifyPanel
from app.ui.layer_panel import LayerPanel
from app.ui.layer_properties import LayerPropertiesDialog
from app.ui.map_canvas import MapCanvas, PanTool
from app.ui.map_tools import IdentifyTool
from layers.districts import DISTRICTS
from layers.model import LayerStack
from layers.provenance import DataStatus


class MainWindow(QMainWindow):
    """InnoAtlas main window for one loaded project."""

    def __init__(self, stack: LayerStack, project_path: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.stack = stack
        self.project_path = project_path
        self.language = "en"
        self.setWindowTitle("InnoAtlas — " + (project_path.stem if project_path else "project"))

        self.canvas = MapCanvas(stack, self)
        districts = stack.get("districts")
        if districts is not None and districts.extent is not None:
            self.canvas.home_extent = districts.extent
        self.setCentralWidget(self.canvas)
        self.pan_tool = PanTool(self.canvas)
        self.identify_tool = IdentifyTool(self.canvas)

        self.layer_panel = LayerPanel(stack, self)
        self.identify_panel = IdentifyPanel(self)
        self.layer_dock = self._dock("layerDock", "Layers", self.layer_panel,
                                     Qt.DockWidgetArea.LeftDockWidgetArea)
        self.identify_dock = self._dock("identifyDock", "Identify results", self.identify_panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.identify_dock.hide()
        self.resizeDocks([self.layer_dock], [310], Qt.Orientation.Horizontal)

        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.actions_by_name["actionPan"].setChecked(True)

    # -- construction --------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        menus = {}
        toolbar = QToolBar("Map", self)
        toolbar.setObjectName("mapToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(22, 22))
        self.addToolBar(toolbar)
        self.map_toolbar = toolbar
        tools = QActionGroup(self)
        for spec in ACTIONS:
            action = self._make_action(spec)
            if spec.object_name in ("actionPan", "actionIdentify"):
                tools.addAction(action)
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            if spec.separator_before:
                menu.addSeparator()
            menu.addAction(action)
            if spec.toolbar:
                if spec.separator_before:
                    toolbar.addSeparator()
                toolbar.addAction(action)
                if spec.icon.startswith("zoom_"):  # self-explanatory icons, tooltip says more
                    toolbar.widgetForAction(action).setToolButtonStyle(
                        Qt.ToolButtonStyle.ToolButtonIconOnly)
        view = menus["&View"]
        view.addSeparator()
        for dock in (self.layer_dock, self.identify_dock):
            view.addAction(dock.toggleViewAction())

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
            action.setIconText(english)
        elif spec.icon:
            action.setIcon(make_icon(spec.icon))
            action.setIconText(spec.text.replace("&", "").split()[0])
        self.actions_by_name[spec.object_name] = action
        return action

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.coords_label = QLabel("", self)
        self.coords_label.setObjectName("coordinatesLabel")
        self.coords_label.setToolTip("Cursor position: EPSG:5186 (Korea 2000 / Central Belt "
                                     "2010) metres and WGS84 latitude/longitude")
        self.scale_label = QLabel("", self)
        self.scale_label.setObjectName("scaleLabel")
        self.data_label = QLabel(self._caveat_text(), self)
        self.data_label.setObjectName("dataStatusLabel")
        self.data_label.setStyleSheet("color: #b00020;")
        bar.addWidget(self.data_label, 1)
        bar.addPermanentWidget(self.coords_label)
        bar.addPermanentWidget(self.scale_label)

    def _caveat_text(self) -> str:
        caveated = [layer.title(self.language) for layer in self.stack
                    if layer.provenance.status.is_caveated]
        return ("Not real data: " + ", ".join(caveated)) if caveated else ""

    def _connect(self) -> None:
        a = self.actions_by_name
        a["actionQuit"].triggered.connect(self.close)
        a["actionPan"].triggered.connect(lambda: self.canvas.set_tool(self.pan_tool))
        a["actionIdentify"].triggered.connect(self._activate_identify)
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

    # -- behaviour -------------------------------------------------------------------------
    def zoom_to_district(self, district_id: str) -> bool:
        """Zoom the map to one district; False when the districts layer lacks it."""
        layer = self.stack.get("districts")
        if layer is None or "district_id" not in layer.data:
            return False
        rows = layer.data[layer.data["district_id"] == district_id]
        if rows.empty:
            self.statusBar().showMessage(f"No district '{district_id}' in this project", 5000)
            return False
        self.canvas.zoom_to_extent(rows.total_bounds, margin=0.08)
        return True

    def _activate_identify(self) -> None:
        self.canvas.set_tool(self.identify_tool)
        self.identify_dock.show()

    def _on_identified(self, hits: list) -> None:
        self.identify_dock.show()
        self.identify_panel.show_hits(hits)

    def _on_coordinates(self, x: float, y: float) -> None:
        lon, lat = to_lonlat(x, y)
        self.coords_label.setText(f"EPSG:5186  {x:,.1f} E  {y:,.1f} N   |   "
                                  f"{lat:.6f}° N  {lon:.6f}° E")

    def _update_scale(self) -> None:
        self.scale_label.setText(f"1:{self.canvas.viewport.scale_denominator():,.0f}")

    def _show_current_properties(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is None:
            self.statusBar().showMessage("Select a layer in the Layers panel first", 5000)
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
            flag = "<b style='color:#b00020'>" + p.status.value.upper() + "</b>" \
                if p.status != DataStatus.REAL else p.status.value
            rows.append(f"<li><b>{html.escape(layer.title(self.language))}</b> — {flag}: "
                        f"{html.escape(p.source)}. Licence: {html.escape(p.licence)}.</li>")
        return (f"<h3>InnoAtlas {__version__}</h3><p>Planning innovation-support centres in "
                "G-Valley, Magok and Yangjae/Gaepo. All analysis in EPSG:5186.</p>"
                f"<ul>{''.join(rows)}</ul><p>Font: NanumGothic (NAVER, SIL Open Font "
                "Licence 1.1).</p>")

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About InnoAtlas")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_html())
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        event.accept()
