"""Large point layers of the web map as compact typed arrays (not one GeoJSON feature each).

A point layer of more than :data:`PACK_THRESHOLD` points goes into the page as:

- its longitudes and latitudes quantised to unsigned 16-bit integers over the layer's
  extent (about 0.3 m over Seoul; 32-bit where 16 bits would be coarser than
  :data:`MAX_STEP_DEG`), little-endian, base64;
- the index of each point's style class (8 or 16 bits, base64; left out with one class);
- the popup's only field, each point's label text (its name), joined by newlines,
  gzip-compressed and base64 (the page inflates it with the browser's own
  ``DecompressionStream``; it stays text, shown with ``textContent``).

The page's script (``assets/points.js``) draws them on one canvas per layer and finds
the point under a click itself. 200 000 start-ups take about 2 MB this way against
27 MB as GeoJSON. Qt-free.
"""

from __future__ import annotations

import base64
import gzip
from typing import Any

import numpy as np
import pyproj
import shapely

#: Point layers with more usable points than this are packed (and drawn on a canvas).
PACK_THRESHOLD = 1500
#: The largest quantisation step (degrees, about 1 m) for which 16 bits are kept.
MAX_STEP_DEG = 1e-5


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(array.tobytes()).decode("ascii")


def _axis(values: np.ndarray) -> dict[str, Any]:
    """One coordinate axis quantised: ``o + q * d`` gives back the value."""
    low, high = float(values.min()), float(values.max())
    span = high - low
    bits = 16 if span / 65535 <= MAX_STEP_DEG else 32
    top = 65535 if bits == 16 else 4294967295
    step = span / top if span > 0 else 1.0
    q = np.rint((values - low) / step).astype("<u2" if bits == 16 else "<u4")
    return {"o": low, "d": step, "b": bits, "q": _b64(q)}


def can_pack(geometries: np.ndarray) -> bool:
    """True when ``geometries`` (the usable ones of a point layer) are enough single
    points to be packed."""
    return len(geometries) > PACK_THRESHOLD and bool(np.all(shapely.get_type_id(geometries) == 0))


def pack_points(
    geometries: np.ndarray,
    transformer: pyproj.Transformer,
    codes: np.ndarray,
    classes: int,
    texts: np.ndarray,
) -> dict[str, Any]:
    """The packed record of a large point layer.

    Parameters
    ----------
    geometries : ndarray of shapely Point
        The layer's usable points, in its own CRS.
    transformer : pyproj.Transformer
        From that CRS to WGS 84 longitude/latitude (``always_xy``).
    codes : ndarray of int
        Each point's style class (an index into the layer's styles).
    classes : int
        How many style classes the layer has.
    texts : ndarray of str
        Each point's label text (its name; ``""`` for none), shown in its popup.

    Returns
    -------
    dict
        ``n`` (points), ``lon`` and ``lat`` (quantised axes: ``o``, ``d``, ``b``, ``q``),
        ``s`` (base64 class indices, or None with one class), ``sb`` (their bits) and
        ``names`` (base64 gzip of the newline-joined names, or None when none has one).
    """
    coords = shapely.get_coordinates(geometries)
    lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    wide = classes > 255
    styles = _b64(np.asarray(codes, dtype="<u2" if wide else "u1")) if classes > 1 else None
    names = None
    if len(texts) and np.any(texts != ""):
        joined = "\n".join(str(t).replace("\r", " ").replace("\n", " ") for t in texts.tolist())
        names = base64.b64encode(gzip.compress(joined.encode("utf-8"), mtime=0)).decode("ascii")
    return {
        "n": int(len(coords)),
        "lon": _axis(lon),
        "lat": _axis(lat),
        "s": styles,
        "sb": 16 if wide else 8,
        "names": names,
    }


def name_characters(texts: np.ndarray) -> str:
    """Every distinct character of ``texts``, for the embedded font's subset (the packed
    names are compressed, so the page's text does not show them)."""
    return "".join(sorted(set("".join(t for t in texts.tolist() if t))))


__all__ = ["MAX_STEP_DEG", "PACK_THRESHOLD", "can_pack", "name_characters", "pack_points"]
