"""File checks before GDAL opens a vector file: missing, empty, truncated GeoPackage, a
shapefile without its .dbf, a .prj PROJ cannot parse; the path GDAL reads (a temporary
copy with a rebuilt .shx, the shapefile folder inside a .zip); and the one-line message
for a file GDAL cannot read.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyogrio

from app.core.errors import first_line
from app.core.formats.vector.crs import _known_crs
from app.core.formats.vector.limits import check_sidecars, check_zip, read_capped
from app.core.formats.vector.model import InputError


def _sibling(path: Path, suffix: str) -> Path | None:
    """``path`` with another suffix, in lower or upper case, when it exists."""
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    return None


def _check_path(path: Path, what: str) -> None:
    if not path.exists():
        raise InputError(f"{what} file not found: {path}")
    if path.is_dir():
        if path.suffix.lower() == ".gdb":
            return
        raise InputError(f"{what} path is a folder, not a file: {path}")
    if path.stat().st_size == 0:
        raise InputError(f"{what} file {path} is empty (0 bytes)")
    suffix = path.suffix.lower()
    if suffix in {".shp", ".dbf"}:
        check_sidecars(path, what)
    if suffix == ".shp" and _sibling(path, ".dbf") is None:
        raise InputError(
            f"{what} shapefile {path} has no {path.stem}.dbf (its attribute "
            "table): copy the .dbf next to the .shp"
        )
    if suffix == ".gpkg":
        _check_sqlite(path, what)
    if suffix == ".zip":
        check_zip(path, what)  # before anything inside is read
        parts = _zip_shapefile(path)
        if parts and ".dbf" not in parts:
            raise InputError(
                f"{what} file {path}: the shapefile {parts['.shp']} inside has "
                "no .dbf (its attribute table)"
            )
        if parts and ".shx" not in parts:
            raise InputError(
                f"{what} file {path}: the shapefile {parts['.shp']} inside has "
                "no .shx (its shape index): unzip it and import the .shp"
            )


def _check_sqlite(path: Path, what: str) -> None:
    """A GeoPackage is an SQLite file: check its header and that it is complete."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise InputError(f"{what} file {path} is not a GeoPackage (not an SQLite database)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]  # the page count is only valid then
    size = path.stat().st_size
    if valid and pages and size < page_size * pages:
        raise InputError(
            f"{what} file {path} is truncated ({size} of {page_size * pages} bytes): copy it again"
        )


def _bad_prj(path: Path) -> str | None:
    """The text of a shapefile's .prj when PROJ cannot parse it (GDAL then fails to read
    the file), else None."""
    prj = _sibling(path, ".prj") if path.suffix.lower() == ".shp" else None
    if prj is None:
        return None
    text = read_capped(prj, prj.name).decode("latin-1").strip()
    if _known_crs(text) is not None:
        return None
    return text.replace("\n", " ") or "(empty)"


@contextlib.contextmanager
def _readable(path: Path, notes: list[str], drop_prj: bool = False) -> Iterator[Path | str]:
    """The path to read: a temporary copy when the .shx is missing (rebuilt there) or
    a .prj PROJ cannot parse must be left out."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        yield _zip_source(path)
        return
    restore = suffix == ".shp" and _sibling(path, ".shx") is None
    if not (restore or (drop_prj and suffix == ".shp")):
        yield path
        return
    keep = {".shp", ".dbf", ".cpg", ".shx"} | (set() if drop_prj else {".prj"})
    with tempfile.TemporaryDirectory(prefix="innoatlas-shp-") as folder:
        for part in path.parent.glob(f"{_glob_escape(path.stem)}.*"):
            if part.suffix.lower() in keep:
                shutil.copy(part, Path(folder) / (path.stem + part.suffix.lower()))
        copy = Path(folder) / (path.stem + ".shp")
        if restore:
            with _RESTORE_LOCK:
                pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": True})
                try:
                    pyogrio.read_info(copy)  # opening rebuilds the .shx
                finally:
                    pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})
            notes.append(
                f"{path.name}: no {path.stem}.shx (the shape index): rebuilt from "
                "the .shp for this import"
            )
        yield copy


_RESTORE_LOCK = threading.Lock()


def _glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _zip_shapefile(path: Path) -> dict[str, str]:
    """Suffix -> member name of the first shapefile in a .zip ({} when there is none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if not m.endswith("/")]
    except (zipfile.BadZipFile, OSError):
        return {}
    shp = next((m for m in members if m.lower().endswith(".shp")), None)
    if shp is None:
        return {}
    stem = shp[:-4]
    return {
        m[len(stem) :].lower(): m
        for m in members
        if m[: len(stem)] == stem
        and m[len(stem) :].lower() in {".shp", ".shx", ".dbf", ".cpg", ".prj"}
    }


def _zip_source(path: Path) -> Path | str:
    """What GDAL opens for a .zip: the folder inside that holds the shapefile, if any."""
    parts = _zip_shapefile(path)
    folder = parts[".shp"].rpartition("/")[0] if parts else ""
    return f"/vsizip/{path.resolve()}/{folder}" if folder else path  # str: keeps the //


#: Files that belong to a shapefile: they are read through its .shp.
SHAPEFILE_PARTS = (
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qix",
    ".sbn",
    ".sbx",
    ".qmd",
    ".shp.xml",
    ".atx",
    ".fbn",
    ".fbx",
    ".ain",
    ".aih",
    ".ixs",
    ".mxs",
)


def _unreadable(path: Path, what: str, err: Exception) -> str:
    message = first_line(err)
    if path.suffix.lower() in {".geojson", ".json"} and "GeoJSON" in message:
        return f"{what} file {path} is not valid JSON: {message}"
    if path.name.lower().endswith(SHAPEFILE_PARTS):
        return (
            f"{path.name} is one part of a shapefile: add the .shp file ({path.stem}.shp) instead"
        )
    if "not recognized as being in a supported file format" in message:
        return (
            f"{path.name} is not a vector format GDAL reads (GeoPackage, Shapefile, "
            "GeoJSON, CSV, KML, GML, FlatGeobuf …)"
        )
    return f"cannot read {what} from {path}: {message}"
