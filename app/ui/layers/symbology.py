"""Layer Properties › Symbology and Labels: edit a layer's :class:`~layers.style.LayerStyle`.

The pages edit a working copy; the dialog's Apply makes it the layer's style as one undo
step, and every renderer (canvas, PNG/PDF, web map, QML) then reads it. Classes are
built by :mod:`layers.classify` (unique values; equal interval, quantiles, natural
breaks) and coloured along a ramp; a class's colour (double-click its swatch) and label
(edit its cell) can be changed.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n_catalog import translate
from layers.classify import (
    METHODS,
    RAMPS,
    categorized_style,
    graduated_style,
    single_style,
    with_class,
    with_symbols,
)
from layers.model import Layer
from layers.style import LabelStyle, LayerStyle

KINDS = (("single", "Single symbol"), ("categorized", "Categorized"), ("graduated", "Graduated"))
METHOD_TEXT = {
    "equal": "Equal interval",
    "quantile": "Quantiles",
    "jenks": "Natural breaks (Jenks)",
}
#: Metres per pixel of a 1:1 scale at 96 dpi (a scale N is N × this resolution).
RESOLUTION_PER_SCALE = 0.0254 / 96


def swatch(colour: str | None) -> QIcon:
    """A small square icon of ``colour``."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(colour) if colour else QColor(0, 0, 0, 0))
    return QIcon(pixmap)


class ColourButton(QPushButton):
    """A button showing a colour; a click picks another (``changed(str)``)."""

    changed = Signal(str)

    def __init__(self, colour: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colour = colour
        self.setIcon(swatch(colour))
        self.setText(colour)
        self.clicked.connect(self._pick)

    def set_colour(self, colour: str) -> None:
        self.colour = colour
        self.setIcon(swatch(colour))
        self.setText(colour)

    def _pick(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self)
        if chosen.isValid():
            self.set_colour(chosen.name())
            self.changed.emit(chosen.name())


class SymbologyPage(QWidget):
    """Edits ``style`` (single, categorized, graduated; size, outline, opacity)."""

    def __init__(self, layer: Layer, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("symbologyPage")
        self.layer, self.language = layer, language
        self.style = layer.style

        def t(text: str) -> str:
            return translate(text, language)

        data = layer.data
        columns = [str(c) for c in data.columns if c != data.geometry.name]
        numeric = [
            c for c in columns if pd.api.types.is_numeric_dtype(data[c]) and data[c].dtype != bool
        ]
        self.kind = QComboBox(self)
        self.kind.setObjectName("symbologyKind")
        for kind, text in KINDS:
            self.kind.addItem(t(text), kind)
        if self.style.kind == "rules":
            self.kind.addItem(t("Rule-based (from QGIS)"), "rules")
        self.field = QComboBox(self)
        self.field.setObjectName("symbologyField")
        self._columns, self._numeric = columns, numeric
        self.method = QComboBox(self)
        self.method.setObjectName("symbologyMethod")
        for method in METHODS:
            self.method.addItem(t(METHOD_TEXT[method]), method)
        self.classes = QSpinBox(self)
        self.classes.setObjectName("symbologyClasses")
        self.classes.setRange(2, 12)
        self.classes.setValue(max(2, min(12, len(self.style.ranges) or 5)))
        self.ramp = QComboBox(self)
        self.ramp.setObjectName("symbologyRamp")
        for name in RAMPS:
            self.ramp.addItem(swatch(RAMPS[name][-1]), name, name)
        self.classify = QPushButton(t("Classify"), self)
        self.classify.setObjectName("symbologyClassify")
        self.fill = ColourButton(self.style.symbol.fill or "#888888", self)
        self.fill.setObjectName("symbologyFill")
        self.size = QDoubleSpinBox(self)
        self.size.setObjectName("symbologySize")
        self.size.setRange(1.0, 60.0)
        self.stroke = QDoubleSpinBox(self)
        self.stroke.setObjectName("symbologyStroke")
        self.stroke.setRange(0.0, 12.0)
        self.stroke.setSingleStep(0.5)
        self.stroke_colour = ColourButton(self.style.symbol.stroke or "#333333", self)
        self.stroke_colour.setObjectName("symbologyStrokeColour")
        self.opacity = QSpinBox(self)
        self.opacity.setObjectName("symbologyOpacity")
        self.opacity.setRange(0, 100)
        self.opacity.setSuffix(" %")
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("symbologyClassesTable")
        self.table.setHorizontalHeaderLabels([t("Colour"), t("Value"), t("Label")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        form = QFormLayout()
        form.addRow(t("Style"), self.kind)
        form.addRow(t("Field"), self.field)
        row = QHBoxLayout()
        row.addWidget(self.method, 1)
        row.addWidget(self.classes)
        form.addRow(t("Classes"), row)
        ramp_row = QHBoxLayout()
        ramp_row.addWidget(self.ramp, 1)
        ramp_row.addWidget(self.classify)
        form.addRow(t("Colour ramp"), ramp_row)
        form.addRow(t("Fill"), self.fill)
        form.addRow(t("Point size"), self.size)
        stroke_row = QHBoxLayout()
        stroke_row.addWidget(self.stroke)
        stroke_row.addWidget(self.stroke_colour, 1)
        form.addRow(t("Outline"), stroke_row)
        form.addRow(t("Fill opacity"), self.opacity)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        self._load()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.classify.clicked.connect(self.reclassify)
        self.fill.changed.connect(lambda c: self._set(single_style(self.style, c)))
        self.size.valueChanged.connect(lambda v: self._set(with_symbols(self.style, size=v)))
        self.stroke.valueChanged.connect(
            lambda v: self._set(with_symbols(self.style, stroke_width=v))
        )
        self.stroke_colour.changed.connect(lambda c: self._set(with_symbols(self.style, stroke=c)))
        self.opacity.valueChanged.connect(
            lambda v: self._set(with_symbols(self.style, fill_alpha=v / 100.0))
        )
        self.table.cellDoubleClicked.connect(self._pick_class_colour)
        self.table.itemChanged.connect(self._label_edited)

    # -- state ----------------------------------------------------------------------
    def _load(self) -> None:
        style = self.style
        for box in (self.kind, self.size, self.stroke, self.opacity):
            box.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(style.kind)))
        self.size.setValue(style.symbol.size)
        self.stroke.setValue(style.symbol.stroke_width)
        self.opacity.setValue(round(style.symbol.fill_alpha * 100))
        for box in (self.kind, self.size, self.stroke, self.opacity):
            box.blockSignals(False)
        self._fill_fields()
        self._show_classes()

    def _fill_fields(self) -> None:
        kind = self.kind.currentData()
        names = self._numeric if kind == "graduated" else self._columns
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItems(names)
        if self.style.field in names:
            self.field.setCurrentText(str(self.style.field))
        self.field.blockSignals(False)
        classified = kind in ("categorized", "graduated")
        for widget in (self.field, self.ramp, self.classify):
            widget.setEnabled(classified)
        for widget in (self.method, self.classes):
            widget.setEnabled(kind == "graduated")
        self.fill.setEnabled(kind == "single")

    def _set(self, style: LayerStyle) -> None:
        self.style = style
        self._show_classes()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self._fill_fields()
        if kind == "single":
            self._set(single_style(self.style))
        elif kind != self.style.kind:
            self.reclassify()

    def reclassify(self) -> None:
        """Build the classes from the chosen field, method, count and ramp."""
        kind, field = self.kind.currentData(), self.field.currentText()
        if not field or field not in self.layer.data:
            return
        values = self.layer.data[field]
        ramp = str(self.ramp.currentData())
        if kind == "graduated":
            style = graduated_style(
                self.style, field, values, self.method.currentData(), self.classes.value(), ramp
            )
        else:
            style = categorized_style(self.style, field, values.tolist(), ramp)
        self._set(style)

    def _show_classes(self) -> None:
        self.table.blockSignals(True)
        rows = self.style.classes() if self.style.kind != "single" else []
        values = self._values()
        self.table.setRowCount(len(rows))
        for number, ((label, symbol), value) in enumerate(zip(rows, values)):
            colour = QTableWidgetItem(swatch(symbol.fill or symbol.stroke), "")
            colour.setFlags(colour.flags() & ~Qt.ItemFlag.ItemIsEditable)
            shown = QTableWidgetItem(value)
            shown.setFlags(shown.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(number, 0, colour)
            self.table.setItem(number, 1, shown)
            self.table.setItem(number, 2, QTableWidgetItem(label))
        self.table.resizeColumnToContents(0)
        self.table.blockSignals(False)

    def _values(self) -> list[str]:
        if self.style.kind == "categorized":
            return [str(c.value) for c in self.style.categories]
        if self.style.kind == "graduated":
            return [f"{r.lower:g} – {r.upper:g}" for r in self.style.ranges]
        return [r.expression for r in self.style.rules]

    def _pick_class_colour(self, row: int, column: int) -> None:
        if column != 0:
            return
        current = self.style.classes()[row][1].fill or "#888888"
        chosen = QColorDialog.getColor(QColor(current), self)
        if chosen.isValid():
            self.set_class_colour(row, chosen.name())

    def set_class_colour(self, row: int, colour: str) -> None:
        """Give class ``row`` the fill ``colour``."""
        self._set(with_class(self.style, row, colour=colour))

    def _label_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            self.style = with_class(self.style, item.row(), label=item.text())


class LabelsPage(QWidget):
    """Edits the layer's labels: field, size, colour, halo and the scale they show from."""

    def __init__(self, layer: Layer, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelsPage")

        def t(text: str) -> str:
            return translate(text, language)

        current = layer.style.label
        self._halo = current.halo if current is not None and current.halo else "#ffffff"
        data = layer.data
        self.enabled = QCheckBox(t("Label the features"), self)
        self.enabled.setObjectName("labelsEnabled")
        self.field = QComboBox(self)
        self.field.setObjectName("labelsField")
        self.field.addItems([str(c) for c in data.columns if c != data.geometry.name])
        self.size = QDoubleSpinBox(self)
        self.size.setObjectName("labelsSize")
        self.size.setRange(4.0, 48.0)
        self.size.setSuffix(" pt")
        self.colour = ColourButton(current.color if current else "#222222", self)
        self.colour.setObjectName("labelsColour")
        self.halo = QCheckBox(t("White halo"), self)
        self.halo.setObjectName("labelsHalo")
        self.bold = QCheckBox(t("Bold"), self)
        self.max_scale = QSpinBox(self)
        self.max_scale.setObjectName("labelsMaxScale")
        self.max_scale.setRange(0, 5_000_000)
        self.max_scale.setSingleStep(5000)
        self.max_scale.setPrefix("1 : ")
        self.max_scale.setSpecialValueText(t("always"))
        self.min_scale = QSpinBox(self)  # QGIS's maximum scale (most zoomed in)
        self.min_scale.setObjectName("labelsMinScale")
        self.min_scale.setRange(0, 5_000_000)
        self.min_scale.setSingleStep(500)
        self.min_scale.setPrefix("1 : ")
        self.min_scale.setSpecialValueText(t("never"))
        self.min_scale.setToolTip(
            t("Labels are hidden when the map is zoomed in further than this scale")
        )
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(t("Field"), self.field)
        form.addRow(t("Size"), self.size)
        form.addRow(t("Colour"), self.colour)
        form.addRow(self.halo)
        form.addRow(self.bold)
        form.addRow(t("Show when zoomed in beyond"), self.max_scale)
        form.addRow(t("Hide when zoomed in beyond"), self.min_scale)
        self.enabled.setChecked(current is not None)
        if current is not None:
            self.field.setCurrentText(current.field)
        self.size.setValue(current.size_pt if current else 9.0)
        self.halo.setChecked(current is None or current.halo is not None)
        self.bold.setChecked(bool(current and current.bold))
        if current is not None and current.max_resolution:
            self.max_scale.setValue(round(current.max_resolution / RESOLUTION_PER_SCALE))
        if current is not None and current.min_resolution:
            self.min_scale.setValue(round(current.min_resolution / RESOLUTION_PER_SCALE))

    def label(self) -> LabelStyle | None:
        """The labels as set on the page (None: no labels)."""
        if not self.enabled.isChecked() or not self.field.currentText():
            return None
        scale, closest = self.max_scale.value(), self.min_scale.value()
        if scale and closest and closest > scale:  # entered the other way round
            scale, closest = closest, scale
        return LabelStyle(
            field=self.field.currentText(),
            size_pt=self.size.value(),
            color=self.colour.colour,
            halo=self._halo if self.halo.isChecked() else None,
            bold=self.bold.isChecked(),
            max_resolution=scale * RESOLUTION_PER_SCALE if scale else None,
            min_resolution=closest * RESOLUTION_PER_SCALE if closest else None,
        )


def edited_style(symbology: SymbologyPage, labels: LabelsPage) -> LayerStyle:
    """The style of both pages together."""
    return replace(symbology.style, label=labels.label())


__all__ = ["ColourButton", "LabelsPage", "SymbologyPage", "edited_style"]
