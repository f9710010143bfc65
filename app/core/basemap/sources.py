"""Where basemap tiles come from: OpenStreetMap, VWorld (Korea's national basemap, with
the user's own API key) and any XYZ URL template the user adds; and the project's
basemap choice (:class:`BasemapSettings`, saved in ``settings.extra["basemap"]``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from app.core.errors import InnoAtlasError

#: ``settings.extra`` key of the project's basemap choice.
BASEMAP_KEY = "basemap"
#: Names the app to the tile servers (OSM's tile usage policy asks for it).
USER_AGENT = "InnoAtlas/1.0 (desktop GIS; +https://github.com/innoatlas)"
OSM = "osm"
VWORLD_BASE, VWORLD_SATELLITE, VWORLD_HYBRID = "vworld-base", "vworld-satellite", "vworld-hybrid"
CUSTOM = "custom"
#: A layer of a WMTS (its GetCapabilities URL and layer; drawn through the XYZ template
#: read from the capabilities, :mod:`app.core.basemap.wmts`).
WMTS = "wmts"


class BasemapError(InnoAtlasError):
    """A basemap source cannot be used (bad URL template, missing API key)."""


@dataclass(frozen=True)
class TileSource:
    """One tile service.

    Parameters
    ----------
    key : str
        Stable identifier (also the cache folder).
    title : str
        Name shown in menus (English; translated by the UI).
    template : str
        URL with ``{z}``, ``{x}``, ``{y}`` (or ``{-y}`` for TMS rows) and, for VWorld,
        ``{key}``.
    attribution : str
        Credit drawn on the map and on exports.
    max_zoom, min_zoom : int
    needs_key : bool
        The URL needs the user's API key (VWorld).
    """

    key: str
    title: str
    template: str
    attribution: str
    max_zoom: int = 19
    min_zoom: int = 0
    needs_key: bool = False

    def url(self, z: int, x: int, y: int, api_key: str = "") -> str:
        """The URL of tile ``z/x/y``."""
        if self.needs_key and not api_key.strip():
            raise BasemapError(f"{self.title} needs an API key (Settings › Basemap)")
        return (
            self.template.replace("{z}", str(z))
            .replace("{x}", str(x))
            .replace("{-y}", str((1 << z) - 1 - y))
            .replace("{y}", str(y))
            .replace("{key}", api_key.strip())
        )

    def cache_name(self) -> str:
        """A folder name for the cache, distinct per URL template."""
        digest = hashlib.sha1(self.template.encode()).hexdigest()[:10]
        return f"{self.key}-{digest}"


_VWORLD = "https://api.vworld.kr/req/wmts/1.0.0/{key}/"
_VWORLD_CREDIT = "© VWorld (Ministry of Land, Infrastructure and Transport)"
BUILT_IN: dict[str, TileSource] = {
    OSM: TileSource(
        OSM,
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
    ),
    VWORLD_BASE: TileSource(
        VWORLD_BASE,
        "VWorld base map",
        _VWORLD + "Base/{z}/{y}/{x}.png",
        _VWORLD_CREDIT,
        max_zoom=19,
        min_zoom=6,
        needs_key=True,
    ),
    VWORLD_SATELLITE: TileSource(
        VWORLD_SATELLITE,
        "VWorld satellite",
        _VWORLD + "Satellite/{z}/{y}/{x}.jpeg",
        _VWORLD_CREDIT,
        max_zoom=19,
        min_zoom=6,
        needs_key=True,
    ),
    VWORLD_HYBRID: TileSource(
        VWORLD_HYBRID,
        "VWorld hybrid",
        _VWORLD + "Hybrid/{z}/{y}/{x}.png",
        _VWORLD_CREDIT,
        max_zoom=19,
        min_zoom=6,
        needs_key=True,
    ),
}


def check_template(template: str) -> str:
    """``template`` stripped, when it is an http(s) URL with ``{z}``, ``{x}`` and a row.

    Raises
    ------
    BasemapError
        Another scheme, no host, or a placeholder missing.
    """
    text = str(template).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BasemapError(f"the tile URL must start with http:// or https://: {text!r}")
    if "{z}" not in text or "{x}" not in text or ("{y}" not in text and "{-y}" not in text):
        raise BasemapError(f"the tile URL needs {{z}}, {{x}} and {{y}}: {text!r}")
    return text


@dataclass(frozen=True)
class BasemapSettings:
    """A project's basemap: off by default, so that a project opens offline the same way.

    ``source`` is a key of :data:`BUILT_IN`, ``"custom"`` (``custom_url`` then holds
    the XYZ template and ``custom_attribution`` its credit) or ``"wmts"`` (a WMTS layer:
    ``wmts_url`` its GetCapabilities URL, ``wmts_layer`` its identifier, ``custom_url``
    the tile template read from the capabilities, ``min_zoom``/``max_zoom`` the levels
    it offers). The VWorld API key is the user's, kept in the app's settings and never
    in the project.
    """

    enabled: bool = False
    source: str = OSM
    opacity: float = 1.0
    greyscale: bool = False
    custom_url: str = ""
    custom_attribution: str = ""
    wmts_url: str = ""
    wmts_layer: str = ""
    min_zoom: int = 0
    max_zoom: int = 19

    def tile_source(self) -> TileSource:
        """The chosen :class:`TileSource`.

        Raises
        ------
        BasemapError
            A custom source whose URL template is unusable.
        """
        if self.source in (CUSTOM, WMTS):
            return TileSource(
                self.source,
                "Custom XYZ" if self.source == CUSTOM else f"WMTS {self.wmts_layer}".strip(),
                check_template(self.custom_url),
                self.custom_attribution.strip() or urlsplit(self.custom_url).netloc,
                max_zoom=self.max_zoom,
                min_zoom=self.min_zoom,
            )
        return BUILT_IN.get(self.source, BUILT_IN[OSM])

    def attribution(self) -> str:
        """The credit to draw ("" when the basemap is off or unusable)."""
        if not self.enabled:
            return ""
        try:
            return self.tile_source().attribution
        except BasemapError:
            return ""

    def as_record(self) -> dict[str, Any]:
        """A JSON-friendly dict (``settings.extra["basemap"]``)."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: Any) -> BasemapSettings:
        """Inverse of :meth:`as_record`; unusable values get their default."""
        if not isinstance(record, dict):
            return cls()
        base = cls()
        opacity = record.get("opacity", 1.0)
        try:
            opacity = float(opacity)
        except (TypeError, ValueError):
            opacity = 1.0
        if not math.isfinite(opacity):
            opacity = 1.0
        source = str(record.get("source", OSM))

        def zoom(key: str, default: int) -> int:
            try:
                value = int(record.get(key, default))
            except (TypeError, ValueError):
                return default
            return min(24, max(0, value))

        return replace(
            base,
            enabled=bool(record.get("enabled", False)),
            source=source if source in BUILT_IN or source in (CUSTOM, WMTS) else OSM,
            opacity=min(1.0, max(0.0, opacity)),
            greyscale=bool(record.get("greyscale", False)),
            custom_url=str(record.get("custom_url", "") or ""),
            custom_attribution=str(record.get("custom_attribution", "") or ""),
            wmts_url=str(record.get("wmts_url", "") or ""),
            wmts_layer=str(record.get("wmts_layer", "") or ""),
            min_zoom=zoom("min_zoom", 0),
            max_zoom=zoom("max_zoom", 19),
        )

    @classmethod
    def of(cls, extra: dict[str, Any]) -> BasemapSettings:
        """The basemap saved in a project's ``settings.extra``."""
        return cls.from_record(extra.get(BASEMAP_KEY))


__all__ = [
    "BASEMAP_KEY",
    "BUILT_IN",
    "CUSTOM",
    "OSM",
    "USER_AGENT",
    "WMTS",
    "BasemapError",
    "BasemapSettings",
    "TileSource",
    "check_template",
]
