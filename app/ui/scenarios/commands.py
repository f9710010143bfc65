"""Undo commands of the scenarios: new, duplicate, rename, delete and switch.

Each command changes the project's :class:`~app.core.project.scenario_model.ScenarioSet`
through its :class:`~app.ui.scenarios.control.ScenarioControl` (``control``), whose
``switch_to`` stashes the sites layer's features in the scenario that was current, puts
the new one's in the layer (one ``Layer.set_data``: the map, the Sites panel and the
indicators follow) and applies its radius and weights. A deleted scenario is kept, sites
and all, by its command: undo puts it back where it was.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from app.core.project.scenario_model import Scenario, ScenarioSet
from app.ui.sites.commands import set_text


class Control(Protocol):
    """What the commands use of :class:`~app.ui.scenarios.control.ScenarioControl`."""

    @property
    def scenarios(self) -> ScenarioSet: ...

    def switch_to(self, index: int) -> None: ...

    def list_changed(self) -> None: ...


class SwitchScenarioCommand(QUndoCommand):
    """Make another scenario current."""

    def __init__(self, control: Control, before: int, after: int) -> None:
        super().__init__()
        self.control, self.before, self.after = control, before, after
        set_text(self, "Switch to scenario “{name}”", name=control.scenarios.names()[after])

    def redo(self) -> None:
        self.control.switch_to(self.after)

    def undo(self) -> None:
        self.control.switch_to(self.before)


class AddScenarioCommand(QUndoCommand):
    """Add a scenario at the end (empty, or a copy of the current one) and switch to it."""

    def __init__(self, control: Control, scenario: Scenario, duplicate: bool = False) -> None:
        super().__init__()
        self.control, self.scenario = control, scenario
        self.before = control.scenarios.current
        self.position = len(control.scenarios)
        template = "Duplicate scenario as “{name}”" if duplicate else "New scenario “{name}”"
        set_text(self, template, name=scenario.name)

    def redo(self) -> None:
        self.control.scenarios.insert(self.position, self.scenario)
        self.control.switch_to(self.position)

    def undo(self) -> None:
        self.control.switch_to(self.before)
        self.scenario = self.control.scenarios.remove(self.position)
        self.control.list_changed()


class RenameScenarioCommand(QUndoCommand):
    """Rename a scenario."""

    def __init__(self, control: Control, index: int, after: str) -> None:
        super().__init__()
        self.control, self.index = control, index
        self.before, self.after = control.scenarios.names()[index], after
        set_text(self, "Rename scenario “{old}” to “{name}”", old=self.before, name=after)

    def redo(self) -> None:
        self.control.scenarios.rename(self.index, self.after)
        self.control.list_changed()

    def undo(self) -> None:
        self.control.scenarios.rename(self.index, self.before)
        self.control.list_changed()


class DeleteScenarioCommand(QUndoCommand):
    """Delete a scenario with its sites (the current one: its neighbour becomes current)."""

    def __init__(self, control: Control, index: int) -> None:
        super().__init__()
        self.control, self.index = control, index
        self.was_current = index == control.scenarios.current
        self.before = control.scenarios.current
        self.removed: Scenario | None = None
        set_text(self, "Delete scenario “{name}”", name=control.scenarios.names()[index])

    def redo(self) -> None:
        if self.was_current:
            self.control.switch_to(self.index - 1 if self.index > 0 else 1)
        self.removed = self.control.scenarios.remove(self.index)
        self.control.list_changed()

    def undo(self) -> None:
        assert self.removed is not None
        self.control.scenarios.insert(self.index, self.removed)
        if self.was_current:
            self.control.switch_to(self.index)
        self.control.list_changed()
