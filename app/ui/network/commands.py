"""Undo step for the project's catchment (straight line or walking network + layer)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.core.network.settings import CatchmentSetting
from app.ui.i18n import tr


class SetCatchmentCommand(QUndoCommand):
    """Change the project's catchment setting (``apply(setting)`` makes it current)."""

    def __init__(
        self,
        apply: Callable[[CatchmentSetting], bool],
        before: CatchmentSetting,
        after: CatchmentSetting,
    ) -> None:
        super().__init__()
        self.apply, self.before, self.after = apply, before, after
        self.setText(
            tr("Catchment: walking network")
            if after.uses_network
            else tr("Catchment: straight line")
        )

    def redo(self) -> None:
        if not self.apply(self.after):
            self.setObsolete(True)

    def undo(self) -> None:
        self.apply(self.before)
