"""Start the Qt application: fonts, main window, error dialogs, screenshot mode."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.errors import InnoAtlasError, first_line
from app.core.formats.atomic_write import write_atomically
from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import open_project
from app.ui import i18n
from app.ui.application import application
from app.ui.project.deferred import LARGE_LAYER, DeferredLayers, large_tables, layer_specs
from app.ui.window import first_frame
from app.ui.window.main_window import MainWindow

log = logging.getLogger("innoatlas")
DEFAULT_SIZE = (1280, 800)
#: QSettings key of the main window's geometry (written by ``MainWindow.closeEvent``).
GEOMETRY_KEY = "window/geometry"


_qt_message = first_frame.qt_message


def _setup_logging() -> None:
    """Details (Qt warnings, tracebacks) go to a log file in the user data folder."""
    from app.ui.project.controller import user_data_dir

    log.propagate = False
    if log.handlers:
        return
    folder = user_data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "innoatlas.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _install_excepthook(interactive: bool = True) -> None:
    """Unexpected errors become a dialog with one line; the traceback goes to the log.

    Without a user to click the dialog (``--screenshot``), the error is one line on
    stderr and the process exits with code 1.
    """

    def hook(kind, value, tb):
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        message = first_line(value)
        if not interactive:
            print(f"innoatlas: error: {message}", file=sys.stderr)
            os._exit(1)
        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "InnoAtlas",
                i18n.tr(
                    "Something went wrong: {message}\n\nYour project was not changed.",
                    message=message,
                ),
            )
        else:
            print(f"innoatlas: error: {message}", file=sys.stderr)

    sys.excepthook = hook


def fit_window(
    window: MainWindow, size: tuple[int, int] = DEFAULT_SIZE, clamp_to_screen: bool = True
) -> None:
    """Resize to ``size`` where the screen allows, else to 95 % of the screen."""
    width, height = size
    screen = window.screen()
    if screen is not None and clamp_to_screen:
        available = screen.availableGeometry()
        if available.width() > 200 and available.height() > 200:
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.95))
    window.resize(width, height)


def restore_window_geometry(window: MainWindow) -> bool:
    """Put the window where and as large as it was when InnoAtlas closed last (QSettings
    ``window/geometry``, saved by the window); False on the first start."""
    saved = QSettings().value(GEOMETRY_KEY, None)
    if not isinstance(saved, QByteArray) or saved.isEmpty():
        return False
    return bool(window.restoreGeometry(saved))


def open_main_window(
    project: Path,
    size: tuple[int, int] = DEFAULT_SIZE,
    clamp_to_screen: bool = True,
    remember: bool = False,
    defer_above: int = LARGE_LAYER,
) -> MainWindow:
    """Load ``project`` and build its main window (not shown yet).

    Tables of more than ``defer_above`` features open empty and are read on a worker
    thread (:class:`~app.ui.project.deferred.DeferredLayers`): the window draws the other
    layers at once and the large ones when they arrive.

    A project without a saved view opens fitted to the three districts (kept fitted
    when the window is resized or maximised, until the map is moved). With ``remember``
    the window takes the size and place it had when the app closed last (``size`` on
    the first start).

    Raises
    ------
    InnoAtlasError
        When the project cannot be loaded.
    """
    # Large tables (a million start-ups) are read after the window shows.
    defer = large_tables(Path(project), defer_above)
    loaded = open_project(project, defer=defer)
    # The embedded default project is a template: saving it asks for a new file.
    is_default = Path(project).resolve() == DEFAULT_PROJECT.resolve()
    window = MainWindow(loaded.stack, None if is_default else Path(project), loaded.settings)
    specs = layer_specs(loaded.settings)
    window.deferred_layers = DeferredLayers(
        window, Path(project), {name: specs[name] for name in defer if name in specs}
    )
    if len(loaded.settings.view) == 3:
        window.canvas.set_view(*loaded.settings.view)
    if loaded.notes:
        window.statusBar().showMessage("; ".join(loaded.notes), 15000)
    if not (remember and restore_window_geometry(window)):
        fit_window(window, size, clamp_to_screen)
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


def _hand_over(window: MainWindow, frame: first_frame.FirstFrame | None) -> None:
    """The kept picture (if one is shown) closes once the window has drawn its map."""
    if frame is None:
        return

    def close(*_args) -> None:
        window.canvas.rendered.disconnect(close)
        frame.replaced = True
        frame.close()

    window.canvas.rendered.connect(close)


class FirstFrameKeeper:
    """Keeps the window's first drawn frame for the next start
    (:mod:`app.ui.window.first_frame`): grabbed when the canvas has drawn the map the
    first time, as the next start will show it first (the large layers still being
    read, if any), and written once those layers are in and drawn (the PNG is not
    encoded while they are read or before they are drawn)."""

    def __init__(self, window: MainWindow, project: Path, key: str | None) -> None:
        self.window, self.project, self.key = window, Path(project), key
        self.image = None
        self.title = ""
        self.maximised = False
        self.written = False
        if key is not None:
            window.canvas.rendered.connect(self._rendered)

    def _rendered(self, *_args) -> None:
        self.window.canvas.rendered.disconnect(self._rendered)
        QTimer.singleShot(0, self._grab)  # once this paint (labels too) is done

    def _grab(self) -> None:
        if self.window.project.dirty or not self.window.isVisible():
            return
        self.image = self.window.grab()
        self.title = self.window.windowTitle()
        self.maximised = self.window.isMaximized()
        deferred = self.window.deferred_layers
        if deferred.pending:
            deferred.arrived.connect(self._arrived)
        else:
            self.write()

    def _arrived(self, *_args) -> None:
        if not self.window.deferred_layers.pending:
            self.window.deferred_layers.arrived.disconnect(self._arrived)
            self.window.canvas.rendered.connect(self._drawn)  # after the layers are drawn

    def _drawn(self, *_args) -> None:
        self.window.canvas.rendered.disconnect(self._drawn)
        QTimer.singleShot(0, self.write)

    def write(self) -> bool:
        """Write the grabbed frame (once); False when there is none."""
        if self.image is None or self.written:
            return False
        self.written = first_frame.remember(
            self.project,
            self.key,
            self.image.toImage(),
            self.title,
            self.image.devicePixelRatio(),
            self.maximised,
        )
        return self.written


def run_gui(
    project: Path,
    screenshot: Path | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
    start: first_frame.Start | None = None,
) -> int:
    """Run the app on ``project``; with ``screenshot`` save the drawn window and exit.

    ``start`` is what :func:`app.ui.window.first_frame.begin` did before the heavy
    imports (the project file's state and the kept picture shown, if any).

    Returns the process exit code.
    """
    qInstallMessageHandler(_qt_message)
    app = application(sys.argv[:1])
    _setup_logging()
    _install_excepthook(interactive=screenshot is None)
    if start is None:
        start = first_frame.Start(first_frame.project_key(project, i18n.language()), None)
    if start.frame is not None and start.frame.cancelled:
        return 0  # the user closed the picture: no window opens after it
    try:
        # A screenshot gets exactly the asked size, even beyond a small (offscreen) screen.
        window = open_main_window(
            project, size, clamp_to_screen=screenshot is None, remember=screenshot is None
        )
    except Exception as err:
        if start.frame is not None:
            start.frame.close()
        if not isinstance(err, InnoAtlasError):
            log.error("cannot open %s\n%s", project, traceback.format_exc())
            err = InnoAtlasError(f"cannot open {Path(project).name}: {first_line(err)}")
        print(f"innoatlas: error: {err}", file=sys.stderr)
        if screenshot is None:
            QMessageBox.critical(None, i18n.tr("InnoAtlas — cannot open project"), str(err))
        return 2
    if start.frame is not None and start.frame.cancelled:  # closed while the window was built
        window.close()
        return 0
    if screenshot is None:
        first_frame.follow(start.frame, window)  # moved or maximised meanwhile: there
    _hand_over(window, start.frame)
    keeper = window.first_frame_keeper = FirstFrameKeeper(window, project, start.key)
    window.show()
    if screenshot is None:
        window.project.claim_lock()
        window.project.offer_recovery()
        return app.exec()
    if not wait_until_drawn(window):
        print("innoatlas: error: the map was not drawn in time", file=sys.stderr)
        return 1
    timing = os.environ.get("INNOATLAS_TIMING")  # read by bench/bench_startup.py
    if timing:
        print(f"timing: drawn {time.time():.6f}", file=sys.stderr)
    # The screenshot shows every layer: wait for the large ones read in the background.
    deferred = window.deferred_layers
    if deferred.pending:
        deferred.wait()
        window.canvas.render_count = 0
        window.canvas.refresh()
        if not wait_until_drawn(window):
            print("innoatlas: error: the map was not drawn in time", file=sys.stderr)
            return 1
        if timing:
            print(f"timing: complete {time.time():.6f}", file=sys.stderr)
    image = window.grab()
    keeper.write()  # the first frame, for the next start
    screenshot = Path(screenshot)

    def write(temp: Path) -> None:
        if not image.save(str(temp), "PNG"):
            raise InnoAtlasError("the image could not be encoded")

    try:
        if not screenshot.parent.exists():
            raise InnoAtlasError("no such folder")
        write_atomically(screenshot, write, InnoAtlasError, verb="write", suffix=".png.part")
    except InnoAtlasError:
        print(f"innoatlas: error: cannot write the screenshot to {screenshot}", file=sys.stderr)
        return 2
    window.close()
    return 0


__all__ = ["application", "open_main_window", "run_gui", "wait_until_drawn", "Qt"]
