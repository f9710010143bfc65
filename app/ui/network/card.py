"""The indicator card's walking rows: the reach ratio and the catchment used."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from app.core.network.catchment import REACH_COLUMN
from app.ui.i18n import tr


def reach_text(value) -> str:
    """``0.62`` -> ``"62 %"``; empty for a missing value."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if not math.isfinite(value) else f"{value:.0%}"


def add_reach_row(card: QTableWidget, row) -> None:
    """Append the reach ratio to ``card`` when the row has one (walking catchment)."""
    if REACH_COLUMN not in row.index:
        return
    tip = tr(
        "Start-ups within a walk of R along the streets ÷ start-ups within the R circle: "
        "what the circle overstates (100 %: nothing)"
    )
    position = card.rowCount()
    card.insertRow(position)
    name = QTableWidgetItem(tr("Reach ratio (walk ÷ circle)"))
    name.setData(Qt.ItemDataRole.UserRole, REACH_COLUMN)
    name.setToolTip(tip)
    value = QTableWidgetItem(reach_text(row[REACH_COLUMN]))
    value.setToolTip(tip)
    card.setItem(position, 0, name)
    card.setItem(position, 1, value)
