"""The ``layer_styles`` table of a GeoPackage, as QGIS keeps it.

:func:`read_layer_styles` loads every layer's default row the way QGIS does, parses its
QML with :mod:`app.core.formats.qgis.qml_read` and gives category values written as text
(QGIS 3.22) the type of the classified column. :func:`create_layer_styles` and
:func:`put_default_style` write the table as QGIS creates it and one layer's default
row (export and save). Qt-free (``sqlite3``).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core.formats.gpkg import readonly_uri
from app.core.formats.qgis.qml_read import _opacity_of, _parse, _style_of
from app.core.formats.qgis.qml_symbols import StyleImportError
from app.core.formats.qgis.qml_write import style_name, style_qml
from app.core.formats.qgis.sld_write import style_sld
from layers.model import Layer
from layers.style import LayerStyle

STYLES_TABLE = "layer_styles"
#: ``owner`` of the rows InnoAtlas writes.
OWNER = "InnoAtlas"
LAYER_STYLES_SQL = (
    'CREATE TABLE IF NOT EXISTS "layer_styles" ("id" INTEGER PRIMARY KEY AUTOINCREMENT '
    'NOT NULL, "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), '
    '"f_table_name" TEXT(256), "f_geometry_column" TEXT(256), "styleName" TEXT(30), '
    '"styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT, '
    '"owner" TEXT(30), "ui" TEXT(30), "update_time" DATETIME DEFAULT '
    "(strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
)

#: gpkg_geometry_columns.geometry_type_name → geometry kind (anything else: mixed).
GPKG_KINDS = {
    "POINT": "point",
    "MULTIPOINT": "point",
    "LINESTRING": "line",
    "MULTILINESTRING": "line",
    "CIRCULARSTRING": "line",
    "COMPOUNDCURVE": "line",
    "MULTICURVE": "line",
    "CURVE": "line",
    "POLYGON": "polygon",
    "MULTIPOLYGON": "polygon",
    "CURVEPOLYGON": "polygon",
    "MULTISURFACE": "polygon",
    "SURFACE": "polygon",
}
_QUERY = (
    "SELECT styleQML FROM layer_styles WHERE f_table_schema='' AND f_table_name=? "
    "AND f_geometry_column=? ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END, "
    "update_time DESC LIMIT 1"
)


def _column_types(con: sqlite3.Connection, table: str) -> dict[str, str]:
    """Declared column types of ``table`` (upper case), empty when unreadable."""
    try:
        rows = con.execute('PRAGMA table_info("' + table.replace('"', '""') + '")').fetchall()
    except sqlite3.Error:
        return {}
    return {str(row[1]): str(row[2] or "").upper() for row in rows}


def _coerce(value: Any, declared: str) -> Any:
    """A category value read as text (QGIS 3.22 writes no type) in the column's type."""
    if not isinstance(value, str):
        return value
    try:
        if declared == "BOOLEAN":
            return {"1": True, "true": True, "0": False, "false": False}.get(value, value)
        if "INT" in declared:
            return int(value)
        if declared in ("REAL", "FLOAT", "DOUBLE"):
            return float(value)
    except ValueError:
        pass
    return value


def _typed_categories(style: LayerStyle, types: dict[str, str]) -> LayerStyle:
    declared = types.get(style.field or "", "")
    if style.kind != "categorized" or not declared or "TEXT" in declared:
        return style
    return replace(
        style,
        categories=tuple(replace(c, value=_coerce(c.value, declared)) for c in style.categories),
    )


def _kind_of(type_name: Any) -> str:
    return GPKG_KINDS.get(str(type_name or "").upper(), "mixed")


def read_layer_styles(
    gpkg_path: Path | str, notes: list[str] | None = None
) -> dict[str, tuple[LayerStyle | None, float]]:
    """Every layer's default style in a GeoPackage's ``layer_styles`` table.

    The row per layer is the one QGIS loads (``f_table_schema=''``, the table and its
    geometry column, ``ORDER BY`` default first, then the newest ``update_time``).

    Parameters
    ----------
    gpkg_path : path-like
        The GeoPackage (opened read-only).
    notes : list of str, optional
        Receives one line per layer whose style was read only in part or not at all:
        ``layer 'zoning': rule 'regexp_match(...)' not understood; drawn with a single
        colour``, ``layer 'x': QGIS renderer 'heatmapRenderer' is not supported ...``.

    Returns
    -------
    dict
        ``{table: (style or None where unreadable, layer opacity)}`` for the tables of
        ``gpkg_geometry_columns`` that have a row (category values given as text are
        converted to the classified column's type); empty when the file has no
        ``layer_styles`` table or is not a GeoPackage. Never raises for a damaged
        table or file: what can be read is returned.
    """
    result: dict[str, tuple[LayerStyle | None, float]] = {}
    try:
        con = sqlite3.connect(readonly_uri(Path(gpkg_path)), uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return result
    with closing(con):
        try:
            tables = con.execute(
                "SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns"
            ).fetchall()
            con.execute("SELECT styleQML FROM layer_styles LIMIT 0")
        except sqlite3.Error:
            return result
        for table, column, type_name in tables:
            try:
                row = con.execute(_QUERY, (table, column)).fetchone()
            except sqlite3.Error:
                continue
            if row is None:
                continue
            qml = row[0]
            if isinstance(qml, bytes):
                qml = qml.decode("utf-8", errors="replace")
            if not isinstance(qml, str):
                result[str(table)] = (None, 1.0)
                continue
            try:
                root = _parse(qml)
            except StyleImportError as err:
                _note(notes, table, str(err))
                result[str(table)] = (None, 1.0)
                continue
            found: list[str] = []
            try:
                style = _typed_categories(
                    _style_of(root, _kind_of(type_name), found), _column_types(con, str(table))
                )
            except StyleImportError as err:
                _note(notes, table, str(err))
                style = None
            for line in found:
                _note(notes, table, line)
            result[str(table)] = (style, _opacity_of(root))
    return result


def _note(notes: list[str] | None, table: Any, text: str) -> None:
    if notes is not None:
        notes.append(f"layer '{table}': {text}")


def create_layer_styles(con: sqlite3.Connection, stamp: str) -> None:
    """Create ``layer_styles`` as QGIS does, with its ``gpkg_contents`` row, unless present."""
    con.execute(LAYER_STYLES_SQL)
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
        "last_change) SELECT ?, 'attributes', ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM gpkg_contents WHERE table_name = ?)",
        (
            STYLES_TABLE,
            STYLES_TABLE,
            "QGIS layer styles (one default per layer)",
            stamp,
            STYLES_TABLE,
        ),
    )


def put_default_style(
    con: sqlite3.Connection, layer: Layer, geometry_column: str, stamp: str
) -> None:
    """Make InnoAtlas's style of ``layer`` its default row in ``layer_styles``.

    The row named :func:`~app.core.formats.qgis.qml_write.style_name` is updated (or
    added) with the layer's QML and SLD and ``useAsDefault`` 1; the layer's other rows
    (QGIS's own) are kept, with ``useAsDefault`` 0.
    """
    name = style_name(layer)
    con.execute(
        'UPDATE "layer_styles" SET "useAsDefault" = 0 WHERE "f_table_name" = ? '
        'AND "styleName" IS NOT ?',
        (layer.name, name),
    )
    values = (
        geometry_column,
        style_qml(layer.style, layer),
        style_sld(layer.style, layer),
        f"InnoAtlas style of {layer.title('en')}",
        OWNER,
        stamp,
    )
    updated = con.execute(
        'UPDATE "layer_styles" SET "f_geometry_column" = ?, "styleQML" = ?, "styleSLD" = ?, '
        '"useAsDefault" = 1, "description" = ?, "owner" = ?, "update_time" = ? '
        'WHERE "f_table_name" = ? AND "styleName" = ? AND COALESCE("f_table_schema", \'\') = \'\'',
        (*values, layer.name, name),
    ).rowcount
    if not updated:
        con.execute(
            'INSERT INTO "layer_styles" ("f_table_catalog", "f_table_schema", "f_table_name", '
            '"f_geometry_column", "styleName", "styleQML", "styleSLD", "useAsDefault", '
            '"description", "owner", "ui", "update_time") '
            "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?)",
            (layer.name, geometry_column, name, *values[1:]),
        )


__all__ = [
    "GPKG_KINDS",
    "LAYER_STYLES_SQL",
    "OWNER",
    "STYLES_TABLE",
    "create_layer_styles",
    "put_default_style",
    "read_layer_styles",
]
