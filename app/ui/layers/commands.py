"""Undo commands for adding and removing layers (File → Add layer…, Layer → Remove layer).

A command holds the layer object itself, so undo puts back exactly what was there
(features, style, opacity, position), the role assignments of the indicators and the
coverage area of an added role layer (app.core.project.coverage).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.core.project.coverage import Coverage
from app.ui.sites.commands import set_text
from layers.model import Layer, LayerStack
from layers.style import LayerStyle

Roles = dict[str, str]
#: ``(set_coverage(layer name, coverage or None), before, after)``
CoverageChange = tuple[Callable[[str, Coverage | None], None], Coverage | None, Coverage | None]


def role_change(window, name: str, role: str | None) -> tuple[dict, dict, object]:
    """``(roles before, roles after, the layer replaced)`` when layer ``name`` takes
    ``role`` in ``window`` (no role: the roles stay and nothing is replaced)."""
    before = dict(window.roles)
    after = dict(before)
    replaces = None
    if role:
        after[role] = name
        replaces = window.role_layer(role)  # hidden: the map shows what counts
    return before, after, replaces


def add_layer_command(window, layer, position: int, change, coverage=None) -> QUndoCommand:
    """The undo step adding ``layer`` at ``position`` of ``window``'s stack with the
    roles of ``change`` (:func:`role_change`) and, optionally, its coverage area
    ``(saved record, new record)`` set in the same step."""
    roles_before, roles_after, replaces = change
    return AddLayerCommand(
        window.stack,
        layer,
        position,
        window.set_roles,
        roles_before,
        roles_after,
        replaces,
        coverage=None if coverage is None else (window.set_coverage, *coverage),
    )


class AddLayerCommand(QUndoCommand):
    """Insert an imported layer (and, optionally, give it a role).

    ``replaces`` is the layer that played the role before (e.g. the synthetic start-ups):
    it is hidden while the new layer plays the role, so that the map shows what the
    indicators count; undo shows it again. ``coverage`` sets the layer's coverage area
    (the saved record) in the same step.
    """

    def __init__(
        self,
        stack: LayerStack,
        layer: Layer,
        position: int,
        set_roles: Callable[[Roles], None],
        roles_before: Roles,
        roles_after: Roles,
        replaces: Layer | None = None,
        coverage: CoverageChange | None = None,
    ) -> None:
        super().__init__()
        # set_text keeps the source: Edit → Undo follows a later language switch
        set_text(self, "Add layer “{name}”", name=layer.title_en)
        self.stack, self.layer, self.position = stack, layer, position
        self.set_roles = set_roles
        self.roles_before, self.roles_after = dict(roles_before), dict(roles_after)
        self.replaces = replaces
        self.replaced_visible = replaces.visible if replaces is not None else False
        self.coverage = coverage

    def redo(self) -> None:
        if self.coverage is not None:  # before the roles: one computation sees both
            set_coverage, _before, after = self.coverage
            set_coverage(self.layer.name, after)
        self.stack.insert(self.position, self.layer)
        self.set_roles(self.roles_after)
        if self.replaces is not None:
            self.replaces.set_visible(False)

    def undo(self) -> None:
        self.set_roles(self.roles_before)
        if self.layer in list(self.stack):
            self.stack.remove(self.layer)
        if self.replaces is not None:
            self.replaces.set_visible(self.replaced_visible)
        if self.coverage is not None:
            set_coverage, before, _after = self.coverage
            set_coverage(self.layer.name, before)


class RemoveLayerCommand(QUndoCommand):
    """Take a layer out of the project; its role goes back to the default layer, which is
    shown again (the map shows what the indicators count); undo reverses both."""

    def __init__(
        self, stack: LayerStack, layer: Layer, set_roles: Callable[[Roles], None], roles: Roles
    ) -> None:
        super().__init__()
        set_text(self, "Remove layer “{name}”", name=layer.title_en)
        self.stack, self.layer = stack, layer
        self.position = stack.index(layer)
        self.set_roles = set_roles
        self.roles_before = dict(roles)
        self.roles_after = {role: name for role, name in roles.items() if name != layer.name}
        #: default layers that take the removed layer's roles back, with their visibility
        self.fallbacks = [
            (fallback, fallback.visible)
            for role, name in roles.items()
            if name == layer.name
            and (fallback := stack.get(role)) is not None
            and fallback is not layer
        ]

    def redo(self) -> None:
        self.set_roles(self.roles_after)
        if self.layer in list(self.stack):  # an analysis layer may be gone via its menu
            self.stack.remove(self.layer)
        for fallback, _visible in self.fallbacks:
            fallback.set_visible(True)

    def undo(self) -> None:
        for fallback, visible in self.fallbacks:
            fallback.set_visible(visible)
        self.stack.insert(self.position, self.layer)
        self.set_roles(self.roles_before)


class SetStyleCommand(QUndoCommand):
    """Give a layer a new style: Layer Properties › Symbology or Labels, and a pasted
    style (the layer's menu › Paste style); undo restores the one before.

    Parameters
    ----------
    layer : Layer
        The layer restyled.
    before, after : LayerStyle
        Its style before and after.
    text : str
        The Edit menu's English source text, with ``{name}`` for the layer's title.
    """

    def __init__(
        self,
        layer: Layer,
        before: LayerStyle,
        after: LayerStyle,
        text: str = "Change the style of “{name}”",
    ) -> None:
        super().__init__()
        set_text(self, text, name=layer.title_en or layer.name)
        self.layer, self.before, self.after = layer, before, after

    def redo(self) -> None:
        self.layer.set_style(self.after)

    def undo(self) -> None:
        self.layer.set_style(self.before)


class RenameLayerCommand(QUndoCommand):
    """Change a layer's display title in English and Korean (its table name stays)."""

    def __init__(self, layer: Layer, title_en: str, title_ko: str) -> None:
        super().__init__()
        set_text(self, "Rename layer “{name}”", name=layer.title_en or layer.name)
        self.layer = layer
        self.before = (layer.title_en, layer.title_ko)
        self.after = (title_en, title_ko)

    def redo(self) -> None:
        self.layer.set_titles(*self.after)

    def undo(self) -> None:
        self.layer.set_titles(*self.before)
