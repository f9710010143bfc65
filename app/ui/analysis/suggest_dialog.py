"""Analysis → Suggest sites: three location models in one dialog.

Most demand covered by k sites (MCLP), the fewest sites covering a share of it (LSCP) or
the k sites with the shortest mean distance (p-median). The solver runs in a worker
thread (progress; Cancel stops it at the next stage — CBC itself stops at its time
limit). A saturated MCLP answer (≥ 99 % covered) says so and offers the other two. The
proposals are drawn on the map with their catchments; "Add as candidate sites" adopts
them in one undoable step, following the project radius unless another R was chosen. The
district, k, model and share are remembered in the project (``extra["suggest"]``, saved
with it) and for the session (QSettings ``suggest/choices``).
"""

from __future__ import annotations

import math

import shapely
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.core.analysis.suggest import MODELS, suggest_sites
from app.core.map.viewport import Viewport
from app.core.project.coverage import suggest_inputs
from app.core.sites import edits as site_ops
from app.ui import worker
from app.ui.analysis.suggest_summary import summary_text
from app.ui.i18n import language, tr
from app.ui.sites.commands import AddSiteCommand

PROPOSAL = QColor("#0a9396")
#: Where the dialog's choices are kept: the project's settings and QSettings.
CHOICES_KEY = "suggest"
SETTINGS_KEY = "suggest/choices"
#: The model choice: (id, English label).
MODEL_LABELS = (
    ("mclp", "Most demand covered by k sites (MCLP)"),
    ("lscp", "Fewest sites covering the demand (LSCP)"),
    ("pmedian", "Shortest mean distance with k sites (p-median)"),
)


def _parse(value) -> dict:
    """The choices kept in QSettings (a JSON object), or {} when absent or damaged."""
    import json

    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


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
        self.names = {
            row["district_id"]: row["name_ko"] if language() == "ko" else row["name_en"]
            for _, row in districts.iterrows()
        }
        self.model = QComboBox(self)
        self.model.setObjectName("suggestModel")
        for key, label in MODEL_LABELS:
            self.model.addItem(tr(label), key)
        self.model.setToolTip(
            tr(
                "MCLP places k sites to cover the most demand within R; LSCP finds the "
                "fewest sites that cover the share asked for; p-median places k sites so "
                "that demand is on average nearest to one"
            )
        )
        self.share = QDoubleSpinBox(self)
        self.share.setObjectName("suggestShare")
        self.share.setRange(1, 100)
        self.share.setDecimals(0)
        self.share.setValue(100)
        self.share.setSuffix(" %")
        self.share.setToolTip(tr("Share of the demand the fewest sites must cover (LSCP)"))
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
        form.addRow(tr("Question"), self.model)
        form.addRow(tr("Centres (k)"), self.k)
        form.addRow(tr("Demand to cover"), self.share)
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
        self.switch_lscp = QPushButton(tr("Fewest sites (LSCP)"), self)
        self.switch_lscp.setObjectName("suggestSwitchLscp")
        self.switch_lscp.clicked.connect(lambda: self.switch_to("lscp"))
        self.switch_pmedian = QPushButton(tr("Shortest mean distance (p-median)"), self)
        self.switch_pmedian.setObjectName("suggestSwitchPmedian")
        self.switch_pmedian.clicked.connect(lambda: self.switch_to("pmedian"))
        switches = QHBoxLayout()
        switches.addWidget(self.switch_lscp)
        switches.addWidget(self.switch_pmedian)
        switches.addStretch(1)
        self.switch_lscp.hide()
        self.switch_pmedian.hide()
        self.rank_note = QLabel(
            tr(
                "A suggestion maximises covered demand (or minimises sites or distance); "
                "the score weighs more criteria, so a suggested site can rank below a "
                "drawn one."
            ),
            self,
        )
        self.rank_note.setObjectName("suggestRankNote")
        self.rank_note.setWordWrap(True)
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("suggestTable")
        self.table.setHorizontalHeaderLabels(
            [
                "",
                tr("Zone"),
                tr("Covers alone"),
                tr("Adds"),
                tr("Only this one"),
                tr("Nearest site for"),
                tr("Mean distance"),
                tr("Lat, lon"),
            ]
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
        layout.addLayout(switches)
        layout.addWidget(self.rank_note)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.model.currentIndexChanged.connect(self._model_changed)
        self._restore_choices()
        self._model_changed()

    # -- choices --------------------------------------------------------------------------
    def _model_changed(self, *_args) -> None:
        lscp = self.model.currentData() == "lscp"
        self.k.setEnabled(not lscp)
        self.share.setEnabled(lscp)

    def choices(self) -> dict:
        """The district, k, model and share (0–1) chosen now."""
        return {
            "district": self.district.currentData(),
            "k": self.k.value(),
            "model": self.model.currentData(),
            "share": round(self.share.value() / 100.0, 4),
        }

    def _restore_choices(self) -> None:
        """The project's last choices, else the session's (QSettings), else the defaults."""
        saved = self.window_.project.settings.extra.get(CHOICES_KEY)
        if not isinstance(saved, dict):
            value = QSettings().value(SETTINGS_KEY, None)
            saved = _parse(value)
        if not saved:
            return
        index = self.district.findData(saved.get("district"))
        if index >= 0:
            self.district.setCurrentIndex(index)
        if isinstance(saved.get("k"), (int, float)):
            self.k.setValue(int(saved["k"]))
        if saved.get("model") in MODELS:
            self.model.setCurrentIndex(self.model.findData(saved["model"]))
        if isinstance(saved.get("share"), (int, float)) and 0 < saved["share"] <= 1:
            self.share.setValue(saved["share"] * 100.0)

    def _remember_choices(self) -> None:
        """Keep the choices in the project (saved with it) and for the session."""
        import json

        choices = self.choices()
        self.window_.project.settings.extra[CHOICES_KEY] = choices
        QSettings().setValue(SETTINGS_KEY, json.dumps(choices))

    def switch_to(self, model: str) -> None:
        """Ask the other question (LSCP or p-median) about the same district and R."""
        self.model.setCurrentIndex(self.model.findData(model))
        self.run()

    # -- run ----------------------------------------------------------------------------
    def run(self) -> None:
        """Solve in a worker; the dialog stays responsive (Close cancels)."""
        stack, window = self.window_.stack, self.window_
        district = self.district.currentData()
        window.zoom_to_district(district)
        self._remember_choices()
        model = self.model.currentData()
        sites = stack.get("sites").data
        fixed = sites if self.fixed.isChecked() and len(sites) else None
        self.task = worker.Task(
            suggest_sites,
            district,
            window.role_layer("startups").data,
            window.role_layer("zoning").data,
            k=None if model == "lscp" else self.k.value(),
            model=model,
            share=self.share.value() / 100.0,
            radius=self.radius.value(),
            spacing=self.spacing.value(),
            weight="employees" if self.employees.isChecked() else None,
            fixed=fixed,
            rules=window.indicators.rules,
            time_limit=self.time_limit.value(),
            districts=stack.get("districts").data,
            pairs_within=window.walking.pairs_within(),  # walking coverage with a network
            **suggest_inputs(stack, window.roles, window.project.settings.extra, language()),
        )
        self.task.on(
            progress=lambda f, m: (
                self.progress.setValue(int(f * 100)),
                # the stages are in the catalog; the outcome is the summary's (translated)
                self.progress.setFormat(f"{tr(m)} %p%" if f < 1.0 else "%p%"),
            ),
            finished=self._done,
            failed=self._failed,
            cancelled=lambda: self._idle(tr("Cancelled.")),
        )
        self.run_button.setEnabled(False)
        self.adopt_button.setEnabled(False)
        self.switch_lscp.hide()
        self.switch_pmedian.hide()
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
        self.progress.setFormat("%p%")  # the summary says the outcome, in the UI language
        self._idle(self._summary_text(self.suggestion))
        self.progress.setValue(100)
        self.adopt_button.setEnabled(bool(self.suggestion.sites))
        self.switch_lscp.setVisible(suggestion.saturated)
        self.switch_pmedian.setVisible(suggestion.saturated)
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
                f"{site.assigned_demand:,.0f}",
                f"{site.mean_distance_m:,.0f} m",
                f"{site.lat:.5f}, {site.lon:.5f}",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _summary_text(self, s) -> str:
        return summary_text(s, self.names.get(s.district, s.district_name or s.district))

    # -- adopt --------------------------------------------------------------------------
    def adopt(self) -> int:
        """Add the proposals as candidate sites in one undo step; returns how many."""
        if self.suggestion is None or not self.suggestion.sites:
            return 0
        window = self.window_
        layer = window.stack.get("sites")
        stack = window.undo_stack
        stack.beginMacro(tr("Add {n} suggested site(s)", n=len(self.suggestion.sites)))
        s = self.suggestion
        district = self.names.get(s.district, s.district_name or s.district)
        # the project radius, unless another R was chosen here: then the sites keep it
        own = None if s.radius_m == window.editing.radius_m else s.radius_m
        model = dict(MODEL_LABELS)[s.model]
        for site in s.sites:
            name = tr("Suggested {district} {rank}", district=district, rank=site.rank)
            notes = (
                f"{model} (R {s.radius_m:g} m, k {s.k}): covers {site.demand_within_r:,.0f} "
                f"alone, adds {site.marginal_demand:,.0f}, nearest site for "
                f"{site.assigned_demand:,.0f}; zone {site.zone_type}; "
                f"{'optimal' if s.optimal else 'not proven optimal'}"
            )
            record = site_ops.make_site(
                shapely.Point(site.x, site.y), name, notes=notes, radius_m=own
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
