"""The coverage editor: which part of the map a role layer speaks for.

One widget for the Add layer dialog and the layer properties: the whole map, chosen
districts (a checkable list of their display names), chosen admin dongs (a searchable
checkable list: name and gu) or, for a polygon layer such as zoning, the layer's own
polygons (app.core.project.coverage). It shows the layer's default ("Magok — where the
features fall") with a button that goes back to it.
"""

from __future__ import annotations

import geopandas as gpd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.project.coverage import Coverage, describe
from app.core.project.coverage_choices import Choice, district_choices, dong_choices
from app.ui.i18n import language, tr

#: The modes in the order of their radio buttons, with their English labels.
MODE_LABELS = {
    "map": "Whole map",
    "districts": "Chosen districts",
    "dongs": "Chosen admin dongs",
    "polygons": "The layer's own polygons",
}


class CoverageEditor(QWidget):
    """Choose a :class:`~app.core.project.coverage.Coverage`.

    Parameters
    ----------
    districts, dongs : GeoDataFrame or None
        The project's ``districts`` and ``dong`` layers (what can be chosen).
    polygons : bool
        Offer "the layer's own polygons" (polygon layers: zoning).
    parent : QWidget, optional

    Signals
    -------
    changed(object)
        The chosen coverage changed (a :class:`Coverage`).
    """

    changed = Signal(object)

    def __init__(
        self,
        districts: gpd.GeoDataFrame | None,
        dongs: gpd.GeoDataFrame | None,
        polygons: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("coverageEditor")
        self.districts, self.dongs, self.polygons = districts, dongs, polygons
        self.default: Coverage | None = None  # None: not known yet
        #: the user changed the choice (a default found later then does not replace it)
        self.touched = False
        self._quiet = False
        self.buttons: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        for mode, text in MODE_LABELS.items():
            button = QRadioButton(tr(text), self)
            button.setObjectName(f"coverage_{mode}")
            self.buttons[mode] = button
            self.group.addButton(button)
            button.toggled.connect(self._on_mode)
        self.buttons["polygons"].setVisible(polygons)
        self.buttons["polygons"].setToolTip(
            tr("Data exist where the layer draws a polygon (zoning: where a zone is drawn)")
        )
        self.district_list = self._checklist(
            "coverageDistricts", district_choices(districts, language())
        )
        self.dong_search = QLineEdit(self)
        self.dong_search.setObjectName("coverageDongSearch")
        self.dong_search.setPlaceholderText(tr("Search dongs (name or gu)…"))
        self.dong_search.setClearButtonEnabled(True)
        self.dong_search.textChanged.connect(self._filter_dongs)
        self.dong_list = self._checklist("coverageDongs", dong_choices(dongs, language()))
        self.summary = QLabel("", self)  # what is chosen now, in words
        self.summary.setObjectName("coverageSummary")
        self.summary.setWordWrap(True)
        self.default_label = QLabel("", self)
        self.default_label.setObjectName("coverageDefault")
        self.default_label.setWordWrap(True)
        self.default_label.setStyleSheet("color: #555555;")
        self.reset_button = QPushButton(tr("Reset to default"), self)
        self.reset_button.setObjectName("coverageReset")
        self.reset_button.clicked.connect(self.reset)

        modes = QVBoxLayout()
        modes.setSpacing(2)
        for mode in MODE_LABELS:
            modes.addWidget(self.buttons[mode])
        default_row = QHBoxLayout()
        default_row.addWidget(self.default_label, 1)
        default_row.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(default_row)
        layout.addLayout(modes)
        layout.addWidget(self.district_list)
        layout.addWidget(self.dong_search)
        layout.addWidget(self.dong_list, 1)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.set_coverage(Coverage())
        self.set_default(None)

    # -- building ----------------------------------------------------------------------------
    def _checklist(self, name: str, choices: list[Choice]) -> QListWidget:
        box = QListWidget(self)
        box.setObjectName(name)
        for choice in choices:
            item = QListWidgetItem(choice.text(), box)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(choice.text())
        box.itemChanged.connect(lambda _item: self._emit())
        box.setMaximumHeight(160 if name == "coverageDongs" else 90)
        return box

    # -- state -------------------------------------------------------------------------------
    def mode(self) -> str:
        """The chosen mode (``map``, ``districts``, ``dongs`` or ``polygons``)."""
        return next((m for m, b in self.buttons.items() if b.isChecked()), "map")

    @staticmethod
    def _checked(box: QListWidget) -> list[str]:
        return [
            str(box.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(box.count())
            if box.item(r).checkState() == Qt.CheckState.Checked
        ]

    def coverage(self) -> Coverage:
        """The coverage chosen now."""
        mode = self.mode()
        ids = (
            self._checked(self.district_list)
            if mode == "districts"
            else self._checked(self.dong_list)
            if mode == "dongs"
            else []
        )
        return Coverage.of(mode, ids)

    def set_coverage(self, coverage: Coverage) -> None:
        """Show ``coverage`` (ids the lists do not hold are kept out)."""
        self._quiet = True
        mode = coverage.mode if self.polygons or coverage.mode != "polygons" else "map"
        for box, wanted in (
            (self.district_list, coverage.ids if mode == "districts" else ()),
            (self.dong_list, coverage.ids if mode == "dongs" else ()),
        ):
            for r in range(box.count()):
                item = box.item(r)
                checked = str(item.data(Qt.ItemDataRole.UserRole)) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.buttons[mode].setChecked(True)
        self._quiet = False
        self._show_mode()
        self._emit(user=False)

    def set_default(
        self, default: Coverage | None, pending: bool = False, project_layer: bool = False
    ) -> None:
        """The layer's default coverage (None: not known yet; ``pending``: being found;
        ``project_layer``: a layer of every project, which covers the whole map)."""
        self.default = default
        if default is None:
            self.default_label.setText(
                tr("Default: where the features fall (finding it…)")
                if pending
                else tr("Default: where the features fall (found when the file is read)")
            )
        elif project_layer:
            self.default_label.setText(
                tr("Default: {area} — a layer of the project", area=self.describe(default))
            )
        else:
            self.default_label.setText(
                tr("Default: {area} — where the features fall", area=self.describe(default))
            )
        self._update_reset()

    def reset(self) -> None:
        """Go back to the default (when it is known)."""
        if self.default is not None:
            self.set_coverage(self.default)
            self.changed.emit(self.coverage())

    def set_polygons_allowed(self, allowed: bool) -> None:
        """Offer "the layer's own polygons" or not (then that choice becomes the whole map)."""
        self.polygons = allowed
        self.buttons["polygons"].setVisible(allowed)
        if not allowed and self.mode() == "polygons":
            self.set_coverage(Coverage())

    def is_default(self) -> bool:
        """True when the chosen coverage is the default (or the default is not known and
        nothing but the whole map, the starting choice, is chosen)."""
        return self.coverage() == self.default

    def describe(self, coverage: Coverage) -> str:
        """``coverage`` in words, in the UI language."""
        return describe(coverage, self.districts, self.dongs, language())

    # -- events ------------------------------------------------------------------------------
    def _on_mode(self, checked: bool) -> None:
        if checked and not self._quiet:
            self._show_mode()
            self._emit()

    def _show_mode(self) -> None:
        mode = self.mode()
        self.district_list.setVisible(mode == "districts")
        self.dong_search.setVisible(mode == "dongs")
        self.dong_list.setVisible(mode == "dongs")

    def _filter_dongs(self, text: str) -> None:
        needle = text.strip().casefold()
        for r in range(self.dong_list.count()):
            item = self.dong_list.item(r)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _update_reset(self) -> None:
        self.reset_button.setEnabled(self.default is not None and not self.is_default())

    def _emit(self, user: bool = True) -> None:
        """Show the choice in words; ``changed`` when the user made it."""
        if self._quiet:
            return
        coverage = self.coverage()
        self.summary.setText(tr("Covers: {area}", area=self.describe(coverage)))
        self._update_reset()
        if user:
            self.touched = True
            self.changed.emit(coverage)
