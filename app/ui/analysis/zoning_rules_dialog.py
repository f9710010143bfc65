"""Zoning rules: BCR, FAR and permitted uses per zone type, with the project's overrides.

Values marked (?) in docs/zoning.md could not be confirmed from a primary source; the
dialog shows them flagged. A permission cell can be overridden for the project; OK
applies the changed cells as one undo step (:func:`apply_dialog`). A legend under the
table says what each use-class symbol means, and the Status column is wide enough for
every status (a changed cell can make a zone "not permitted").
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.core.zoning.rules import SYMBOLS, USE_CLASS_COLUMNS, ZoningRules
from app.ui.i18n import tr
from app.ui.project.settings_commands import SetZoningOverridesCommand

UNCONFIRMED = QColor("#b36b00")


class ZoningRulesDialog(QDialog):
    """Shows the rules table; permission cells are editable combo boxes."""

    def __init__(self, rules: ZoningRules, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("zoningRulesDialog")
        self.setWindowTitle(tr("Zoning rules (Seoul ordinance) and project overrides"))
        self.resize(900, 560)
        self.base = ZoningRules(rules.zones, rules.overlays, {})
        self.rules = rules
        uses = list(USE_CLASS_COLUMNS)
        headers = [
            tr("Zone"),
            tr("Group"),
            tr("BCR %"),
            tr("FAR %"),
            *uses,
            tr("Status"),
            tr("Confidence"),
            tr("Legal basis"),
        ]
        self.table = QTableWidget(len(rules.zones), len(headers), self)
        self.table.setObjectName("zoningRulesTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(headers) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.combos: dict[tuple[str, str], QComboBox] = {}
        legend = " · ".join(f"{symbol} {tr(meaning)}" for symbol, meaning in SYMBOLS.items())
        for row, (zone, rule) in enumerate(rules.zones.items()):
            cells = [
                zone,
                rule.zone_group,
                _flag(rule.bcr_seoul, "bcr_seoul" in rule.unconfirmed),
                _flag(rule.far_seoul, "far_seoul" in rule.unconfirmed),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                if "(?)" in text:
                    item.setForeground(UNCONFIRMED)
                    item.setToolTip(tr("Not confirmed from a primary source (docs/zoning.md)"))
                self.table.setItem(row, column, item)
            for offset, use in enumerate(uses):
                combo = QComboBox(self.table)
                combo.addItems(list(SYMBOLS))
                combo.setCurrentText(rules.symbol(zone, use))
                combo.setToolTip(
                    tr(
                        "{use} in {zone}: {legend}. Table value: {value}",
                        use=use,
                        zone=zone,
                        legend=legend,
                        value=self.base.symbol(zone, use),
                    )
                )
                combo.currentTextChanged.connect(lambda _t, r=row: self._refresh_row(r))
                self.table.setCellWidget(row, 4 + offset, combo)
                self.combos[(zone, use)] = combo
            for column, text in ((6, ""), (7, tr(rule.confidence)), (8, rule.legal_basis)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(rule.note or rule.legal_basis)
                self.table.setItem(row, column, item)
            self._refresh_row(row)
        self.table.resizeColumnsToContents()
        self._fit_status_column()
        reset = QPushButton(tr("Reset to the table values"), self)
        reset.setObjectName("resetOverrides")
        reset.clicked.connect(self.reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel(
            tr(
                "The centre is <b>permitted</b> in a zone when at least one of its "
                "use classes is ○; □ and △ make it <i>conditional</i>; ✗ and ? do not "
                "permit it. Bold cells are overridden for this project (saved with it). "
                "<span style='color:#b36b00'>(?)</span> values are unconfirmed."
            ),
            self,
        )
        note.setWordWrap(True)
        self.symbol_legend = QLabel(
            html.escape(tr("Symbols:"))
            + " "
            + " &nbsp;·&nbsp; ".join(
                f"<b>{symbol}</b> {html.escape(tr(meaning))}" for symbol, meaning in SYMBOLS.items()
            ),
            self,
        )
        self.symbol_legend.setObjectName("zoningSymbolLegend")
        self.symbol_legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addWidget(self.symbol_legend)
        layout.addWidget(buttons)

    def _fit_status_column(self) -> None:
        """The Status column as wide as its widest possible text, whichever rows show."""
        metrics = self.table.fontMetrics()
        texts = [tr(status) for status in ("permitted", "conditional", "not permitted")]
        widest = max(metrics.horizontalAdvance(text) for text in texts) + 16
        self.table.setColumnWidth(6, max(self.table.columnWidth(6), widest))

    def overrides(self) -> dict[tuple[str, str], str]:
        """Cells that differ from the shipped table."""
        return {
            key: combo.currentText()
            for key, combo in self.combos.items()
            if combo.currentText() != self.base.symbol(*key)
        }

    def result_rules(self) -> ZoningRules:
        """The rules with the chosen overrides."""
        return self.base.with_overrides(self.overrides())

    def reset(self) -> None:
        for (zone, use), combo in self.combos.items():
            combo.setCurrentText(self.base.symbol(zone, use))

    def _refresh_row(self, row: int) -> None:
        zone = self.table.item(row, 0).text()
        rules = self.result_rules()
        status = rules.status(zone)
        item = self.table.item(row, 6)
        if item is not None:
            item.setText(tr(status.replace("_", " ")))
            item.setForeground(
                QColor({"permitted": "#2a7f2a", "conditional": "#b36b00"}.get(status, "#b00020"))
            )
        for use in USE_CLASS_COLUMNS:
            combo = self.combos.get((zone, use))
            if combo is not None:
                font = QFont(combo.font())
                font.setBold(combo.currentText() != self.base.symbol(zone, use))
                combo.setFont(font)


def _flag(value: float, unconfirmed: bool) -> str:
    text = f"{value:g}"
    return f"{text} (?)" if unconfirmed else text


def apply_dialog(window, dialog: ZoningRulesDialog) -> bool:
    """Apply the overrides chosen in ``dialog`` to ``window``'s project, as one undo step.

    Returns
    -------
    bool
        False when the overrides did not change (nothing is pushed).
    """
    before, after = window.indicators.rules, dialog.result_rules()
    if after.overrides == before.overrides:
        return False
    command = SetZoningOverridesCommand(
        lambda rules: set_project_rules(window, rules), before, after
    )
    window.undo_stack.push(command)
    return True


def set_project_rules(window, rules: ZoningRules) -> None:
    """Make ``rules`` the project's zoning rules: the indicators use them (computed again
    once) and the overrides are kept in the project settings (the undo commands call this)."""
    window.indicators.set_rules(rules)
    window.project.settings.extra["zoning_overrides"] = rules.overrides_to_records()
