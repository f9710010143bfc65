"""Start the Qt application: fonts, main window, error dialogs, screenshot mode."""
from __future__ import annotations

import logging
import sys
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.core.errors import InnoAtlasError
from app.core.project_loader import load_project
from app.ui.fonts import load_bundled_fonts, ui_font_family
from app.ui.main_window import MainWindow

log = logging.getLogger("innoatlas")
DEFAULT_SIZE = (1280, 800)


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
    return app


def _install_excepthook() -> None:
    """Unexpected errors become a dialog with one line; the traceback goes to the log."""
    def hook(kind, value, tb):
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        message = str(value).splitlines()[0] if str(value) else kind.__name__
        if QApplication.instance() is not None:
            QMessageBox.critical(None, "InnoAtlas", f"Something went wrong: {message}\n\n"
                                 "Your project was not changed.")
        else:
            print(f"innoatlas: error: {message}", file=sys.stderr)
    sys.excepthook = hook


def fit_window(window: MainWindow, size: tuple[int, int] = DEFAULT_SIZE) -> None:
    """Resize to ``size`` where the screen allows, else to 90 % of the screen."""
    width, height = size
    screen = window.screen()
    if screen is not None:
        available = screen.availableGeometry()
        if available.width() > 200 and available.height() > 200:
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.95))
    window.resize(width, height)


def open_main_window(project: Path, size: tuple[int, int] = DEFAULT_SIZE) -> MainWindow:
    """Load ``project`` and build its main window (not shown yet).

    Raises
    ------
    InnoAtlasError
        When the project cannot be loaded.
    """
    stack = load_project(project)
    window = MainWindow(stack, project)
    fit_window(window, size)
    return window


def wait_until_drawn(window: MainWindow, timeout: float = 20.0) -> bool:
    """Process events until the canvas has rendered the map once; False on timeout."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while window.canvas.render_count == 0 and time.monotonic() < deadline:
        app.processEvents()
        if window.canvas.render_count == 0:
            window.canvas.repaint()
    app.processEvents()
    return window.canvas.render_count > 0


def run_gui(project: Path, screenshot: Path | None = None,
            size: tuple[int, int] = DEFAULT_SIZE) -> int:
    """Run the app on ``project``; with ``screenshot`` save the drawn window and exit.

    Returns the process exit code.
    """
    app = application(sys.argv[:1])
    _install_excepthook()
    try:
        window = open_main_window(project, size)
    except InnoAtlasError as err:
        print(f"innoatlas: error: {err}", file=sys.stderr)
        if screenshot is None:
            QMessageBox.critical(None, "InnoAtlas — cannot open project", str(err))
        return 2
    window.show()
    if screenshot is None:
        return app.exec()
    if not wait_until_drawn(window):
        print("innoatlas: error: the map was not drawn in time", file=sys.stderr)
        return 1
    image = window.grab()
    screenshot = Path(screenshot)
    if not screenshot.parent.exists() or not image.save(str(screenshot)):
        print(f"innoatlas: error: cannot write the screenshot to {screenshot}", file=sys.stderr)
        return 2
    window.close()
    return 0


__all__ = ["application", "open_main_window", "run_gui", "wait_until_drawn", "Qt"]
