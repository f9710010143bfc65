"""Analysis → Pairwise weights (AHP): compare the criteria two at a time, see the derived
weights and the consistency ratio, and apply the weights as one undo step.

The matrix is edited above the diagonal (Saaty's scale: 1 equal … 9 extreme; "1/3" or
0.333 for the other way round); the cells below it show the reciprocals. It starts from
the ratios of the current weights (a consistent matrix). Apply is disabled while the
consistency ratio is above 0.1 or a cell is not a number > 0, and a line says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.core.decisions import DecisionError
from app.core.decisions.ahp import CR_LIMIT, AhpResult, ahp_weights
from app.core.indicators.score import CRITERIA, Weights
from app.ui.decisions.commands import ApplyWeightsCommand
from app.ui.i18n import tr

READ_ONLY = QColor("#f0f0f0")
WARNING = "#b00020"


def parse_judgement(text: str) -> float:
    """``"3"``, ``"0.5"`` or ``"1/3"`` → a number; NaN when it is none."""
    text = text.strip().replace(",", ".")
    try:
        if "/" in text:
            top, bottom = text.split("/", 1)
            return float(top) / float(bottom)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return math.nan


def judgement_text(value: float) -> str:
    """A judgement as typed: ``"3"``, ``"1/3"`` for reciprocals of whole numbers, else 3
    significant digits."""
    if value >= 1 and abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    if 0 < value < 1 and abs(1 / value - round(1 / value)) < 1e-9:
        return f"1/{int(round(1 / value))}"
    return f"{value:.3g}"


class AhpDialog(QDialog):
    """The pairwise matrix editor.

    Parameters
    ----------
    weights : Weights
        The current weights (the matrix starts from their ratios).
    apply : callable
        ``apply(weights)`` sets the project's weights (the undo command calls it).
    undo_stack : QUndoStack
        Where Apply pushes its :class:`ApplyWeightsCommand`.
    """

    def __init__(self, weights: Weights, apply: Callable[[Weights], None], undo_stack, parent=None):
        super().__init__(parent)
        self.setObjectName("ahpDialog")
        self.setWindowTitle(tr("Pairwise weights (AHP)"))
        self.before, self.apply_weights, self.undo_stack = weights, apply, undo_stack
        self.keys = [c.key for c in CRITERIA]
        n = len(self.keys)
        self.intro = QLabel(
            tr(
                "How much more important is the row's criterion than the column's? "
                "1 equal, 3 moderately, 5 strongly, 7 very strongly, 9 extremely; "
                "1/3 … 1/9 the other way round. Edit the cells above the diagonal."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(n, n, self)
        self.table.setObjectName("ahpMatrix")
        labels = [tr(c.label) for c in CRITERIA]
        self.table.setHorizontalHeaderLabels(labels)
        self.table.setVerticalHeaderLabels(labels)
        w = np.array([getattr(weights, key) for key in self.keys], dtype=float)
        start = w[:, None] / w[None, :] if (w > 0).all() else np.ones((n, n))
        start = np.clip(start, 1 / 9, 9)
        self._filling = True
        for i in range(n):
            for j in range(n):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i < j:
                    item.setText(judgement_text(float(start[i, j])))
                else:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setBackground(READ_ONLY)
                self.table.setItem(i, j, item)
        self._filling = False
        self.table.itemChanged.connect(self._changed)
        self.weights_label = QLabel("", self)
        self.weights_label.setObjectName("ahpWeights")
        self.consistency = QLabel("", self)
        self.consistency.setObjectName("ahpConsistency")
        self.consistency.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setObjectName("ahpApply")
        self.apply_button.setText(tr("Apply weights"))
        self.apply_button.clicked.connect(self.apply)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.weights_label)
        layout.addWidget(self.consistency)
        layout.addWidget(buttons)
        self.result: AhpResult | None = None
        self._changed()
        self.table.resizeColumnsToContents()
        self.resize(760, 420)

    def matrix(self) -> np.ndarray:
        """The full matrix: the typed judgements above the diagonal, reciprocals below."""
        n = len(self.keys)
        a = np.ones((n, n))
        for i in range(n):
            for j in range(i + 1, n):
                value = parse_judgement(self.table.item(i, j).text())
                a[i, j] = value
                a[j, i] = 1.0 / value if value and math.isfinite(value) else math.nan
        return a

    def _changed(self, _item=None) -> None:
        if self._filling:
            return
        a = self.matrix()
        self._filling = True
        for i in range(len(self.keys)):
            for j in range(i):
                self.table.item(i, j).setText(
                    "—" if not math.isfinite(a[i, j]) else judgement_text(float(a[i, j]))
                )
            self.table.item(i, i).setText("1")
        self._filling = False
        bad = [
            (i, j)
            for i in range(len(self.keys))
            for j in range(i + 1, len(self.keys))
            if not (math.isfinite(a[i, j]) and a[i, j] > 0)
        ]
        try:
            if bad:
                i, j = bad[0]
                raise DecisionError(
                    tr(
                        "{row} vs {column}: type a number > 0, e.g. 3 or 1/3",
                        row=tr(CRITERIA[i].label),
                        column=tr(CRITERIA[j].label),
                    )
                )
            self.result = ahp_weights(a)
        except DecisionError as err:
            self.result = None
            self.weights_label.setText("")
            self.consistency.setText(str(err))
            self.consistency.setStyleSheet(f"color: {WARNING}")
            self.apply_button.setEnabled(False)
            return
        self.weights_label.setText(
            tr("Weights:")
            + " "
            + " · ".join(
                f"{tr(c.label)} {w * 100:.1f} %"
                for c, w in zip(CRITERIA, self.result.weights, strict=True)
            )
        )
        text = tr(
            "Consistency ratio CR = {cr} (λmax = {lam})",
            cr=f"{self.result.cr:.3f}",
            lam=f"{self.result.lambda_max:.3f}",
        )
        if self.result.consistent:
            self.consistency.setStyleSheet("")
            self.consistency.setText(text + " — " + tr("consistent enough (≤ 0.10)"))
        else:
            self.consistency.setStyleSheet(f"color: {WARNING}")
            self.consistency.setText(
                text
                + " — "
                + tr(
                    "above {limit}: the judgements contradict each other; revise them "
                    "before applying",
                    limit=f"{CR_LIMIT:.2f}",
                )
            )
        self.apply_button.setEnabled(self.result.consistent)

    def weights(self) -> Weights | None:
        """The derived weights (3 decimals), None when the matrix is bad or inconsistent."""
        if self.result is None or not self.result.consistent:
            return None
        values = np.round(self.result.weights, 3)
        return Weights(**{key: float(v) for key, v in zip(self.keys, values, strict=True)})

    def apply(self) -> bool:
        """Set the derived weights as one undo step and close; False when not possible."""
        after = self.weights()
        if after is None:
            return False
        if after != self.before:
            self.undo_stack.push(ApplyWeightsCommand(self.apply_weights, self.before, after))
        self.accept()
        return True
