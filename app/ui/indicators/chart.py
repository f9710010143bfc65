"""The score chart: each site's score as a bar stacked from its criterion points.

:class:`ScoreChart` is the indicators panel's "Chart" tab. Sites are drawn by rank, each
criterion in its colour (:data:`CRITERION_COLOURS`), on a grid scaled to the best score,
the axis titled ("Score points (of 100)") and a legend of the criteria below; hovering
a segment names the site, the criterion and its points. App-made site names ("Site 3")
are in the UI language. A partial site's name carries "◐". :class:`ChartPage` puts the chart above
the note the card shows: the criteria left out of every score, and why.
"""

from __future__ import annotations

import math

import pandas as pd
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from app.core.indicators.format import blocked, is_missing
from app.core.indicators.score import BASIS, CRITERIA, left_out_notes
from app.core.sites.names import display_name
from app.ui.i18n import language, tr
from app.ui.indicators.card import LEFT_OUT, NOT_PERMITTED
from app.ui.indicators.coverage_marks import PARTIAL_MARK, is_partial, partial_text

CRITERION_COLOURS = {
    "startups": "#4e79a7",
    "diversity": "#b07aa1",
    "education": "#5e3c99",
    "transit": "#1d1d1d",
    "floor_area": "#f28e2b",
}


class ScoreChart(QWidget):
    """Horizontal stacked bars: each site's score split into criterion points, by rank."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("scoreChart")
        self.setMinimumHeight(160)
        self.breakdown = pd.DataFrame()
        self.frame = pd.DataFrame()
        self.bars: list[tuple[QRectF, str]] = []  # painted segments and their tooltips
        self.axis_title: tuple[QRectF, str] | None = None  # where the axis title went

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
        shown = {site: display_name(str(name), language()) for site, name in order["name"].items()}
        names = [
            f"#{int(row['rank'])} {shown[site]}" + (f" {PARTIAL_MARK}" if is_partial(row) else "")
            for site, row in order.iterrows()
        ]
        # Names as wide as they are (up to 40 % of the width), the bars take the rest.
        label_w = min(
            max(metrics.horizontalAdvance(n) for n in names) + 2 * margin, int(self.width() * 0.4)
        )
        score_w = metrics.horizontalAdvance("100") + gap + margin
        scores = order["score"].dropna()
        top = self.axis_max(float(scores.max()) if len(scores) else 100.0)
        scale = max(self.width() - label_w - score_w, 20) / top
        bar_h = max(10.0, min(26.0, (self.height() - 88) / max(len(order), 1) - 4))
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
                partial = partial_text(row)
                self.bars.append(
                    (
                        rect,
                        f"{shown[site_id]}: {tr(part['label'])} {points:.1f}"
                        + (f"\n{partial}" if partial else ""),
                    )
                )
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
        y += 16
        # the axis says what the numbers are
        title = tr("Score points (of 100)")
        title_rect = QRectF(
            float(label_w), y, max(self.width() - label_w - margin, 20.0), metrics.height() + 2
        )
        painter.setPen(QColor("#555555"))
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignCenter), title)
        title_w = float(metrics.horizontalAdvance(title))
        centre = title_rect.center().x()
        self.axis_title = (
            QRectF(centre - title_w / 2, y, title_w, float(metrics.height())),
            title,
        )
        y += metrics.height() + 4
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


class ChartPage(QWidget):
    """The "Chart" tab: the score chart and, under it, what the scores leave out."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.chart = ScoreChart(self)
        self.note = QLabel("", self)
        self.note.setObjectName("chartScoreNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {LEFT_OUT.name()}")
        self.note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note)

    def set_data(self, frame: pd.DataFrame, breakdown: pd.DataFrame) -> None:
        """Chart ``frame``'s scores split by ``breakdown``; show its left-out note."""
        self.chart.set_data(frame, breakdown)
        self.update_note()

    def update_note(self) -> None:
        """The criteria left out of every score of the charted ranking (or hidden)."""
        notes = left_out_notes(
            self.chart.frame.attrs.get(BASIS),
            language(),
            name=lambda site: display_name(site, language()),
        )
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))
