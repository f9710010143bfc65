"""Layer properties: what the layer is, where it comes from, and how far to trust it."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.core.i18n_catalog import translate
from app.core.project.user_layers import display_text
from app.ui import i18n
from layers.model import Layer
from layers.provenance import DataStatus

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


def layer_properties_html(layer: Layer, language: str = "en") -> str:
    """The properties page of ``layer`` as HTML (also used by tests)."""
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
    ]
    body = "".join(
        f"<tr><th align='left' valign='top'>{k}</th><td>{v}</td></tr>" for k, v in rows if v
    )
    return f"<table cellspacing='6'>{body}</table>"


class LayerPropertiesDialog(QDialog):
    """Read-only provenance and structure of one layer."""

    def __init__(self, layer: Layer, language: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        language = language or i18n.language()
        self.setObjectName("layerPropertiesDialog")
        self.setWindowTitle(
            translate("Layer properties — {title}", language, title=layer.title(language))
        )
        self.resize(620, 440)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("layerPropertiesText")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(layer_properties_html(layer, language))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
