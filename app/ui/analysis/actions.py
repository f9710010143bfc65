"""Analysis menu: start-up density and hot-spot layers, computed in a worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from app.core.analysis.map_layers import DENSITY_SPEC, HOTSPOT_SPEC, density_layer, hotspot_layer
from app.core.project.coverage import covered_area, describe_layer
from app.ui import worker
from app.ui.i18n import tr


class AnalysisLayers:
    """Adds the Analysis menu to a main window and manages the derived layers."""

    def __init__(self, window) -> None:
        self.window = window
        self.tasks: dict[str, worker.Task] = {}
        menu = window.menuBar().addMenu("&Analysis")
        menu.setObjectName("menuAnalysis")
        self.menu = menu
        window.menuBar().insertMenu(window.menuBar().actions()[-2], menu)  # before Help
        self.actions = {}
        #: (action, English text, English tip) for :meth:`retranslate`
        self.sources: list[tuple[QAction, str, str]] = []
        for name, text, tip in (
            (
                DENSITY_SPEC.name,
                "Start-up &density surface",
                "Quartic kernel density of start-ups, bandwidth = catchment radius",
            ),
            (
                HOTSPOT_SPEC.name,
                "Start-up &hot spots (Gi*)",
                "Getis-Ord Gi* z-scores on 250 m cells; z ≥ 1.96 drawn",
            ),
        ):
            action = QAction(text, window)
            action.setObjectName(f"action_{name}")
            action.setCheckable(True)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.toggled.connect(lambda on, n=name: self.toggle(n, on))
            menu.addAction(action)
            self.actions[name] = action
            self.sources.append((action, text, tip))
        menu.addSeparator()
        suggest = QAction("&Suggest sites…", window)
        suggest.setObjectName("actionSuggestSites")
        suggest.setShortcut("Ctrl+Shift+G")
        suggest.setStatusTip(
            "Place k centres in a district to cover the most start-ups, only "
            "on land whose zoning permits the centre"
        )
        suggest.triggered.connect(self.suggest)
        self.sources.append((suggest, "&Suggest sites…", suggest.statusTip()))
        menu.addAction(suggest)
        self.suggest_action = suggest
        rules = QAction("&Zoning rules and overrides…", window)
        rules.setObjectName("actionZoningRules")
        rules.setStatusTip(
            "BCR, FAR and permitted uses per zone type; override a cell for this project"
        )
        rules.triggered.connect(self.edit_rules)
        self.sources.append((rules, "&Zoning rules and overrides…", rules.statusTip()))
        menu.addAction(rules)
        self.rules_action = rules
        window.stack.inserted.connect(self._sync)
        window.stack.removed.connect(self._sync)

    def _sync(self, _index: int, layer) -> None:
        """A derived layer came or went without the menu (Layer → Remove layer, its undo,
        another project): tick its action as the layer is there or not."""
        action = self.actions.get(layer.name)
        if action is None or layer.name in self.tasks:
            return
        present = layer.name in self.window.stack
        if action.isChecked() != present:
            action.blockSignals(True)
            action.setChecked(present)
            action.blockSignals(False)

    def retranslate(self) -> None:
        """Menu and action texts in the current UI language."""
        self.menu.setTitle(tr("&Analysis"))
        for action, text, tip in self.sources:
            action.setText(tr(text))
            action.setToolTip(tr(tip))
            action.setStatusTip(tr(tip))

    def suggest(self):
        """Open the (non-modal) Suggest sites dialog."""
        from app.ui.analysis.suggest_dialog import SuggestDialog

        dialog = SuggestDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.show()
        self.suggest_dialog = dialog
        return dialog

    def edit_rules(self) -> bool:
        """Open the zoning rules dialog; OK applies the overrides to the project."""
        from app.ui.analysis.zoning_rules_dialog import ZoningRulesDialog, apply_dialog

        dialog = ZoningRulesDialog(self.window.indicators.rules, self.window)
        self.dialog = dialog
        if dialog.exec() != ZoningRulesDialog.DialogCode.Accepted:
            return False
        apply_dialog(self.window, dialog)  # one undo step
        return True

    def toggle(self, name: str, on: bool) -> None:
        stack = self.window.stack
        existing = stack.get(name)
        if not on:
            if name in self.tasks:
                self.tasks.pop(name).cancel()
            if existing is not None:
                stack.remove(existing)
            return
        if existing is not None:
            return
        startups = self.window.role_layer("startups")
        if startups is None or len(startups.data) == 0:
            QMessageBox.information(
                self.window, tr("No start-ups"), tr("The project has no start-ups to analyse.")
            )
            self.actions[name].setChecked(False)
            return
        # only inside the start-up layer's coverage area (app.core.project.coverage)
        area = covered_area(self.window.stack, startups, self.window.project.settings.extra)
        if name == DENSITY_SPEC.name:
            task = worker.Task(density_layer, startups, self.window.editing.radius_m, coverage=area)
        else:
            extra = self.window.project.settings.extra
            reference = tuple(
                describe_layer(self.window.stack, startups, extra, language)
                for language in ("en", "ko")
            )  # named in the legends: "z-scores against Magok"
            task = worker.Task(hotspot_layer, startups, coverage=area, reference=reference)
        dialog = QProgressDialog(
            tr("Computing {what}…", what=self.actions[name].text().replace("&", "")),
            tr("Cancel"),
            0,
            100,
            self.window,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # quick runs never flash a dialog
        dialog.canceled.connect(task.cancel)
        task.on(
            progress=lambda f, _m: dialog.setValue(int(f * 100)),
            finished=lambda layer: self._add(name, layer, dialog),
            failed=lambda message, _d: self._failed(name, message, dialog),
            cancelled=lambda: self._cancelled(name, dialog),
        )
        self.tasks[name] = worker.start(task)

    def _add(self, name: str, layer, dialog) -> None:
        dialog.reset()
        self.tasks.pop(name, None)
        stack = self.window.stack
        if not self.actions[name].isChecked() or stack.get(name) is not None:
            return
        below = self.window.role_layer("startups")
        stack.insert(stack.index(below) + 1 if below is not None else 1, layer)

    def _failed(self, name: str, message: str, dialog) -> None:
        dialog.reset()
        self.tasks.pop(name, None)
        self.actions[name].setChecked(False)
        QMessageBox.warning(self.window, tr("Analysis failed"), message)

    def _cancelled(self, name: str, dialog) -> None:
        dialog.reset()
        self.tasks.pop(name, None)
        self.actions[name].blockSignals(True)
        self.actions[name].setChecked(False)
        self.actions[name].blockSignals(False)
