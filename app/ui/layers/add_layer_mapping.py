"""The Add layer dialog's column mapping and its checks: for a role, one combo box per
field the role reads (guessed from the column names and values,
app.core.project.roles), and why the layer cannot be added yet (no coordinate columns,
a required field not chosen, no CRS; for a recognised dataset, its panel's reason).
A mixin of :class:`~app.ui.layers.add_layer_dialog.ImportLayerDialog`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.ui.i18n import tr
from app.ui.layers.add_layer_network import (
    WALKING_ROLE,
    is_oa21208,
    network_problem,
    network_rows,
)

NO_COLUMN = "(none)"  # shown through tr()


class MappingSection:
    """The role's column boxes (``mapping_boxes``) and :meth:`_base_problem`."""

    def _rebuild_mapping(self, *_args, keep: bool = False) -> None:
        from app.core.project.roles import ROLE_FIELDS, guess_mapping

        previous = {target: box.currentData() for target, box in self.mapping_boxes.items()}
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_boxes = {}
        role = self.role_box.currentData()
        role = None if role == WALKING_ROLE else role  # no columns to map
        self.mapping_group.setVisible(role is not None and not self.dataset_panel.active)
        self._update_coverage()
        network_rows(self)
        if role is None:
            self._set_problem(self._base_problem())
            return
        columns = list(self.info.columns)
        guess = guess_mapping(columns, role, self.preview if len(self.preview) else None)
        for role_field in ROLE_FIELDS[role]:
            box = QComboBox(self.mapping_group)
            box.setObjectName(f"importMap_{role_field.target}")
            box.setToolTip(tr(role_field.description))
            box.addItem(tr(NO_COLUMN), None)
            for column in columns:
                box.addItem(column, column)
            wanted = previous.get(role_field.target) if keep else None
            wanted = wanted if wanted in columns else guess.get(role_field.target)
            box.setCurrentIndex(max(0, box.findData(wanted)) if wanted else 0)
            box.currentIndexChanged.connect(lambda _i: self._set_problem(self._base_problem()))
            label = tr(role_field.label) + (" *" if role_field.required else "")
            self.mapping_form.addRow(label, box)
            self.mapping_boxes[role_field.target] = box
        self._set_problem(self._base_problem())

    def _base_problem(self) -> str:
        """Why the layer cannot be added yet ('' when it can)."""
        if not self.ready:
            return ""  # nothing known yet: OK waits for the inspection
        if self._read_problem:
            return self._read_problem
        if self.dataset_panel.active:  # read, filtered and mapped as the dataset
            return self.dataset_panel.blocker()
        network = network_problem(self)
        if network is not None and (network or is_oa21208(self.path)):
            return network  # OA-21208: nothing to choose; else it must hold lines
        if self.info.driver.upper() == "CSV" and None in (
            self.x_box.currentData(),
            self.y_box.currentData(),
        ):  # an address list, say: say so, and which columns there are
            return tr(
                "{name} has no coordinate columns (lon/lat, x/y, 경도/위도 …); its "
                "columns: {columns}. Choose the X and Y columns, or add coordinates to the "
                "file (addresses are not geocoded).",
                name=self.path.name,
                columns=", ".join(map(str, self.info.columns)) or "—",
            )
        role = self.role_box.currentData()
        if role is not None and role != WALKING_ROLE:
            from app.core.project.roles import ROLE_FIELDS

            missing = [
                tr(f.label)
                for f in ROLE_FIELDS[role]
                if f.required and self.mapping_boxes[f.target].currentData() is None
            ]
            if missing:
                return tr("Choose the column for: {fields}", fields=", ".join(missing))
        if self.info.crs is None and self.crs_box.currentData() is None:
            return tr("Choose the CRS of the coordinates")
        return ""
