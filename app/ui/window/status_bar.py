"""The permanent widgets of the main window's status bar.

From left to right: the warning naming the shown or counted layers that are not real
data, the cursor position (EPSG:5186 metres and WGS84 degrees) and the map scale. The
window decides the warning's text; :class:`StatusBarWidgets` shows it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from app.core.geodesy import to_lonlat
from app.ui.i18n import tr

#: Space kept between a temporary message and the notice (QStatusBar's own margins).
MESSAGE_MARGIN_PX = 16
#: How long an elided message stays (the bar does not say how long the whole one would).
ELIDED_MESSAGE_MS = 10_000


class StatusBarWidgets:
    """The caveat, coordinates and scale labels added to ``window``'s status bar.

    Parameters
    ----------
    window : QMainWindow
        The window whose status bar gets the labels (it parents them).
    canvas : MapCanvas
        The map whose scale :meth:`update_scale` shows.
    caveat : str
        The first text of the "not real data" warning.
    """

    def __init__(self, window: QMainWindow, canvas, caveat: str) -> None:
        self.canvas = canvas
        bar = window.statusBar()
        self.coords_label = QLabel("", window)
        self.coords_label.setObjectName("coordinatesLabel")
        self.coords_label.setToolTip(
            "Cursor position: EPSG:5186 (Korea 2000 / Central Belt "
            "2010) metres and WGS84 latitude/longitude"
        )
        self.scale_label = QLabel("", window)
        self.scale_label.setObjectName("scaleLabel")
        self.data_label = QLabel(caveat, window)
        self.data_label.setObjectName("dataStatusLabel")
        self.data_label.setStyleSheet("color: #b00020;")
        bar.addPermanentWidget(self.data_label)
        bar.addPermanentWidget(self.coords_label)
        bar.addPermanentWidget(self.scale_label)
        self.bar = bar
        #: The whole text of the message shown elided ("" when none is elided).
        self.full_message = ""
        self._eliding = False
        bar.messageChanged.connect(self._fit_message)

    def message_width(self) -> int:
        """Pixels a temporary message has left of the "not real data" notice."""
        first = next(
            (w for w in (self.data_label, self.coords_label, self.scale_label) if w.isVisible()),
            None,
        )
        right = first.x() if first is not None else self.bar.width()
        return max(40, right - MESSAGE_MARGIN_PX)

    def _fit_message(self, text: str) -> None:
        """A message too long for its room is shown elided (…), the whole in the tooltip,
        so that it never runs into the notice."""
        if self._eliding or not self.bar.isVisible():
            return  # before the window shows, the bar has no layout to measure
        metrics = self.bar.fontMetrics()
        room = self.message_width()
        if not text or metrics.horizontalAdvance(text) <= room:
            self.full_message = ""
            self.bar.setToolTip("")
            return
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        self.full_message = text
        self.bar.setToolTip(text)
        self._eliding = True
        try:
            self.bar.showMessage(elided, ELIDED_MESSAGE_MS)
        finally:
            self._eliding = False

    def show_coordinates(self, x: float, y: float) -> None:
        """Show the cursor position ``(x, y)`` (EPSG:5186) in metres and degrees."""
        lon, lat = to_lonlat(x, y)
        self.coords_label.setText(
            tr(
                "EPSG:5186  {x} E  {y} N   |   {lat}° N  {lon}° E",
                x=f"{x:,.1f}",
                y=f"{y:,.1f}",
                lat=f"{lat:.6f}",
                lon=f"{lon:.6f}",
            )
        )

    def update_scale(self) -> None:
        """Show the canvas's current scale ("1:25,000")."""
        self.scale_label.setText(f"1:{self.canvas.viewport.scale_denominator():,.0f}")

    def retranslate(self) -> None:
        """The coordinates' tooltip in the current UI language."""
        self.coords_label.setToolTip(
            tr(
                "Cursor position: EPSG:5186 (Korea 2000 / Central Belt "
                "2010) metres and WGS84 latitude/longitude"
            )
        )
