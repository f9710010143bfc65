"""The current scenario's catchment: straight line or a walking network.

The live catchment of the project is the walking network's setting
(:class:`app.core.network.settings.CatchmentSetting` in ``settings.extra``, applied by
:class:`app.ui.network.controller.WalkingNetworkController`); the current scenario's
record follows it (like its radius and weights) and every other scenario keeps its own.
Switching scenario applies the new one's through :func:`apply_scenario_catchment`
(the same ``set_setting`` call the walking network's undo command makes).

:class:`CatchmentPicker` is the "Catchment" combo on the Sites panel and the Sites ›
Scenarios › Catchment submenu: choosing pushes the walking network's undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QComboBox, QLabel, QMenu

from app.core.network.settings import CatchmentSetting
from app.core.project.scenario_model import Scenario
from app.ui import i18n
from app.ui.i18n import tr


def live_catchment(walking) -> tuple[str | None, str | None]:
    """The live catchment as ``(walking network or None, network layer)``."""
    setting = walking.controller.setting
    return (setting.layer if setting.uses_network else None), setting.layer


def setting_for(scenario: Scenario, before: CatchmentSetting) -> CatchmentSetting:
    """The catchment setting that makes ``scenario``'s mode live (tolerance kept)."""
    network = scenario.walking_network
    if network:
        return CatchmentSetting(network, "network", before.tolerance_m)
    return CatchmentSetting(scenario.network_layer or before.layer, "line", before.tolerance_m)


def apply_scenario_catchment(window, scenario: Scenario) -> bool:
    """Make ``scenario``'s catchment the project's (indicators, isochrones follow); False
    when its network is refused (the status bar says why; the catchment stays)."""
    walking = getattr(window, "walking", None)
    if walking is None:
        return True
    controller = walking.controller
    setting = setting_for(scenario, controller.setting)
    if setting == controller.setting:
        return True
    return controller.set_setting(setting, window.project.settings.extra)


class CatchmentPicker(QObject):
    """The catchment combo of the Sites panel's scenario row and the menu's submenu."""

    def __init__(self, control, row_layout, menu: QMenu) -> None:
        super().__init__(control)
        self.control = control
        self.window = control.window
        self.label = QLabel(self.window)
        self.combo = QComboBox(self.window)
        self.combo.setObjectName("scenarioCatchmentCombo")
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(12)
        self.combo.activated.connect(self._on_combo)
        row_layout.addWidget(self.label)
        row_layout.addWidget(self.combo, 1)
        self.menu = QMenu(menu)
        self.menu.setObjectName("menuScenarioCatchment")
        self.menu.aboutToShow.connect(self._fill_menu)
        menu.addMenu(self.menu)
        self.group = QActionGroup(self.menu)
        self.walking = None

    def attach(self, walking) -> None:
        """Follow the window's walking network (made after the scenario controls)."""
        self.walking = walking
        walking.controller.changed.connect(self.refresh)
        self.window.stack.inserted.connect(lambda *_: self.refresh())
        self.window.stack.removed.connect(lambda *_: self.refresh())
        self.refresh()

    # -- choices --------------------------------------------------------------------------
    def choices(self) -> list[tuple[str | None, str]]:
        """``(network layer or None, text)``: the straight line, then each line layer."""
        out: list[tuple[str | None, str]] = [(None, tr("Straight line (circle)"))]
        if self.walking is not None:
            for layer in self.walking.controller.line_layers():
                out.append(
                    (layer.name, tr("Walking network: {name}", name=layer.title(i18n.language())))
                )
        return out

    def current(self) -> str | None:
        if self.walking is None:
            return None
        return live_catchment(self.walking)[0]

    def choose(self, network: str | None) -> bool:
        """Use ``network`` (None: straight line) for the current scenario, one undo step."""
        if self.walking is None:
            return False
        before = self.walking.controller.setting
        if network:
            after = CatchmentSetting(network, "network", before.tolerance_m)
        else:
            after = CatchmentSetting(before.layer, "line", before.tolerance_m)
        changed = self.walking.set_setting(after)
        self.refresh()
        return changed

    # -- widgets ----------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Show the choices, the live one chosen."""
        choices = self.choices()
        current = self.current()
        self.combo.blockSignals(True)
        self.combo.clear()
        for network, text in choices:
            self.combo.addItem(text, network)
        names = [n for n, _ in choices]
        self.combo.setCurrentIndex(names.index(current) if current in names else 0)
        self.combo.blockSignals(False)
        self.combo.setEnabled(len(choices) > 1)

    def _on_combo(self, index: int) -> None:
        self.choose(self.combo.itemData(index))

    def _fill_menu(self) -> None:
        self.menu.clear()
        current = self.current()
        for network, text in self.choices():
            action = QAction(text, self.menu)
            action.setCheckable(True)
            action.setChecked(network == current)
            action.setActionGroup(self.group)
            action.triggered.connect(lambda _on=False, n=network: self.choose(n))
            self.menu.addAction(action)

    def retranslate(self) -> None:
        self.label.setText(tr("Catchment"))
        self.menu.setTitle(tr("C&atchment"))
        tip = tr(
            "How the current scenario's catchments are measured: circles of radius R, or "
            "walks of R along a walking network"
        )
        self.combo.setToolTip(tip)
        self.menu.setToolTip(tip)
        self.refresh()
