"""The basemap's disk cache: one file per tile plus its freshness, with a size limit
(least recently used tiles go first). Thread-safe: the fetch threads share one cache.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

#: Default size limit of the disk cache.
DEFAULT_LIMIT_BYTES = 200 * 1024 * 1024
#: How long a tile counts as fresh when the server says nothing (OSM asks for >= 7 days).
DEFAULT_MAX_AGE_S = 7 * 24 * 3600


@dataclass(frozen=True)
class CachedTile:
    """A tile from the cache: its bytes, whether it is still fresh, and its validators."""

    data: bytes
    fresh: bool
    etag: str = ""
    last_modified: str = ""


def freshness(headers, now: float | None = None) -> float | None:
    """Until when (epoch seconds) a response may be used without asking again, from its
    ``Cache-Control`` (``max-age``, ``no-store``, ``no-cache``) and ``Expires`` headers;
    ``None`` for ``no-store`` (do not cache)."""
    now = time.time() if now is None else now
    control = str(headers.get("Cache-Control", "") or "").lower()
    directives = [part.strip() for part in control.split(",") if part.strip()]
    if "no-store" in directives:
        return None
    if "no-cache" in directives:
        return now
    for part in directives:
        if part.startswith("max-age="):
            try:
                return now + max(0, int(part.split("=", 1)[1]))
            except ValueError:
                break
    expires = headers.get("Expires")
    if expires:
        try:
            return parsedate_to_datetime(str(expires)).timestamp()
        except (TypeError, ValueError):
            return now
    return now + DEFAULT_MAX_AGE_S


class TileCache:
    """Tiles on disk under ``folder/<source>/<z>/<x>/<y>.tile`` with a ``.json`` beside.

    Parameters
    ----------
    folder : Path
        The cache folder (the user cache folder in the app).
    limit_bytes : int
        When the tiles take more, the least recently used go until 80 % are left.
    """

    def __init__(self, folder: Path, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.folder = Path(folder)
        self.limit_bytes = int(limit_bytes)
        self._lock = threading.Lock()
        self._size: int | None = None

    def _path(self, source: str, z: int, x: int, y: int) -> Path:
        return self.folder / source / str(z) / str(x) / f"{y}.tile"

    def get(self, source: str, z: int, x: int, y: int) -> CachedTile | None:
        """The cached tile, or ``None``."""
        path = self._path(source, z, x, y)
        try:
            data = path.read_bytes()
            meta = json.loads(path.with_suffix(".json").read_text("utf-8"))
            os.utime(path)  # recently used
        except (OSError, ValueError):
            return None
        return CachedTile(
            data,
            float(meta.get("expires", 0)) > time.time(),
            str(meta.get("etag", "")),
            str(meta.get("last_modified", "")),
        )

    def put(
        self,
        source: str,
        z: int,
        x: int,
        y: int,
        data: bytes,
        expires: float,
        etag: str = "",
        last_modified: str = "",
    ) -> None:
        """Store a tile (replacing the old one) and keep the cache under its limit."""
        path = self._path(source, z, x, y)
        meta = {"expires": expires, "etag": etag, "last_modified": last_modified}
        with self._lock:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                old = path.stat().st_size if path.exists() else 0
                tmp = path.with_suffix(".part")
                tmp.write_bytes(data)
                os.replace(tmp, path)
                path.with_suffix(".json").write_text(json.dumps(meta), "utf-8")
            except OSError:
                return  # a full or read-only disk: the tile is just not cached
            self._size = self._measure() if self._size is None else self._size + len(data) - old
            if self._size > self.limit_bytes:
                self._trim()

    def touch_fresh(self, source: str, z: int, x: int, y: int, expires: float) -> None:
        """A ``304 Not Modified`` answer: the cached tile is fresh until ``expires``."""
        path = self._path(source, z, x, y).with_suffix(".json")
        with self._lock:
            try:
                meta = json.loads(path.read_text("utf-8"))
                meta["expires"] = expires
                path.write_text(json.dumps(meta), "utf-8")
            except (OSError, ValueError):
                pass

    def size_bytes(self) -> int:
        """Bytes the cached tiles take."""
        with self._lock:
            self._size = self._measure()
            return self._size

    def _tiles(self) -> list[tuple[float, int, Path]]:
        found = []
        for root, _dirs, files in os.walk(self.folder):
            for name in files:
                if name.endswith(".tile"):
                    path = Path(root) / name
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    found.append((stat.st_mtime, stat.st_size, path))
        return found

    def _measure(self) -> int:
        return sum(size for _t, size, _p in self._tiles())

    def _trim(self) -> None:
        tiles = sorted(self._tiles())  # oldest use first
        total = sum(size for _t, size, _p in tiles)
        target = int(self.limit_bytes * 0.8)
        for _mtime, size, path in tiles:
            if total <= target:
                break
            for victim in (path, path.with_suffix(".json")):
                try:
                    victim.unlink()
                except OSError:
                    pass
            total -= size
        self._size = total


__all__ = ["DEFAULT_LIMIT_BYTES", "CachedTile", "TileCache", "freshness"]
