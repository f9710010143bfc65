"""WMTS sources: a GetCapabilities document read safely, its Web Mercator layers as tile
URL templates.

:func:`fetch_capabilities` downloads the document (http/https only, the app's
User-Agent, a timeout, at most :data:`MAX_BYTES`); :func:`parse_capabilities` reads it
as data, never as instructions: a document that declares a DTD or entities is refused
before parsing (no entity expansion, no external fetches: the "billion laughs" and
XXE attacks), as is one too large or not XML. Each layer offered in a tile matrix set
of Web Mercator (EPSG:3857 or its aliases, or the well-known scale set
GoogleMapsCompatible) whose matrices are the usual 2^z × 2^z tiles becomes a
:class:`WmtsLayer` with an XYZ template (RESTful ``ResourceURL`` or KVP ``GetTile``),
which the basemap draws as any XYZ source. Qt-free.
"""

from __future__ import annotations

import math
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from app.core.basemap.sources import USER_AGENT, BasemapError

#: Largest capabilities document read (bytes).
MAX_BYTES = 4_000_000
#: Seconds to wait for the server.
TIMEOUT_S = 10.0

_WMTS = "{http://www.opengis.net/wmts/1.0}"
_OWS = "{http://www.opengis.net/ows/1.1}"
_XLINK = "{http://www.w3.org/1999/xlink}"
#: Web Mercator CRS names of a tile matrix set.
WEB_MERCATOR = re.compile(r"(?:EPSG)?:{1,2}(?:3857|900913|3785|102100|102113)$", re.IGNORECASE)
GOOGLE_SCALE_SET = "GoogleMapsCompatible"
#: Scale denominator of zoom 0 in Web Mercator (0.28 mm pixels, 256-px tiles).
ZOOM0_SCALE = 559082264.0287178
HALF_WORLD = 20037508.342789244


@dataclass(frozen=True)
class WmtsLayer:
    """One Web Mercator layer of a WMTS: its identifier and title, the XYZ template of its
    tiles, the zoom levels offered, and the provider's name (for the credit)."""

    identifier: str
    title: str
    template: str
    min_zoom: int
    max_zoom: int
    provider: str = ""


def check_url(url: str) -> str:
    """``url`` stripped when it is an http(s) URL with a host.

    Raises
    ------
    BasemapError
        Another scheme (file:, ftp: …) or no host.
    """
    text = str(url).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BasemapError("the capabilities URL must start with http:// or https://")
    return text


def fetch_capabilities(url: str, timeout: float = TIMEOUT_S) -> bytes:
    """The bytes of the GetCapabilities document at ``url``.

    A URL without ``REQUEST=`` gets ``SERVICE=WMTS&REQUEST=GetCapabilities`` added
    (a RESTful ``WMTSCapabilities.xml`` URL is used as it is).

    Raises
    ------
    BasemapError
        A bad URL, an HTTP error, no answer, or a document over :data:`MAX_BYTES`.
    """
    text = check_url(url)
    if "request=" not in text.lower() and not text.lower().endswith(".xml"):
        text += ("&" if "?" in text else "?") + "SERVICE=WMTS&REQUEST=GetCapabilities"
    request = urllib.request.Request(text, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise BasemapError(f"the WMTS server answered HTTP {err.code}") from None
    except (OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise BasemapError(f"the WMTS server cannot be reached ({reason})") from None
    if len(data) > MAX_BYTES:
        raise BasemapError(
            f"the capabilities document is larger than {MAX_BYTES // 1_000_000} MB: refused"
        )
    return data


def _refuse_declarations(data: bytes) -> None:
    head = data.lstrip()[:4096].lower()
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower() or b"<!doctype" in head:
        raise BasemapError(
            "the capabilities document declares a DTD or entities: refused (not read, "
            "nothing fetched)"
        )


def _text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None and found.text else ""


def _web_mercator_sets(root: ET.Element) -> dict[str, dict[int, str]]:
    """``{matrix set id: {zoom: matrix id}}`` of the Web Mercator 2^z tile matrix sets."""
    sets: dict[str, dict[int, str]] = {}
    for tms in root.iter(f"{_WMTS}TileMatrixSet"):
        identifier = _text(tms, f"{_OWS}Identifier")
        crs = _text(tms, f"{_OWS}SupportedCRS")
        well_known = _text(tms, f"{_WMTS}WellKnownScaleSet")
        if not identifier or tms.find(f"{_WMTS}TileMatrix") is None:
            continue  # a link inside a layer, not a definition
        if not (WEB_MERCATOR.search(crs) or well_known.endswith(GOOGLE_SCALE_SET)):
            continue
        zooms: dict[int, str] = {}
        for matrix in tms.iter(f"{_WMTS}TileMatrix"):
            name = _text(matrix, f"{_OWS}Identifier")
            try:
                width = int(_text(matrix, f"{_WMTS}MatrixWidth"))
                height = int(_text(matrix, f"{_WMTS}MatrixHeight"))
                scale = float(_text(matrix, f"{_WMTS}ScaleDenominator"))
                corner = [float(v) for v in _text(matrix, f"{_WMTS}TopLeftCorner").split()]
                tile = int(_text(matrix, f"{_WMTS}TileWidth") or 256)
            except ValueError:
                continue
            if width <= 0 or width != height or width & (width - 1) or tile != 256:
                continue
            z = int(math.log2(width))
            if len(corner) != 2 or any(abs(abs(c) - HALF_WORLD) > 1.0 for c in corner):
                continue
            if corner[0] > 0 or corner[1] < 0:  # the top-left corner, as (x, y)
                continue
            if abs(scale / (ZOOM0_SCALE / 2**z) - 1.0) > 0.01:
                continue
            zooms[z] = name
        if zooms:
            sets[identifier] = zooms
    return sets


def _zoom_pattern(zooms: dict[int, str]) -> str | None:
    """The matrix identifier with ``{z}``: ``"{z}"``, ``"EPSG:3857:{z}"`` …; None when
    the identifiers do not follow one pattern."""
    patterns = set()
    for z, name in zooms.items():
        if not name.endswith(str(z)):
            return None
        patterns.add(name[: len(name) - len(str(z))] + "{z}")
    return patterns.pop() if len(patterns) == 1 else None


def _get_tile_href(root: ET.Element) -> str:
    """The KVP GetTile URL of the OperationsMetadata ("" when none)."""
    for operation in root.iter(f"{_OWS}Operation"):
        if operation.get("name") != "GetTile":
            continue
        for get in operation.iter(f"{_OWS}Get"):
            href = get.get(f"{_XLINK}href", "")
            constraint = get.find(f".//{_OWS}Value")
            if href and (constraint is None or (constraint.text or "").strip() == "KVP"):
                return href
    return ""


def parse_capabilities(data: bytes) -> list[WmtsLayer]:
    """The Web Mercator layers of a WMTS GetCapabilities document.

    Raises
    ------
    BasemapError
        A document too large, with a DTD or entity declarations (refused unread), not
        XML, not WMTS capabilities, or without a layer in a Web Mercator
        (EPSG:3857 / GoogleMapsCompatible) tile matrix set.
    """
    if len(data) > MAX_BYTES:
        raise BasemapError("the capabilities document is too large: refused")
    _refuse_declarations(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise BasemapError(f"the capabilities document is not XML ({err})") from None
    if not root.tag.endswith("Capabilities"):
        raise BasemapError("this is not a WMTS capabilities document")
    sets = _web_mercator_sets(root)
    provider = _text(root, f"{_OWS}ServiceProvider/{_OWS}ProviderName") or _text(
        root, f"{_OWS}ServiceIdentification/{_OWS}Title"
    )
    kvp = _get_tile_href(root)
    layers = []
    contents = root.find(f"{_WMTS}Contents")
    for layer in contents.iter(f"{_WMTS}Layer") if contents is not None else ():
        identifier = _text(layer, f"{_OWS}Identifier")
        title = _text(layer, f"{_OWS}Title") or identifier
        style = next(
            (
                _text(s, f"{_OWS}Identifier")
                for s in layer.iter(f"{_WMTS}Style")
                if s.get("isDefault") == "true"
            ),
            _text(layer, f"{_WMTS}Style/{_OWS}Identifier") or "default",
        )
        links = [
            _text(link, f"{_WMTS}TileMatrixSet") for link in layer.iter(f"{_WMTS}TileMatrixSetLink")
        ]
        chosen = next((name for name in links if name in sets and _zoom_pattern(sets[name])), None)
        if not identifier or chosen is None:
            continue
        pattern = _zoom_pattern(sets[chosen]) or "{z}"
        template = ""
        for resource in layer.iter(f"{_WMTS}ResourceURL"):
            if resource.get("resourceType") == "tile" and resource.get("template"):
                template = resource.get("template", "")
                if "png" in resource.get("format", "") or "jpeg" in resource.get("format", ""):
                    break
        if template:
            template = (
                template.replace("{TileMatrixSet}", chosen)
                .replace("{Style}", style)
                .replace("{TileMatrix}", pattern)
                .replace("{TileRow}", "{y}")
                .replace("{TileCol}", "{x}")
            )
        elif kvp:
            formats = [(f.text or "").strip() for f in layer.iter(f"{_WMTS}Format")]
            image = next((f for f in formats if "png" in f or "jpeg" in f), "image/png")
            query = urlencode(
                {
                    "SERVICE": "WMTS",
                    "REQUEST": "GetTile",
                    "VERSION": "1.0.0",
                    "LAYER": identifier,
                    "STYLE": style,
                    "FORMAT": image,
                    "TILEMATRIXSET": chosen,
                }
            )
            base = kvp.rstrip("?&")
            template = (
                f"{base}{'&' if '?' in base else '?'}{query}"
                f"&TILEMATRIX={pattern}&TILEROW={{y}}&TILECOL={{x}}"
            )
        if not template.startswith(("http://", "https://")) or "{z}" not in template:
            continue
        zooms = sorted(sets[chosen])
        layers.append(WmtsLayer(identifier, title, template, zooms[0], zooms[-1], provider))
    if not layers:
        raise BasemapError(
            "the WMTS offers no layer in Web Mercator (EPSG:3857 / GoogleMapsCompatible) "
            "tiles of 256 px"
        )
    return layers


__all__ = [
    "MAX_BYTES",
    "WmtsLayer",
    "check_url",
    "fetch_capabilities",
    "parse_capabilities",
]
