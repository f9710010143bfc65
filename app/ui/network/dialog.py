"""Analysis → Walking network…: the project's catchment, its network layer and islands."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
)

from app.core.network.join import OFF_NETWORK_M
from app.core.network.settings import CatchmentSetting
from app.ui.i18n import language, tr


def network_summary(network) -> str:
    """A built network in one sentence: edges, nodes, the node tolerance, disconnected parts
    and the off-network limit (the dialog and the layer's properties)."""
    islands = network.islands
    return tr(
        "{edges} edges, {nodes} nodes (tolerance {tol} m); {islands} disconnected "
        "parts with {share} of the length. Features farther than {limit} m from "
        "every street are off network.",
        edges=f"{network.n_edges:,}",
        nodes=f"{network.n_nodes:,}",
        tol=f"{network.tolerance:g}",
        islands=islands.count,
        share=f"{islands.share_outside_main:.1%}",
        limit=f"{OFF_NETWORK_M:.0f}",
    )


class WalkingNetworkDialog(QDialog):
    """Choose straight-line circles or a walking network (a line layer of the project)."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("walkingNetworkDialog")
        self.setWindowTitle(tr("Walking network"))
        self.controller = controller
        setting = controller.setting
        self.line = QRadioButton(tr("Straight line (circles of radius R)"), self)
        self.line.setObjectName("catchmentLine")
        self.walk = QRadioButton(tr("Walking network (distance along the streets)"), self)
        self.walk.setObjectName("catchmentNetwork")
        group = QButtonGroup(self)
        group.addButton(self.line)
        group.addButton(self.walk)
        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("networkLayerBox")
        for layer in controller.line_layers():
            self.layer_box.addItem(layer.title(language()), layer.name)
        if setting.layer is not None:
            index = self.layer_box.findData(setting.layer)
            if index >= 0:
                self.layer_box.setCurrentIndex(index)
        (self.walk if setting.uses_network else self.line).setChecked(True)
        self.walk.setEnabled(self.layer_box.count() > 0)
        self.show_all = QCheckBox(tr("Show the isochrones of all sites"), self)
        self.show_all.setObjectName("isochronesAll")
        self.show_all.setChecked(controller.show_all)
        self.info = QLabel("", self)
        self.info.setObjectName("networkInfo")
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Network layer"), self.layer_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Catchment of the indicators and suggestions:"), self))
        layout.addWidget(self.line)
        layout.addWidget(self.walk)
        layout.addLayout(form)
        layout.addWidget(self.show_all)
        layout.addWidget(self.info)
        layout.addWidget(buttons)
        self._describe()
        if self.layer_box.count() == 0:
            self.info.setText(
                tr(
                    "Add a line layer (streets, footways, or the Seoul pedestrian network "
                    "CSV) with File → Add layer… to walk along it."
                )
            )

    def _describe(self) -> None:
        network = self.controller.network
        if network is None:
            self.info.setText(
                tr(
                    "Features farther than {limit} m from every street are off network.",
                    limit=f"{OFF_NETWORK_M:.0f}",
                )
            )
            return
        self.info.setText(network_summary(network))

    def chosen(self) -> CatchmentSetting:
        """The setting the dialog shows."""
        layer = self.layer_box.currentData()
        return CatchmentSetting(
            layer,
            "network" if self.walk.isChecked() and layer else "line",
            self.controller.setting.tolerance_m,
        )
