"""The window's layer roles and their coverage areas, as a mixin of :class:`MainWindow`.

Which layer the indicators read for each role (start-ups, education, stations, zoning) and the
area each of those layers covers (:mod:`app.core.project.coverage`); undo commands call the
setters.
"""

from __future__ import annotations

from app.core.project.coverage import (
    COVERAGE_KEY,
    DISTRICTS_LAYER,
    DONGS_LAYER,
    Coverage,
    describe,
    layer_coverage,
    saved_coverage,
    with_coverage,
)
from app.core.project.user_layers import role_layer
from app.ui.layers.properties import LayerPropertiesDialog
from app.ui.project.settings_commands import SetCoverageCommand


class LayerRoles:
    """Roles and coverage areas; expects ``project``, ``stack``, ``indicators``,
    ``undo_stack``, ``data_label``, ``language`` and ``caveat_text`` on the window."""

    # -- layers and their roles ---------------------------------------------------------------
    @property
    def roles(self) -> dict[str, str]:
        """Which layer plays each role for the indicators (``{role: layer name}``)."""
        return self.project.settings.roles()

    def set_roles(self, roles: dict[str, str]) -> None:
        """Make the indicators read these layers (undo commands call this)."""
        self.project.settings.extra["roles"] = dict(roles)
        self.indicators.set_roles(roles)
        self.data_label.setText(self.caveat_text())

    def role_layer(self, role: str):
        """The layer the indicators read for ``role`` (start-ups, zoning ...)."""
        return role_layer(self.stack, role, self.roles)

    # -- coverage areas of the role layers (app.core.project.coverage) ------------------------
    def plays_role(self, layer) -> bool:
        """True when the indicators read ``layer`` for some role."""
        return any(
            self.role_layer(role) is layer
            for role in ("startups", "education", "stations", "zoning")
        )

    def coverage(self, layer) -> Coverage:
        """``layer``'s coverage area: the saved one, else its default."""
        return layer_coverage(self.stack, layer, self.project.settings.extra)

    def coverage_text(self, layer) -> str | None:
        """A role layer's coverage area in words ("Magok"); None for other layers."""
        if not self.plays_role(layer):
            return None
        return self.describe_coverage(self.coverage(layer))

    def describe_coverage(self, coverage: Coverage, language: str | None = None) -> str:
        """``coverage`` in words, with the project's district and dong names."""
        districts, dongs = self.stack.get(DISTRICTS_LAYER), self.stack.get(DONGS_LAYER)
        return describe(
            coverage,
            districts.data if districts is not None else None,
            dongs.data if dongs is not None else None,
            language or self.language,
        )

    def set_coverage(self, layer_name: str, coverage: Coverage | None) -> None:
        """Save (or, with None, forget) a layer's coverage area and compute the indicators
        again, as a role change does (undo commands call this)."""
        extra = self.project.settings.extra
        records = with_coverage(extra, layer_name, coverage).get(COVERAGE_KEY)
        if records is None:
            extra.pop(COVERAGE_KEY, None)
        else:
            extra[COVERAGE_KEY] = records
        self.indicators.extra = extra  # the engine reads the records from there
        self.indicators.invalidate_engine()
        for dialog in self.findChildren(LayerPropertiesDialog):
            if dialog.layer.name == layer_name and dialog.layer in list(self.stack):
                dialog.show_coverage(self.coverage(dialog.layer))

    def change_coverage(self, layer, coverage: Coverage) -> bool:
        """Give ``layer`` the coverage area ``coverage``, as one undo step (False: unchanged)."""
        extra = self.project.settings.extra
        before = saved_coverage(extra, layer.name)
        if coverage == self.coverage(layer):
            return False
        self.undo_stack.push(
            SetCoverageCommand(
                self.set_coverage,
                layer.name,
                layer.title_en,
                before,
                coverage,
                self.describe_coverage(coverage, "en"),
            )
        )
        return True
