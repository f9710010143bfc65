"""Carry over, on save, what InnoAtlas does not own in a project GeoPackage.

A GeoPackage is shared with QGIS and other tools: a save writes the app's tables and
copies everything else from the file the project was opened from, unchanged
(:func:`copy_foreign`):

- every table, view, index and trigger that is not one of the app's tables (their
  ``gpkg_contents``, ``gpkg_geometry_columns``, ``gpkg_extensions``,
  ``gpkg_ogr_contents``, tile-matrix ... rows, their spatial-reference systems and
  their R-tree spatial index come along);
- every GeoPackage system table the new file lacks (``gpkg_metadata``,
  ``gpkg_metadata_reference``, ``gpkg_data_columns``, ``gpkgext_relations`` ...), all
  rows, ids unchanged, and the extension rows that register them.

The app owns the tables of its layers and its two tables (settings, provenance):
those the save writes. ``layer_styles`` is merged row by row
(:mod:`app.core.project.saved_styles`). Text from the file is data: object names are
quoted, the SQL that creates the copied objects is the file's own ``sqlite_master``
text, run in the new file only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.core.formats.gpkg import readonly_uri

#: Tables the save itself writes or merges, whatever layers the project has.
APP_TABLES = {"innoatlas_project", "innoatlas_provenance", "layer_styles"}
_SYSTEM_PREFIXES = ("gpkg_", "gpkgext_")


def _q(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _objects(con: sqlite3.Connection, schema: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (str(t), str(n), str(tbl), sql)
        for t, n, tbl, sql in con.execute(
            f"SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master ORDER BY rowid"
        ).fetchall()
    ]


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(row[1]) for row in con.execute(f"PRAGMA {schema}.table_info({_q(table)})")]


def _stub_functions(con: sqlite3.Connection) -> None:
    """The functions GeoPackage triggers call (GDAL/SpatiaLite provide them; plain
    sqlite3 lacks them): the copied rows keep their R-tree entries from the source."""
    con.create_function("ST_IsEmpty", 1, lambda _blob: 0, deterministic=True)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, lambda _blob: None, deterministic=True)
    con.create_function("ST_GeometryType", 1, lambda _blob: None, deterministic=True)
    con.create_function("ST_SRID", 1, lambda _blob: None, deterministic=True)
    con.create_function("GPKG_IsAssignable", 2, lambda _a, _b: 1, deterministic=True)


def foreign_tables(source: Path, written: set[str], owned: set[str]) -> list[str]:
    """The user tables of ``source`` a save must copy (not written, not owned)."""
    with sqlite3.connect(readonly_uri(source), uri=True) as con:
        names = [
            n
            for t, n, _tbl, sql in _objects(con, "main")
            if t == "table" and sql and not sql.upper().startswith("CREATE VIRTUAL")
        ]
    con.close()
    return [
        n
        for n in names
        if n not in written
        and n not in owned
        and n not in APP_TABLES
        and not n.startswith(("sqlite_", "rtree_", *_SYSTEM_PREFIXES))
    ]


def copy_foreign(source: Path, target: Path, owned: set[str]) -> list[str]:
    """Copy what the app does not own from ``source`` into the new file ``target``.

    Parameters
    ----------
    source : Path
        The file the project was opened from (read-only).
    target : Path
        The file being written, which already holds the app's tables.
    owned : set of str
        Tables of the app (its layers, also those removed in this session): never copied.

    Returns
    -------
    list of str
        The copied tables.
    """
    with sqlite3.connect(target) as probe:
        written = {n for _t, n, _tbl, _sql in _objects(probe, "main")}
    probe.close()
    tables = foreign_tables(source, written, owned)
    con = sqlite3.connect(Path(target).resolve().as_uri(), uri=True)  # URI: ATTACH takes one
    con.isolation_level = None  # explicit transaction: all copied or nothing
    try:
        _stub_functions(con)
        con.execute("ATTACH DATABASE ? AS src", (readonly_uri(source),))
        con.execute("BEGIN")
        try:
            _copy(con, tables)
        except sqlite3.Error:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        con.execute("DETACH DATABASE src")
    finally:
        con.close()
    return tables


def _copy(con: sqlite3.Connection, tables: list[str]) -> None:
    """The copy itself, inside the caller's transaction."""
    objects = _objects(con, "src")
    present = {n for _t, n, _tbl, _sql in _objects(con, "main")}
    wanted = set(tables)
    rtrees = [
        (n, sql)
        for t, n, _tbl, sql in objects
        if t == "table"
        and sql
        and sql.upper().startswith("CREATE VIRTUAL")
        and n not in present
        and any(n.startswith(f"rtree_{table}_") for table in wanted)
    ]
    for name in tables:
        sql = next(s for t, n, _tbl, s in objects if t == "table" and n == name)
        con.execute(str(sql))
        con.execute(f"INSERT INTO main.{_q(name)} SELECT * FROM src.{_q(name)}")
    for name, sql in rtrees:
        con.execute(sql)
        con.execute(f"INSERT INTO main.{_q(name)} SELECT * FROM src.{_q(name)}")
    created = _copy_system_rows(con, objects, present, wanted)
    related = wanted | created | {n for n, _ in rtrees}
    for kind, name, tbl, sql in objects:  # indexes, views and triggers last
        if not sql or name in present:
            continue
        if (kind in ("index", "trigger") and tbl in related) or (
            kind == "view" and name not in APP_TABLES
        ):
            con.execute(sql)


def _copy_system_rows(
    con: sqlite3.Connection,
    objects: list[tuple[str, str, str, str | None]],
    present: set[str],
    wanted: set[str],
) -> set[str]:
    """GeoPackage system tables: whole when the new file lacks them, else the rows of
    the copied tables (and the spatial-reference systems and extensions they use).
    Returns the system tables created."""
    created: set[str] = set()
    views = {n for t, n, _tbl, _sql in objects if t == "view" and n not in present}
    wanted = wanted | views
    marks = ", ".join("?" for _ in wanted) or "NULL"
    for kind, name, _tbl, sql in objects:
        if kind != "table" or not sql or not name.startswith(_SYSTEM_PREFIXES):
            continue
        if name not in present:
            con.execute(sql)
            con.execute(f"INSERT INTO main.{_q(name)} SELECT * FROM src.{_q(name)}")
            created.add(name)
            continue
        if name == "gpkg_metadata_reference":
            continue  # with gpkg_metadata, below
        if name == "gpkg_metadata":
            _merge_metadata(con)
            continue
        columns = set(_columns(con, "main", name)) & set(_columns(con, "src", name))
        shared = ", ".join(_q(c) for c in _columns(con, "src", name) if c in columns)
        if name == "gpkg_spatial_ref_sys":
            con.execute(
                f"INSERT INTO main.gpkg_spatial_ref_sys ({shared}) SELECT {shared} FROM "
                "src.gpkg_spatial_ref_sys WHERE srs_id NOT IN "
                "(SELECT srs_id FROM main.gpkg_spatial_ref_sys)"
            )
        elif name == "gpkg_extensions":
            con.execute(
                f"INSERT INTO main.gpkg_extensions ({shared}) SELECT {shared} FROM "
                "src.gpkg_extensions AS s WHERE (s.table_name IS NULL OR s.table_name IN "
                f"({marks}) OR s.table_name NOT IN (SELECT name FROM main.sqlite_master)) "
                "AND NOT EXISTS (SELECT 1 FROM main.gpkg_extensions AS m WHERE "
                "m.table_name IS s.table_name AND m.column_name IS s.column_name AND "
                "m.extension_name = s.extension_name)",
                sorted(wanted),
            )
        elif "table_name" in columns and wanted:
            con.execute(
                f"INSERT OR IGNORE INTO main.{_q(name)} ({shared}) SELECT {shared} FROM "
                f"src.{_q(name)} WHERE table_name IN ({marks})",
                sorted(wanted),
            )
    return created


def _merge_metadata(con: sqlite3.Connection) -> None:
    """Metadata rows when the new file has some already (the save wrote its own).

    A source row is left out only when the new file holds a row of the same standard
    (``md_standard_uri``) for each table it describes: the app rewrote it. Every other
    row and its references are copied; ids that are taken get the next free one.
    """
    try:
        references = con.execute(
            "SELECT reference_scope, table_name, column_name, row_id_value, timestamp, "
            "md_file_id, md_parent_id FROM src.gpkg_metadata_reference"
        ).fetchall()
    except sqlite3.Error:
        references = []
    rewritten = set(
        con.execute(
            "SELECT r.table_name, m.md_standard_uri FROM main.gpkg_metadata_reference AS r "
            "JOIN main.gpkg_metadata AS m ON m.id = r.md_file_id"
        ).fetchall()
    )
    rows = con.execute(
        "SELECT id, md_scope, md_standard_uri, mime_type, metadata FROM src.gpkg_metadata"
    ).fetchall()
    uri_of = {row[0]: row[2] for row in rows}
    tables_of: dict[int, set] = {}
    for reference in references:
        tables_of.setdefault(reference[5], set()).add(reference[1])
    taken = {row[0] for row in con.execute("SELECT id FROM main.gpkg_metadata")}
    new_id: dict[int, int] = {}
    for row in rows:
        tables = tables_of.get(row[0], set())
        if tables and all((table, uri_of[row[0]]) in rewritten for table in tables):
            continue
        cursor = con.execute(
            "INSERT INTO main.gpkg_metadata (id, md_scope, md_standard_uri, mime_type, "
            "metadata) VALUES (?, ?, ?, ?, ?)",
            (None if row[0] in taken else row[0], *row[1:]),
        )
        new_id[row[0]] = int(cursor.lastrowid or 0)
    for reference in references:
        if reference[5] not in new_id:
            continue
        con.execute(
            "INSERT INTO main.gpkg_metadata_reference (reference_scope, table_name, "
            "column_name, row_id_value, timestamp, md_file_id, md_parent_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*reference[:5], new_id[reference[5]], new_id.get(reference[6], reference[6])),
        )


__all__ = ["APP_TABLES", "copy_foreign", "foreign_tables"]
