"""Analysis → Robustness of the ranking: the spread of the drawn weights and references,
the number of draws, each site's P(1st) and rank interval, and what would change the winner.

The Monte Carlo itself runs in the indicators controller with the results
(:func:`app.ui.indicators.controller.robust_columns`; in a worker above
``ROBUST_WORKER_THRESHOLD`` draws × sites, whose progress this dialog shows).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
)

from app.core.decisions.robust import RobustSettings, share_deviation
from app.core.decisions.swap import winner_change, winner_sentences
from app.core.indicators.score import BASIS
from app.core.sites.names import display_name
from app.ui.i18n import language, tr
from app.ui.indicators.robust_cells import robust_text


class RobustnessDialog(QDialog):
    """Settings of the Monte Carlo, its result per site and the winner's sensitivity.

    Parameters
    ----------
    controller : IndicatorsController
        Holds ``robust_settings`` and the results with ``p_first``, ``rank_low``,
        ``rank_high``.
    change : callable, optional
        ``change(settings)`` makes the settings the project's (one undo step); default:
        the controller's ``set_robust_settings``.
    """

    def __init__(self, controller, change=None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("robustnessDialog")
        self.controller = controller
        self.change_settings = change or controller.set_robust_settings
        self.setWindowTitle(tr("Robustness of the ranking"))
        settings = controller.robust_settings
        self.draws = QSpinBox(self)
        self.draws.setObjectName("robustDraws")
        self.draws.setRange(100, 200_000)
        self.draws.setSingleStep(1000)
        self.draws.setValue(settings.draws)
        self.concentration = QDoubleSpinBox(self)
        self.concentration.setObjectName("robustConcentration")
        self.concentration.setRange(1.0, 10_000.0)
        self.concentration.setDecimals(0)
        self.concentration.setValue(settings.concentration)
        self.concentration.setToolTip(
            tr(
                "Dirichlet concentration κ: the drawn weight shares average yours; the larger "
                "κ, the closer they stay to them"
            )
        )
        self.spread_hint = QLabel("", self)
        self.spread_hint.setObjectName("robustSpreadHint")
        self.reference = QDoubleSpinBox(self)
        self.reference.setObjectName("robustReferenceSpread")
        self.reference.setRange(0.0, 2.0)
        self.reference.setSingleStep(0.05)
        self.reference.setDecimals(2)
        self.reference.setValue(settings.reference_spread)
        self.reference.setToolTip(
            tr(
                "σ of a log-normal factor on each reference value (0: references fixed; "
                "0.25: most draws within about ±50 %)"
            )
        )
        self.seed = QSpinBox(self)
        self.seed.setObjectName("robustSeed")
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setValue(settings.seed)
        form = QFormLayout()
        form.addRow(tr("Draws"), self.draws)
        form.addRow(tr("Concentration of the weights (κ)"), self.concentration)
        form.addRow("", self.spread_hint)
        form.addRow(tr("Spread of the reference values (σ)"), self.reference)
        form.addRow(tr("Seed"), self.seed)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("robustProgress")
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel("", self)  # why nothing can be ranked
        self.message.setObjectName("robustMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("robustTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setHorizontalHeaderLabels(
            [tr("Site"), tr("Rank"), tr("P(1st)"), tr("Rank 5–95 %")]
        )
        self.change_title = QLabel("<b>" + tr("What would change the winner") + "</b>", self)
        self.change = QTextBrowser(self)  # selectable, scrolls when long
        self.change.setObjectName("robustWinnerChange")
        self.change.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close, self
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setObjectName("robustApply")
        self.apply_button.setText(tr("Run"))
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.change_title)
        layout.addWidget(self.change, 1)
        layout.addWidget(buttons)
        self.concentration.valueChanged.connect(self._update_hint)
        self._update_hint()
        controller.resultsChanged.connect(self.refresh)
        controller.robustProgress.connect(self._on_progress)
        self.resize(600, 620)

    def show_settings(self) -> None:
        """Show the controller's current settings (the project's) in the fields."""
        settings = self.controller.robust_settings
        self.draws.setValue(settings.draws)
        self.concentration.setValue(settings.concentration)
        self.reference.setValue(settings.reference_spread)
        self.seed.setValue(settings.seed)

    def settings(self) -> RobustSettings:
        """The settings as the dialog shows them."""
        return replace(
            self.controller.robust_settings,
            draws=int(self.draws.value()),
            concentration=float(self.concentration.value()),
            reference_spread=float(self.reference.value()),
            seed=int(self.seed.value()),
        )

    def _update_hint(self) -> None:
        deviation = share_deviation(0.2, float(self.concentration.value())) * 100
        self.spread_hint.setText(
            tr("A 20 % weight varies by about ±{points} points", points=f"{deviation:.1f}")
        )

    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(int(round(fraction * 100)))
        self.progress.setVisible(fraction < 1.0)

    def apply(self) -> None:
        """Run the Monte Carlo with these settings (the map, table and card follow)."""
        self.change_settings(self.settings())

    def refresh(self) -> None:
        """Fill the table and the winner's sentences from the controller's results."""
        frame: pd.DataFrame = self.controller.results
        lang = language()
        names = (
            {site: display_name(str(name), lang) for site, name in zip(frame.index, frame["name"])}
            if len(frame) and "name" in frame
            else {}
        )
        order = frame.sort_values("rank") if len(frame) and "rank" in frame else frame
        self.table.setRowCount(len(order))
        for row, (site, record) in enumerate(order.iterrows()):  # one row per site shown
            cells = [
                names.get(site, str(site)),
                str(int(record["rank"])) if "rank" in record else "—",
                robust_text("p_first", record),
                robust_text("rank_interval", record),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.message.setText(self._problem(frame))
        self.message.setVisible(bool(self.message.text()))
        sentences = winner_sentences(winner_change(frame) if len(frame) >= 2 else None, names, lang)
        self.change.setPlainText("\n".join(f"• {s}" for s in sentences) or "—")

    def _problem(self, frame: pd.DataFrame) -> str:
        """One line when there is nothing to rank: fewer than two sites, all-zero weights."""
        if len(frame) < 2:
            return tr("Add at least two sites to see how sure their ranking is.")
        basis = frame.attrs.get(BASIS)
        if basis is not None and basis.used and basis.entered_total() <= 0:
            return tr("the weights of the criteria used are all 0: set at least one above 0")
        return ""
