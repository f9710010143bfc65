"""Fetch one tile over HTTP the way tile servers ask: a User-Agent naming the app, the
cache first, conditional requests for stale tiles, a short timeout. Blocking and
thread-safe: the canvas calls it from a few worker threads, the exports directly.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from app.core.basemap.cache import TileCache, freshness
from app.core.basemap.sources import USER_AGENT, BasemapError, TileSource

#: Seconds to wait for a tile server (connect and each read).
TIMEOUT_S = 6.0


@dataclass(frozen=True)
class TileResult:
    """What came back for one tile: its bytes (``None`` on failure) and why it failed."""

    data: bytes | None
    error: str = ""
    from_cache: bool = False


class TileFetcher:
    """Tiles of one source, through a disk cache.

    Parameters
    ----------
    source : TileSource
    cache : TileCache or None
        Without a cache every tile is asked for (tests, exports without a cache folder).
    api_key : str
        The user's key for sources that need one (VWorld).
    timeout : float
        Seconds before a silent server counts as down.
    """

    def __init__(
        self,
        source: TileSource,
        cache: TileCache | None,
        api_key: str = "",
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.source, self.cache, self.api_key, self.timeout = source, cache, api_key, timeout
        self._name = source.cache_name()

    def fetch(self, z: int, x: int, y: int) -> TileResult:
        """The tile ``z/x/y``: fresh from the cache, else from the server (a stale cached
        tile is revalidated, and used when the server cannot be reached)."""
        cached = self.cache.get(self._name, z, x, y) if self.cache is not None else None
        if cached is not None and cached.fresh:
            return TileResult(cached.data, from_cache=True)
        try:
            url = self.source.url(z, x, y, self.api_key)
        except BasemapError as err:
            return TileResult(None, str(err))
        headers = {"User-Agent": USER_AGENT, "Accept": "image/png,image/jpeg,image/*"}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
                info = response.headers
        except urllib.error.HTTPError as err:
            if err.code == 304 and cached is not None and self.cache is not None:
                expires = freshness(err.headers)
                self.cache.touch_fresh(self._name, z, x, y, expires or time.time())
                return TileResult(cached.data, from_cache=True)
            if cached is not None:
                return TileResult(cached.data, f"HTTP {err.code}", from_cache=True)
            return TileResult(None, f"HTTP {err.code} from {_host(url)}")
        except (OSError, ValueError) as err:  # URLError, timeouts, refused connections
            if cached is not None:
                return TileResult(cached.data, str(err), from_cache=True)
            reason = getattr(err, "reason", err)
            return TileResult(None, f"{_host(url)} cannot be reached ({reason})")
        expires = freshness(info)
        if self.cache is not None and expires is not None and data:
            self.cache.put(
                self._name,
                z,
                x,
                y,
                data,
                expires,
                str(info.get("ETag", "") or ""),
                str(info.get("Last-Modified", "") or ""),
            )
        return TileResult(data)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


__all__ = ["TIMEOUT_S", "TileFetcher", "TileResult"]
