"""Analysis → Suggest sites: the maximal covering location problem, in one dialog.

The solver runs in a worker thread (progress; Cancel stops it at the next stage —
CBC itself stops at its time limit). The proposals are drawn on the map with their
catchments; "Add as candidate sites" adopts them in one undoable step.
"""

from __future__ import annotations

import math

import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.core.analysis.suggest import suggest_sites
from app.core.map.viewport import Viewport
from app.core.sites import edits as site_ops
from app.ui import worker
from app.ui.i18n import language, tr
from app.ui.sites.commands import AddSiteCommand

PROPOSAL = QColor("#0a9396")


class SuggestionOverlay:
    """Stars at the proposed points and dashed catchment circles (until closed)."""

    def __init__(self) -> None:
        self.suggestion = None

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        if self.suggestion is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        r = self.suggestion.radius_m / viewport.resolution
        for site in self.suggestion.sites:
            sx, sy = viewport.map_to_screen(site.x, site.y)
            centre = QPointF(float(sx), float(sy))
            fill = QColor(PROPOSAL)
            fill.setAlphaF(0.08)
            painter.setPen(QPen(PROPOSAL, 2, Qt.PenStyle.DashLine))
            painter.setBrush(fill)
            painter.drawEllipse(centre, r, r)
            star = QPolygonF(
                [
                    centre
                    + QPointF(
                        math.sin(a) * (11 if i % 2 == 0 else 5),
                        -math.cos(a) * (11 if i % 2 == 0 else 5),
                    )
                    for i, a in enumerate(math.pi / 5 * n for n in range(10))
                ]
            )
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(PROPOSAL)
            painter.drawPolygon(star)
            painter.setPen(QColor("#053b3c"))
            painter.drawText(centre + QPointF(12, -8), f"S{site.rank}")


class SuggestDialog(QDialog):
    """Choose the district, k, R, spacing and weighting; run; adopt the proposals."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("suggestDialog")
        self.setWindowTitle(tr("Suggest sites (maximal covering)"))
        self.window_ = window
        self.task = None
        self.suggestion = None
        self.overlay = SuggestionOverlay()
        window.canvas.overlays.append(self.overlay)

        self.district = QComboBox(self)
        self.district.setObjectName("suggestDistrict")
        districts = window.stack.get("districts").data
        for _, row in districts.iterrows():
            first, second = (
                (row["name_ko"], row["name_en"])
                if language() == "ko"
                else (row["name_en"], row["name_ko"])
            )
            self.district.addItem(f"{first} · {second}", row["district_id"])
        self.k = QSpinBox(self)
        self.k.setObjectName("suggestK")
        self.k.setRange(1, 50)
        self.k.setToolTip(tr("Number of new centres to place"))
        self.radius = QDoubleSpinBox(self)
        self.radius.setRange(0, 10_000)
        self.radius.setDecimals(0)
        self.radius.setSingleStep(50)
        self.radius.setSuffix(" m")
        self.radius.setValue(window.editing.radius_m)
        self.radius.setToolTip(tr("A start-up is covered when it lies within R of a centre"))
        self.spacing = QDoubleSpinBox(self)
        self.spacing.setRange(10, 1000)
        self.spacing.setDecimals(0)
        self.spacing.setValue(100)
        self.spacing.setSuffix(" m")
        self.spacing.setToolTip(
            tr(
                "Candidate grid spacing inside the district (only where the "
                "zoning permits the centre and outside the greenbelt)"
            )
        )
        self.employees = QCheckBox(tr("Weight demand by employees"), self)
        self.fixed = QCheckBox(tr("Keep existing candidate sites as fixed centres"), self)
        self.fixed.setToolTip(
            tr(
                "Start-ups they already cover count as covered; the new "
                "centres go where they add most"
            )
        )
        self.time_limit = QDoubleSpinBox(self)
        self.time_limit.setRange(1, 600)
        self.time_limit.setValue(10)
        self.time_limit.setSuffix(" s")
        self.time_limit.setToolTip(tr("The exact solver stops here and reports its bound"))
        form = QFormLayout()
        form.addRow(tr("District"), self.district)
        form.addRow(tr("Centres (k)"), self.k)
        form.addRow(tr("Catchment radius R"), self.radius)
        form.addRow(tr("Grid spacing"), self.spacing)
        form.addRow("", self.employees)
        form.addRow("", self.fixed)
        form.addRow(tr("Solver time limit"), self.time_limit)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.summary = QLabel("", self)
        self.summary.setObjectName("suggestSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("suggestTable")
        self.table.setHorizontalHeaderLabels(
            ["", tr("Zone"), tr("Covers alone"), tr("Adds"), tr("Only this one"), tr("Lat, lon")]
        )
        self.table.verticalHeader().setVisible(False)
        self.run_button = QPushButton(tr("Suggest"), self)
        self.run_button.setObjectName("suggestRun")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.adopt_button = QPushButton(tr("Add as candidate sites"), self)
        self.adopt_button.setObjectName("suggestAdopt")
        self.adopt_button.setEnabled(False)
        self.adopt_button.clicked.connect(self.adopt)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.adopt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    # -- run ----------------------------------------------------------------------------
    def run(self) -> None:
        """Solve in a worker; the dialog stays responsive (Close cancels)."""
        stack, window = self.window_.stack, self.window_
        district = self.district.currentData()
        window.zoom_to_district(district)
        sites = stack.get("sites").data
        fixed = sites if self.fixed.isChecked() and len(sites) else None
        self.task = worker.Task(
            suggest_sites,
            district,
            window.role_layer("startups").data,
            window.role_layer("zoning").data,
            k=self.k.value(),
            radius=self.radius.value(),
            spacing=self.spacing.value(),
            weight="employees" if self.employees.isChecked() else None,
            fixed=fixed,
            rules=window.indicators.rules,
            time_limit=self.time_limit.value(),
            districts=stack.get("districts").data,
        )
        self.task.on(
            progress=lambda f, m: (
                self.progress.setValue(int(f * 100)),
                self.progress.setFormat(f"{m} %p%"),
            ),
            finished=self._done,
            failed=self._failed,
            cancelled=lambda: self._idle(tr("Cancelled.")),
        )
        self.run_button.setEnabled(False)
        self.adopt_button.setEnabled(False)
        self.summary.setText(tr("Solving…"))
        worker.start(self.task)

    def _idle(self, text: str) -> None:
        self.run_button.setEnabled(True)
        self.summary.setText(text)
        self.progress.setValue(0)

    def _failed(self, message: str, _details: str) -> None:
        self._idle(f"<b style='color:#b00020'>{message}</b>")

    def _done(self, suggestion) -> None:
        self.suggestion = suggestion
        self.overlay.suggestion = self.suggestion
        self.window_.canvas.update()
        self._idle(self._summary_text(self.suggestion))
        self.progress.setValue(100)
        self.adopt_button.setEnabled(bool(self.suggestion.sites))
        self.table.setRowCount(0)
        for site in self.suggestion.sites:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = [
                f"S{site.rank}",
                site.zone_type,
                f"{site.demand_within_r:,.0f}",
                f"{site.marginal_demand:,.0f}",
                f"{site.unique_demand:,.0f}",
                f"{site.lat:.5f}, {site.lon:.5f}",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    @staticmethod
    def _summary_text(s) -> str:
        proof = (
            tr("<b>proven optimal</b> (CBC)")
            if s.optimal
            else tr(
                "<b>not proven optimal</b> ({solver}; the optimum is at most {bound}, gap {gap})",
                solver=s.solver,
                bound=f"{s.bound:,.0f}",
                gap=f"{s.gap:.1%}",
            )
        )
        fixed = (
            tr(", {demand} already by the fixed sites", demand=f"{s.fixed_covered_demand:,.0f}")
            if s.fixed_covered_demand
            else ""
        )
        return tr(
            "{n} centre(s) cover <b>{covered}</b> of {total} demand ({share}){fixed} — "
            "{proof}. {candidates} candidate points on permitted land; solved in "
            "{seconds} s. Each point is explained below: the demand it covers alone, what "
            "it adds to the better-ranked ones, and what only it covers.",
            n=len(s.sites),
            covered=f"{s.covered_demand:,.0f}",
            total=f"{s.total_demand:,.0f}",
            share=f"{s.share:.1%}",
            fixed=fixed,
            proof=proof,
            candidates=f"{s.n_candidates:,}",
            seconds=f"{s.build_seconds + s.solve_seconds:.2f}",
        )

    # -- adopt --------------------------------------------------------------------------
    def adopt(self) -> int:
        """Add the proposals as candidate sites in one undo step; returns how many."""
        if self.suggestion is None or not self.suggestion.sites:
            return 0
        window = self.window_
        layer = window.stack.get("sites")
        stack = window.undo_stack
        stack.beginMacro(tr("Add {n} suggested site(s)", n=len(self.suggestion.sites)))
        for site in self.suggestion.sites:
            name = f"Suggested {self.district.currentData()} {site.rank}"
            notes = (
                f"Suggested by maximal covering (R {self.suggestion.radius_m:g} m, "
                f"k {self.suggestion.k}): covers {site.demand_within_r:,.0f} alone, "
                f"adds {site.marginal_demand:,.0f}; zone {site.zone_type}; "
                f"{'optimal' if self.suggestion.optimal else 'not proven optimal'}"
            )
            record = site_ops.make_site(
                shapely.Point(site.x, site.y), name, notes=notes, radius_m=self.suggestion.radius_m
            )
            stack.push(AddSiteCommand(layer, record))
        stack.endMacro()
        self.adopt_button.setEnabled(False)
        self.summary.setText(
            self.summary.text()
            + "<br>"
            + tr("<b>Added as candidate sites.</b> Undo (Ctrl+Z) removes them in one step.")
        )
        return len(self.suggestion.sites)

    def done(self, result: int) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.overlay in self.window_.canvas.overlays:
            self.window_.canvas.overlays.remove(self.overlay)
        self.window_.canvas.update()
        super().done(result)
