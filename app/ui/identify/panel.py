"""Identify results: layer → feature → attribute/value rows."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.core.map.identify import IdentifyHit
from app.ui import i18n
from app.ui.i18n import tr


class IdentifyPanel(QTreeWidget):
    """Shows the attributes of identified features; the first feature is expanded."""

    def __init__(self, parent: QWidget | None = None, language: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identifyPanel")
        self.language = language or i18n.language()
        self.setColumnCount(2)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(True)
        self.setColumnWidth(0, 130)
        self.hits: list[IdentifyHit] = []
        self._shown = False
        self.retranslate()

    def retranslate(self) -> None:
        """Headers, tooltip and the shown results in the current UI language."""
        self.language = i18n.language()
        self.setHeaderLabels([tr("Feature / attribute"), tr("Value")])
        self.setToolTip(tr("Click a feature on the map with the Identify tool (Ctrl+Shift+I)"))
        if self._shown:
            self.show_hits(self.hits)

    def show_hits(self, hits: list[IdentifyHit]) -> None:
        """Replace the results with ``hits``."""
        self.clear()
        self.hits = list(hits)
        self._shown = True
        if not hits:
            QTreeWidgetItem(self, [tr("No feature here"), ""])
            return
        by_layer: dict[str, QTreeWidgetItem] = {}
        first = True
        for hit in hits:
            layer = hit.layer
            parent = by_layer.get(layer.name)
            if parent is None:
                title = layer.title(self.language)
                status = tr(layer.provenance.status.value)
                if status not in title.lower():
                    title = f"{title} ({status})"
                parent = QTreeWidgetItem(self, [title, ""])
                parent.setFirstColumnSpanned(True)
                parent.setExpanded(True)
                by_layer[layer.name] = parent
            label = _feature_label(hit)
            item = QTreeWidgetItem(parent, [label, ""])
            item.setFirstColumnSpanned(True)
            for key, value in hit.attributes.items():
                QTreeWidgetItem(item, [str(key), "" if value is None else str(value)])
            item.setExpanded(first)
            first = False

    def values(self) -> list[dict]:
        """Attributes of the shown hits (for tests and copy)."""
        return [hit.attributes for hit in self.hits]


def _feature_label(hit: IdentifyHit) -> str:
    for key in ("name", "name_ko", "zone_type", "district_id"):
        if hit.attributes.get(key):
            return str(hit.attributes[key])
    return tr("feature {row}", row=hit.row)
