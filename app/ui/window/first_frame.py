"""The window's first frame before the heavy imports: the picture of the window as it
first drew the same, unchanged project file last time, shown while the real window is
built.

Building the main window imports pandas, geopandas, shapely, pyogrio and about 250 of
InnoAtlas's own modules (1.5–2 s here) before anything can be drawn. When the window
draws its map the first time, ``app.ui.gui.FirstFrameKeeper`` grabs it and
:func:`remember` writes it to the user cache folder, one PNG per project file, with
:func:`project_key` in the PNG's text: the file's state
(:func:`~app.ui.window.first_frame_state.file_state`: path, size and modification time of
the GeoPackage and of its ``-wal`` file, every table's ``last_change`` in
``gpkg_contents``, the app's version) and the language. At the next start
:func:`show_cached` shows that picture in a window of the same size, with a busy cursor,
*only if the key is still exactly the same* and the window would have the picture's
size; the real window replaces it as soon as it has drawn its map. Any change of the
file (a save, another program's edit, a touched file) means no picture: the app starts
as before.

This module imports only PySide6 and the standard library (and the app's light
``application`` and ``i18n``): that is the point of it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QRect,
    QSettings,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QCloseEvent, QImage, QImageReader, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from app.ui import i18n
from app.ui.application import application
from app.ui.window.first_frame_state import file_state, frame_path, write_state

#: PNG text entries: the file's state the picture shows, the window title, the ratio.
KEY_TEXT, TITLE_TEXT, RATIO_TEXT = "innoatlas-key", "innoatlas-title", "innoatlas-ratio"
#: PNG text entry: "1" when the picture is of a maximised window.
MAXIMISED_TEXT = "innoatlas-maximised"
#: Pictures kept (one per project file, the most recently written).
MAX_FILES = 16
#: QSettings key of the main window's geometry (``app.ui.gui.GEOMETRY_KEY``).
GEOMETRY_KEY = "window/geometry"


def project_key(project: Path, language: str) -> str | None:
    """The state of ``project`` (:func:`~app.ui.window.first_frame_state.file_state`)
    and the language: what a picture must match; None when the file cannot be read
    (then no picture is shown or written)."""
    state = file_state(project)
    return None if state is None else json.dumps([state, language], ensure_ascii=False)


def remember(
    project: Path,
    key: str | None,
    image: QImage,
    title: str,
    ratio: float,
    maximised: bool = False,
) -> bool:
    """Keep ``image`` (the whole window, as it first drew the file whose state is
    ``key``) for the next start; False when it cannot be written (nothing else happens)."""
    if key is None or image.isNull():
        return False
    target = frame_path(project)
    image = QImage(image)
    image.setText(KEY_TEXT, key)
    image.setText(TITLE_TEXT, title)
    image.setText(RATIO_TEXT, f"{ratio:g}")
    image.setText(MAXIMISED_TEXT, "1" if maximised else "0")
    temp = target.with_name(f"{target.stem}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # a fast, light compression: the picture is written once per start
        if not image.save(str(temp), "PNG", 80):
            temp.unlink(missing_ok=True)
            return False
        os.replace(temp, target)
        write_state(project, json.loads(key)[0])
        _prune(target.parent)
    except OSError:
        with contextlib.suppress(OSError):  # e.g. the folder's path holds a file
            temp.unlink(missing_ok=True)
        return False
    return True


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.png"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def cached(project: Path, key: str | None) -> tuple[QImage, str, float] | None:
    """The kept picture of ``project`` if its state is ``key``: (image, title, ratio)."""
    path = frame_path(project)
    if key is None or not path.is_file():
        return None
    reader = QImageReader(str(path), QByteArray(b"png"))
    if reader.text(KEY_TEXT) != key:  # read from the PNG's header, before the pixels
        return None
    image = reader.read()
    if image.isNull():
        return None
    try:
        ratio = float(reader.text(RATIO_TEXT) or image.text(RATIO_TEXT) or 1.0)
    except ValueError:
        ratio = 1.0
    return image, image.text(TITLE_TEXT), ratio if ratio > 0 else 1.0


class FirstFrame(QWidget):
    """A window showing the kept picture, busy until the real window replaces it."""

    def __init__(self, image: QImage, title: str, ratio: float) -> None:
        super().__init__()
        self.setObjectName("firstFrame")
        self.pixmap = QPixmap.fromImage(image)
        self.pixmap.setDevicePixelRatio(ratio)
        self.setWindowTitle(title)
        self.setCursor(Qt.CursorShape.WaitCursor)
        self.painted = False
        #: Set by the hand-over just before it closes the picture (the window is there).
        self.replaced = False
        #: Where the picture was first shown (None: not yet); see :func:`follow`.
        self.shown_at: QRect | None = None
        #: The user closed the picture before the window replaced it: the start ends.
        self.cancelled = False
        size = self.pixmap.deviceIndependentSize().toSize()
        self.resize(size)

    @property
    def picture_size(self) -> tuple[int, int]:
        size = self.pixmap.deviceIndependentSize().toSize()
        return size.width(), size.height()

    def import_in_steps(self, modules: tuple[str, ...]) -> None:
        """Import ``modules`` one by one, handling events in between, so that the
        picture is repainted (and the window answers the desktop) while the app starts."""
        app = QApplication.instance()
        for name in modules:
            if self.cancelled:
                return
            importlib.import_module(name)
            if app is not None:
                app.processEvents()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed by the user (the window manager's close) before the window replaced
        it: the start is cancelled (:func:`app.ui.gui.run_gui` opens no window)."""
        if not self.replaced:
            self.cancelled = True
        super().closeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self.pixmap)
        painter.end()
        self.painted = True


def show_cached(project: Path, key: str | None, size: tuple[int, int] | None) -> FirstFrame | None:
    """Show the kept picture of ``project`` if the file is unchanged (``key``) and the
    window would have the picture's size: ``size`` (a screenshot's exact size) or, with
    None, the size the window had when it closed last. Returns the shown window, painted,
    or None (nothing shown)."""
    found = cached(project, key)
    if found is None:
        return None
    frame = FirstFrame(*found)
    if size is None:
        saved = QSettings().value(GEOMETRY_KEY, None)
        if not isinstance(saved, QByteArray) or not frame.restoreGeometry(saved):
            return None  # a first start: the window's size is not known yet
        # maximised: its size is known once shown (checked below); else it is known now
        if frame.isMaximized() != (found[0].text(MAXIMISED_TEXT) == "1"):
            return None  # a picture of the window in the other state
        if not frame.isMaximized() and (frame.width(), frame.height()) != frame.picture_size:
            return None
    elif tuple(size) != frame.picture_size:
        return None
    frame.show()
    app = QApplication.instance()
    deadline = time.monotonic() + 5.0
    while not frame.painted and time.monotonic() < deadline:
        app.processEvents()
        if not frame.painted:
            frame.repaint()
    if (frame.width(), frame.height()) != frame.picture_size:  # e.g. maximised by the WM
        frame.close()
        return None
    frame.shown_at = frame.geometry()
    if os.environ.get("INNOATLAS_TIMING"):  # read by bench/bench_app_start.py
        print(f"timing: first {time.time():.6f}", file=sys.stderr)
    return frame


def follow(frame: FirstFrame | None, window: QWidget) -> None:
    """Open ``window`` where the user put the picture while the app started: maximised
    if it was maximised, at its place and size if it was moved or resized; else where
    the window would open anyway (nothing changes)."""
    if frame is None or frame.shown_at is None or frame.cancelled:
        return
    if frame.isMaximized():
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    elif frame.geometry() != frame.shown_at:
        window.setGeometry(frame.geometry())


def qt_message(kind: QtMsgType, _context, message: str) -> None:
    """Qt's own chatter goes to the log, not to the user's terminal."""
    level = (
        logging.DEBUG if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) else logging.WARNING
    )
    logging.getLogger("innoatlas").log(level, "Qt: %s", message)


@dataclass
class Start:
    """What :func:`begin` did: the project file's state (``key``) and the window showing
    its kept picture (``frame``, None when none was shown)."""

    key: str | None
    frame: FirstFrame | None


def begin(project: Path, size: tuple[int, int] | None) -> Start:
    """Create the application and show the kept picture of ``project`` if it still
    shows the file (see :func:`show_cached`; ``size`` is a screenshot's exact size,
    None for the size the window had last). Nothing heavy is imported here."""
    qInstallMessageHandler(qt_message)
    application(sys.argv[:1])
    key = project_key(project, i18n.language())
    frame = None
    if not os.environ.get("INNOATLAS_NO_FIRST_FRAME"):
        frame = show_cached(project, key, size)
    return Start(key, frame)
