"""Wires the walking network into the main window (one call from the window)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.ui.i18n import notifier, tr
from app.ui.network.commands import SetCatchmentCommand
from app.ui.network.controller import WalkingNetworkController
from app.ui.network.dialog import WalkingNetworkDialog, network_summary
from app.ui.network.overlay import IsochroneOverlay


class WalkingNetwork(QObject):
    """The window's walking network: controller, canvas overlay, Analysis menu entries
    (a child of the window: its language slot goes with it)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.controller = WalkingNetworkController(
            window.stack, window.indicators, window.editing, window.project.settings.extra
        )
        self.overlay = IsochroneOverlay(self.controller)
        window.canvas.overlays.insert(0, self.overlay)  # under the sites and their badges
        self.controller.changed.connect(window.canvas.update)
        self.controller.message.connect(lambda text: window.statusBar().showMessage(text, 10000))
        self.action = QAction(window)
        self.action.setObjectName("actionWalkingNetwork")
        self.action.triggered.connect(self.open_dialog)
        menu = window.findChild(QMenu, "menuAnalysis")
        if menu is not None:
            menu.addSeparator()
            menu.addAction(self.action)
        self.retranslate()
        notifier.languageChanged.connect(self._on_language)
        self.controller.refresh()

    def _on_language(self, _code: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(tr("Walking network…"))
        self.action.setToolTip(
            tr("Catchments along the streets instead of circles; isochrones of the sites")
        )

    def project_loaded(self, extra: dict) -> None:
        """A project was opened: read its setting."""
        from app.core.network.settings import CatchmentSetting

        self.controller.extra = extra
        self.controller.setting = CatchmentSetting.from_extra(extra)
        self.controller.refresh()

    def set_setting(self, setting) -> bool:
        """Make ``setting`` the project's catchment as one undo step (False: unchanged)."""
        before = self.controller.setting
        if setting == before:
            return False
        self.window.undo_stack.push(
            SetCatchmentCommand(
                lambda s: self.controller.set_setting(s, self.window.project.settings.extra),
                before,
                setting,
            )
        )
        return True

    def add_layer_entry(self, menu, layer) -> None:
        """The layer menu's "Use as walking network" (checked when it is the network)."""
        from app.core.network.settings import CatchmentSetting

        setting = self.controller.setting
        action = menu.addAction(tr("Use as &walking network"))
        action.setObjectName("actionUseAsWalkingNetwork")
        action.setCheckable(True)
        action.setChecked(setting.uses_network and setting.layer == layer.name)
        action.toggled.connect(
            lambda on: self.set_setting(
                CatchmentSetting(layer.name, "network" if on else "line", setting.tolerance_m)
            )
        )

    def annotate_properties(self, dialog) -> None:
        """Layer properties of a line layer: "Use as walking network" and, for the
        network, its graph (edges, nodes, tolerance, islands with their share)."""
        from PySide6.QtWidgets import QCheckBox, QLabel

        from app.core.network.settings import CatchmentSetting

        layer = dialog.layer
        if layer.geometry_kind != "line":
            return
        layout = dialog.tabs.widget(0).layout()
        setting = self.controller.setting
        box = QCheckBox(tr("Use as &walking network"), dialog)
        box.setObjectName("propertiesWalkingNetwork")
        box.setChecked(setting.uses_network and setting.layer == layer.name)
        info = QLabel("", dialog)
        info.setObjectName("propertiesNetworkInfo")
        info.setWordWrap(True)

        def describe() -> None:
            network = self.controller.network
            here = self.controller.setting.layer == layer.name and network is not None
            if not here:
                info.setText("")
                return
            info.setText(network_summary(network))

        def toggled(on: bool) -> None:
            self.set_setting(
                CatchmentSetting(layer.name, "network" if on else "line", setting.tolerance_m)
            )
            describe()

        box.toggled.connect(toggled)
        layout.addWidget(box)
        layout.addWidget(info)
        describe()

    def pairs_within(self):
        """The suggestion's coverage by walking distance (None: straight-line circles)."""
        if self.controller.network is None:
            return None
        from app.core.network.coverage import walking_pairs

        return walking_pairs(self.controller.network)

    def export_stack(self):
        """The stack to export (PNG/PDF, web map): the window's, plus the isochrones drawn
        on the canvas as the layer "Walking isochrones" under the sites (the same style in
        every output). Without a network or a shown isochrone, the window's stack itself."""
        import geopandas as gpd

        from app.core.network.layer import ISOCHRONE_SPEC
        from layers.model import WORKING_CRS, Layer, LayerStack
        from layers.provenance import DataStatus, Provenance

        self._release()
        stack, controller = self.window.stack, self.controller
        shown = controller.shown()
        if controller.network is None or not shown:
            return stack
        frame = gpd.GeoDataFrame(
            {"site_id": [s for s, _, _ in shown], "band_m": [r for _, _, r in shown]},
            geometry=[controller.polygon(g, r) for _, g, r in shown],
            crs=WORKING_CRS,
        )
        sites = stack.get("sites")
        synthetic = sites is not None and sites.provenance.status == DataStatus.SYNTHETIC
        provenance = Provenance(
            DataStatus.SYNTHETIC if synthetic else DataStatus.APPROXIMATE,
            f"Computed by InnoAtlas along the walking network '{controller.setting.layer}'",
            "",
            "",
            f"Walking isochrones over {controller.setting.layer}",
        )
        layers = list(stack)
        at = layers.index(sites) + 1 if sites is not None else 0
        layers.insert(at, Layer.from_spec(ISOCHRONE_SPEC, frame, provenance))
        self._snapshot = LayerStack(layers)
        return self._snapshot

    def _release(self) -> None:
        snapshot, self._snapshot = getattr(self, "_snapshot", None), None
        for layer in list(snapshot or []):
            snapshot.remove(layer)  # the layers forget the snapshot's signal

    def open_dialog(self) -> None:
        dialog = WalkingNetworkDialog(self.controller, self.window)
        if dialog.exec() != WalkingNetworkDialog.DialogCode.Accepted:
            return
        self.controller.show_all = dialog.show_all.isChecked()
        if not self.set_setting(dialog.chosen()):
            self.controller.changed.emit()
