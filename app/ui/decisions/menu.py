"""The Analysis menu's decision entries: Robustness of the ranking… and Pairwise weights…"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.core.decisions.robust import ROBUST_KEY, RobustSettings
from app.ui.decisions.commands import SetRobustSettingsCommand
from app.ui.i18n import language, tr


class DecisionActions:
    """Adds "Robustness of the ranking…" and "Pairwise weights (AHP)…" to the Analysis
    menu of ``window`` (``window.analysis``, whose ``retranslate`` translates them)."""

    def __init__(self, window) -> None:
        self.window = window
        analysis = window.analysis
        analysis.menu.addSeparator()
        self.robust_action = self._add(
            "actionRobustness",
            "&Robustness of the ranking…",
            "How sure the ranking is: each site's chance of ranking first under weights "
            "drawn around yours, and what would change the winner",
            self.robustness,
        )
        self.ahp_action = self._add(
            "actionPairwiseWeights",
            "&Pairwise weights (AHP)…",
            "Set the score weights by comparing the criteria two at a time; shows the "
            "consistency ratio",
            self.pairwise,
        )
        self.robust_dialog = None
        self.ahp_dialog = None
        window.actions_by_name["actionExportDossiers"].triggered.connect(
            lambda _=False: self.export_dossiers()
        )
        window.project.projectLoaded.connect(self.load)
        self.load()

    def load(self) -> None:
        """Use the robustness settings saved in the project just opened (defaults if none)."""
        self.window.indicators.set_robust_settings(
            RobustSettings.of(self.window.project.settings.extra)
        )

    def apply_robust(self, settings: RobustSettings) -> None:
        """Record ``settings`` in the project and rank again (the undo command calls it)."""
        extra = self.window.project.settings.extra
        if settings == RobustSettings():
            extra.pop(ROBUST_KEY, None)
        else:
            extra[ROBUST_KEY] = settings.as_record()
        self.window.indicators.set_robust_settings(settings)
        if self.robust_dialog is not None:
            self.robust_dialog.show_settings()

    def change_robust(self, settings: RobustSettings) -> bool:
        """Make ``settings`` the project's robustness settings as one undo step; an
        unchanged run recomputes without a step. True when they changed."""
        before = self.window.indicators.robust_settings
        if settings == before:
            self.window.indicators.set_robust_settings(settings)
            return False
        self.window.editing.undo_stack.push(
            SetRobustSettingsCommand(self.apply_robust, before, settings)
        )
        return True

    def _add(self, name: str, text: str, tip: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        self.window.analysis.menu.addAction(action)
        self.window.analysis.sources.append((action, text, tip))
        return action

    def robustness(self):
        """Open (or raise) the non-modal Robustness dialog."""
        from app.ui.decisions.robustness_dialog import RobustnessDialog

        if self.robust_dialog is None:
            self.robust_dialog = RobustnessDialog(
                self.window.indicators, self.change_robust, self.window
            )
        self.robust_dialog.show_settings()
        self.robust_dialog.show()
        self.robust_dialog.raise_()
        self.robust_dialog.refresh()
        return self.robust_dialog

    def pairwise(self):
        """Open the pairwise weights dialog (non-modal; Apply is one undo step)."""
        from app.ui.decisions.ahp_dialog import AhpDialog

        dialog = AhpDialog(
            self.window.indicators.weights,
            self.window.indicators_panel.apply_weights,
            self.window.editing.undo_stack,
            self.window,
        )
        self.ahp_dialog = dialog
        dialog.show()
        return dialog

    def export_dossiers(self, path: Path | None = None) -> bool:
        """File → Export site dossiers…: one A4 PDF page per site, in the UI language.

        Without sites (or with all-zero weights) a status note says so and nothing is
        written; ``path`` None asks for a file name. True when the PDF was written.
        """
        from app.core.decisions.dossier import check_dossier_input
        from app.core.errors import InnoAtlasError
        from app.ui.export.dossier import export_dossiers

        window = self.window
        window.indicators.wait()
        results = window.indicators.results
        try:
            check_dossier_input(results)
        except InnoAtlasError as err:
            window.statusBar().showMessage(tr(str(err)), 8000)
            return False
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                window, tr("Export site dossiers"), "site_dossiers.pdf", "PDF (*.pdf)"
            )
            if not name:
                return False
            path = Path(name)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        isochrones = site_isochrones(window)
        try:
            pages = export_dossiers(
                window.exports.export_stack(),  # as the map exports: isochrones, workshop pins
                path,
                results,
                roles=window.project.settings.roles(),
                rules=window.indicators.rules,
                radius_m=window.editing.radius_m,
                robust=window.indicators.robust_settings,
                language=language(),
                isochrones=isochrones,
            )
        except InnoAtlasError as err:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(window, tr("Cannot export"), str(err))
            return False
        QApplication.restoreOverrideCursor()
        window.statusBar().showMessage(
            tr("Wrote {pages} dossier pages to {file}", pages=pages, file=path.name), 8000
        )
        return True


def site_isochrones(window) -> dict[str, object] | None:
    """Every site's walking isochrone (``site_id`` -> polygon, cached per shape and R by
    the walking network's controller) for the dossiers; None without a network."""
    walking = getattr(window, "walking", None)
    controller = walking.controller if walking is not None else None
    layer = window.stack.get("sites")
    if controller is None or controller.network is None or layer is None:
        return None
    return {
        str(r["site_id"]): controller.polygon(r.geometry, controller.site_radius(r))
        for _, r in layer.data.iterrows()  # a handful of sites; the polygons are cached
    }
