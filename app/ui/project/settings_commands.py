"""Undo commands for the project's settings: catchment radius, score weights, zoning
overrides and the coverage areas of role layers.

Like the site commands (:mod:`app.ui.sites.commands`), each command holds the value
before and after and applies it through a callable that updates the model and every
control that shows it (the two radius boxes, the weight spin boxes, the project's
zoning overrides) and schedules one computation of the indicators. Consecutive changes
of the same setting (the radius, one criterion's weight, one zoning cell) merge into one
step, as consecutive moves of a site do; a step whose changes cancel out disappears.
The project's unsaved mark follows the undo stack: undoing back to the saved state
makes it clean again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.core.indicators.score import Weights
from app.core.project.coverage import Coverage
from app.core.zoning.rules import ZoningRules
from app.ui.i18n import tr
from app.ui.sites.commands import set_text

RADIUS_ID = 2001  # QUndoCommand.id(): equal ids may merge
WEIGHT_ID = 2002
ZONING_ID = 2003


class Translated:
    """A placeholder value shown in the UI language when the text is formatted.

    :func:`app.ui.sites.commands.retranslate` re-formats a command's text after a
    language switch; a criterion's name given as ``Translated("Start-up concentration")``
    then follows the switch too.
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def __format__(self, spec: str) -> str:
        return format(tr(self.source), spec)

    def __str__(self) -> str:
        return tr(self.source)


class SettingCommand(QUndoCommand):
    """Change one project setting from ``before`` to ``after`` through ``apply(value)``.

    The shared base of the setting commands: consecutive changes of the same setting
    (:meth:`same_setting`) merge into one step, and a step whose changes cancel out
    (:meth:`unchanged`) disappears. Subclasses set :attr:`ID` and :meth:`_set_text`.
    """

    #: ``QUndoCommand.id()``: commands with equal ids may merge (-1: never).
    ID = -1

    def __init__(self, apply: Callable[[Any], None], before: Any, after: Any) -> None:
        super().__init__()
        self.apply, self.before, self.after = apply, before, after
        self._set_text()

    def _set_text(self) -> None:
        raise NotImplementedError

    def same_setting(self, other: QUndoCommand) -> bool:
        """True when ``other`` changes the same setting again (its step merges here)."""
        return type(other) is type(self)

    def unchanged(self) -> bool:
        """True when the step, merged, changes nothing."""
        return bool(self.after == self.before)

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not self.same_setting(other):
            return False
        assert isinstance(other, SettingCommand)
        self.after = other.after
        self._set_text()
        self.setObsolete(self.unchanged())
        return True

    def redo(self) -> None:
        self.apply(self.after)

    def undo(self) -> None:
        self.apply(self.before)


class SetRadiusCommand(SettingCommand):
    """Change the project's catchment radius R (metres).

    Parameters
    ----------
    apply : callable
        ``apply(radius_m)`` makes ``radius_m`` the project radius everywhere.
    before, after : float
        The radius before and after the change.
    """

    ID = RADIUS_ID

    def __init__(self, apply: Callable[[float], None], before: float, after: float) -> None:
        super().__init__(apply, float(before), float(after))

    def _set_text(self) -> None:
        set_text(self, "Set radius to {radius} m", radius=f"{self.after:,.0f}")


class SetWeightCommand(SettingCommand):
    """Change the weight of one score criterion.

    Parameters
    ----------
    apply : callable
        ``apply(weights)`` makes ``weights`` the project's weights everywhere.
    key : str
        The criterion (a :class:`~app.core.indicators.score.Weights` field).
    label : str
        The criterion's English display name (``Criterion.label``).
    before, after : Weights
        The weights before and after; they differ in ``key`` only.
    """

    ID = WEIGHT_ID

    def __init__(
        self,
        apply: Callable[[Weights], None],
        key: str,
        label: str,
        before: Weights,
        after: Weights,
    ) -> None:
        self.key, self.label = key, label
        super().__init__(apply, before, after)

    def _set_text(self) -> None:
        set_text(
            self,
            "Set weight of {criterion} to {percent} %",
            criterion=Translated(self.label),
            percent=f"{getattr(self.after, self.key) * 100:g}",
        )

    def same_setting(self, other: QUndoCommand) -> bool:
        return isinstance(other, SetWeightCommand) and other.key == self.key


def changed_cells(before: ZoningRules, after: ZoningRules) -> list[tuple[str, str]]:
    """The ``(zone type, use class)`` cells whose override differs, sorted."""
    keys = set(before.overrides) | set(after.overrides)
    return sorted(key for key in keys if before.overrides.get(key) != after.overrides.get(key))


class SetZoningOverridesCommand(SettingCommand):
    """Change the project's zoning permission overrides (docs/zoning.md).

    Parameters
    ----------
    apply : callable
        ``apply(rules)`` makes ``rules`` (with their overrides) the project's rules.
    before, after : ZoningRules
        The rules before and after the change.
    """

    ID = ZONING_ID

    def __init__(
        self, apply: Callable[[ZoningRules], None], before: ZoningRules, after: ZoningRules
    ) -> None:
        self.cells = changed_cells(before, after)
        super().__init__(apply, before, after)

    def _set_text(self) -> None:
        if len(self.cells) != 1:
            set_text(self, "Change {n} zoning overrides", n=len(self.cells))
            return
        zone, use = self.cells[0]
        symbol = self.after.overrides.get((zone, use))
        if symbol is None:
            set_text(self, "Remove override of {use} in {zone}", use=use, zone=zone)
        else:
            set_text(self, "Override {use} in {zone}: {symbol}", use=use, zone=zone, symbol=symbol)

    def same_setting(self, other: QUndoCommand) -> bool:
        """One cell changed again in the next step: one step."""
        return (
            isinstance(other, SetZoningOverridesCommand)
            and len(self.cells) == 1
            and other.cells == self.cells
        )

    def unchanged(self) -> bool:
        return not changed_cells(self.before, self.after)


class SetCoverageCommand(QUndoCommand):
    """Change the coverage area of one role layer (app.core.project.coverage).

    Parameters
    ----------
    apply : callable
        ``apply(layer_name, coverage)`` saves ``coverage`` (None: no saved record, the
        layer's default applies) in the project settings and computes the indicators
        again.
    layer_name : str
        The layer's table name (the key of its saved record).
    title : str
        The layer's English title (for the Edit menu).
    before, after : Coverage or None
        The saved records before and after.
    area : str
        ``after`` in English words ("Magok", "whole map").
    """

    def __init__(
        self,
        apply: Callable[[str, Coverage | None], None],
        layer_name: str,
        title: str,
        before: Coverage | None,
        after: Coverage | None,
        area: str,
    ) -> None:
        super().__init__()
        self.apply, self.layer_name = apply, layer_name
        self.before, self.after = before, after
        set_text(self, "Set coverage of “{name}” to {area}", name=title, area=area)

    def redo(self) -> None:
        self.apply(self.layer_name, self.after)

    def undo(self) -> None:
        self.apply(self.layer_name, self.before)
