"""The one QApplication: created once, with the bundled Korean font and Qt's own
translations (used by the GUI, the headless map export and the tests alike)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app import __version__
from app.ui import i18n
from app.ui.fonts import load_bundled_fonts, ui_font_family


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, with the bundled Korean font as UI font."""
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setApplicationName("InnoAtlas")
        QCoreApplication.setOrganizationName("InnoAtlas")
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv or ["innoatlas"])
    if load_bundled_fonts():
        font = QFont(ui_font_family())
        font.setPointSizeF(max(app.font().pointSizeF(), 9.5))
        app.setFont(font)
    i18n.install_qt_translations()
    return app
