"""Find a place: a search box on the map toolbar over the offline gazetteer.

Typing lists matching places (prefix, substring, Hangul initials) in a popup; Enter or
a click on a result zooms the map there and flashes the feature. Coordinates typed as
``lat, lon`` or EPSG:5186 ``x, y`` jump there.
"""

from __future__ import annotations

import shapely
from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.core.map.gazetteer import BUNDLED_LAYERS, Gazetteer, Place, parse_coordinates
from app.core.map.viewport import Viewport
from app.core.project.user_layers import is_user_layer
from app.ui import i18n
from app.ui.canvas.render.decorations import highlight_path
from app.ui.i18n import tr

#: Metres per pixel when zooming to a point (about 1:7 500 on a 96 dpi screen).
POINT_RESOLUTION = 2.0
FLASH_MS = 2400
FLASH_BLINKS = 6

LAYER_KINDS = {
    "districts": "innovation district",
    "gu": "gu",
    "dong": "admin dong",
    "stations": "station",
    "education": "university",
    "sites": "site",
}


class FlashOverlay:
    """Blinks a geometry over the map for a moment (a found place)."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.geometry = None
        self.blinks = 0
        self.timer = QTimer()
        self.timer.setInterval(FLASH_MS // FLASH_BLINKS)
        self.timer.timeout.connect(self._tick)

    def flash(self, geometry) -> None:
        self.geometry, self.blinks = geometry, FLASH_BLINKS
        self.timer.start()
        self.canvas.update()

    def _tick(self) -> None:
        self.blinks -= 1
        if self.blinks <= 0:
            self.timer.stop()
            self.geometry = None
        self.canvas.update()

    @property
    def visible(self) -> bool:
        return self.geometry is not None and self.blinks % 2 == 0

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        if not self.visible:
            return
        path = highlight_path([self.geometry], viewport)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QColor(255, 109, 0, 60))
        painter.setPen(QPen(QColor("white"), 7))
        painter.drawPath(path)
        painter.setPen(QPen(QColor("#ff6d00"), 4))
        painter.drawPath(path)


class SearchBox(QLineEdit):
    """The Find a place box (Ctrl+F focuses it).

    Attributes
    ----------
    places : list of Place
        The results listed for the current text, best first.
    """

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("placeSearch")
        self.main = window
        self.canvas = window.canvas
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self.places: list[Place] = []
        self._gazetteer: Gazetteer | None = None
        self.results = QStringListModel(self)
        self.completer = QCompleter(self.results, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.popup().setObjectName("placeResults")
        self.setCompleter(self.completer)
        self.completer.activated.connect(self._on_chosen)
        self.textEdited.connect(self.update_results)
        self.returnPressed.connect(self.go)
        self.flash = FlashOverlay(self.canvas)
        self.canvas.overlays.append(self.flash)
        stack = window.stack
        for signal in (stack.inserted, stack.removed):
            signal.connect(lambda *_a: self.invalidate())
        stack.layer_changed.connect(
            lambda _layer, what: self.invalidate() if what == "data" else None
        )
        i18n.notifier.languageChanged.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args) -> None:
        """Texts in the current UI language."""
        self.setPlaceholderText(tr("Find a place (Ctrl+F)"))
        self.setToolTip(
            tr(
                "Districts, gu, dongs, stations, universities, sites and imported layers by "
                "name: Korean, English or initial consonants (ㅁㄱ → 마곡). Coordinates: "
                "37.56, 126.83 or EPSG:5186 x, y"
            )
        )

    def invalidate(self) -> None:
        """The layers changed: build the gazetteer again at the next search."""
        self._gazetteer = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            stack = self.main.stack
            users = [layer.name for layer in stack if is_user_layer(layer)]
            self._gazetteer = Gazetteer(stack, [*BUNDLED_LAYERS, *users])
        return self._gazetteer

    def _describe(self, place: Place) -> str:
        layer = self.main.stack.get(place.layer)
        kind = LAYER_KINDS.get(place.layer)
        what = tr(kind) if kind else (layer.title(i18n.language()) if layer else place.layer)
        other = f" · {place.other_name}" if place.other_name else ""
        return f"{place.name}{other} — {what}"

    def update_results(self, text: str) -> None:
        """List the places matching ``text`` in the popup."""
        coordinates = parse_coordinates(text)
        self.places = [] if coordinates else self.gazetteer.search(text, limit=20)
        lines = [self._describe(place) for place in self.places]
        if coordinates:
            lines = [tr("Go to {x:.0f}, {y:.0f} (EPSG:5186)", x=coordinates[0], y=coordinates[1])]
        self.results.setStringList(lines)
        if lines:
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _on_chosen(self, text: str) -> None:
        rows = self.results.stringList()
        index = rows.index(text) if text in rows else 0
        QTimer.singleShot(0, lambda: self.go(index))

    def go(self, index: int | None = None) -> bool:
        """Go to result ``index`` (default: the first), or to typed coordinates."""
        text = self.text()
        listed = self.results.stringList()
        if index is None and text in listed and self.places:  # a row chosen with the keys
            index = listed.index(text)
        coordinates = parse_coordinates(text)
        if coordinates is not None:
            x, y, _how = coordinates
            self.canvas.set_view(x, y, POINT_RESOLUTION)
            self.flash.flash(shapely.Point(x, y))
            self.completer.popup().hide()
            return True
        if not self.places or text not in listed:
            self.update_results(text)
        if not self.places:
            self.main.statusBar().showMessage(tr("No place found for “{query}”", query=text), 5000)
            return False
        place = self.places[min(index or 0, len(self.places) - 1)]
        self.go_to(place)
        self.completer.popup().hide()
        return True

    def go_to(self, place: Place) -> None:
        """Zoom to ``place`` and flash it."""
        layer = self.main.stack.get(place.layer)
        geometry = None
        if layer is not None and place.row < len(layer.data):
            geometry = layer.data.geometry.iloc[place.row]
            if not layer.visible:
                layer.set_visible(True)
        x0, y0, x1, y1 = place.bounds
        if x1 - x0 < 50 and y1 - y0 < 50:
            self.canvas.set_view(place.x, place.y, POINT_RESOLUTION)
        else:
            self.canvas.zoom_to_extent(place.bounds, 0.15)
        self.flash.flash(geometry if geometry is not None else shapely.Point(place.x, place.y))
        self.main.statusBar().showMessage(self._describe(place), 5000)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.completer.popup().hide()
            self.canvas.setFocus()
            return
        super().keyPressEvent(event)
