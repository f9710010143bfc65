"""The indicators panel: a dock widget with the selected site's card, the comparison
table, the score chart and the catchment radius and score weights.

It composes :class:`~app.ui.indicators.card.SiteCard`,
:class:`~app.ui.indicators.table.ComparisonPage` and
:class:`~app.ui.indicators.chart.ScoreChart` in tabs, owns the radius and weight controls,
and keeps every part current from the :class:`IndicatorsController` results.

The radius and weight boxes apply a value when the edit is committed (Enter, focus out,
the arrows or wheel, a short typing pause; :mod:`app.ui.spin_commit`). A weight change is
an undo step (:class:`~app.ui.project.settings_commands.SetWeightCommand`); the radius
box is wired by the window's Sites toolbar, which owns that setting.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.indicators.preview import SitePreview
from app.core.indicators.score import CRITERIA, REFERENCE_OF, References, Weights, score_breakdown
from app.ui.i18n import tr
from app.ui.indicators.card import SiteCard
from app.ui.indicators.chart import ChartPage
from app.ui.indicators.controller import IndicatorsController
from app.ui.indicators.table import ComparisonPage
from app.ui.project.settings_commands import SetWeightCommand
from app.ui.spin_commit import CommitOnPause


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
        self.radius_commit = CommitOnPause(self.radius)
        self.weights_form = form
        form.addRow("Radius R", self.radius)
        self.weight_spins: dict[str, QSpinBox] = {}
        for criterion in CRITERIA:
            spin = QSpinBox(self.weights_box)
            spin.setObjectName(f"weight_{criterion.key}")
            spin.setRange(0, 100)
            spin.setValue(round(getattr(controller.weights, criterion.key) * 100))
            spin.setSuffix(" %")
            CommitOnPause(spin)
            spin.valueChanged.connect(
                lambda value, c=criterion: self.set_weight(c.key, c.label, value)
            )
            form.addRow(criterion.label, spin)
            self.weight_spins[criterion.key] = spin

        # The parts' widgets stay reachable as the panel's own (tests, the window).
        self.site_card = SiteCard(lambda: self.controller.weights, self)
        self.title = self.site_card.title
        self.card = self.site_card.card
        self.breakdown = self.site_card.breakdown
        self.breakdown_label = self.site_card.breakdown_label
        self.comparison = ComparisonPage(lambda: self.controller.results, self)
        self.table_model = self.comparison.table_model
        self.table = self.comparison.table

        self.chart_page = ChartPage(self)
        self.chart = self.chart_page.chart
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.site_card, "")
        self.tabs.addTab(self.comparison, "")
        self.tabs.addTab(self.chart_page, "")
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
        self.retranslate()

    def retranslate(self) -> None:
        """Every label, header, tooltip and the card in the current UI language."""
        self.weights_box.setTitle(tr("Catchment and score weights"))
        self.radius.setToolTip(
            tr(
                "Project catchment radius R (docs/indicators.md: default 800 m, "
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
        for index, text in enumerate(("Site", "Compare", "Chart", "Weights")):
            self.tabs.setTabText(index, tr(text))
        self.weights_note.setText(
            tr(
                "Each criterion is mapped to a 0–1 value by the transform in its tooltip (0.5 at "
                "the reference value). Its points are 100 × its weight share × that value, the "
                "weight share being its weight divided by the sum of the weights of the criteria "
                "used; the points add up to the score (0–100). A criterion unknown for a site of "
                "the ranking is left out of every score, with a note. Sites whose zoning does not "
                "permit the centre, and partial sites, rank below the others. Weights are saved "
                "with the project."
            )
        )
        self.comparison.retranslate()
        self.chart_page.update_note()
        self.chart.update()
        self.site_card.retranslate()

    # -- behaviour -----------------------------------------------------------------------
    def set_weight(self, key: str, label: str, percent: int) -> bool:
        """Give criterion ``key`` the weight ``percent`` %, as one undo step.

        The other weights keep their values. False when nothing changes.
        """
        before = self.controller.weights
        after = replace(before, **{key: percent / 100.0})
        if after == before:
            return False
        self.editing.undo_stack.push(
            SetWeightCommand(self.apply_weights, key, label, before, after)
        )
        return True

    def apply_weights(self, weights: Weights) -> None:
        """Score with ``weights`` and show them (the undo commands call this)."""
        self.set_weights(weights)
        self.controller.set_weights(weights)

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
        self.chart_page.set_data(frame, breakdown)
        if not self.showing_preview:
            row = self.controller.row(self.editing.selected)
            self.show_card(None if row is None else frame.loc[[self.editing.selected]])

    def _on_preview(self, frame) -> None:
        self.showing_preview = frame is not None
        if frame is None:
            self.refresh()
        else:
            self.show_card(frame, live=True)

    def show_card(self, frame: pd.DataFrame | SitePreview | None, live: bool = False) -> None:
        """Fill the card with the one-row ``frame`` or a live preview (None: empty card)."""
        self.site_card.show_site(frame, live)

    def card_values(self) -> dict[str, str]:
        """Indicator column name (docs/indicators.md) → shown value text (tests, copy)."""
        return self.site_card.values()

    def card_labels(self) -> list[str]:
        """The indicator names shown in the card, in the UI language."""
        return self.site_card.labels()

    def export_csv(self, path: Path) -> bool:
        """Write the comparison table as UTF-8 CSV with a BOM (Excel reads Korean text)."""
        return self.comparison.export_csv(path)
