"""The undo step that sets every score weight at once (pairwise weights)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.core.decisions.robust import RobustSettings
from app.core.indicators.score import Weights
from app.ui.sites.commands import set_text


class ApplyWeightsCommand(QUndoCommand):
    """Replace all the score weights (e.g. by those derived from a pairwise matrix).

    Parameters
    ----------
    apply : callable
        ``apply(weights)`` makes ``weights`` the project's weights everywhere.
    before, after : Weights
    """

    def __init__(self, apply: Callable[[Weights], None], before: Weights, after: Weights) -> None:
        super().__init__()
        self.apply, self.before, self.after = apply, before, after
        set_text(self, "Apply pairwise (AHP) weights")

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class SetRobustSettingsCommand(QUndoCommand):
    """Change how the Monte Carlo of the ranking draws (saved with the project).

    Parameters
    ----------
    apply : callable
        ``apply(settings)`` records ``settings`` in the project and reruns the ranking.
    before, after : RobustSettings
    """

    def __init__(self, apply: Callable[[RobustSettings], None], before, after) -> None:
        super().__init__()
        self.apply, self.before, self.after = apply, before, after
        set_text(self, "Change the robustness settings")

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)
