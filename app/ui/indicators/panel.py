"""The indicators panel: a card for the selected site, a comparison table, a chart,
and the score weights. Everything reads :class:`IndicatorsController` results."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.indicators.engine import COLUMNS, DEFINITIONS
from app.core.indicators.format import blocked, is_missing
from app.core.indicators.format import format_value as format_indicator
from app.core.indicators.labels import label, tooltip
from app.core.indicators.score import CRITERIA, REFERENCE_OF, References, Weights, score_breakdown
from app.ui.i18n import language, tr
from app.ui.indicators.controller import IndicatorsController

CRITERION_COLOURS = {
    "startups": "#4e79a7",
    "diversity": "#b07aa1",
    "education": "#5e3c99",
    "transit": "#1d1d1d",
    "floor_area": "#f28e2b",
}
NOT_PERMITTED = QColor("#b00020")


def format_value(column: str, value) -> str:
    """One indicator value as text in the UI's language (app.core.indicators.format)."""
    return format_indicator(column, value, language())


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


class ResultsTableModel(QAbstractTableModel):
    """The results frame as a table: rank, name, then the INDICATORS.md columns."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.frame = pd.DataFrame()

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self.frame = frame
        self.endResetModel()

    @property
    def columns(self) -> list[str]:
        return ["rank", "name", *COLUMNS] if len(self.frame.columns) else []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.frame)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return label(column, language())  # the column name is in the tooltip
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(column, DEFINITIONS.get(column, ""), language())
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self.frame[column].iloc[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(column, value)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            if is_missing(value):
                return float("-inf")
            if isinstance(value, (int, float, np.integer, np.floating, bool, np.bool_)):
                return float(value)
            return str(value)
        if role == Qt.ItemDataRole.ForegroundRole and column == "use_permitted" and blocked(value):
            return NOT_PERMITTED
        return None


class ScoreChart(QWidget):
    """Horizontal stacked bars: each site's score split into criterion points, by rank."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setMinimumHeight(160)
        self.breakdown = pd.DataFrame()
        self.frame = pd.DataFrame()
        self.bars: list[tuple[QRectF, str]] = []  # painted segments and their tooltips

    @staticmethod
    def axis_max(score: float) -> float:
        """The scale's end: the best score rounded up to 20, 40, 60, 80 or 100, so that
        the bars use the width (the grid below them says the scale)."""
        return float(min(100, max(20, math.ceil(max(score, 0.0) / 20.0) * 20)))

    def event(self, event) -> bool:
        """Tooltips: the site, criterion and points of the bar segment under the mouse."""
        if event.type() == event.Type.ToolTip:
            position = event.position() if hasattr(event, "position") else event.pos()
            text = next((tip for rect, tip in self.bars if rect.contains(position)), "")
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def set_data(self, frame: pd.DataFrame, breakdown: pd.DataFrame) -> None:
        self.frame, self.breakdown = frame, breakdown
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.frame.empty:
            painter.setPen(QColor("#777777"))
            painter.drawText(
                self.rect(),
                int(Qt.AlignmentFlag.AlignCenter),
                tr("Sketch sites to compare their scores"),
            )
            painter.end()
            return
        order = self.frame.sort_values("rank")
        metrics = painter.fontMetrics()
        margin, gap = 8, 6
        names = [f"#{int(row['rank'])} {row['name']}" for _, row in order.iterrows()]
        # Names as wide as they are (up to 40 % of the width), the bars take the rest.
        label_w = min(
            max(metrics.horizontalAdvance(n) for n in names) + 2 * margin, int(self.width() * 0.4)
        )
        score_w = metrics.horizontalAdvance("100") + gap + margin
        scores = order["score"].dropna()
        top = self.axis_max(float(scores.max()) if len(scores) else 100.0)
        scale = max(self.width() - label_w - score_w, 20) / top
        bar_h = max(10.0, min(26.0, (self.height() - 70) / max(len(order), 1) - 4))
        y = 10.0
        bottom = y + len(order) * (bar_h + 4)
        painter.setPen(QColor("#e3e3e3"))  # grid, labelled below the bars: points of 100
        step = top / 4
        for tick in range(5):
            gx = label_w + tick * step * scale
            painter.drawLine(int(gx), int(y - 4), int(gx), int(bottom))
        self.bars: list[tuple[QRectF, str]] = []
        for (site_id, row), name in zip(order.iterrows(), names):
            painter.setPen(
                NOT_PERMITTED if blocked(row.get("use_permitted")) else QColor("#222222")
            )
            painter.drawText(
                QRectF(margin, y, label_w - 2 * margin, bar_h),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_w - 2 * margin),
            )
            x = float(label_w)
            parts = self.breakdown[self.breakdown["site"] == site_id]
            for _, part in parts.iterrows():
                points = part["points"]
                if not isinstance(points, float) or math.isnan(points) or points <= 0:
                    continue
                rect = QRectF(x, y, points * scale, bar_h)
                painter.fillRect(rect, QColor(CRITERION_COLOURS[part["criterion"]]))
                self.bars.append((rect, f"{row['name']}: {tr(part['label'])} {points:.1f}"))
                x += points * scale
            painter.setPen(QColor("#222222"))
            score = row["score"]
            text = "—" if is_missing(score) else f"{score:.0f}"
            painter.drawText(
                QRectF(x + gap, y, score_w, bar_h), int(Qt.AlignmentFlag.AlignVCenter), text
            )
            y += bar_h + 4
        painter.setPen(QColor("#777777"))
        for tick in range(5):
            gx = label_w + tick * step * scale
            painter.drawText(
                QRectF(gx - 20, y, 40, 16), int(Qt.AlignmentFlag.AlignCenter), f"{tick * step:g}"
            )
        y += 18
        x = float(margin)
        for criterion in CRITERIA:  # legend, wrapped to the widget's width
            label = tr(criterion.label)
            width = 14 + painter.fontMetrics().horizontalAdvance(label) + 12
            if x + width > self.width() and x > margin:
                x, y = float(margin), y + 20
            painter.fillRect(QRectF(x, y + 6, 10, 10), QColor(CRITERION_COLOURS[criterion.key]))
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(x + 13, y + 2, width, 18), int(Qt.AlignmentFlag.AlignVCenter), label
            )
            x += width
        painter.end()


class IndicatorsPanel(QWidget):
    """Card, comparison table, chart and weights."""

    def __init__(self, controller: IndicatorsController, editing, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("indicatorsPanel")
        self.controller, self.editing = controller, editing
        self.showing_preview = False

        self.weights_box = QGroupBox("", self)
        form = QFormLayout(self.weights_box)
        self.radius = QSpinBox(self.weights_box)
        self.radius.setObjectName("panelRadius")
        self.radius.setRange(0, 10_000)
        self.radius.setSingleStep(50)
        self.radius.setSuffix(" m")
        self.radius.setValue(round(editing.radius_m))
        self.weights_form = form
        form.addRow("Radius R", self.radius)
        self.weight_spins: dict[str, QSpinBox] = {}
        for criterion in CRITERIA:
            spin = QSpinBox(self.weights_box)
            spin.setObjectName(f"weight_{criterion.key}")
            spin.setRange(0, 100)
            spin.setValue(round(getattr(controller.weights, criterion.key) * 100))
            spin.setSuffix(" %")
            spin.valueChanged.connect(self._weights_changed)
            form.addRow(criterion.label, spin)
            self.weight_spins[criterion.key] = spin

        self.title = QLabel("", self)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.card = CardTable(self)
        self.card.setObjectName("indicatorCard")
        self.card.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.breakdown = BreakdownTable(self)
        self.breakdown.setObjectName("scoreBreakdown")
        self.breakdown.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        card_page = QWidget(self)
        card_layout = QVBoxLayout(card_page)
        card_layout.addWidget(self.title)
        card_layout.addWidget(self.card, 1)
        self.breakdown_label = QLabel("", self)
        self.breakdown_label.setWordWrap(True)
        card_layout.addWidget(self.breakdown_label)
        card_layout.addWidget(self.breakdown)

        self.table_model = ResultsTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setObjectName("comparisonTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.export_button = QPushButton("", self)
        self.export_button.setObjectName("exportIndicatorsCsv")
        self.export_button.clicked.connect(self.export_dialog)
        compare_page = QWidget(self)
        compare_layout = QVBoxLayout(compare_page)
        compare_layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.export_button)
        compare_layout.addLayout(row)

        self.chart = ScoreChart(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(card_page, "")
        self.tabs.addTab(compare_page, "")
        self.tabs.addTab(self.chart, "")
        weights_page = QWidget(self)
        weights_layout = QVBoxLayout(weights_page)
        weights_layout.addWidget(self.weights_box)
        note = self.weights_note = QLabel("", weights_page)
        note.setWordWrap(True)
        weights_layout.addWidget(note)
        weights_layout.addStretch(1)
        self.tabs.addTab(weights_page, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs, 1)

        controller.resultsChanged.connect(self.refresh)
        controller.previewChanged.connect(self._on_preview)
        editing.selectionChanged.connect(lambda _id: self.refresh())
        self._card_frame: pd.DataFrame | None = None
        self._card_live = False
        self.retranslate()

    def retranslate(self) -> None:
        """Every label, header, tooltip and the card in the current UI language."""
        self.weights_box.setTitle(tr("Catchment and score weights"))
        self.radius.setToolTip(
            tr(
                "Project catchment radius R (INDICATORS.md: default 800 m, "
                "about a 10-minute walk); sites with their own radius keep it"
            )
        )
        self.weights_form.labelForField(self.radius).setText(tr("Radius R"))
        references = References()
        for criterion in CRITERIA:
            spin = self.weight_spins[criterion.key]
            ref = REFERENCE_OF[criterion.key]
            spin.setToolTip(
                tr(
                    "{criterion}: {transform} on {column}",
                    criterion=tr(criterion.label),
                    transform=criterion.transform,
                    column=criterion.column,
                )
                + (tr(", reference {value}", value=f"{getattr(references, ref):g}") if ref else "")
            )
            self.weights_form.labelForField(spin).setText(tr(criterion.label))
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
        self.export_button.setText(tr("Export CSV…"))
        self.export_button.setToolTip(
            tr("Save the comparison table as CSV (UTF-8 with BOM, opens with Korean text in Excel)")
        )
        for index, text in enumerate(("Site", "Compare", "Chart", "Weights")):
            self.tabs.setTabText(index, tr(text))
        self.weights_note.setText(
            tr(
                "Each criterion is mapped to 0–1 by the transform in its tooltip (0.5 at the "
                "reference value); the score is 100 × the weighted mean. Sites whose zoning does "
                "not permit the centre rank below every permitted site. Weights are saved with the "
                "project."
            )
        )
        if self.table_model.columns:
            self.table_model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, len(self.table_model.columns) - 1
            )
        self.table.viewport().update()
        self.chart.update()
        self.show_card(self._card_frame, self._card_live)

    # -- behaviour -----------------------------------------------------------------------
    def _weights_changed(self) -> None:
        values = {key: spin.value() / 100.0 for key, spin in self.weight_spins.items()}
        self.controller.set_weights(Weights(**values))

    def set_weights(self, weights: Weights) -> None:
        """Show ``weights`` (e.g. loaded with a project) without recomputing twice."""
        for key, spin in self.weight_spins.items():
            spin.blockSignals(True)
            spin.setValue(round(getattr(weights, key) * 100))
            spin.blockSignals(False)

    def refresh(self) -> None:
        frame = self.controller.results
        self.table_model.set_frame(frame)
        breakdown = (
            score_breakdown(frame, self.controller.weights) if len(frame) else pd.DataFrame()
        )
        self.chart.set_data(frame, breakdown)
        if not self.showing_preview:
            row = self.controller.row(self.editing.selected)
            self.show_card(None if row is None else frame.loc[[self.editing.selected]])

    def _on_preview(self, frame) -> None:
        self.showing_preview = frame is not None
        if frame is None:
            self.refresh()
        else:
            self.show_card(frame, live=True)

    def show_card(self, frame: pd.DataFrame | None, live: bool = False) -> None:
        """Fill the card with the one-row ``frame`` (None: empty card)."""
        self._card_frame, self._card_live = frame, live
        self.card.setRowCount(0)
        self.breakdown.setRowCount(0)
        if frame is None or frame.empty:
            self.title.setText(tr("Select or sketch a site to see its indicators"))
            return
        row = frame.iloc[0]
        permitted = row.get("use_permitted")
        flag = (
            "  <b style='color:#b00020'>"
            + tr("zoning does not permit the centre: ranked below permitted sites")
            + "</b>"
            if blocked(permitted)
            else "  <b style='color:#666666'>"
            + tr("no zoning data under the site: ranked below permitted sites")
            + "</b>"
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
            value = QTableWidgetItem(format_value(column, row[column]))
            value.setToolTip(tip)
            if column == "use_permitted" and blocked(permitted):
                value.setForeground(NOT_PERMITTED)
            self.card.setItem(position, 0, name)
            self.card.setItem(position, 1, value)
        self.card.fit_columns()  # whole indicator names where the width allows
        parts = score_breakdown(frame, self.controller.weights)
        for _, part in parts.iterrows():
            position = self.breakdown.rowCount()
            self.breakdown.insertRow(position)
            cells = [
                tr(part["label"]),
                format_value("raw", part["raw"]),
                format_value("sector_hhi", part["value"]),
                f"{part['weight'] * 100:.0f} %",
                format_value("raw", part["points"]),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                reference = part["reference"]
                item.setToolTip(
                    f"{part['transform']}"
                    + (
                        ""
                        if isinstance(reference, float) and math.isnan(reference)
                        else tr(", reference {value}", value=f"{reference:g}")
                    )
                )
                self.breakdown.setItem(position, column, item)
        self.breakdown.updateGeometry()

    def card_values(self) -> dict[str, str]:
        """Indicator column name (INDICATORS.md) → shown value text (tests, copy)."""
        return {
            self.card.item(r, 0).data(Qt.ItemDataRole.UserRole): self.card.item(r, 1).text()
            for r in range(self.card.rowCount())
        }

    def card_labels(self) -> list[str]:
        """The indicator names shown in the card, in the UI language."""
        return [self.card.item(r, 0).text() for r in range(self.card.rowCount())]

    def export_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export indicators"), "indicators.csv", "CSV (*.csv)"
        )
        if name:
            self.export_csv(Path(name))

    def export_csv(self, path: Path) -> bool:
        """Write the comparison table as UTF-8 CSV with a BOM (Excel reads Korean text)."""
        frame = self.controller.results
        try:
            out = frame.reset_index(names="site_id")[["rank", "name", "site_id", *COLUMNS]]
            out.to_csv(path, index=False, encoding="utf-8-sig")
        except OSError as err:
            QMessageBox.warning(
                self,
                tr("Cannot export"),
                tr("Cannot write {path}: {reason}", path=path, reason=err.strerror),
            )
            return False
        return True
