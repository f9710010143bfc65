"""Features whose geometry cannot be read are kept, unchanged, through open and save.

When a project is opened, a feature whose geometry GDAL cannot read (a damaged blob), or
that has none, cannot be shown or analysed. It is not dropped: the loader reads its row
as it is stored (every column, the geometry blob's bytes included) with ``sqlite3`` and
records it with its layer (:func:`keep_rows`); the open names it in a note (layer and fid)
and :func:`write_kept_rows` writes it back into the layer's table after the readable
features on every save. See docs/geopackage.md ("Features that cannot be read").
"""

from __future__ import annotations

import sqlite3
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.formats.gpkg import readonly_uri
from layers.model import Layer

#: At most this many fids are listed in a note; the rest are counted.
LISTED_FIDS = 10


@dataclass(frozen=True)
class KeptRows:
    """Rows of one table as they are stored in the file.

    Attributes
    ----------
    fid_column, geometry_column : str
        The table's primary key and geometry column.
    columns, types : tuple of str
        Every column of the source table and its declared SQL type.
    rows : tuple of tuple
        The raw values, in ``columns`` order (the geometry as ``bytes``).
    reasons : tuple of str
        Per row: "damaged geometry", "no geometry" or "empty geometry".
    """

    fid_column: str
    geometry_column: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    reasons: tuple[str, ...]

    @property
    def fids(self) -> list[int]:
        position = self.columns.index(self.fid_column)
        return [int(row[position]) for row in self.rows]


_KEPT: weakref.WeakKeyDictionary[Layer, KeptRows] = weakref.WeakKeyDictionary()


def keep_rows(layer: Layer, kept: KeptRows | None) -> None:
    """Record ``kept`` as the unreadable rows of ``layer`` (None: it has none)."""
    if kept is None or not kept.rows:
        _KEPT.pop(layer, None)
    else:
        _KEPT[layer] = kept


def kept_rows(layer: Layer) -> KeptRows | None:
    """The unreadable rows kept with ``layer``, if any."""
    return _KEPT.get(layer)


def kept_note(layer: Layer, file_name: str) -> str:
    """A one-line note naming the layer's unreadable features (empty when none)."""
    kept = kept_rows(layer)
    if kept is None:
        return ""
    listed = [
        f"fid {fid} ({reason})"
        for fid, reason in zip(kept.fids[:LISTED_FIDS], kept.reasons, strict=False)
    ]
    more = len(kept.rows) - len(listed)
    count = len(kept.rows)
    return (
        f"layer '{layer.name}' in {file_name}: {count} feature{'s' if count > 1 else ''} "
        f"cannot be read: {', '.join(listed)}{f' and {more} more' if more > 0 else ''}; "
        f"{'they are' if count > 1 else 'it is'} not shown, and kept unchanged in the file "
        "when the project is saved"
    )


def _table_columns(con: sqlite3.Connection, table: str) -> list[tuple[str, str, bool]]:
    """``(name, declared type, is primary key)`` of every column of ``table``."""
    info = con.execute(f'PRAGMA table_info("{_quoted(table)}")').fetchall()
    return [(str(row[1]), str(row[2] or ""), bool(row[5])) for row in info]


def _quoted(name: str) -> str:
    return name.replace('"', '""')


def _geometry_column(con: sqlite3.Connection, table: str) -> str | None:
    row = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    return None if row is None else str(row[0])


def read_kept_rows(path: Path, table: str, fids: list[int], empty: set[int]) -> KeptRows | None:
    """Read the rows ``fids`` of ``table`` as stored (``sqlite3``, read-only).

    Parameters
    ----------
    path : Path
        The GeoPackage.
    table : str
        A feature table.
    fids : list of int
        The features GDAL returned without a usable geometry.
    empty : set of int
        Those among ``fids`` whose geometry GDAL read as empty.

    Returns
    -------
    KeptRows or None
        None when ``fids`` is empty or the table has no integer primary key.
    """
    if not fids:
        return None
    with sqlite3.connect(readonly_uri(path), uri=True) as con:
        columns = _table_columns(con, table)
        keys = [name for name, _type, pk in columns if pk]
        geometry = _geometry_column(con, table)
        if len(keys) != 1 or geometry is None:
            return None
        names = [name for name, _type, _pk in columns]
        selected = ", ".join(f'"{_quoted(name)}"' for name in names)
        rows = []
        for start in range(0, len(fids), 500):  # SQLite's parameter limit
            chunk = [int(fid) for fid in fids[start : start + 500]]
            rows += con.execute(
                f'SELECT {selected} FROM "{_quoted(table)}" WHERE "{_quoted(keys[0])}" '
                f"IN ({', '.join('?' for _ in chunk)}) ORDER BY 1",
                chunk,
            ).fetchall()
    con.close()
    fid_at, geometry_at = names.index(keys[0]), names.index(geometry)
    reasons = tuple(
        "no geometry"
        if row[geometry_at] is None
        else "empty geometry"
        if int(row[fid_at]) in empty
        else "damaged geometry"
        for row in rows
    )
    return KeptRows(
        fid_column=keys[0],
        geometry_column=geometry,
        columns=tuple(names),
        types=tuple(type_ for _name, type_, _pk in columns),
        rows=tuple(tuple(row) for row in rows),
        reasons=reasons,
    )


def write_kept_rows(target: Path, table: str, kept: KeptRows) -> None:
    """Append ``kept``'s rows, unchanged, to ``table`` of the GeoPackage ``target``.

    A column of the source that the written table lacks is added; each row keeps its
    fid unless a written feature took it (then it gets the next free one). The rows get
    no spatial-index entry: their geometry cannot be read.
    """
    with sqlite3.connect(target) as con:
        # The R-tree triggers call SpatiaLite/GDAL functions plain sqlite3 lacks.
        con.create_function("ST_IsEmpty", 1, lambda _blob: 1, deterministic=True)
        for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            con.create_function(name, 1, lambda _blob: None, deterministic=True)
        present = _table_columns(con, table)
        target_key = next(name for name, _type, pk in present if pk)
        target_geometry = _geometry_column(con, table) or kept.geometry_column
        rename = {kept.fid_column: target_key, kept.geometry_column: target_geometry}
        names = {name for name, _type, _pk in present}
        for column, type_ in zip(kept.columns, kept.types, strict=True):
            if rename.get(column, column) not in names:
                con.execute(
                    f'ALTER TABLE "{_quoted(table)}" ADD COLUMN "{_quoted(column)}" {type_}'
                )
        columns = [rename.get(column, column) for column in kept.columns]
        fid_at = kept.columns.index(kept.fid_column)
        taken = {
            int(row[0])
            for row in con.execute(f'SELECT "{_quoted(target_key)}" FROM "{_quoted(table)}"')
        }
        listed = ", ".join(f'"{_quoted(column)}"' for column in columns)
        insert = (
            f'INSERT INTO "{_quoted(table)}" ({listed}) VALUES ({", ".join("?" for _ in columns)})'
        )
        for row in kept.rows:
            values = list(row)
            if int(values[fid_at]) in taken:
                values[fid_at] = None  # the next free fid
            con.execute(insert, values)
    con.close()
