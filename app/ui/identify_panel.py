"""Identify results: layer → feature → attribute/value rows."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.core.identify import IdentifyHit


class IdentifyPanel(QTreeWidget):
    """Shows the attributes of identified features; the first feature is expanded."""

    def __init__(self, parent: QWidget | None = None, language: str = "en") -> None:
        super().__init__(parent)
        self.setObjectName("identifyPanel")
        self.language = language
        self.setColumnCount(2)
        self.setHeaderLabels(["Feature / attribute", "Value"])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.header().setStretchLastSection(True)
        self.setColumnWidth(0, 130)
        self.setToolTip("Click a feature on the map with the Identify tool (Ctrl+Shift+I)")
        self.hits: list[IdentifyHit] = []

    def show_hits(self, hits: list[IdentifyHit]) -> None:
        """Replace the results with ``hits``."""
        self.clear()
        self.hits = list(hits)
        if not hits:
            QTreeWidgetItem(self, ["No feature here", ""])
            return
        by_layer: dict[str, QTreeWidgetItem] = {}
        first = True
        for hit in hits:
            layer = hit.layer
            parent = by_layer.get(layer.name)
            if parent is None:
                title, status = layer.title(self.language), layer.provenance.status.value
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
    return f"feature {hit.row}"
