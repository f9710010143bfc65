"""Read one vector layer from any file pyogrio reads (or a CSV of coordinates), checked,
in EPSG:5186: the Qt-free import engine.

Every problem the user can fix becomes an :class:`InputError` with a one-line message
naming the file: missing, empty or truncated files, invalid JSON, a shapefile without its
.dbf, no geometry, no features, coordinates that are not numbers, mixed geometry types, a
CRS PROJ does not know or cannot transform, no CRS on coordinates that look projected.
Problems the importer can repair are repaired and said in :attr:`VectorLayer.notes`:
a missing .shx is rebuilt (in a temporary copy), invalid polygons are made valid, Z is
dropped, features without (finite) coordinates are dropped, swapped CSV coordinates are
swapped back, a file without CRS whose coordinates all look like longitude/latitude is
read as EPSG:4326, features far from Korea are flagged (wrong CRS?).

Shapefiles from Korean portals are often CP949 without a .cpg file, and GDAL then reads
them as ISO-8859-1: garbled Korean with no error. The text bytes of the .dbf are checked
instead: UTF-8 when they are valid UTF-8, else CP949 (which includes EUC-KR), and a .cpg
that names the wrong encoding is overruled with a note (ZONING.md). CSV files get the
same detection.

:func:`inspect_vector` and :func:`preview_attributes` are the cheap look-ups an import
dialog makes before :func:`read_vector` (layers, columns, encoding, CRS, coordinate
columns); :class:`ReadOptions` carries the user's answers.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import shutil
import tempfile
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from app.core.errors import InnoAtlasError, first_line
from app.core.progress import Cancelled
from layers.model import WORKING_CRS

#: The CRSs Korean data comes in (ZONING.md), for the "this file has no CRS" choice.
KOREAN_CRS_PRESETS: tuple[tuple[str, str], ...] = (
    ("EPSG:5186", "Korea 2000 / Central Belt 2010"),
    ("EPSG:5179", "Korea 2000 / Unified CS (UTM-K)"),
    ("EPSG:5181", "Korea 2000 / Central Belt"),
    ("EPSG:5174", "Korean 1985 / Modified Central Belt (Bessel)"),
    ("EPSG:4326", "WGS 84 (longitude/latitude)"),
)
BATCH_ROWS = 50_000  # features per read batch: progress and cancel between batches
KOREA_LON = (120.0, 135.0)
KOREA_LAT = (30.0, 45.0)
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_SAMPLE_BYTES = 4 << 20  # text sampled for encoding detection
_PRESET_HINT = "pick its CRS (EPSG:5186, 5179, 5181, 5174 or 4326)"

_X_NAMES = (
    "lon",
    "lng",
    "long",
    "longitude",
    "경도",
    "x",
    "xcoord",
    "x_coord",
    "coordx",
    "coord_x",
    "pointx",
    "point_x",
    "x좌표",
    "좌표x",
    "utmk_x",
    "gps_x",
    "wgs84_x",
    "경도좌표",
    "xpos",
    "easting",
)
_Y_NAMES = (
    "lat",
    "latitude",
    "위도",
    "y",
    "ycoord",
    "y_coord",
    "coordy",
    "coord_y",
    "pointy",
    "point_y",
    "y좌표",
    "좌표y",
    "utmk_y",
    "gps_y",
    "wgs84_y",
    "위도좌표",
    "ypos",
    "northing",
)
_LONLAT_NAMES = {
    "lon",
    "lng",
    "long",
    "longitude",
    "경도",
    "경도좌표",
    "lat",
    "latitude",
    "위도",
    "위도좌표",
}


class InputError(InnoAtlasError):
    """An input file cannot be used; the message says why in one line."""


@dataclass(frozen=True)
class ReadOptions:
    """The user's answers for one file (all optional)."""

    layer: str | None = None  # layer of a multi-layer file (GeoPackage)
    encoding: str | None = None  # None: detect (UTF-8 when valid, else CP949)
    assumed_crs: str | None = None  # CRS of a file that has none, e.g. "EPSG:5179"
    x_column: str | None = None  # CSV coordinate columns; None: guess
    y_column: str | None = None


@dataclass
class LayerInfo:
    """One layer of a file: name, geometry type (None for a table) and feature count."""

    name: str
    geometry_type: str | None
    features: int


@dataclass
class FileInfo:
    """What :func:`inspect_vector` found out about a file without reading it all."""

    path: Path
    driver: str
    layers: list[LayerInfo]
    columns: list[str]
    encoding: str | None
    encoding_note: str
    crs: str | None
    crs_guess: str | None
    x_column: str | None
    y_column: str | None
    notes: list[str] = field(default_factory=list)
    layer: str | None = None  # the layer whose columns are listed (None: the only one)


@dataclass
class VectorLayer:
    """A layer read by :func:`read_vector`."""

    frame: gpd.GeoDataFrame
    path: Path
    layer: str | None
    notes: list[str] = field(default_factory=list)
    source_crs: str | None = None  # the file's CRS (or the assumed/guessed one)
    encoding: str | None = None  # text encoding used (shapefile/CSV), else None


# ---------------------------------------------------------------------------------------
# files


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
    if suffix == ".shp" and _sibling(path, ".dbf") is None:
        raise InputError(
            f"{what} shapefile {path} has no {path.stem}.dbf (its attribute "
            "table): copy the .dbf next to the .shp"
        )
    if suffix == ".gpkg":
        _check_sqlite(path, what)
    if suffix == ".zip":
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
    text = prj.read_bytes().decode("latin-1").strip()
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


# ---------------------------------------------------------------------------------------
# encodings


def _codec(name: str) -> str | None:
    """Python's name for an encoding name as written in .cpg files, or None."""
    text = name.strip().strip("\ufeff").strip()
    if not text:
        return None
    upper = text.upper().replace("ANSI ", "CP").replace("WINDOWS-", "CP")
    if upper.isdigit():
        upper = "UTF-8" if upper == "65001" else f"CP{upper}"
    try:
        return codecs.lookup(upper).name
    except LookupError:
        return None


def _display(codec: str) -> str:
    return {
        "utf-8": "UTF-8",
        "cp949": "CP949",
        "euc_kr": "EUC-KR",
        "latin-1": "ISO-8859-1",
        "iso8859-1": "ISO-8859-1",
        "utf-8-sig": "UTF-8",
    }.get(codec, codec.upper())


def _decodes(data: bytes, codec: str) -> bool:
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=False)  # sample may cut
        return True
    except UnicodeDecodeError:
        return False


def _detect(data: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8 (or ASCII), else CP949, else ISO-8859-1."""
    if _decodes(data, "utf-8"):
        return "utf-8"
    if _decodes(data, "cp949"):
        return "cp949"
    return "latin-1"


def _dbf_text(dbf: Path) -> bytes:
    """The field names and the first records of a .dbf: the bytes that hold text."""
    with dbf.open("rb") as handle:
        head = handle.read(32)
        header_length = int.from_bytes(head[8:10], "little") if len(head) >= 32 else 32
        names = handle.read(max(header_length - 32, 0))
        records = handle.read(_SAMPLE_BYTES)
    return names + records


def _choose_encoding(
    name: str, data: bytes, declared: str | None, source: str, user: str | None
) -> tuple[str, str]:
    """The codec to read with and the note explaining it ('' when nothing to say).

    ``declared`` is the encoding a .cpg names (``source`` says where it came from).
    """
    if user is not None:
        codec = _codec(user)
        if codec is None:
            raise InputError(f"unknown text encoding {user!r} for {name} (try UTF-8 or CP949)")
        return codec, ""
    detected = _detect(data)
    plain_ascii = _decodes(data, "ascii")
    if declared is not None:
        codec = _codec(declared)
        if codec is None:
            return detected, (
                f"{name}: {source} names an unknown encoding "
                f"{declared.strip()!r}: read as {_display(detected)}"
            )
        if plain_ascii or (
            _decodes(data, codec) and not (detected == "utf-8" and codec != "utf-8")
        ):
            return codec, ""
        return detected, (
            f"{name}: {source} says {_display(codec)} but the text is "
            f"{'not ' + _display(codec) if detected != 'utf-8' else 'UTF-8'}:"
            f" read as {_display(detected)}"
        )
    if detected == "cp949":
        return detected, f"{name}: no .cpg file: text is not valid UTF-8, read as CP949"
    if detected == "latin-1":
        return detected, (
            f"{name}: no .cpg file: text is neither UTF-8 nor CP949, read as "
            "ISO-8859-1 (choose the encoding if it looks garbled)"
        )
    return detected, ""


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


def _shapefile_encoding(path: Path, user: str | None) -> tuple[str | None, str]:
    """Encoding of a .shp/.dbf (see :func:`_choose_encoding`); None when not a shapefile."""
    if path.suffix.lower() == ".zip":
        parts = _zip_shapefile(path)
        if ".dbf" not in parts:
            return None, ""
        with zipfile.ZipFile(path) as archive:
            with archive.open(parts[".dbf"]) as handle:
                head = handle.read(32)
                header_length = int.from_bytes(head[8:10], "little") if len(head) >= 32 else 32
                data = handle.read(max(header_length - 32, 0)) + handle.read(_SAMPLE_BYTES)
            declared = archive.read(parts[".cpg"]).decode("latin-1") if ".cpg" in parts else None
        stem = Path(parts[".shp"]).stem
        return _choose_encoding(path.name, data, declared, f"{stem}.cpg", user)
    if path.suffix.lower() not in {".shp", ".dbf"}:
        return None, ""
    dbf = path if path.suffix.lower() == ".dbf" else _sibling(path, ".dbf")
    if dbf is None:
        return None, ""
    cpg = _sibling(path, ".cpg")
    declared = cpg.read_bytes().decode("latin-1") if cpg is not None else None
    return _choose_encoding(path.name, _dbf_text(dbf), declared, f"{path.stem}.cpg", user)


def _csv_encoding(path: Path, user: str | None) -> tuple[str, str]:
    with path.open("rb") as handle:
        data = handle.read(_SAMPLE_BYTES)
    if user is None and data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    codec, note = _choose_encoding(path.name, data, None, "", user)
    return codec, note.replace("no .cpg file: ", "")


# ---------------------------------------------------------------------------------------
# CRS


def crs_label(crs) -> str | None:
    """``"EPSG:5179"`` when the CRS has a known authority code, else its name."""
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


# ---------------------------------------------------------------------------------------
# CSV


def _norm_column(name: str) -> str:
    return re.sub(r"[\s()\[\]]", "", str(name)).lower()


def guess_xy_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """The longitude/x and latitude/y columns of a table, guessed from their names."""
    normal = {_norm_column(c): c for c in columns}

    def pick(names: tuple[str, ...], fragments: tuple[str, ...]) -> str | None:
        for name in names:
            if name in normal:
                return normal[name]
        for key, column in normal.items():
            if any(fragment in key for fragment in fragments):
                return column
        return None

    x = pick(_X_NAMES, ("경도", "x좌표", "longitude"))
    y = pick(_Y_NAMES, ("위도", "y좌표", "latitude"))
    return (x, y) if x and y and x != y else (None, None)


def _sniff_delimiter(path: Path, codec: str) -> str:
    with path.open("r", encoding=codec, errors="replace", newline="") as handle:
        first = handle.readline()
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv_table(
    path: Path,
    codec: str,
    rows: int | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> pd.DataFrame:
    sep = _sniff_delimiter(path, codec)
    try:
        if rows is not None:
            return pd.read_csv(path, encoding=codec, sep=sep, nrows=rows, skipinitialspace=True)
        total = max(_count_lines(path) - 1, 1)
        chunks = []
        with pd.read_csv(
            path, encoding=codec, sep=sep, chunksize=BATCH_ROWS, skipinitialspace=True
        ) as reader:
            for chunk in reader:
                _check_cancel(cancelled, path)
                chunks.append(chunk)
                if progress is not None:
                    done = sum(len(c) for c in chunks)
                    progress(min(0.8 * done / total, 0.8), f"reading {path.name}: {done} rows")
        table = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame()
    except pd.errors.EmptyDataError:
        raise InputError(f"{path} holds no table (no header line)") from None
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as err:
        raise InputError(f"cannot read {path}: {first_line(err)}") from None
    return table


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
    return lines


def _coordinate(values: pd.Series) -> pd.Series:
    """A coordinate column as floats (NaN where not a number); text only when needed."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip().str.replace(",", "")
    return pd.to_numeric(text, errors="coerce").astype(float)


def _csv_points(
    table: pd.DataFrame, path: Path, what: str, options: ReadOptions, notes: list[str]
) -> gpd.GeoDataFrame:
    """A point frame from the coordinate columns of a CSV table (CRS set, maybe guessed)."""
    columns = [str(c) for c in table.columns]
    x_col, y_col = options.x_column, options.y_column
    if x_col is None or y_col is None:
        gx, gy = guess_xy_columns(columns)
        x_col, y_col = x_col or gx, y_col or gy
    if x_col is None or y_col is None:
        raise InputError(
            f"{what} file {path} has no geometry: no coordinate columns "
            "(lon/lat, x/y, 경도/위도 ...) found; choose them"
        )
    for column in (x_col, y_col):
        if column not in table.columns:
            raise InputError(f"{what} file {path} has no column {column!r}")
    if len(table) == 0:
        raise InputError(f"{what} file {path} has no features (no data rows)")
    raw_x, raw_y = table[x_col], table[y_col]
    x, y = _coordinate(raw_x), _coordinate(raw_y)
    ok = (x.notna() & y.notna() & np.isfinite(x) & np.isfinite(y)).to_numpy()
    if not ok.any():
        sample = next(
            (
                str(v)
                for v in pd.concat([raw_x, raw_y])
                if v is not None and str(v).strip() not in {"", "nan", "None"}
            ),
            None,
        )
        if sample is None:
            raise InputError(
                f"{what} file {path}: the coordinate columns {x_col}/{y_col} are empty"
            )
        raise InputError(
            f"{what} file {path}: the coordinate columns {x_col}/{y_col} are "
            f"not numbers (e.g. {sample[:30]!r})"
        )
    if not ok.all():
        notes.append(
            f"{path.name}: {int((~ok).sum())} of {len(ok)} rows without numeric "
            f"coordinates in {x_col}/{y_col} dropped"
        )
    table, xs, ys = table[ok].reset_index(drop=True), x[ok].to_numpy(), y[ok].to_numpy()
    crs = _parse_crs(options.assumed_crs, path.name) if options.assumed_crs else None
    geographic = crs is None or crs.is_geographic
    if geographic and np.all(np.abs(xs) <= 90) and np.all((ys >= 124) & (ys <= 132)):
        xs, ys = ys, xs
        notes.append(f"{path.name}: {x_col} holds latitudes and {y_col} longitudes: swapped")
    lonlat = bool(np.all(np.abs(xs) <= 180) and np.all(np.abs(ys) <= 90))
    if crs is None:
        if not lonlat:
            raise InputError(
                f"{what} file {path} has no CRS and its coordinates "
                f"({x_col}/{y_col}) look projected: {_PRESET_HINT}"
            )
        crs = pyproj.CRS("EPSG:4326")
        notes.append(f"{path.name}: {x_col}/{y_col} read as EPSG:4326 longitude/latitude")
    elif crs.is_geographic and not lonlat:
        raise InputError(
            f"{what} file {path}: {x_col}/{y_col} lie outside the longitude/"
            f"latitude range of {crs_label(crs)} (x {xs.min():g}..{xs.max():g},"
            f" y {ys.min():g}..{ys.max():g}): {_PRESET_HINT}"
        )
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(xs, ys), crs=crs)


# ---------------------------------------------------------------------------------------
# inspection


def _list_layers(path: Path, what: str = "input") -> list[tuple[str, str | None]]:
    try:
        layers = pyogrio.list_layers(path)
    except Exception as err:  # GDAL raises many types; the user needs the message only
        raise InputError(_unreadable(path, what, err)) from None
    return [(str(name), None if kind is None else str(kind)) for name, kind in layers]


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


def _choose_layer(
    path: Path, preferred: str | None, what: str = "input", required: str | None = None
) -> str | None:
    return _pick_layer(_list_layers(path, what), path, preferred, what, required)


def _pick_layer(
    layers: list[tuple[str, str | None]],
    path: Path,
    preferred: str | None,
    what: str = "input",
    required: str | None = None,
) -> str | None:
    """The layer to read among ``layers`` (see :func:`_list_layers`): ``preferred`` when
    present, else the first with geometry; None when the file has only one."""
    if len(layers) == 0:
        raise InputError(f"{what} file {path} holds no layer")
    names = [name for name, _ in layers]
    if preferred is not None and preferred in names:
        return preferred
    if required is not None and required not in names:
        raise InputError(
            f"{what} file {path} has no layer {required!r} (layers: {', '.join(names[:10])})"
        )
    with_geometry = [name for name, kind in layers if kind is not None]
    return (with_geometry or names)[0] if len(names) > 1 else None


def _one_line(function):
    """Turn any failure of ``function(path, ...)`` that is not an InputError into one."""

    @functools.wraps(function)
    def guarded(path, *args, **kwargs):
        try:
            return function(path, *args, **kwargs)
        except (InputError, Cancelled):
            raise
        except Exception as err:  # GDAL/PROJ/pandas failures not foreseen
            raise InputError(f"cannot read {path}: {first_line(err)}") from None

    return guarded


@_one_line
def inspect_vector(path: Path | str, options: ReadOptions | None = None) -> FileInfo:
    """What an import dialog shows before reading: layers, columns, encoding, CRS.

    Cheap: reads the file's metadata and at most a sample of rows.

    Parameters
    ----------
    path : path-like
        Any file :func:`read_vector` reads.
    options : ReadOptions, optional
        ``layer`` picks the layer whose columns are listed, ``encoding`` overrides the
        detection, ``x_column``/``y_column`` the CSV guesses.

    Returns
    -------
    FileInfo

    Raises
    ------
    InputError
        The file is missing, empty, not readable or has no layer.
    """
    path = Path(path)
    options = options or ReadOptions()
    _check_path(path, "input")
    notes: list[str] = []
    if path.suffix.lower() in CSV_SUFFIXES:
        return _inspect_csv(path, options)
    crs_name, unknown_crs = _geojson_crs(path)
    if unknown_crs:
        notes.append(f"{path.name} names a CRS PROJ does not know ({crs_name}): {_PRESET_HINT}")
    default_crs = path.suffix.lower() in {".geojson", ".json"} and (
        crs_name is None or unknown_crs
    )  # GDAL then says EPSG:4326 whatever the data
    encoding, encoding_note = _shapefile_encoding(path, options.encoding)
    bad_prj = _bad_prj(path)
    with _readable(path, notes, drop_prj=bad_prj is not None) as source:
        layers = _list_layers(source)
        if not layers:
            raise InputError(f"input file {path} holds no layer")
        infos, chosen_info = [], None
        chosen = (
            options.layer
            if options.layer in [n for n, _ in layers]
            else _pick_layer(layers, source, None)
        )
        for name, kind in layers:
            try:
                info = pyogrio.read_info(source, layer=name, encoding=encoding)
            except Exception as err:
                raise InputError(_unreadable(path, "input", err)) from None
            infos.append(LayerInfo(name, kind, int(info["features"])))
            if chosen is None or name == chosen:
                chosen_info = chosen_info or info
        try:
            crs = crs_label(chosen_info["crs"]) if chosen_info["crs"] else None
        except Exception:
            crs = None
        crs = None if default_crs else crs
        crs_guess = None
        if crs is None and (chosen_info["geometry_type"] is not None):
            crs_guess = _guess_crs(source, chosen, encoding)
        if default_crs and not unknown_crs and crs_guess == "EPSG:4326":
            crs, crs_guess = "EPSG:4326", None  # RFC 7946 longitude/latitude
        if bad_prj is not None:
            notes.append(f"{path.stem}.prj is not a CRS PROJ knows: {_PRESET_HINT}")
    if encoding_note:
        notes.append(encoding_note)
    return FileInfo(
        path,
        str(chosen_info["driver"]),
        infos,
        [str(c) for c in chosen_info["fields"]],
        None if encoding is None else _display(encoding),
        encoding_note,
        crs,
        crs_guess,
        None,
        None,
        notes,
        chosen,
    )


def _guess_crs(source: Path, layer: str | None, encoding: str | None) -> str | None:
    try:
        sample = pyogrio.read_dataframe(
            source, layer=layer, encoding=encoding, max_features=1000, columns=[]
        )
    except Exception:
        return None
    if len(sample) == 0:
        return None
    return "EPSG:4326" if _looks_geographic(sample) else None


def _inspect_csv(path: Path, options: ReadOptions) -> FileInfo:
    codec, note = _csv_encoding(path, options.encoding)
    sample = _read_csv_table(path, codec, rows=1000)
    columns = [str(c) for c in sample.columns]
    gx, gy = guess_xy_columns(columns)
    x_col, y_col = options.x_column or gx, options.y_column or gy
    crs_guess, notes = None, [note] if note else []
    if x_col in sample.columns and y_col in sample.columns:
        x = pd.to_numeric(sample[x_col], errors="coerce").dropna()
        y = pd.to_numeric(sample[y_col], errors="coerce").dropna()
        if len(x) and len(y):
            fits = (x.abs().max() <= 180 and y.abs().max() <= 90) or (
                x.abs().max() <= 90 and y.between(124, 132).all()
            )
            crs_guess = "EPSG:4326" if fits else None
    else:
        notes.append(f"{path.name}: no coordinate columns found: choose them")
    layers = [
        LayerInfo(path.stem, "Point" if x_col and y_col else None, max(_count_lines(path) - 1, 0))
    ]
    return FileInfo(
        path, "CSV", layers, columns, _display(codec), note, None, crs_guess, x_col, y_col, notes
    )


@_one_line
def preview_attributes(
    path: Path | str, options: ReadOptions | None = None, rows: int = 20
) -> pd.DataFrame:
    """The first ``rows`` rows of a file's attributes, in the chosen (or detected)
    encoding, without geometry: what an import dialog shows to check the text.

    Raises
    ------
    InputError
        The file cannot be read.
    """
    path = Path(path)
    options = options or ReadOptions()
    _check_path(path, "input")
    if path.suffix.lower() in CSV_SUFFIXES:
        codec, _ = _csv_encoding(path, options.encoding)
        return _read_csv_table(path, codec, rows=rows)
    encoding, _ = _shapefile_encoding(path, options.encoding)
    notes: list[str] = []
    with _readable(path, notes, drop_prj=_bad_prj(path) is not None) as source:
        layer = _choose_layer(source, options.layer)
        try:
            table = pyogrio.read_dataframe(
                source, layer=layer, encoding=encoding, read_geometry=False, max_features=rows
            )
        except Exception as err:
            raise InputError(_unreadable(path, "input", err)) from None
    return pd.DataFrame(table)


# ---------------------------------------------------------------------------------------
# reading


def _looks_geographic(frame: gpd.GeoDataFrame) -> bool:
    xmin, ymin, xmax, ymax = frame.total_bounds
    return bool(
        np.all(np.isfinite([xmin, ymin, xmax, ymax]))
        and -180 <= xmin <= xmax <= 180
        and -90 <= ymin <= ymax <= 90
    )


def _check_cancel(cancelled: Callable[[], bool] | None, path: Path) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled(f"import of {path.name} cancelled")


def _read_ogr(
    source: Path,
    path: Path,
    layer: str | None,
    encoding: str | None,
    what: str,
    progress,
    cancelled,
) -> gpd.GeoDataFrame:
    """All features of one layer, in batches of BATCH_ROWS when there are more."""
    try:
        total = int(pyogrio.read_info(source, layer=layer, encoding=encoding)["features"])
    except Exception as err:
        raise InputError(_unreadable(path, what, err)) from None
    kwargs = {"layer": layer, "encoding": encoding}
    try:
        if total <= BATCH_ROWS:
            _check_cancel(cancelled, path)
            return pyogrio.read_dataframe(source, **kwargs)
        parts = []
        for start in range(0, total, BATCH_ROWS):
            _check_cancel(cancelled, path)
            if progress is not None:
                progress(0.8 * start / total, f"reading {path.name}: {start} of {total} features")
            parts.append(
                pyogrio.read_dataframe(
                    source, skip_features=start, max_features=BATCH_ROWS, **kwargs
                )
            )
    except (InputError, Cancelled):
        raise
    except Exception as err:
        raise InputError(_unreadable(path, what, err)) from None
    frame = pd.concat(parts, ignore_index=True)
    return (
        gpd.GeoDataFrame(frame, geometry="geometry", crs=parts[0].crs)
        if isinstance(parts[0], gpd.GeoDataFrame)
        else frame
    )


_FAMILY = {
    0: "Point",
    4: "Point",
    1: "LineString",
    2: "LineString",
    5: "LineString",
    3: "Polygon",
    6: "Polygon",
    7: "GeometryCollection",
}


def _clean_geometry(
    frame: gpd.GeoDataFrame, where: str, what: str, name: str, notes: list[str], allow_mixed: bool
) -> gpd.GeoDataFrame:
    """Drop features without (finite) geometry, drop Z, refuse mixed types, repair
    invalid polygons."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        raise InputError(f"{what} file {where} is empty (no features with geometry)")
    coords, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    bad_rows = np.unique(index[~np.isfinite(coords[:, :2]).all(axis=1)])
    finite = present.copy()
    finite[bad_rows] = False
    if not finite.any():
        raise InputError(
            f"{what} file {where}: no feature has finite coordinates (all NaN/infinite)"
        )
    if (~present).sum():
        notes.append(f"{name}: {int((~present).sum())} features without geometry dropped")
    if len(bad_rows):
        notes.append(f"{name}: {len(bad_rows)} features with NaN/infinite coordinates dropped")
    frame = frame[finite].reset_index(drop=True)
    geoms = geoms[finite]
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
        notes.append(f"{name}: 3D geometries: heights (Z) dropped")
    families = sorted({_FAMILY[t] for t in np.unique(shapely.get_type_id(geoms))})
    if families == ["GeometryCollection", "Polygon"]:  # e.g. output of a clip: keep areas
        collections = shapely.get_type_id(geoms) == 7
        geoms[collections] = _polygonal_parts(geoms[collections])
        notes.append(
            f"{name}: {int(collections.sum())} geometry collections reduced to their polygons"
        )
        families = ["Polygon"]
        keep = ~shapely.is_empty(geoms)
        if not keep.any():
            raise InputError(f"{what} file {where}: no polygon has an area")
        frame, geoms = frame[keep].reset_index(drop=True), geoms[keep]
    if len(families) > 1 and not allow_mixed:
        raise InputError(
            f"{what} file {where} has mixed geometry types ({', '.join(families)}): split the layer"
        )
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    invalid = polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = _polygonal_parts(shapely.make_valid(geoms[invalid]))
        geoms[invalid] = repaired
        lost = shapely.is_empty(repaired)
        notes.append(
            f"{name}: {int(invalid.sum())} invalid polygons repaired"
            + (f" ({int(lost.sum())} without area dropped)" if lost.any() else "")
        )
        keep = ~shapely.is_empty(geoms)
        if not keep.any():
            raise InputError(f"{what} file {where}: no polygon has an area")
        frame, geoms = frame[keep].reset_index(drop=True), geoms[keep]
    frame = frame.copy()
    frame[frame.geometry.name] = gpd.GeoSeries(geoms, crs=frame.crs, index=frame.index)
    return frame


def _polygonal_parts(geoms: np.ndarray) -> np.ndarray:
    """The polygonal parts of each geometry (make_valid may return collections), as one
    Polygon or MultiPolygon each; an empty Polygon where nothing has area."""
    parts, index = shapely.get_parts(geoms, return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)  # collections of multis
    index = index[sub]
    keep = shapely.get_type_id(parts) == 3
    result = np.array([shapely.Polygon() for _ in range(len(geoms))], dtype=object)
    rows = np.unique(index[keep])
    if len(rows):
        merged = shapely.multipolygons(parts[keep], indices=index[keep])
        result[rows] = np.asarray(merged, dtype=object)[rows]
    single = shapely.get_num_geometries(result) == 1
    result[single] = shapely.get_geometry(result[single], 0)
    return result


def read_vector(
    path: Path | str,
    what: str = "layer",
    preferred_layer: str | None = None,
    *,
    options: ReadOptions | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    allow_mixed: bool | None = None,
) -> VectorLayer:
    """Read, check, repair and reproject one vector layer.

    Parameters
    ----------
    path : path-like
        A GeoPackage, GeoJSON, Shapefile, CSV with coordinate columns or any other
        format pyogrio reads.
    what : str
        What the layer is, for messages (``"sites"``, ``"start-ups"`` ...).
    preferred_layer : str, optional
        In a multi-layer file, the layer to read when present (else the first
        layer with geometry); ``options.layer`` wins.
    options : ReadOptions, optional
        Layer, text encoding, assumed CRS, CSV coordinate columns.
    progress : callable, optional
        ``progress(fraction, message)``, called between batches.
    cancelled : callable, optional
        Checked between batches, after the checks and after the reprojection (last
        thing before returning); when it returns True
        :class:`~app.core.progress.Cancelled` is raised.
    allow_mixed : bool, optional
        Accept points and polygons in one layer (default: only when ``what`` is
        ``"sites"``).

    Returns
    -------
    VectorLayer
        The features in EPSG:5186 and the notes of what was repaired or assumed.

    Raises
    ------
    InputError
        The file cannot be used (see the module docstring); one line naming the file.
    """
    path = Path(path)
    options = options or ReadOptions()
    allow_mixed = what == "sites" if allow_mixed is None else allow_mixed
    try:
        return _read_vector(path, what, preferred_layer, options, progress, cancelled, allow_mixed)
    except (InputError, Cancelled):
        raise
    except Exception as err:  # a GDAL/PROJ/pandas failure not foreseen: still one line
        raise InputError(f"cannot read {what} from {path}: {first_line(err)}") from None


def _read_vector(
    path: Path,
    what: str,
    preferred_layer: str | None,
    options: ReadOptions,
    progress,
    cancelled,
    allow_mixed: bool,
) -> VectorLayer:
    _check_path(path, what)
    notes: list[str] = []
    if options.assumed_crs is not None:
        _parse_crs(options.assumed_crs, path.name)
    if path.suffix.lower() in CSV_SUFFIXES:
        codec, note = _csv_encoding(path, options.encoding)
        notes += [note] if note else []
        table = _read_csv_table(path, codec, progress=progress, cancelled=cancelled)
        frame = _csv_points(table, path, what, options, notes)
        layer, encoding, declared_crs = None, _display(codec), True
    else:
        frame, layer, encoding, default_crs = _read_file(
            path, what, preferred_layer, options, notes, progress, cancelled
        )
        declared_crs = False
    _check_cancel(cancelled, path)
    where = f"{path}" + (f" (layer {layer})" if layer else "")
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise InputError(f"{what} file {where} has no geometry")
    if len(frame) == 0:
        raise InputError(f"{what} file {where} has no features")
    frame = _clean_geometry(frame, where, what, path.name, notes, allow_mixed)
    _check_cancel(cancelled, path)  # checks and reprojection can take as long as the read
    if not declared_crs and default_crs and not _looks_geographic(frame):
        frame = frame.set_crs(None, allow_override=True)  # not RFC 7946 lon/lat after all
    if not declared_crs:
        frame = _set_crs(frame, path, where, what, options, notes)
    source_crs = crs_label(frame.crs)
    frame = _to_working(frame, path, what, notes)
    _check_cancel(cancelled, path)  # a cancel during the reprojection is not lost
    if progress is not None:
        progress(1.0, f"{path.name}: {len(frame)} features read")
    return VectorLayer(frame, path, layer, notes, source_crs, encoding)


def _read_file(
    path: Path,
    what: str,
    preferred_layer: str | None,
    options: ReadOptions,
    notes: list[str],
    progress,
    cancelled,
):
    encoding, encoding_note = _shapefile_encoding(path, options.encoding)
    if encoding_note:
        notes.append(encoding_note)
    crs_name, unknown_crs = _geojson_crs(path)
    if unknown_crs and options.assumed_crs is None:
        raise InputError(
            f"{what} file {path} names a CRS PROJ does not know ({crs_name}): {_PRESET_HINT}"
        )
    bad_prj = _bad_prj(path)
    if bad_prj is not None and options.assumed_crs is None:
        raise InputError(
            f"{what} file {path}: its {path.stem}.prj is not a CRS PROJ knows "
            f"({bad_prj[:40]!r}): {_PRESET_HINT}"
        )
    with _readable(path, notes, drop_prj=bad_prj is not None) as source:
        layer = _choose_layer(
            source, options.layer or preferred_layer, what, required=options.layer
        )
        frame = _read_ogr(source, path, layer, encoding, what, progress, cancelled)
    # GDAL reads GeoJSON without (or with an unknown) "crs" member as EPSG:4326
    default_crs = path.suffix.lower() in {".geojson", ".json"} and (crs_name is None or unknown_crs)
    if unknown_crs and isinstance(frame, gpd.GeoDataFrame):
        frame = frame.set_crs(None, allow_override=True)
    return frame, layer, None if encoding is None else _display(encoding), default_crs


def _set_crs(
    frame: gpd.GeoDataFrame,
    path: Path,
    where: str,
    what: str,
    options: ReadOptions,
    notes: list[str],
) -> gpd.GeoDataFrame:
    if frame.crs is not None:
        return frame
    prj = _sibling(path, ".prj") if path.suffix.lower() == ".shp" else None
    if options.assumed_crs is not None:
        crs = _parse_crs(options.assumed_crs, path.name)
        named = _geojson_crs_name(path)
        reason = (
            f"its {prj.name} is not a CRS PROJ knows"
            if prj
            else f"its CRS {named} is not known to PROJ"
            if named
            else "it has no CRS"
        )
        notes.append(f"{path.name}: {reason}: read as {crs_label(crs)} (assumed)")
        return frame.set_crs(crs, allow_override=True)
    if prj is not None:  # GDAL read it but found no CRS in it
        text = prj.read_bytes().decode("latin-1").strip().replace("\n", " ")
        raise InputError(
            f"{what} file {where}: its {prj.name} is not a CRS PROJ knows "
            f"({text[:40]!r}): {_PRESET_HINT}"
        )
    if not _looks_geographic(frame):
        raise InputError(
            f"{what} file {where} has no CRS and its coordinates look projected: {_PRESET_HINT}"
        )
    notes.append(f"{path.name} has no CRS: read as EPSG:4326 longitude/latitude")
    return frame.set_crs("EPSG:4326")


def _to_working(
    frame: gpd.GeoDataFrame, path: Path, what: str, notes: list[str]
) -> gpd.GeoDataFrame:
    source = frame.crs
    try:
        if not source.equals(WORKING_CRS):
            frame = frame.to_crs(WORKING_CRS)
    except Exception as err:
        raise InputError(
            f"cannot transform {what} from {path} ({crs_label(source)}) to "
            f"{WORKING_CRS}: {first_line(err)}"
        ) from None
    coords = shapely.get_coordinates(np.asarray(frame.geometry.values, dtype=object))
    if len(coords) and not np.isfinite(coords).all():
        raise InputError(
            f"cannot transform {what} from {path} ({crs_label(source)}) to "
            f"{WORKING_CRS}: coordinates outside the CRS's area"
        )
    note = datum_shift_note(source)
    if note is not None and not source.equals(WORKING_CRS):
        notes.append(note)
    _outside_korea(frame, path.name, notes)
    return frame


def _outside_korea(frame: gpd.GeoDataFrame, name: str, notes: list[str]) -> None:
    bounds = shapely.bounds(np.asarray(frame.geometry.values, dtype=object))
    x, y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    to_lonlat = pyproj.Transformer.from_crs(WORKING_CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    outside = ~(
        (lon >= KOREA_LON[0])
        & (lon <= KOREA_LON[1])
        & (lat >= KOREA_LAT[0])
        & (lat <= KOREA_LAT[1])
    )
    if outside.any():
        n = int(outside.sum())
        notes.append(
            f"{name}: {n} of {len(outside)} features {'lies' if n == 1 else 'lie'} "
            "outside Korea: wrong CRS?"
        )
