"""What presentation mode paints over the map: :class:`PresentationOverlay`.

A dark title band with the scene's title and the "Not real data" caveat, a large legend
at the left (drawn by :mod:`app.ui.canvas.render.legend`), on request the selected
site's indicator card at the right, and messages for the audience; also the sizes
that the navigator and the control bar share with it (:func:`overlay_scale`,
:func:`band_height`). The overlay reads the window through
:class:`~app.ui.presentation.host.PresentationHost` and the presentation's state
through :class:`OverlayOwner`.
"""

from __future__ import annotations

import math
from typing import Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from app.core.indicators.format import blocked, format_value, is_missing
from app.core.indicators.labels import ENGLISH
from app.core.map.viewport import Viewport
from app.ui import i18n
from app.ui.canvas.render.decorations import attribution_rect, attribution_text, north_arrow_rect
from app.ui.canvas.render.legend import elide, legend_entries, paint_legend_rows
from app.ui.fonts import map_font
from app.ui.i18n import tr
from app.ui.presentation.host import PresentationHost

BAND = QColor(24, 32, 42, 240)
BAND_TEXT = QColor("#ffffff")
BAND_MUTED = QColor("#c9d1da")
CAVEAT = QColor("#ffb4a8")
PANEL = QColor(255, 255, 255, 236)
INK = QColor("#1d1d1d")
WARNING = QColor("#b00020")

#: Indicators on the big card: (column, English label; shown through ``tr``), named as
#: in the web map (:mod:`app.core.indicators.labels`).
CARD_ROWS = tuple(
    (column, ENGLISH[column])
    for column in (
        "score",
        "startups_n",
        "employees_sum",
        "top_sector",
        "education_n",
        "education_nearest_m",
        "stations_n",
        "station_nearest_m",
        "site_area_m2",
        "dominant_zone",
        "use_permitted",
        "max_gfa_m2",
    )
)


def overlay_scale(height: float) -> float:
    """Size factor of the overlays: 1 on a 1080-pixel-high screen.

    Parameters
    ----------
    height : float
        Height of the map in pixels.

    Returns
    -------
    float
        The factor, between 0.6 and 2.5.
    """
    return max(0.6, min(2.5, height / 1080.0))


def band_height(height: float) -> float:
    """Height of the title band for a canvas ``height`` pixels high.

    Parameters
    ----------
    height : float
        Height of the map in pixels.

    Returns
    -------
    float
        The band's height in pixels.
    """
    return 118.0 * overlay_scale(height)


class OverlayOwner(Protocol):
    """What the overlay reads of presentation mode (the controller)."""

    @property
    def active(self) -> bool:
        """True while presenting (the overlay paints nothing otherwise)."""
        ...

    @property
    def show_card(self) -> bool:
        """True when the indicator card is on."""
        ...

    @property
    def message(self) -> str:
        """The message for the audience ("" when none)."""
        ...

    @property
    def bar(self) -> QWidget:
        """The control bar on the band (the title keeps clear of it)."""
        ...

    def current_title(self) -> str:
        """The title band's text."""
        ...


def _paint_panel(painter: QPainter, box: QRectF, s: float) -> None:
    """The white rounded panel behind the legend and the card."""
    painter.setPen(QPen(QColor(0, 0, 0, 40), 1.0))
    painter.setBrush(PANEL)
    painter.drawRoundedRect(box, 10 * s, 10 * s)


class PresentationOverlay:
    """Paints the title band, legend, caveat, indicator card and messages (when active)."""

    def __init__(self, host: PresentationHost, owner: OverlayOwner) -> None:
        self.host = host
        self.owner = owner
        #: Where the parts went in the last frame (tests look at them).
        self.title_rect = QRectF()
        self.legend_rect = QRectF()
        self.card_rect = QRectF()
        self.message_rect = QRectF()
        #: :func:`legend_entries` of the stack, kept until a layer or the language changes
        #: (the controller tells of the language; a frame of the animation only paints).
        self._entries: list | None = None
        stack = host.stack
        for signal in (stack.layer_changed, stack.inserted, stack.removed, stack.moved):
            signal.connect(self.forget_legend)

    def forget_legend(self, *_args) -> None:
        """The legend's rows must be found again (a layer or the language changed)."""
        self._entries = None

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        """Draw the title band, the legend, the indicator card and the message (canvas
        overlay hook; nothing outside presentation mode)."""
        owner, canvas = self.owner, self.host.canvas
        if not owner.active:
            return
        width, height = float(viewport.width), float(viewport.height)
        s = overlay_scale(height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        band = band_height(height)
        # The north arrow (drawn after the overlays) goes below the band.
        canvas.decoration_top = band
        self.title_rect = self._paint_band(painter, width, band, s)
        margin = 22 * s
        bottom = height - 90 * s  # above the scale bar
        self.legend_rect = self._paint_legend(painter, self._legend_area(width, height), s)
        self.card_rect = QRectF()
        if owner.show_card:
            arrow = north_arrow_rect(width, canvas.decoration_scale, band)
            top = arrow.bottom() + margin / 2  # below the north arrow
            card_w = min(560 * s, width * 0.36)
            self.card_rect = self._paint_card(
                painter, QRectF(width - card_w - margin, top, card_w, bottom - top), s
            )
        self.message_rect = QRectF()
        if owner.message:
            self.message_rect = self._paint_message(painter, width, height, s, owner.message)

    def _paint_band(self, painter: QPainter, width: float, band: float, s: float) -> QRectF:
        rect = QRectF(0, 0, width, band)
        painter.fillRect(rect, BAND)
        pad = 30 * s
        title_font = map_font(10, bold=True)
        title_font.setPixelSize(max(12, round(52 * s)))
        bar = self.owner.bar
        bar_w = bar.width() + 40 * s if bar.isVisible() else 0
        text_w = width - 2 * pad - bar_w
        painter.setFont(title_font)
        painter.setPen(BAND_TEXT)
        metrics = QFontMetricsF(title_font)
        title = metrics.elidedText(
            self.owner.current_title(), Qt.TextElideMode.ElideRight, max(10.0, text_w)
        )
        title_rect = QRectF(pad, 10 * s, text_w, 66 * s)
        painter.drawText(title_rect, int(Qt.AlignmentFlag.AlignVCenter), title)
        caveat = self.host.caveat_text()
        if caveat:
            font = map_font(10, bold=True)
            font.setPixelSize(max(10, round(22 * s)))
            painter.setFont(font)
            painter.setPen(CAVEAT)
            caveat = QFontMetricsF(font).elidedText(
                "⚠ " + caveat, Qt.TextElideMode.ElideRight, max(10.0, text_w)
            )
            painter.drawText(
                QRectF(pad, 76 * s, text_w, 32 * s), int(Qt.AlignmentFlag.AlignVCenter), caveat
            )
        return rect

    @staticmethod
    def _legend_area(width: float, height: float) -> QRectF:
        """The column the legend may take: left, below the band, above the scale bar."""
        s = overlay_scale(height)
        margin, band = 22 * s, band_height(height)
        return QRectF(
            margin, band + margin, min(470 * s, width * 0.3), height - 90 * s - band - margin
        )

    def _legend_layout(self, rect: QRectF, s: float):
        """``(entries, box, k)`` of the legend in ``rect`` (None: no legend)."""
        if self._entries is None:
            self._entries = legend_entries(self.host.stack, self.host.language)
        entries = self._entries
        if not entries or rect.height() <= 40 * s:
            return None
        lines = 1 + sum(
            1 if layer.style.kind == "single" else 1 + len(rows) for layer, rows in entries
        )
        pad, row_h, gaps = 18 * s, 34 * s, len(entries) * 6 * s
        k = min(1.0, (rect.height() - 2 * pad) / max(1.0, lines * row_h + gaps))
        needed = 2 * pad + lines * row_h * k + gaps * k
        return entries, QRectF(rect.left(), rect.top(), rect.width(), min(rect.height(), needed)), k

    def legend_box(self, width: float, height: float) -> QRectF:
        """Where the legend goes on a map ``width`` × ``height`` pixels with the layers
        visible now (empty: no legend)."""
        layout = self._legend_layout(self._legend_area(width, height), overlay_scale(height))
        return QRectF() if layout is None else layout[1]

    def _paint_legend(self, painter: QPainter, rect: QRectF, s: float) -> QRectF:
        layout = self._legend_layout(rect, s)
        if layout is None:
            return QRectF()
        entries, box, k = layout
        pad = 18 * s
        row_h = 34 * s * k
        swatch = 26 * s * k
        head_font, layer_font, row_font = (
            map_font(10, bold=True),
            map_font(10, bold=True),
            map_font(10),
        )
        head_font.setPixelSize(max(9, round(26 * s * k)))
        layer_font.setPixelSize(max(8, round(21 * s * k)))
        row_font.setPixelSize(max(8, round(20 * s * k)))
        painter.save()
        _paint_panel(painter, box, s)
        x, y = box.left() + pad, box.top() + pad
        text_w = box.width() - 2 * pad
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
        painter.setPen(INK)
        painter.setFont(head_font)
        painter.drawText(QRectF(x, y, text_w, row_h), flags, tr("Legend"))
        y += row_h
        paint_legend_rows(
            painter,
            entries,
            x,
            y,
            box.right() - pad,
            row_h,
            swatch,
            layer_font,
            row_font,
            self.host.language,
            ink=INK,
            layer_gap=6 * s * k,
            indent=14 * s * k,
            swatch_gap=12 * s * k,
            min_point=10.0,
        )
        painter.restore()
        return box

    def _paint_card(self, painter: QPainter, rect: QRectF, s: float) -> QRectF:
        site_id = self.host.editing.selected
        row = self.host.indicators.row(site_id)
        pad = 20 * s
        title_font = map_font(10, bold=True)
        title_font.setPixelSize(max(10, round(30 * s)))
        font = map_font(10)
        font.setPixelSize(max(9, round(22 * s)))
        bold = map_font(10, bold=True)
        bold.setPixelSize(max(9, round(22 * s)))
        row_h = 36 * s
        painter.save()
        if row is None:
            text = tr(
                "Select a site to see its indicators (E, then click a site)"
                if site_id is None
                else "Indicators are being computed…"
            )
            box = QRectF(rect.left(), rect.top(), rect.width(), 2 * pad + 2 * row_h)
            _paint_panel(painter, box, s)
            painter.setPen(INK)
            painter.setFont(font)
            painter.drawText(
                box.adjusted(pad, pad, -pad, -pad),
                int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            painter.restore()
            return box
        k = min(1.0, (rect.height() - 2 * pad) / ((len(CARD_ROWS) + 1.6) * row_h))
        row_h *= k
        for f in (title_font, font, bold):
            f.setPixelSize(max(8, round(f.pixelSize() * k)))
        box = QRectF(
            rect.left(), rect.top(), rect.width(), 2 * pad + (len(CARD_ROWS) + 1.6) * row_h
        )
        _paint_panel(painter, box, s)
        x, y, w = box.left() + pad, box.top() + pad, box.width() - 2 * pad
        rank = row.get("rank")
        name = str(row.get("name") or site_id)
        heading = (f"#{int(rank)}  " if rank is not None and not is_missing(rank) else "") + name
        painter.setPen(INK)
        painter.setFont(title_font)
        painter.drawText(
            QRectF(x, y, w, 1.6 * row_h),
            int(Qt.AlignmentFlag.AlignVCenter),
            elide(heading, title_font, w),
        )
        y += 1.6 * row_h
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine)
        for column, label in CARD_ROWS:
            if column not in row.index:
                continue
            value = row[column]
            text = format_value(column, value, i18n.language())
            if column == "score" and not is_missing(value):
                text = f"{float(value):.1f}"
            painter.setPen(QColor("#505050"))
            painter.setFont(font)
            painter.drawText(QRectF(x, y, w * 0.56, row_h), flags, elide(tr(label), font, w * 0.56))
            painter.setPen(WARNING if column == "use_permitted" and blocked(value) else INK)
            painter.setFont(bold)
            painter.drawText(
                QRectF(x + w * 0.58, y, w * 0.42, row_h),
                flags | int(Qt.AlignmentFlag.AlignRight),
                elide(text, bold, w * 0.42),
            )
            y += row_h
        painter.restore()
        return box

    def _paint_message(
        self, painter: QPainter, width: float, height: float, s: float, text: str
    ) -> QRectF:
        font = map_font(10, bold=True)
        font.setPixelSize(max(10, round(22 * s)))
        metrics = QFontMetricsF(font)
        max_w = width * 0.6
        flags = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter)
        bound = metrics.boundingRect(QRectF(0, 0, max_w, 1e6), flags, text)
        # Sized from the font's metrics, rounded up, with a line's descent to spare: the
        # painter's own layout (hinting, a fallback font for Hangul) never needs more.
        text_w = math.ceil(bound.width()) + 2
        lines = max(1, round(bound.height() / metrics.lineSpacing()))
        text_h = math.ceil(max(bound.height(), lines * metrics.lineSpacing()) + metrics.descent())
        pad = 16 * s
        # Above the attribution box, which the map draws over everything at the bottom.
        attribution = attribution_rect(
            width,
            height,
            attribution_text(self.host.stack, i18n.language()),
            self.host.canvas.decoration_scale,
        )
        bottom = height - 150 * s + pad
        if not attribution.isEmpty():
            bottom = min(bottom, attribution.top() - 8 * s)
        box = QRectF(
            (width - text_w) / 2 - pad,
            bottom - text_h - 2 * pad,
            text_w + 2 * pad,
            text_h + 2 * pad,
        )
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(120, 0, 20, 225))
        painter.drawRoundedRect(box, 8 * s, 8 * s)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(font)
        painter.drawText(box.adjusted(pad, pad, -pad, -pad), flags, text)
        painter.restore()
        return box


__all__ = ["CARD_ROWS", "OverlayOwner", "PresentationOverlay", "band_height", "overlay_scale"]
