"""The Compare view: two or three scenarios side by side.

One map per scenario (a :class:`~app.ui.canvas.map_canvas.MapCanvas` over the project's
layers with that scenario's sites, catchments and rank badges); panning or zooming one
map moves the others to the same centre and scale. Below, the key figures of each
scenario (:mod:`app.core.project.scenario_kpis`) with the difference to the first one.
The view is a window of its own: in presentation mode it opens full screen. Export PDF…
writes the same comparison on one page (:mod:`app.ui.scenarios.compare_pdf`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InnoAtlasError
from app.core.network.catchment import catchment_label
from app.core.project.scenario_kpis import KpiContext
from app.core.project.scenario_report import Comparison, catchment_text, comparison
from app.ui import i18n
from app.ui.canvas.map_canvas import MapCanvas
from app.ui.canvas.render.decorations import (
    attribution_text,
    paint_north_arrow,
    paint_scale_bar,
)
from app.ui.canvas.render.labels import Badge
from app.ui.canvas.render.map_renderer import MapRenderer
from app.ui.canvas.render.sites_painter import paint_sites, site_badges
from app.ui.i18n import tr
from app.ui.scenarios.kpi_table import fill_kpi_table
from app.ui.scenarios.maps import ScenarioMapData, scenario_map_data

#: Most scenarios shown side by side.
MOST = 3


class CompareRenderer(MapRenderer):
    """The canvas renderer without the attribution (the view shows it once, below the
    maps): scale bar and north arrow only."""

    def render_decorations(self, painter, viewport, scale=1.0, language="en", top=0.0) -> None:
        paint_scale_bar(painter, viewport, scale)
        paint_north_arrow(painter, viewport, scale)


class ScenarioOverlay:
    """Catchments and rank badges of one scenario's sites on its map (as on the main map)."""

    def __init__(self, data: ScenarioMapData) -> None:
        self.data = data

    def label_marks(self) -> list[Badge]:
        return site_badges(self.data.stack.get("sites"), self.data.indicators)

    def paint(self, painter, viewport) -> None:
        paint_sites(painter, viewport, self.data.stack.get("sites"), self.data.radius_m)


class CompareDialog(QDialog):
    """The Compare view of a main window's scenarios.

    Parameters
    ----------
    control : ScenarioControl
        The window's scenarios.
    """

    def __init__(self, control) -> None:
        super().__init__(control.window)
        self.setObjectName("compareDialog")
        self.control = control
        self.window_ = control.window
        self.maps: list[MapCanvas] = []
        self.map_data: list[ScenarioMapData] = []
        self.result: Comparison | None = None
        self.context: KpiContext | None = None
        self._linking = False
        self.pickers = [QComboBox(self) for _ in range(MOST)]
        for number, picker in enumerate(self.pickers):
            picker.setObjectName(f"comparePicker{number + 1}")
            picker.activated.connect(lambda _i: self.refresh())
        self.picker_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.picker_label)
        for picker in self.pickers:
            top.addWidget(picker)
        top.addStretch(1)
        self.map_row = QWidget(self)
        self.map_layout = QHBoxLayout(self.map_row)
        self.map_layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(self)
        self.table.setObjectName("compareTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.note = QLabel(self)
        self.note.setObjectName("compareNote")
        self.note.setWordWrap(True)
        self.pdf_button = QPushButton(self)
        self.pdf_button.setObjectName("comparePdfButton")
        self.pdf_button.clicked.connect(self.export_pdf_dialog)
        self.close_button = QPushButton(self)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.pdf_button)
        bottom.addWidget(self.close_button)
        self.sources = QLabel(self)
        self.sources.setWordWrap(True)
        self.sources.setStyleSheet("color: #666; font-size: 8pt;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.map_row, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.sources)
        layout.addLayout(bottom)
        self.resize(1200, 760)
        self.fill_pickers()
        self.retranslate()
        i18n.notifier.languageChanged.connect(self.retranslate)
        control.changed.connect(self.on_scenarios_changed)
        self.window_.stack.layer_changed.connect(self._on_layer_changed)

    # -- choosing ------------------------------------------------------------------------
    def fill_pickers(self, chosen: list[str] | None = None) -> None:
        """List the scenarios in the pickers: the first two (or ``chosen``) picked, the
        third "(none)" unless there are three or chosen."""
        names = self.control.scenarios.names()
        if chosen is None:
            chosen = names[:2] if len(names) >= 2 else names[:1]
        for number, picker in enumerate(self.pickers):
            picker.blockSignals(True)
            picker.clear()
            if number == MOST - 1 or number >= len(names):
                picker.addItem(tr("(none)"), None)
            for name in names:
                picker.addItem(name, name)
            wanted = chosen[number] if number < len(chosen) else None
            index = picker.findData(wanted) if wanted is not None else 0
            picker.setCurrentIndex(max(0, index))
            picker.blockSignals(False)

    def chosen(self) -> list[str]:
        """The picked scenarios, in order, each once."""
        names: list[str] = []
        for picker in self.pickers:
            name = picker.currentData()
            if name is not None and name not in names:
                names.append(str(name))
        return names

    def choose(self, names: list[str]) -> None:
        """Pick ``names`` (two or three) and compare them."""
        self.fill_pickers(names + [None] * (MOST - len(names)))  # type: ignore[list-item]
        self.refresh()

    def on_scenarios_changed(self) -> None:
        if self.isVisible():
            kept = [n for n in self.chosen() if n in self.control.scenarios.names()]
            self.fill_pickers(kept or None)
            self.refresh()

    def _on_layer_changed(self, layer, what: str) -> None:
        if layer.name == "sites" and what == "data" and self.isVisible():
            self.refresh()

    # -- showing ---------------------------------------------------------------------------
    def show_for_window(self) -> None:
        """Show (full screen over a presentation), compare what is picked."""
        presentation = getattr(self.window_, "presentation", None)
        if presentation is not None and presentation.active:
            self.showFullScreen()
        else:
            self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()

    def refresh(self) -> None:
        """Compute the KPIs of the picked scenarios and show their maps."""
        names = self.chosen()
        scenarios = self.control.sync()
        settings = self.window_.project.settings
        self.result = None
        indicators = self.window_.indicators
        try:
            # the app's engine measures the live catchment: reused for circles only
            self.context = KpiContext.build(
                self.window_.stack,
                indicators.roles,
                settings.extra,
                engine=indicators.engine if indicators.walking is None else None,
            )
            self.result = comparison(
                self.window_.stack,
                scenarios,
                names,
                indicators.roles,
                settings.extra,
                context=self.context,
            )
        except InnoAtlasError as err:
            self.note.setText(tr("Cannot compare: {reason}", reason=str(err)))
            self.note.setStyleSheet("color: #b00020;")
        else:
            caveat = self.window_.caveat_text()
            self.note.setText(caveat)
            self.note.setStyleSheet("color: #8a4b00;")
        fill_kpi_table(self.table, self.result, i18n.language())
        self._build_maps(names)
        self.sources.setText(attribution_text(self.window_.stack, i18n.language()))
        self.pdf_button.setEnabled(self.result is not None)

    def _build_maps(self, names: list[str]) -> None:
        view = self.maps[0].viewport if self.maps else self.window_.canvas.viewport
        centre = (view.center_x, view.center_y, view.resolution)
        self.release()
        scenarios = self.control.scenarios
        for name in names:
            scenario = scenarios.scenarios[scenarios.index_of(name)]
            engine, walking = self._engine_for(scenario.walking_network)
            data = scenario_map_data(self.window_.stack, scenarios, name, engine, walking)
            stack = data.stack
            box = QWidget(self.map_row)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            text = tr("{name} · R {radius} m", name=name, radius=f"{scenario.radius_m:,.0f}")
            if walking is not None:  # which catchment its map and figures use
                text += " · " + catchment_text(catchment_label(walking.name), i18n.language())
            title = QLabel(text, box)
            title.setObjectName("compareMapTitle")
            title.setStyleSheet("font-weight: bold;")
            canvas = MapCanvas(stack, box)
            canvas.renderer = CompareRenderer(stack)
            canvas.renderer.basemap = canvas.basemap
            canvas.setObjectName(f"compareMap{len(self.maps) + 1}")
            canvas.language = i18n.language()
            canvas.overlays.append(ScenarioOverlay(data))
            canvas.home_extent = self.window_.canvas.home_extent
            canvas.extentChanged.connect(lambda c=canvas: self._link(c))
            column.addWidget(title)
            column.addWidget(canvas, 1)
            self.map_layout.addWidget(box, 1)
            self.maps.append(canvas)
            self.map_data.append(data)
        for canvas in self.maps:
            canvas.set_view(*centre)

    def _engine_for(self, network: str | None):
        """The engine (and walking distances) measuring a scenario's catchment, as its
        figures are measured; the app's engine when that cannot be built (the note
        above the table says why)."""
        if self.context is not None:
            try:
                return self.context.engine_for(network)
            except InnoAtlasError:
                pass
        return self.window_.indicators.engine, None

    def _link(self, source: MapCanvas) -> None:
        """Give every other map the centre and scale of ``source``."""
        if self._linking:
            return
        self._linking = True
        try:
            v = source.viewport
            for canvas in self.maps:
                if canvas is not source:
                    canvas.set_view(v.center_x, v.center_y, v.resolution)
        finally:
            self._linking = False

    def release(self) -> None:
        """Take the maps down (the shared layers forget their stacks)."""
        for data in self.map_data:
            data.release()
        while self.map_layout.count():
            item = self.map_layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.maps, self.map_data = [], []

    # -- PDF ---------------------------------------------------------------------------------
    def export_pdf_dialog(self) -> bool:
        from pathlib import Path

        name, _ = QFileDialog.getSaveFileName(
            self, tr("Export comparison as PDF"), str(Path.home() / "comparison.pdf"), "PDF (*.pdf)"
        )
        return bool(name) and self.export_pdf(Path(name))

    def export_pdf(self, path) -> bool:
        """Write the comparison (maps and key figures) as one A4 landscape PDF page."""
        from app.ui.layers.add_layer import show_message
        from app.ui.scenarios.compare_pdf import render_comparison_pdf

        if self.result is None or not self.maps:
            return False
        bounds = self.maps[0].viewport.extent
        try:
            render_comparison_pdf(
                path,
                self.map_data,
                self.result,
                bounds,
                i18n.language(),
                title=tr("Scenario comparison"),
            )
        except InnoAtlasError as err:
            show_message(self, tr("Cannot export the comparison"), str(err))
            return False
        self.note.setText(tr("Comparison written to {path}", path=str(path)))
        return True

    # -- language --------------------------------------------------------------------------
    def retranslate(self, *_args) -> None:
        self.setWindowTitle(tr("Compare scenarios"))
        self.picker_label.setText(tr("Compare"))
        self.pdf_button.setText(tr("Export PDF…"))
        self.close_button.setText(tr("Close"))
        if self.isVisible():
            self.fill_pickers(self.chosen())
            self.refresh()

    def done(self, result: int) -> None:
        """Closing (Close, Escape, the title bar): stop following the project."""
        try:
            self.window_.stack.layer_changed.disconnect(self._on_layer_changed)
        except ValueError:
            pass
        try:
            self.control.changed.disconnect(self.on_scenarios_changed)
            i18n.notifier.languageChanged.disconnect(self.retranslate)
        except (RuntimeError, TypeError):
            pass
        super().done(result)
