"""The tile basemap under the layers: tiles load in the background, the map never waits.

:class:`BasemapLayer` is what the canvas draws first. It plans the tiles of the view
(:func:`app.core.basemap.tiles.plan`), draws those it holds warped onto the EPSG:5186
map, and asks a small pool of threads (two requests at a time, as tile servers ask) for
the others through the disk cache; each arriving tile schedules a repaint. When tiles
cannot be had (offline, a dead server, an HTTP error, no API key) the basemap just
stays blank and :attr:`BasemapLayer.note` carries one line for the status bar, once
until the source or the network changes. :func:`paint_basemap_now` draws the same for
the PNG/PDF exports, waiting for the tiles (in the export's worker thread).
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QTransform

from app.core.basemap.cache import TileCache
from app.core.basemap.fetch import TileFetcher, TileResult
from app.core.basemap.sources import BasemapError, BasemapSettings, TileSource
from app.core.basemap.tiles import Piece, View, plan
from app.core.map.viewport import Viewport
from app.core.progress import Progress, no_progress

log = logging.getLogger("innoatlas")

#: Requests in flight at once (OSM's policy: few; two like a browser per host).
PARALLEL = 2
#: Decoded tiles kept in memory.
MEMORY_TILES = 384
#: Tiles an export waits for at most (seconds, all together).
EXPORT_WAIT_S = 30.0


def cache_folder() -> Path:
    """The user cache folder for basemap tiles (under ``INNOATLAS_DATA_DIR`` when set,
    e.g. in tests)."""
    override = os.environ.get("INNOATLAS_DATA_DIR")
    if override:
        return Path(override) / "cache" / "tiles"
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "innoatlas") / "tiles"


def qtransform(h) -> QTransform:
    """The :class:`QTransform` of a 3×3 homography ``h`` (column vectors, as numpy)."""
    return QTransform(
        h[0, 0], h[1, 0], h[2, 0], h[0, 1], h[1, 1], h[2, 1], h[0, 2], h[1, 2], h[2, 2]
    )


def draw_tile(painter: QPainter, image: QImage, pieces: list[Piece]) -> None:
    """Draw a tile ``image`` (256 px) through its pieces' transforms."""
    scale_x = image.width() / 256.0
    scale_y = image.height() / 256.0
    for (left, top, right, bottom), h in pieces:
        painter.save()
        painter.setTransform(qtransform(h), True)
        painter.drawImage(
            QRectF(left, top, right - left, bottom - top),
            image,
            QRectF(
                left * scale_x, top * scale_y, (right - left) * scale_x, (bottom - top) * scale_y
            ),
        )
        painter.restore()


def decode(data: bytes | None, greyscale: bool) -> QImage | None:
    """The tile image from its bytes (``None`` when they are not an image)."""
    if not data:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    if greyscale:
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return image


def _view(viewport: Viewport) -> View:
    return View(
        viewport.center_x, viewport.center_y, viewport.resolution, viewport.width, viewport.height
    )


def with_credit(text: str, settings: BasemapSettings | None) -> str:
    """An attribution ``text`` with the basemap's credit after it (when it is shown)."""
    credit = settings.attribution() if settings is not None else ""
    if not credit or credit in text:
        return text
    return f"{text}  ·  {credit}" if text else credit


@dataclass(frozen=True)
class BasemapSpec:
    """What an export needs to draw the basemap: the choice, the user's key, the cache,
    and the export worker's ``progress(fraction, message)`` (it raises
    :class:`~app.core.progress.Cancelled` when the user pressed Cancel)."""

    settings: BasemapSettings
    api_key: str = ""
    cache_dir: Path | None = None
    progress: Progress | None = field(default=None, compare=False)


class BasemapLayer(QObject):
    """The canvas's basemap.

    Signals
    -------
    changed()
        A tile arrived or the settings changed: the map should be drawn again.
    note(str)
        One line for the status bar when tiles cannot be had (once per episode).
    """

    changed = Signal()
    note = Signal(str)
    _arrived = Signal(object, object)  # (key, TileResult) from a worker thread

    def __init__(self, cache_dir: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = BasemapSettings()
        self.api_key = ""
        self.cache = TileCache(cache_dir or cache_folder())
        self._pool = ThreadPoolExecutor(PARALLEL, thread_name_prefix="basemap")
        self._images: OrderedDict[tuple, QImage] = OrderedDict()
        self._pending: set[tuple] = set()
        self._failed: set[tuple] = set()
        self._noted = False
        self._fetcher: TileFetcher | None = None
        self._source: TileSource | None = None
        self._generation = 0
        self._plan: tuple | None = None
        self._arrived.connect(self._on_arrived)
        # tiles arriving together cause one redraw
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(50)
        self._later.timeout.connect(self.changed)

    # -- settings -----------------------------------------------------------------------
    def configure(self, settings: BasemapSettings, api_key: str | None = None) -> None:
        """Use ``settings`` (and the user's API key); drawn again on the next frame."""
        if api_key is not None:
            self.api_key = api_key
        self.settings = settings
        self._generation += 1
        self._images.clear()
        self._pending.clear()
        self._failed.clear()
        self._noted = False
        self._fetcher, self._source = None, None
        if settings.enabled:
            try:
                self._source = settings.tile_source()
            except BasemapError as err:
                self._say(str(err))
            else:
                self._fetcher = TileFetcher(self._source, self.cache, self.api_key)
                if self._source.needs_key and not self.api_key.strip():
                    self._say(f"{self._source.title} needs an API key (Settings › Basemap)")
        self.changed.emit()

    def attribution(self) -> str:
        """The credit of the shown basemap ("" when off)."""
        return self.settings.attribution()

    # -- drawing ------------------------------------------------------------------------
    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        """Draw the tiles held for ``viewport``; ask for the missing ones (never waits)."""
        source, fetcher = self._source, self._fetcher
        if not self.settings.enabled or source is None or fetcher is None:
            return
        view = _view(viewport)
        if self._plan is None or self._plan[0] != (view, self._generation):
            # tiles arriving redraw the same view: plan it once
            self._plan = ((view, self._generation), plan(view, source.max_zoom, source.min_zoom))
        tiles = self._plan[1]
        painter.save()
        painter.setOpacity(painter.opacity() * self.settings.opacity)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for tile, pieces in tiles:
            key = (self._generation, *tile)
            image = self._images.get(key)
            if image is not None:
                self._images.move_to_end(key)
                draw_tile(painter, image, pieces)
            elif key not in self._pending and key not in self._failed:
                self._pending.add(key)
                self._pool.submit(self._load, fetcher, key)
        painter.restore()

    def _load(self, fetcher: TileFetcher, key: tuple) -> None:
        """In a worker thread: fetch one tile and hand it to the GUI thread."""
        try:
            result = fetcher.fetch(*key[1:])
        except Exception as err:
            log.exception("basemap tile %s failed", key)
            result = TileResult(None, str(err))
        self._arrived.emit(key, result)

    def _on_arrived(self, key: tuple, result: TileResult) -> None:
        self._pending.discard(key)
        if key[0] != self._generation:
            return  # the source changed meanwhile
        image = decode(result.data, self.settings.greyscale)
        if image is None:
            self._failed.add(key)
            self._say(result.error or "a basemap tile is not an image")
            return
        self._noted = False if not result.from_cache else self._noted
        self._images[key] = image
        while len(self._images) > MEMORY_TILES:
            self._images.popitem(last=False)
        self._later.start()

    def _say(self, reason: str) -> None:
        if self._noted:
            return
        self._noted = True
        title = self._source.title if self._source is not None else "basemap"
        self.note.emit(f"{title}: {reason}")

    def retry(self) -> None:
        """Ask again for the tiles that failed (e.g. back online)."""
        self._failed.clear()
        self._noted = False
        self.changed.emit()

    def pending(self) -> int:
        """Tiles asked for and not arrived yet."""
        return len(self._pending)

    def shutdown(self) -> None:
        """Stop the worker threads (the app is closing)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def paint_basemap_now(
    painter: QPainter, viewport: Viewport, spec: BasemapSpec | None, timeout: float = 6.0
) -> str:
    """Draw the basemap for an export, waiting for its tiles (at most
    :data:`EXPORT_WAIT_S`); returns a note when tiles were missing ("" otherwise).

    Called in the export's worker thread: while it waits it reports the share of tiles
    in through ``spec.progress``, whose :class:`~app.core.progress.Cancelled` (the
    user's Cancel) stops the waiting at once and goes up to the export (no file)."""
    if spec is None or not spec.settings.enabled:
        return ""
    try:
        source = spec.settings.tile_source()
    except BasemapError as err:
        return str(err)
    cache = TileCache(spec.cache_dir) if spec.cache_dir is not None else None
    fetcher = TileFetcher(source, cache, spec.api_key, timeout)
    tiles = plan(_view(viewport), source.max_zoom, source.min_zoom)
    pool = ThreadPoolExecutor(PARALLEL, thread_name_prefix="basemap-export")
    futures = {pool.submit(fetcher.fetch, *tile): pieces for tile, pieces in tiles}
    report = spec.progress or no_progress
    deadline = time.monotonic() + EXPORT_WAIT_S
    done: set = set()
    try:
        while len(done) < len(futures) and time.monotonic() < deadline:
            report(len(done) / max(len(futures), 1), "basemap tiles")
            finished, _late = wait(futures, timeout=min(0.2, max(0.0, deadline - time.monotonic())))
            done = set(finished)
        report(1.0, "basemap tiles")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # late tiles are not waited for
    painter.save()
    painter.setOpacity(painter.opacity() * spec.settings.opacity)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    missing = 0
    for future, pieces in futures.items():
        image = decode(future.result().data, spec.settings.greyscale) if future in done else None
        if image is None:
            missing += 1
            continue
        draw_tile(painter, image, pieces)
    painter.restore()
    return f"basemap: {missing} of {len(futures)} tiles missing" if missing else ""


class ExportBasemap:
    """The basemap as an export's renderer draws it (waits for its tiles); a note about
    missing tiles goes to ``notes``."""

    def __init__(self, spec: BasemapSpec, notes: list[str]) -> None:
        self.spec, self.notes = spec, notes

    def paint(self, painter: QPainter, viewport: Viewport) -> None:
        note = paint_basemap_now(painter, viewport, self.spec)
        if note:
            self.notes.append(note)

    def attribution(self) -> str:
        return self.spec.settings.attribution()


__all__ = [
    "BasemapLayer",
    "ExportBasemap",
    "BasemapSpec",
    "cache_folder",
    "draw_tile",
    "paint_basemap_now",
    "qtransform",
    "with_credit",
]
