"""The permanent widgets of the main window's status bar.

From left to right: the warning naming the shown or counted layers that are not real
data, the cursor position (EPSG:5186 metres and WGS84 degrees) and the map scale. The
window decides the warning's text; :class:`StatusBarWidgets` shows it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from app.core.geodesy import to_lonlat
from app.ui.i18n import tr


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
