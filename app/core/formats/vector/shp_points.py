"""A numpy reader of Point shapefiles (the usual start-up file): the .shp records and the
.dbf table read as arrays, each text column decoded at once, giving the same layer as
GDAL's Arrow stream (:mod:`~app.core.formats.vector.arrow_read`) only faster.

The .shp must hold shape type 1 (Point) records of 28 bytes (or null shapes), as its .shx
indexes them, and the .dbf the same number of records; fields of types C, N, F, D and L
read as GDAL does (text cut at its first NUL byte, leading and trailing spaces trimmed,
empty text null; numbers blank or starting with ``*`` null; logical ``T``/``Y`` true, ``?``
null; dates ``YYYYMMDD``, blank, ``0`` or ``00000000`` null; records flagged deleted
skipped). Text is decoded in bulk: CP949 bytes that do not decode are skipped, as GDAL's
iconv does. Anything else (another shape type, a value GDAL would parse loosely, sizes
that do not agree, an encoding not in :data:`_CODECS`) returns None and the caller reads
the file through GDAL as before, so that the layer is always the one GDAL gives.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from app.core.formats.vector.arrow_read import XYPoints, _to_pandas
from app.core.formats.vector.model import _check_cancel
from app.core.progress import Cancelled

#: Records decoded per chunk (progress and cancel between chunks).
CHUNK_ROWS = 200_000
#: Encodings decoded here; CP949 bytes that do not decode are skipped (as GDAL does),
#: other encodings must decode (else GDAL reads the file).
_CODECS = {"cp949", "euc_kr", "utf-8", "iso8859-1", "ascii"}
#: Bytes that iconv (GDAL) and Python decode differently: CP949 0xA2E8 (Python does not
#: decode it) and EUC-KR's 0xA4D4 (Python composes the KS X 1001 8-byte syllables that
#: follow it: looked for even when the text decodes).
_ICONV_DIFFERS = {"cp949": (b"\xa2\xe8",)}
_ICONV_DIFFERS_DECODED = {"euc_kr": (b"\xa4\xd4",)}
_POINT = np.dtype([("number", ">i4"), ("length", ">i4"), ("type", "<i4"), ("xy", "<f8", 2)])
_SPACE, _STAR = 0x20, 0x2A


class _Unsupported(Exception):
    """The file is not one this reader makes the same layer of as GDAL."""


def read_shp_points(
    shp: Path,
    path: Path,
    encoding: str | None,
    fields: list[str],
    columns: list[str] | None,
    total: int,
    progress: Callable[[float, str], None] | None,
    cancelled: Callable[[], bool] | None,
) -> XYPoints | gpd.GeoDataFrame | None:
    """A Point shapefile read with numpy, or None when GDAL must read it.

    Parameters
    ----------
    shp : Path
        The .shp on disk (its .shx and .dbf next to it).
    path : Path
        The user's file (for messages).
    encoding : str or None
        The .dbf's text encoding, as given to GDAL.
    fields : list of str
        The layer's field names as GDAL lists them (``pyogrio.read_info``).
    columns : list of str or None
        The fields to read (None: all).
    total : int
        The feature count (for progress).
    progress, cancelled : callable or None
        Called between chunks of :data:`CHUNK_ROWS` records.

    Returns
    -------
    XYPoints, GeoDataFrame or None
        :class:`XYPoints` when every kept record is a finite point, a GeoDataFrame with
        missing geometries when some are null shapes (as the Arrow reader gives them), or
        None: read the file through GDAL.
    """
    try:
        return _read(shp, path, encoding, fields, columns, total, progress, cancelled)
    except Cancelled:
        raise
    except Exception:  # _Unsupported, or anything unforeseen: GDAL reads it as before
        return None


def _sibling(shp: Path, suffix: str) -> Path:
    for candidate in (shp.with_suffix(suffix), shp.with_suffix(suffix.upper())):
        if candidate.exists():
            return candidate
    raise _Unsupported(suffix)


def _require(condition) -> None:
    if not bool(condition):
        raise _Unsupported


def _shapes(shp: Path, n: int) -> tuple[np.ndarray, np.ndarray]:
    """x/y (n x 2) and the null-shape mask of the .shp's ``n`` records, located through
    the .shx as GDAL does."""
    shx = _sibling(shp, ".shx")
    size, index_size = shp.stat().st_size, shx.stat().st_size
    _require(size >= 100 and index_size == 100 + 8 * n)
    with shp.open("rb") as handle:
        head = np.frombuffer(handle.read(100), dtype=np.uint8)
    _require(head[:4].view(">i4")[0] == 9994 and head[28:36].view("<i4").tolist() == [1000, 1])
    _require(int(head[24:28].view(">i4")[0]) * 2 == size)
    index = np.fromfile(shx, dtype=">i4", offset=100).reshape(n, 2).astype(np.int64)
    offsets, lengths = index[:, 0] * 2, index[:, 1]
    data = np.memmap(shp, dtype=np.uint8, mode="r")
    if size == 100 + 28 * n and np.array_equal(offsets, 100 + 28 * np.arange(n)):
        records = data[100:].view(_POINT)  # all plain points, one after the other
        _require(
            np.array_equal(records["number"], np.arange(1, n + 1))
            & (records["length"] == 10).all()
            & (records["type"] == 1).all()
        )
        return np.array(records["xy"]), np.zeros(n, dtype=bool)
    # null shapes (12 bytes) among the points: each record read at its .shx offset
    null = lengths == 2
    _require(((lengths == 10) | null).all() and (offsets >= 100).all())
    _require((offsets + 8 + 2 * lengths <= size).all())
    xy = np.zeros((n, 2))
    for start in range(0, n, CHUNK_ROWS):  # byte indices of 28 bytes a record at most
        at = slice(start, start + CHUNK_ROWS)
        header = data[offsets[at, None] + np.arange(12)]
        numbers = np.arange(start + 1, start + len(header) + 1)
        _require(np.array_equal(header[:, :4].view(">i4")[:, 0], numbers))
        _require(np.array_equal(header[:, 4:8].view(">i4")[:, 0], lengths[at]))
        types = header[:, 8:12].view("<i4")[:, 0]
        _require(((types == 1) & ~null[at] | (types == 0) & null[at]).all())
        points = ~null[at]
        xy[at][points] = data[offsets[at][points, None] + np.arange(12, 28)].view("<f8")
    return xy, null


def _dbf(dbf: Path, n_fields: int) -> tuple[int, int, int, list[tuple[str, int, int, int]]]:
    """The .dbf's record count, header and record lengths (checked against its size) and
    its fields (type, offset in the record, width, decimals)."""
    size = dbf.stat().st_size
    with dbf.open("rb") as handle:
        head = handle.read(32)
        _require(len(head) == 32)
        count = int.from_bytes(head[4:8], "little")
        header_length = int.from_bytes(head[8:10], "little")
        record_length = int.from_bytes(head[10:12], "little")
        _require(32 + 32 * n_fields + 1 <= header_length <= size)
        descriptors = handle.read(32 * n_fields + 1)
    _require(descriptors[32 * n_fields] == 0x0D)  # the descriptors end there
    fields = []
    offset = 1  # the deletion flag
    for i in range(n_fields):
        item = descriptors[32 * i : 32 * i + 32]
        fields.append((chr(item[11]), offset, item[16], item[17]))
        offset += item[16]
    _require(record_length == offset and record_length > 1)
    _require(header_length + count * record_length <= size)
    return count, header_length, record_length, fields


def _trimmed(
    cells: np.ndarray, separator: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The text of each cell (m x width bytes, contiguous) as GDAL's shapelib reads it:
    cut at the first NUL, leading and trailing spaces trimmed.

    Returns the kept bytes of all cells one after the other (each followed by a NUL
    byte with ``separator``), their lengths and the first kept byte of each cell (0 if
    none).
    """
    m, width = cells.shape
    text = cells != _SPACE
    if not cells.all():  # a NUL: the text ends there
        nul = cells == 0
        end = np.where(nul.any(axis=1), nul.argmax(axis=1), width)
        text &= np.arange(width) < end[:, None]
    last = np.zeros(m, dtype=np.uint8)  # after the last kept byte (a loop over columns)
    for j in range(width):
        np.maximum(last, text[:, j] * np.uint8(j + 1), out=last)
    some = last > 0
    first = np.zeros(m, dtype=np.int64)
    if width and (some & (cells[:, 0] == _SPACE)).any():  # leading spaces (rare)
        first = np.where(some, text.argmax(axis=1), 0)
    column = np.arange(1, width + 1 + separator, dtype=np.uint8 if width < 255 else np.uint16)
    keep = column <= last[:, None]
    if first.any():
        keep &= column > first[:, None]
    if separator:  # a column of NULs, always kept
        keep[:, width] = True
        cells = np.concatenate([cells, np.zeros((m, 1), dtype=np.uint8)], axis=1)
    first_byte = cells[np.arange(m), first] if width else np.zeros(m, dtype=np.uint8)
    return cells[keep], last - first, np.where(some, first_byte, 0)


def _used_width(cells: np.ndarray) -> int:
    """The width of a field's cells (m x width, the rows of a chunk) without the columns
    at its end that are spaces in every row: eight bytes at a time, the rows folded in
    halves (contiguous operations, not a reduction along short rows)."""
    m, width = cells.shape
    words = width // 8
    used = np.zeros(width, dtype=bool)
    if words and m:
        x = cells[:, : words * 8].view("<u8")
        spaces = np.frombuffer(b" " * 8, dtype="<u8")[0]
        half = m // 2
        y = (x[:half] ^ spaces) | (x[half : 2 * half] ^ spaces) if half else x ^ spaces
        if m % 2 and half:
            y[0] |= x[-1] ^ spaces
        while len(y) > 1:
            half = len(y) // 2
            z = y[:half] | y[half : 2 * half]
            if len(y) % 2:
                z[0] |= y[-1]
            y = z
        used[: words * 8] = y[0].view(np.uint8) != 0
    used[words * 8 :] = (cells[:, words * 8 :] != _SPACE).any(axis=0)
    at = np.flatnonzero(used)
    return int(at[-1]) + 1 if len(at) else 0


def _offsets(lengths: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _text(cells: np.ndarray, arrow_type, codec: str):
    """A column of text (m x width bytes) as an Arrow string array, decoded at once."""
    import pyarrow as pa

    # each cell followed by a NUL (never inside a cell, nor a CP949/UTF-8 trail byte)
    joined, lengths, _ = _trimmed(cells, separator=True)
    valid = lengths > 0
    if (joined < 0x80).all():  # ASCII: the bytes are the text
        sizes, utf8 = lengths, joined[joined != 0]
    else:
        raw = joined.tobytes()
        _require(all(raw.find(odd) < 0 for odd in _ICONV_DIFFERS_DECODED.get(codec, ())))
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            _require(codec == "cp949")  # GDAL's iconv skips the bytes that do not decode
            _require(all(raw.find(odd) < 0 for odd in _ICONV_DIFFERS.get(codec, ())))
            text = raw.decode(codec, errors="ignore")
        encoded = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
        separators = np.flatnonzero(encoded == 0)
        _require(len(separators) == len(lengths))
        sizes = np.diff(separators, prepend=-1) - 1
        utf8 = encoded[encoded != 0]
    offsets = _offsets(sizes)
    large = pa.types.is_large_string(arrow_type)
    _require(large or pa.types.is_string(arrow_type))
    _require(large or offsets[-1] < 2**31)
    return pa.Array.from_buffers(
        arrow_type,
        len(lengths),
        [
            pa.py_buffer(np.packbits(valid, bitorder="little")),
            pa.py_buffer(offsets.astype(np.int64 if large else np.int32)),
            pa.py_buffer(np.ascontiguousarray(utf8)),
        ],
        null_count=int((~valid).sum()),
    )


def _number(cells: np.ndarray, arrow_type):
    """A column of N/F numbers as an Arrow array of ``arrow_type`` (int32, int64 or
    double); blank or starting with ``*``: null. Values GDAL would parse loosely (``1.5``
    in an integer field, ``+5``, ``12abc``) are not read here."""
    import pyarrow as pa
    import pyarrow.compute as pc

    data, lengths, first = _trimmed(cells)
    valid = (lengths > 0) & (first != _STAR)
    if not valid.all():  # the bytes of null cells left out
        data = data[~np.repeat(~valid, lengths)]
        lengths = np.where(valid, lengths, 0)
    allowed = np.zeros(256, dtype=bool)
    allowed[np.frombuffer(b"0123456789-", dtype=np.uint8)] = True
    if not pa.types.is_integer(arrow_type):
        allowed[np.frombuffer(b"+.eE", dtype=np.uint8)] = True
    _require(allowed[data].all())
    strings = pa.Array.from_buffers(
        pa.large_string(),
        len(lengths),
        [
            pa.py_buffer(np.packbits(valid, bitorder="little")),
            pa.py_buffer(_offsets(lengths)),
            pa.py_buffer(np.ascontiguousarray(data)),
        ],
        null_count=int((~valid).sum()),
    )
    return pc.cast(strings, arrow_type)  # strict: anything else raises (GDAL reads it)


def _date(cells: np.ndarray, arrow_type):
    """A column of D dates (``YYYYMMDD``) as Arrow date32; blank, ``0`` or ``00000000``:
    null (a date of the years 1 to 999 starts with ``0`` and is a date for GDAL)."""
    import pyarrow as pa

    _require(pa.types.is_date32(arrow_type) and cells.shape[1] == 8)
    data, lengths, first = _trimmed(cells)
    zero = ((lengths == 1) & (first == ord("0"))) | (cells == ord("0")).all(axis=1)
    valid = (lengths > 0) & ~zero
    _require(((lengths == 8) | ~valid).all())
    digits = cells[valid].astype(np.int64) - ord("0")
    _require(((digits >= 0) & (digits <= 9)).all())
    number = digits @ (10 ** np.arange(7, -1, -1))
    year, month, day = number // 10000, number // 100 % 100, number % 100
    _require(((year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)).all())
    months = (year - 1970) * 12 + month - 1
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    following = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    dates = start + (day - 1)
    _require((dates < following).all())  # no 30 February
    values = np.zeros(len(cells), dtype="datetime64[D]")
    values[valid] = dates
    return pa.array(values, type=pa.date32(), mask=~valid)


def _logical(cells: np.ndarray, arrow_type):
    """A column of L values: ``T``/``t``/``Y``/``y`` true, ``?`` null, anything else
    false (as GDAL reads them)."""
    import pyarrow as pa

    _require(pa.types.is_boolean(arrow_type) and cells.shape[1] == 1)
    value = cells[:, 0]
    true = np.isin(value, np.frombuffer(b"TtYy", dtype=np.uint8))
    return pa.array(true, type=pa.bool_(), mask=value == ord("?"))


def _batch(chunk: np.ndarray, readers, kinds, schema, keep_parts: list):
    """One chunk of .dbf records (m x record length) as an Arrow record batch."""
    import pyarrow as pa

    kept = chunk[:, 0] != _STAR  # deleted records are skipped, as GDAL does
    keep_parts.append(kept)
    if not kept.all():
        chunk = chunk[kept]
    arrays = []
    for kind, offset, width, arrow_type in readers:
        if kind in "CNF":  # the spaces every cell ends with left out
            width = _used_width(chunk[:, offset : offset + width])
        cells = np.ascontiguousarray(chunk[:, offset : offset + width])
        arrays.append(kinds[kind](cells, arrow_type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def _read(shp, path, encoding, fields, columns, total, progress, cancelled):
    import pyarrow as pa
    from pyogrio.raw import open_arrow

    _require(encoding is not None)
    codec = codecs.lookup(encoding).name
    _require(codec in _CODECS)
    kwargs: dict = {"encoding": encoding, "datetime_as_string": True}
    if columns is not None:
        kwargs["columns"] = columns
    with open_arrow(shp, batch_size=1, use_pyarrow=True, **kwargs) as (meta, reader):
        schema = reader.schema  # the types GDAL gives each field (nothing is read)
    _require(meta["geometry_type"] == "Point")
    geometry = meta["geometry_name"] or "wkb_geometry"
    schema = schema.remove(schema.get_field_index(geometry))
    _require(len(set(fields)) == len(fields))
    position = {name: i for i, name in enumerate(fields)}
    dbf = _sibling(shp, ".dbf")
    n, header_length, record_length, layout = _dbf(dbf, len(fields))
    _require(n > 0)
    xy, null = _shapes(shp, n)
    kinds: dict[str, Callable] = {
        "C": functools.partial(_text, codec=codec),
        "N": _number,
        "F": _number,
        "D": _date,
        "L": _logical,
    }
    readers = []
    for field in schema:
        kind, offset, width, _ = layout[position[field.name]]
        _require(kind in kinds and width > 0)
        readers.append((kind, offset, width, field.type))
    batches = []
    keep_parts: list[np.ndarray] = []
    with dbf.open("rb") as handle:
        handle.seek(header_length)
        for start in range(0, n, CHUNK_ROWS):
            _check_cancel(cancelled, path)
            m = min(CHUNK_ROWS, n - start)
            data = handle.read(m * record_length)
            _require(len(data) == m * record_length)  # the file did not shrink meanwhile
            chunk = np.frombuffer(data, dtype=np.uint8).reshape(m, record_length)
            batches.append(_batch(chunk, readers, kinds, schema, keep_parts))
            done = start + m
            if progress is not None and total:
                progress(
                    0.8 * min(done / total, 1.0),
                    f"reading {path.name}: {done} of {total} features",
                )
    _check_cancel(cancelled, path)
    keep = np.concatenate(keep_parts)
    if not keep.all():
        xy, null = xy[keep], null[keep]
    _require(np.isfinite(xy[~null]).all())  # NaN points: GDAL says what it makes of them
    _require(len(xy) > 0)
    table = pa.Table.from_batches(batches, schema=schema)
    del batches
    attributes = _to_pandas(table, meta)
    if not readers:  # no field asked for: no columns, one row per feature (as Arrow's)
        attributes = pd.DataFrame(index=pd.RangeIndex(len(xy)))
    crs = meta["crs"]
    if not null.any():
        return XYPoints(attributes, xy, crs)
    import shapely

    geoms = shapely.points(xy)
    geoms[null] = None
    return gpd.GeoDataFrame(attributes, geometry=geoms, crs=crs)
