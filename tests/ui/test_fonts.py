"""Hangul renders with the bundled OFL font, whatever fonts the system has."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPainter, QRawFont

from app.core.paths import FONTS_DIR


def _render(text: str, family: str) -> QImage:
    image = QImage(220, 60, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    font = QFont(family)
    font.setPixelSize(32)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(QPointF(4, 44), text)
    painter.end()
    return image


def test_bundled_font_is_loaded_and_has_hangul(qapp):
    from app.ui.fonts import load_bundled_fonts, ui_font_family

    families = load_bundled_fonts()
    assert "NanumGothic" in families
    assert ui_font_family() == "NanumGothic"
    raw = QRawFont(str(FONTS_DIR / "NanumGothic.ttf"), 20)
    assert raw.isValid()
    for char in "마곡양재가산혁신":
        assert raw.supportsCharacter(ord(char))
    assert QFontDatabase.writingSystems("NanumGothic").count(QFontDatabase.WritingSystem.Korean)


def test_hangul_glyphs_are_distinct_not_boxes(qapp):
    """Missing glyphs render as identical boxes; real glyphs differ from each other."""
    from app.ui.fonts import ui_font_family

    family = ui_font_family()
    first, second = _render("마곡", family), _render("양재", family)
    assert first != second
    inked = sum(1 for x in range(220) for y in range(60) if first.pixelColor(x, y).value() < 128)
    assert inked > 100


def test_app_font_is_the_bundled_family(main_window):
    from PySide6.QtWidgets import QApplication

    assert QApplication.font().family() == "NanumGothic"


_NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""

_PROBE = """
import sys
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage, QPainter
app = QGuiApplication(sys.argv)
def render(text, family=None):
    img = QImage(200, 60, QImage.Format.Format_RGB32); img.fill(Qt.GlobalColor.white)
    p = QPainter(img); f = QFont(family) if family else QFont(); f.setPixelSize(32)
    p.setFont(f); p.setPen(Qt.GlobalColor.black); p.drawText(QPointF(4, 44), text); p.end()
    return img
print("system-distinct", render("마곡") != render("양재"))
from app.ui.fonts import load_bundled_fonts, ui_font_family
load_bundled_fonts()
print("bundled-distinct", render("마곡", ui_font_family()) != render("양재", ui_font_family()))
"""


def test_hangul_renders_on_a_machine_without_korean_fonts(tmp_path):
    """With fontconfig pointed at no fonts at all, only the bundled font draws Hangul."""
    import os
    import subprocess
    import sys

    conf = tmp_path / "fonts.conf"
    conf.write_text(_NO_FONTS_CONF.format(cache=tmp_path / "cache"))
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Control: without the bundled font, two different words render the same (boxes).
    assert "system-distinct False" in result.stdout
    assert "bundled-distinct True" in result.stdout
