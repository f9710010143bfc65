"""The scenarios in the main window: the toolbar combo, the combo on the Sites panel, the
Sites › Scenarios menu (new, duplicate, rename, delete, compare) and what they do.

Every change is an undo command (:mod:`app.ui.scenarios.commands`). Switching scenario
(:meth:`ScenarioControl.switch_to`) records the live radius and weights in the scenario
that was current, puts the new one's sites in the ``sites`` layer (the map, the Sites
panel and the indicators follow its ``changed`` event; sketching and Suggest add to it)
and applies its radius and weights through the same calls as the radius box and the
weight boxes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from app.core.indicators.score import Weights
from app.core.project.scenario_model import (
    Scenario,
    ScenarioSet,
    clean_name,
    copied_sites,
    default_name,
)
from app.core.project.scenario_store import scenarios_of
from app.ui import i18n
from app.ui.i18n import tr
from app.ui.scenarios.catchment import CatchmentPicker, apply_scenario_catchment, live_catchment
from app.ui.scenarios.commands import (
    AddScenarioCommand,
    DeleteScenarioCommand,
    RenameScenarioCommand,
    SwitchScenarioCommand,
)

#: (attribute, object name, English text, English tip, shortcut)
ACTION_SPECS = (
    ("action_new", "actionNewScenario", "&New scenario…", "Start an empty scenario", ""),
    (
        "action_duplicate",
        "actionDuplicateScenario",
        "&Duplicate scenario…",
        "Copy the current scenario, its sites, radius and weights, under a new name",
        "",
    ),
    (
        "action_rename",
        "actionRenameScenario",
        "&Rename scenario…",
        "Rename the current scenario",
        "",
    ),
    (
        "action_delete",
        "actionDeleteScenario",
        "De&lete scenario",
        "Delete the current scenario and its sites (Undo brings them back)",
        "",
    ),
    (
        "action_compare",
        "actionCompareScenarios",
        "&Compare scenarios…",
        "Two or three scenarios side by side: maps with linked pan and zoom, and their key "
        "figures with the differences",
        "Ctrl+Shift+C",
    ),
)


class ScenarioControl(QObject):
    """The scenario controls of a main window.

    Parameters
    ----------
    window : MainWindow
        Its ``stack`` holds the sites layer; its ``undo_stack``, ``editing``,
        ``indicators``, ``sites_toolbar``, ``indicators_panel``, ``sites_panel`` and
        ``menus`` are used.

    Signals
    -------
    changed()
        The list of scenarios or the current one changed.
    """

    changed = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.compare_dialog = None
        self.pending_dialog: QInputDialog | None = None
        for attribute, name, text, tip, shortcut in ACTION_SPECS:
            action = QAction(text, window)
            action.setObjectName(name)
            action.setProperty("sourceText", text)
            action.setProperty("sourceTip", tip)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            window.addAction(action)  # its shortcut works with the menu bar hidden too
            setattr(self, attribute, action)
        self.menu = QMenu("Scenarios", window)
        self.menu.setObjectName("menuScenarios")
        self.menu.addActions([self.action_new, self.action_duplicate, self.action_rename])
        self.menu.addAction(self.action_delete)
        self.menu.addSeparator()
        self.menu.addAction(self.action_compare)
        sites_menu = window.menus.get("&Sites")
        if sites_menu is not None:
            sites_menu.addSeparator()
            sites_menu.addMenu(self.menu)
        # A small toolbar in the menu bar's free right corner: the rows of toolbars are
        # full at 1280-1366 px and another row would take the Sites panel's rows.
        self.toolbar = QToolBar("Scenarios", window)
        self.toolbar.setObjectName("scenarioToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar_label = QLabel(window)
        self.combo = self._combo("scenarioCombo")
        self.toolbar.addWidget(self.toolbar_label)
        self.toolbar.addWidget(self.combo)
        self.toolbar.addAction(self.action_compare)
        window.menuBar().setCornerWidget(self.toolbar, Qt.Corner.TopRightCorner)
        self.panel_row = QWidget(window.sites_panel)
        self.panel_label = QLabel(self.panel_row)
        self.panel_combo = self._combo("sitesScenarioCombo")
        row = QHBoxLayout(self.panel_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.panel_label)
        row.addWidget(self.panel_combo, 1)
        window.sites_panel.layout().insertWidget(0, self.panel_row)
        self.catchment_row = QWidget(window.sites_panel)
        catchment_row = QHBoxLayout(self.catchment_row)
        catchment_row.setContentsMargins(0, 0, 0, 0)
        window.sites_panel.layout().insertWidget(1, self.catchment_row)
        self.catchment = CatchmentPicker(self, catchment_row, self.menu)
        self._switching = False
        self.action_new.triggered.connect(lambda: self.ask_name("new"))
        self.action_duplicate.triggered.connect(lambda: self.ask_name("duplicate"))
        self.action_rename.triggered.connect(lambda: self.ask_name("rename"))
        self.action_delete.triggered.connect(self.delete)
        self.action_compare.triggered.connect(self.compare)
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.retranslate()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self.window)
        combo.setObjectName(name)
        # a steady width (the menu bar lays its corner out once): long names are elided
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(20)
        combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        combo.activated.connect(self.choose)
        return combo

    # -- model ----------------------------------------------------------------------------
    @property
    def layer(self):
        return self.window.stack.get("sites")

    @property
    def scenarios(self) -> ScenarioSet:
        """The project's scenarios (travelling with its sites layer)."""
        return scenarios_of(self.layer, i18n.language())

    def attach_walking(self, walking) -> None:
        """Follow the window's walking network: its setting is the current scenario's
        catchment (recorded whenever it changes)."""
        self.catchment.attach(walking)
        walking.controller.changed.connect(self._record_catchment)

    def _record_catchment(self) -> None:
        walking = getattr(self.window, "walking", None)
        if walking is not None and self.layer is not None and not self._switching:
            self.scenarios.current_scenario.set_catchment(*live_catchment(walking))

    def sync(self) -> ScenarioSet:
        """The scenarios, the current one's radius, weights and catchment taken from the
        window."""
        scenarios = self.scenarios
        walking = getattr(self.window, "walking", None)
        scenarios.sync_current(
            self.window.editing.radius_m,
            self.window.indicators.weights.to_dict(),
            live_catchment(walking) if walking is not None else None,
        )
        return scenarios

    def switch_to(self, index: int) -> None:
        """Make scenario ``index`` current (called by the undo commands)."""
        scenarios = self.sync()
        if index != scenarios.current:
            # the live catchment belongs to the old scenario until the new one's is applied
            self._switching = True
            try:
                self.window.editing.select(None)
                scenario = scenarios.switch(self.layer, index)
                self.window.sites_toolbar.apply_radius(scenario.radius_m)
                self.window.indicators_panel.apply_weights(Weights.from_dict(scenario.weights))
                apply_scenario_catchment(self.window, scenario)
            finally:
                self._switching = False
        self.list_changed()

    def list_changed(self) -> None:
        """Show the scenarios in both combos (the current one chosen)."""
        scenarios = self.scenarios
        for combo in (self.combo, self.panel_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(scenarios.names())
            combo.setCurrentIndex(scenarios.current)
            combo.blockSignals(False)
        self.action_delete.setEnabled(len(scenarios) > 1)
        self.changed.emit()

    def _relabel(self) -> None:
        """The catchment box's words, the two combos' labels lined up, the implicit
        scenario's name and the lists, in the current language."""
        self.catchment.retranslate()
        labels = (self.panel_label, self.catchment.label)  # the two combos line up
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)
        self._name_implicit()
        self.list_changed()

    def reload(self) -> None:
        """Follow a newly loaded project."""
        if self.compare_dialog is not None:
            self.compare_dialog.close()
        self._relabel()
        self.catchment.refresh()

    def _name_implicit(self) -> None:
        """The one scenario of a project saved before scenarios is "Scenario 1" in the UI
        language ("시나리오 1") until the project is saved."""
        scenarios = self.scenarios
        if scenarios.implicit and len(scenarios) == 1:
            scenarios.scenarios[0].name = default_name(1, i18n.language())

    # -- user actions -----------------------------------------------------------------------
    def choose(self, index: int) -> bool:
        """Make scenario ``index`` current, as one undo step (the combos call this)."""
        scenarios = self.scenarios
        if not 0 <= index < len(scenarios) or index == scenarios.current:
            return False
        self.window.undo_stack.push(SwitchScenarioCommand(self, scenarios.current, index))
        return True

    def ask_name(self, what: str) -> QInputDialog:
        """Ask for a name (new, duplicate or rename); OK applies it (:meth:`apply_name`)."""
        scenarios = self.scenarios
        current = scenarios.current_scenario.name
        title, label, text = {
            "new": (
                tr("New scenario"),
                tr("Name of the new scenario:"),
                scenarios.unique_name("", i18n.language()),
            ),
            "duplicate": (
                tr("Duplicate scenario"),
                tr("Name of the copy of “{name}”:", name=current),
                scenarios.unique_name(tr("{name} (copy)", name=current)),
            ),
            "rename": (
                tr("Rename scenario"),
                tr("New name of “{name}”:", name=current),
                current,
            ),
        }[what]
        dialog = QInputDialog(self.window)
        dialog.setObjectName("scenarioNameDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.textValueSelected.connect(lambda name: self.apply_name(what, name))
        self.pending_dialog = dialog
        dialog.open()
        return dialog

    def apply_name(self, what: str, name: str) -> bool:
        """Add, duplicate or rename with ``name``; a note in the status bar when the name
        is empty or taken."""
        scenarios = self.sync()
        name = clean_name(name)
        taken = name in scenarios.names() and not (
            what == "rename" and name == scenarios.current_scenario.name
        )
        if not name or taken:
            self._note(
                tr("A scenario needs a name")
                if not name
                else tr("A scenario is already called “{name}”", name=name)
            )
            return False
        current = scenarios.current_scenario
        if what == "rename":
            if name == current.name:
                return False
            self.window.undo_stack.push(RenameScenarioCommand(self, scenarios.current, name))
            return True
        sites = copied_sites(self.layer.data) if what == "duplicate" else None
        scenario = Scenario(
            name,
            current.radius_m,
            dict(current.weights),
            current.catchment_mode,
            sites,
            current.network_layer,
        )
        self.window.undo_stack.push(AddScenarioCommand(self, scenario, what == "duplicate"))
        return True

    def delete(self) -> bool:
        """Delete the current scenario (undoable); refused for the only one."""
        scenarios = self.scenarios
        if len(scenarios) < 2:
            self._note(tr("A project keeps at least one scenario"))
            return False
        self.window.undo_stack.push(DeleteScenarioCommand(self, scenarios.current))
        return True

    def compare(self):
        """Open the Compare view (two or three scenarios side by side)."""
        from app.ui.scenarios.compare_view import CompareDialog

        if self.compare_dialog is None:
            self.compare_dialog = CompareDialog(self)
            self.compare_dialog.finished.connect(self._forget_dialog)
        self.compare_dialog.show_for_window()
        return self.compare_dialog

    def _forget_dialog(self, *_args) -> None:
        dialog, self.compare_dialog = self.compare_dialog, None
        if dialog is not None:
            dialog.release()
            dialog.deleteLater()

    def _note(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 6000)

    # -- language ----------------------------------------------------------------------------
    def retranslate(self, *_args) -> None:
        """Texts in the UI language."""
        for attribute, *_rest in ACTION_SPECS:
            action = getattr(self, attribute)
            action.setText(tr(action.property("sourceText")))
            action.setToolTip(tr(action.property("sourceTip")))
            action.setStatusTip(tr(action.property("sourceTip")))
        self.menu.setTitle(tr("Sc&enarios"))
        self.toolbar.setWindowTitle(tr("Scenarios"))
        self.toolbar_label.setText(tr("Scenario") + " ")
        self.panel_label.setText(tr("Scenario"))
        tip = tr("The scenario you see and edit: its sites, radius and weights")
        for combo in (self.combo, self.panel_combo):
            combo.setToolTip(tip)
        self._relabel()
