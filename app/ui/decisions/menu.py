"""The Analysis menu's decision entries: Robustness of the ranking… and Pairwise weights…"""

from __future__ import annotations

from PySide6.QtGui import QAction


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
                self.window.indicators, self.window.indicators_panel, self.window
            )
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
