"""CRSs of vector input: labels (``"EPSG:5179"``), parsing the user's or a file's CRS
text, the ``"crs"`` member of GeoJSON files, whether coordinates look like
longitude/latitude, and the note naming the datum shift of Bessel (Korean 1985) data.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj

from app.core.errors import first_line
from app.core.formats.vector.model import InputError
from layers.model import WORKING_CRS


def crs_label(crs) -> str | None:
    """A short label for a CRS.

    Parameters
    ----------
    crs : pyproj.CRS, str or None
        Anything :meth:`pyproj.CRS.from_user_input` reads; a bound CRS (a .prj with
        TOWGS84) is labelled by its source CRS.

    Returns
    -------
    str or None
        ``"EPSG:5179"`` when the CRS has a known authority code, else its name; None
        when ``crs`` is None.
    """
    if crs is None:
        return None
    crs = pyproj.CRS.from_user_input(crs)
    if crs.is_bound and crs.source_crs is not None:  # a .prj with TOWGS84
        crs = crs.source_crs
    authority = crs.to_authority(min_confidence=70)
    return f"{authority[0]}:{authority[1]}" if authority else crs.name


def _known_crs(text: str) -> pyproj.CRS | None:
    """The CRS PROJ reads from ``text`` (WKT, ``EPSG:…``, a PROJ string), else None."""
    try:
        return pyproj.CRS.from_user_input(text)
    except Exception:
        return None


def _parse_crs(text: str, name: str) -> pyproj.CRS:
    try:
        return pyproj.CRS.from_user_input(text)
    except Exception as err:
        raise InputError(
            f"unknown CRS {text!r} for {name}: {first_line(err)}; choose one "
            "of EPSG:5186, 5179, 5181, 5174 or 4326"
        ) from None


def _geojson_crs_name(path: Path) -> str | None:
    """The ``"crs"`` member's name of a GeoJSON file (GDAL ignores names it does not know
    and reads such a file as EPSG:4326)."""
    if path.suffix.lower() not in {".geojson", ".json"}:
        return None
    with path.open("rb") as handle:
        head = handle.read(1 << 16).decode("utf-8", errors="replace")
    found = re.search(r'"crs"\s*:\s*\{.{0,400}?"name"\s*:\s*"([^"]+)"', head, re.S)
    return found.group(1) if found else None


def _geojson_crs(path: Path) -> tuple[str | None, bool]:
    """The GeoJSON ``"crs"`` member's name and whether PROJ does not know it."""
    crs_name = _geojson_crs_name(path)
    if crs_name is None:
        return None, False
    return crs_name, _known_crs(crs_name) is None


def _is_bessel(crs: pyproj.CRS) -> bool:
    ellipsoid = crs.ellipsoid
    return ellipsoid is not None and "bessel" in ellipsoid.name.lower()


def datum_shift_note(crs) -> str | None:
    """One sentence naming the datum shift PROJ uses from a Bessel-datum CRS to EPSG:5186.

    Korean 1985 data (EPSG:5174 and the other Bessel CRSs) is shifted to the GRS80 datum
    by a 7-parameter transformation; two parameter sets circulate, so the user should see
    which one is applied.

    Parameters
    ----------
    crs : pyproj.CRS or str
        The source CRS.

    Returns
    -------
    str or None
        ``"EPSG:5174 -> EPSG:5186 uses Korean 1985 to KGD2002 (1) (molobadekas x=-145.907
        ...); ..."``; None when the CRS is not on a Bessel ellipsoid.
    """
    try:
        source = pyproj.CRS.from_user_input(crs)
    except Exception:
        return None
    if not _is_bessel(source):
        return None
    label = crs_label(source)
    try:
        group = pyproj.transformer.TransformerGroup(source, pyproj.CRS(WORKING_CRS), always_xy=True)
        best = group.transformers[0]
    except Exception:
        return None
    shift = _shift_step(best.definition)
    name = next(
        (part.strip() for part in best.description.split("+") if " to " in part), best.description
    )
    own = None
    if source.is_bound:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "you will likely lose ... information"
            own = re.search(r"towgs84=([-\d.,]+)", source.to_proj4() or "")
    via = f"the file's towgs84={own.group(1)}" if own else f"{name} ({shift})"
    if "korea" not in (source.datum.name if source.datum else "").lower():
        return f"{label} -> {WORKING_CRS} uses {via} (Bessel datum shift)"
    return (
        f"{label} -> {WORKING_CRS} uses {via}; two parameter sets circulate for "
        "Korean 1985 data (e.g. towgs84=-115.80,474.99,674.11,1.16,-2.31,-1.63,6.43), "
        "so check a known point if positions look shifted"
    )


def _shift_step(definition: str) -> str:
    """The Helmert/Molodensky-Badekas step of a PROJ pipeline, shortened."""
    for step in definition.split(" step "):
        if any(key in step for key in ("helmert", "molobadekas", "towgs84")):
            words = [
                w
                for w in step.split()
                if not w.startswith(("px=", "py=", "pz=", "convention=", "inv"))
            ]
            return " ".join(w.removeprefix("proj=") for w in words)
    return definition.split(" step ")[-1][:80]


def _looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    xmin, ymin, xmax, ymax = frame.total_bounds
    return bool(
        np.all(np.isfinite([xmin, ymin, xmax, ymax]))
        and -180 <= xmin <= xmax <= 180
        and -90 <= ymin <= ymax <= 90
    )
