"""The selected site's card: its title, every indicator and the score breakdown.

:class:`SiteCard` is the indicators panel's first tab. It shows one site's row of the
indicator table (the selected site, or a live preview while a site is dragged): a title
with its rank, score and zoning flag, a two-column table of every indicator named and
formatted in the UI's language, and the score's breakdown into criterion points.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.indicators.engine import COLUMNS, DEFINITIONS
from app.core.indicators.format import blocked, format_cell, format_value, is_missing, percent
from app.core.indicators.labels import label, tooltip
from app.core.indicators.score import Weights, score_breakdown
from app.ui.i18n import language, tr

#: The colour of a "does not permit" value, in the card, the table and the chart.
NOT_PERMITTED = QColor("#b00020")


def compact_rows(table: QTableView) -> None:
    """Rows one text line high (more where a cell wraps), so that a narrow dock shows more."""
    table.setWordWrap(True)
    header = table.verticalHeader()
    header.setMinimumSectionSize(table.fontMetrics().height() + 6)
    header.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class CardTable(QTableWidget):
    """Name and value columns that share the width: names wrap past 55 % of it."""

    NAME_SHARE = 0.55

    def __init__(self, parent=None) -> None:
        super().__init__(0, 2, parent)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        compact_rows(self)

    def fit_columns(self) -> None:
        """Give the name column its text's width, up to :attr:`NAME_SHARE` of the table."""
        wanted = max(self.sizeHintForColumn(0), self.horizontalHeader().sectionSizeHint(0))
        self.setColumnWidth(0, min(wanted, int(self.viewport().width() * self.NAME_SHARE)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()


class BreakdownTable(QTableWidget):
    """The score breakdown: as high as its rows, numbers as wide as they need, the
    criterion column takes the rest (its names wrap)."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, 5, parent)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        compact_rows(self)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.verticalHeader().sectionResized.connect(lambda *_: self.updateGeometry())

    def sizeHint(self) -> QSize:
        height = (
            self.horizontalHeader().sizeHint().height()
            + self.verticalHeader().length()
            + 2 * self.frameWidth()
        )
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class SiteCard(QWidget):
    """Title, indicator table and score breakdown of one site.

    Parameters
    ----------
    weights : callable
        Returns the current score weights (the breakdown's points follow them).
    parent : QWidget, optional
    """

    def __init__(self, weights: Callable[[], Weights], parent=None) -> None:
        super().__init__(parent)
        self.weights = weights
        self.title = QLabel("", self)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.card = CardTable(self)
        self.card.setObjectName("indicatorCard")
        self.card.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.breakdown = BreakdownTable(self)
        self.breakdown.setObjectName("scoreBreakdown")
        self.breakdown.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.card, 1)
        self.breakdown_label = QLabel("", self)
        self.breakdown_label.setWordWrap(True)
        layout.addWidget(self.breakdown_label)
        layout.addWidget(self.breakdown)
        self._frame: pd.DataFrame | None = None
        self._live = False

    def retranslate(self) -> None:
        """Headers, their tooltips and the shown site in the current UI language."""
        self.card.setHorizontalHeaderLabels([tr("Indicator"), tr("Value")])
        # Short headers (a narrow dock), the whole meaning in their tooltips.
        self.breakdown.setHorizontalHeaderLabels(
            [tr("Criterion"), tr("Raw"), "0–1", tr("Wt."), tr("Pts")]
        )
        for column, tip in enumerate(
            (
                tr("Criterion of the score (its transform and reference in the tooltip)"),
                tr("Raw value: the indicator the criterion reads"),
                tr("The raw value mapped to 0–1 by the criterion's transform"),
                tr("Weight of the criterion (Weights tab)"),
                tr("Points: 100 × the weight's share × the 0–1 value; they add up to the score"),
            )
        ):
            self.breakdown.horizontalHeaderItem(column).setToolTip(tip)
        self.breakdown_label.setText(tr("Score breakdown (points add up to the score):"))
        self.show_site(self._frame, self._live)

    def show_site(self, frame: pd.DataFrame | None, live: bool = False) -> None:
        """Fill the card with the one-row ``frame`` (None: empty card).

        Parameters
        ----------
        frame : DataFrame or None
            One row of the indicator table (``name``, ``score``, the indicator columns
            and, unless ``live``, ``rank``).
        live : bool
            The row is a preview of a site being moved, not saved.
        """
        self._frame, self._live = frame, live
        self.card.setRowCount(0)
        self.breakdown.setRowCount(0)
        if frame is None or frame.empty:
            self.title.setText(tr("Select or sketch a site to see its indicators"))
            return
        row = frame.iloc[0]
        permitted = row.get("use_permitted")
        coverage = row.get("zoning_coverage")
        unknown = (
            tr("no zoning data under the site: ranked below permitted sites")
            if is_missing(coverage) or coverage <= 0
            else tr(
                "zoning data cover {share} of the site: ranked below permitted sites",
                share=percent(coverage),
            )
        )
        flag = (
            "  <b style='color:#b00020'>"
            + tr("zoning does not permit the centre: ranked below permitted sites")
            + "</b>"
            if blocked(permitted)
            else "  <b style='color:#666666'>" + unknown + "</b>"
            if is_missing(permitted)
            else ""
        )
        rank = "" if live or "rank" not in row else f"#{int(row['rank'])} · "
        score = row["score"]
        score_text = "—" if is_missing(score) else f"{score:.1f}"
        self.title.setText(
            f"<b>{rank}{row['name']}</b> — "
            + tr("score {score}", score=score_text)
            + (" <i>" + tr("(live, not saved)") + "</i>" if live else "")
            + flag
        )
        for column in COLUMNS:
            position = self.card.rowCount()
            self.card.insertRow(position)
            tip = tooltip(column, DEFINITIONS[column], language())
            name = QTableWidgetItem(label(column, language()))
            name.setData(Qt.ItemDataRole.UserRole, column)
            name.setToolTip(tip)
            value = QTableWidgetItem(format_cell(column, row, language()))
            value.setToolTip(tip)
            if column == "use_permitted" and blocked(permitted):
                value.setForeground(NOT_PERMITTED)
            self.card.setItem(position, 0, name)
            self.card.setItem(position, 1, value)
        self.card.fit_columns()  # whole indicator names where the width allows
        self._fill_breakdown(score_breakdown(frame, self.weights()))

    def _fill_breakdown(self, parts: pd.DataFrame) -> None:
        for _, part in parts.iterrows():
            position = self.breakdown.rowCount()
            self.breakdown.insertRow(position)
            cells = [
                tr(part["label"]),
                format_value("raw", part["raw"], language()),
                format_value("sector_hhi", part["value"], language()),
                f"{part['weight'] * 100:.0f} %",
                format_value("raw", part["points"], language()),
            ]
            reference = part["reference"]
            tip = f"{part['transform']}" + (
                "" if is_missing(reference) else tr(", reference {value}", value=f"{reference:g}")
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.breakdown.setItem(position, column, item)
        self.breakdown.updateGeometry()

    def values(self) -> dict[str, str]:
        """Indicator column name (docs/indicators.md) → shown value text (tests, copy)."""
        return {
            self.card.item(r, 0).data(Qt.ItemDataRole.UserRole): self.card.item(r, 1).text()
            for r in range(self.card.rowCount())
        }

    def labels(self) -> list[str]:
        """The indicator names shown in the card, in the UI language."""
        return [self.card.item(r, 0).text() for r in range(self.card.rowCount())]
