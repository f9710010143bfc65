"""PNG output of the map export: the page composed on a white image at 96 dpi (so
point-sized fonts and pixel-sized symbols grow together with the furniture scale
``dpi / 96``), tagged with the requested dpi and encoded in memory before the write.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter

from app.ui.export.layout import CSS_DPI, MapLayout, MapPage, SiteMarks, compose
from app.ui.export.output import MapExportError, write_output


def render_png(
    page: MapPage,
    path: Path,
    width: int,
    height: int,
    dpi: float,
    language: str,
    when: str,
    sites: SiteMarks = SiteMarks(),
) -> MapLayout:
    """Write ``page`` to ``path`` as a ``width`` x ``height`` PNG tagged with ``dpi``.

    Parameters
    ----------
    page : MapPage
        What to draw.
    path : Path
        Output file, already checked (:func:`~app.ui.export.output.check_output`).
    width, height : int
        Image size in pixels.
    dpi : float
        Resolution stored in the PNG; the furniture scales by ``dpi / 96``.
    language : str
        Language of the legend and attribution.
    when : str
        The printed date (ISO format).
    sites : SiteMarks
        Indicator results and radius for the sites' badges and catchments.

    Returns
    -------
    MapLayout
        Where the parts of the map went, in pixels.

    Raises
    ------
    MapExportError
        The image could not be encoded or written.
    """
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)  # the image is 96 dpi while painting: fonts match symbols
    try:
        layout = compose(painter, page, width, height, dpi / CSS_DPI, language, when, sites)
    finally:
        painter.end()
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise MapExportError(f"cannot encode the map as PNG ({width}x{height} pixels)")
    buffer.close()
    write_output(path, bytes(data))
    return layout


__all__ = ["render_png"]
