"""Layer properties: what the layer is, where it comes from, and how far to trust it.

A layer that plays a role for the indicators (start-ups, universities, stations, zoning)
also shows its coverage area, which the user may change there
(:mod:`app.ui.layers.coverage_editor`): Apply makes the change one undo step and the
indicators are computed again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n_catalog import translate
from app.core.project.coverage import Coverage
from app.core.project.user_layers import display_text
from app.ui import i18n
from app.ui.layers.coverage_editor import CoverageEditor
from app.ui.layers.symbology import LabelsPage, SymbologyPage, edited_style
from layers.model import Layer
from layers.provenance import DataStatus
from layers.style import LayerStyle

_STATUS_COLOUR = {
    DataStatus.REAL: "#2a7f2a",
    DataStatus.APPROXIMATE: "#b36b00",
    DataStatus.ILLUSTRATIVE: "#b00020",
    DataStatus.SYNTHETIC: "#b00020",
    DataStatus.USER: "#1f5fa8",
}

_STATUS_TEXT = {
    DataStatus.REAL: "Real data from a public source.",
    DataStatus.APPROXIMATE: "Built from real data, but an approximation (read the notes).",
    DataStatus.ILLUSTRATIVE: "ILLUSTRATIVE: hand-made shapes, not real data.",
    DataStatus.SYNTHETIC: "SYNTHETIC: generated data, not real features.",
    DataStatus.USER: "Drawn or imported by the user.",
}


@dataclass
class CoverageSetup:
    """What the properties dialog needs to edit a role layer's coverage area.

    Parameters
    ----------
    districts, dongs : GeoDataFrame or None
        The project's ``districts`` and ``dong`` layers.
    current, default : Coverage
        The layer's coverage now, and its default (where its features fall; the whole
        map for a default layer).
    apply : callable
        ``apply(coverage)`` makes the change (one undo step).
    polygons : bool
        Offer "the layer's own polygons" (a polygon layer).
    project_layer : bool
        A default layer of the project (its default is the whole map).
    """

    districts: gpd.GeoDataFrame | None
    dongs: gpd.GeoDataFrame | None
    current: Coverage
    default: Coverage
    apply: Callable[[Coverage], None]
    polygons: bool = False
    project_layer: bool = False


@dataclass
class LayerEdits:
    """How the properties dialog changes a layer: each call is one undo step.

    Parameters
    ----------
    set_style : callable
        ``set_style(style)`` gives the layer a new style.
    rename : callable
        ``rename(title_en, title_ko)`` changes its display titles.
    """

    set_style: Callable[[LayerStyle], None]
    rename: Callable[[str, str], None]


def layer_properties_html(layer: Layer, language: str = "en", covers: str = "") -> str:
    """The properties page of ``layer`` as HTML (also used by tests); ``covers`` is the
    coverage area of a role layer in words ("" for other layers)."""
    p = layer.provenance
    e = html.escape

    def t(text: str) -> str:
        return translate(text, language)

    def stored(text: str) -> str:  # provenance texts saved in English
        return display_text(text, language)

    data = layer.data
    crs = data.crs.to_string() if data.crs is not None else t("none")
    columns = ", ".join(e(str(c)) for c in data.columns if c != data.geometry.name)
    title = layer.title(language)
    rows = [  # the table name only where it differs from the title
        (t("Layer"), e(title) + (f" <code>{e(layer.name)}</code>" if title != layer.name else "")),
        (
            t("Status"),
            f"<b style='color:{_STATUS_COLOUR[p.status]}'>"
            f"{e(t(p.status.value).upper())}</b> — {e(t(_STATUS_TEXT[p.status]))}",
        ),
        (t("Source"), e(stored(p.source))),
        (t("Licence"), e(stored(p.licence))),
        (t("Vintage"), e(t(p.vintage))),
        (t("Attribution"), e(stored(p.attribution))),
        (t("Notes"), e(p.notes)),
        (t("Features"), f"{len(data):,} ({e(t(layer.geometry_kind))})"),
        ("CRS", e(crs)),
        (t("Columns"), columns),
        (t("Description"), e(stored(layer.description))),
        (t("Covers"), e(covers)),
    ]
    body = "".join(
        f"<tr><th align='left' valign='top'>{k}</th><td>{v}</td></tr>" for k, v in rows if v
    )
    return f"<table cellspacing='6'>{body}</table>"


class LayerPropertiesDialog(QDialog):
    """Provenance and structure of one layer; the coverage area of a role layer.

    Parameters
    ----------
    layer : Layer
    language : str, optional
        The UI language (default: the current one).
    parent : QWidget, optional
    coverage : CoverageSetup, optional
        Given for a layer that plays a role: the dialog then edits its coverage area.
    edits : LayerEdits, optional
        How Apply changes the style and the name (undo steps); without it they are
        set on the layer directly.
    """

    def __init__(
        self,
        layer: Layer,
        language: str | None = None,
        parent: QWidget | None = None,
        coverage: CoverageSetup | None = None,
        edits: LayerEdits | None = None,
    ):
        super().__init__(parent)
        self.edits = edits or LayerEdits(layer.set_style, layer.set_titles)
        language = language or i18n.language()
        self.layer, self.language, self.setup = layer, language, coverage
        self.setObjectName("layerPropertiesDialog")
        self.setWindowTitle(
            translate("Layer properties — {title}", language, title=layer.title(language))
        )
        self.resize(620, 440)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("layerPropertiesText")
        self.browser.setOpenExternalLinks(False)
        self.coverage_editor: CoverageEditor | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.apply_button = None
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("layerPropertiesTabs")
        info = QWidget(self.tabs)
        self.title_en = QLineEdit(layer.title_en, info)
        self.title_en.setObjectName("layerTitleEn")
        self.title_ko = QLineEdit(layer.title_ko, info)
        self.title_ko.setObjectName("layerTitleKo")
        names = QFormLayout()
        names.addRow(translate("Name (English)", language), self.title_en)
        names.addRow(translate("Name (Korean)", language), self.title_ko)
        info_layout = QVBoxLayout(info)
        info_layout.addLayout(names)
        info_layout.addWidget(self.browser, 1)
        self.symbology = SymbologyPage(layer, language, self.tabs)
        self.labels = LabelsPage(layer, language, self.tabs)
        self.tabs.addTab(info, translate("Information", language))
        self.tabs.addTab(self.symbology, translate("Symbology", language))
        self.tabs.addTab(self.labels, translate("Labels", language))
        self.apply_style_button = buttons.addButton(
            translate("Apply", language), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.apply_style_button.setObjectName("applyLayerProperties")
        self.apply_style_button.clicked.connect(self.apply_changes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        if coverage is not None:
            group = QGroupBox(
                translate("Coverage area: where the layer's data speak", language), self
            )
            group.setObjectName("propertiesCoverageGroup")
            editor = CoverageEditor(coverage.districts, coverage.dongs, coverage.polygons, self)
            editor.set_default(coverage.default, project_layer=coverage.project_layer)
            editor.set_coverage(coverage.current)
            QVBoxLayout(group).addWidget(editor)
            info_layout.addWidget(group)
            self.coverage_editor = editor
            self.apply_button = buttons.addButton(
                translate("Apply coverage", language), QDialogButtonBox.ButtonRole.ApplyRole
            )
            self.apply_button.setObjectName("applyCoverage")
            self.apply_button.clicked.connect(self.apply_coverage)
            editor.changed.connect(lambda _c: self._update_apply())
            self._update_apply()
            self.resize(620, 720)
        layout.addWidget(buttons)
        self._show_html()

    def _show_html(self) -> None:
        covers = (
            self.coverage_editor.describe(self.setup.current)
            if self.setup is not None and self.coverage_editor is not None
            else ""
        )
        self.browser.setHtml(layer_properties_html(self.layer, self.language, covers))

    def apply_changes(self) -> bool:
        """Apply the name, the symbology and the labels (each change one undo step);
        False when nothing changed."""
        changed = False
        en, ko = self.title_en.text().strip(), self.title_ko.text().strip()
        if (en, ko) != (self.layer.title_en, self.layer.title_ko) and (en or ko):
            self.edits.rename(en, ko)
            changed = True
        style = edited_style(self.symbology, self.labels)
        if style != self.layer.style:
            self.edits.set_style(style)
            changed = True
        return changed

    def _update_apply(self) -> None:
        if self.apply_button is not None and self.coverage_editor is not None:
            self.apply_button.setEnabled(
                self.setup is not None and self.coverage_editor.coverage() != self.setup.current
            )

    def apply_coverage(self) -> bool:
        """Apply the coverage chosen in the editor (one undo step); False when unchanged."""
        if self.setup is None or self.coverage_editor is None:
            return False
        chosen = self.coverage_editor.coverage()
        if chosen == self.setup.current:
            return False
        self.setup.apply(chosen)
        self.setup.current = chosen
        self._update_apply()
        self._show_html()
        return True

    def show_coverage(self, current: Coverage) -> None:
        """The coverage changed elsewhere (undo, redo): show it."""
        if self.setup is None or self.coverage_editor is None:
            return
        self.setup.current = current
        self.coverage_editor.set_coverage(current)
        self._update_apply()
        self._show_html()
