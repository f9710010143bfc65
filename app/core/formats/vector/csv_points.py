"""CSV tables of coordinates: guessing the x/y columns from their names (lon/lat, x/y,
경도/위도 ...), sniffing the delimiter, reading the table (a sample or all of it in
batches) and turning its coordinate columns into points with a CRS (swapped columns
swapped back, rows without numeric coordinates dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj

from app.core.errors import first_line
from app.core.formats.vector.arrow_read import XYPoints
from app.core.formats.vector.crs import _parse_crs, crs_label
from app.core.formats.vector.model import _PRESET_HINT, InputError, ReadOptions, _check_cancel

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


def _norm_column(name: str) -> str:
    return re.sub(r"[\s()\[\]]", "", str(name)).lower()


def guess_xy_columns(columns: list[str]) -> tuple[str | None, str | None]:
    """The longitude/x and latitude/y columns of a table, guessed from their names.

    Parameters
    ----------
    columns : list of str
        The table's column names.

    Returns
    -------
    tuple of (str or None, str or None)
        ``(x column, y column)``: exact names first (lon/lat, x/y, 경도/위도 ...), then
        names containing 경도/위도, x좌표/y좌표 or longitude/latitude; ``(None, None)``
        unless both are found and differ.
    """
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
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _read_csv_table(
    path: Path,
    codec: str,
    rows: int | None = None,
    progress: Callable[[float, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    batch_rows: int | None = None,
) -> pd.DataFrame:
    """The first ``rows`` rows of a CSV file (a sample), or with ``batch_rows`` the whole
    table read that many rows at a time (progress and cancel between batches)."""
    sep = _sniff_delimiter(path, codec)
    try:
        if rows is not None:
            return pd.read_csv(path, encoding=codec, sep=sep, nrows=rows, skipinitialspace=True)
        total = max(_count_lines(path) - 1, 1)
        chunks = []
        with pd.read_csv(
            path, encoding=codec, sep=sep, chunksize=batch_rows, skipinitialspace=True
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


#: Words in a column name that say it holds addresses (which are not geocoded).
_ADDRESS_WORDS = ("주소", "address", "addr", "도로명", "지번")


def no_coordinates_message(subject: str, columns: list[str], shown: int = 12) -> str:
    """Why a CSV table cannot be read as points: it has no coordinate columns.

    Parameters
    ----------
    subject : str
        What is refused ("sites file a.csv").
    columns : list of str
        The table's columns (the first ``shown`` are named).
    shown : int
        How many columns to name at most.

    Returns
    -------
    str
        One line: "SUBJECT has no geometry: it has no coordinate columns (lon/lat, x/y,
        경도/위도 ...); its columns: 이름, 주소, 업종", and, with an address column, that
        addresses are not geocoded.

    Examples
    --------
    >>> text = no_coordinates_message("sites file a.csv", ["이름", "주소"])
    >>> text.split("; ")[1]
    'its columns: 이름, 주소'
    """
    names = ", ".join(columns[:shown]) or "none"
    if len(columns) > shown:
        names += f" (and {len(columns) - shown} more)"
    text = (
        f"{subject} has no geometry: it has no coordinate columns (lon/lat, x/y, 경도/위도 ...); "
        f"its columns: {names}"
    )
    address = next(
        (c for c in columns if any(word in c.casefold() for word in _ADDRESS_WORDS)), None
    )
    if address is not None:
        text += (
            f"; {address} holds addresses, which are not geocoded: add longitude/latitude "
            "(or x/y) columns"
        )
    return text


def _csv_points(
    table: pd.DataFrame, path: Path, what: str, options: ReadOptions, notes: list[str]
) -> XYPoints:
    """The points of the coordinate columns of a CSV table (CRS set, maybe guessed), not
    yet made into geometries (the importer makes them once, in EPSG:5186)."""
    columns = [str(c) for c in table.columns]
    x_col, y_col = options.x_column, options.y_column
    if x_col is None or y_col is None:
        gx, gy = guess_xy_columns(columns)
        x_col, y_col = x_col or gx, y_col or gy
    if x_col is None or y_col is None:
        raise InputError(no_coordinates_message(f"{what} file {path}", columns))
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
    return XYPoints(table, np.column_stack([xs, ys]).astype(float), crs)
