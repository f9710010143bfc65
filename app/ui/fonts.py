"""Load the bundled Korean OFL font so Hangul renders with no system font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from app.core.paths import FONTS_DIR

_loaded: list[str] = []

FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")


def load_bundled_fonts() -> list[str]:
    """Register resources/fonts/*.ttf with Qt; returns the font families loaded.

    Safe to call more than once. Needs a QGuiApplication.
    """
    if _loaded:
        return list(_loaded)
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(FONTS_DIR / name))
        if font_id >= 0:
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _loaded:
                    _loaded.append(family)
    return list(_loaded)


def ui_font_family() -> str:
    """The bundled Korean family (``NanumGothic``), or Qt's default if loading failed."""
    families = load_bundled_fonts()
    return families[0] if families else QFont().family()


def map_font(point_size: float, bold: bool = False) -> QFont:
    """A font for map text (labels, scale bar) in the bundled family."""
    font = QFont(ui_font_family())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
