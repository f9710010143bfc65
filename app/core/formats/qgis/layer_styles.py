"""Read the layer styles a GeoPackage carries: :func:`read_layer_styles` loads every
layer's default row of the ``layer_styles`` table the way QGIS does, parses its QML with
:mod:`app.core.formats.qgis.qml_read` and gives category values written as text (QGIS
3.22) the type of the classified column. Qt-free (``sqlite3``).
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
from layers.style import LayerStyle

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


def read_layer_styles(gpkg_path: Path | str) -> dict[str, tuple[LayerStyle | None, float]]:
    """Every layer's default style in a GeoPackage's ``layer_styles`` table.

    The row per layer is the one QGIS loads (``f_table_schema=''``, the table and its
    geometry column, ``ORDER BY`` default first, then the newest ``update_time``).

    Parameters
    ----------
    gpkg_path : path-like
        The GeoPackage (opened read-only).

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
            except StyleImportError:
                result[str(table)] = (None, 1.0)
                continue
            try:
                style = _typed_categories(
                    _style_of(root, _kind_of(type_name)), _column_types(con, str(table))
                )
            except StyleImportError:
                style = None
            result[str(table)] = (style, _opacity_of(root))
    return result


__all__ = ["GPKG_KINDS", "read_layer_styles"]
