"""Layer styles of a project file: applied on open, written on save without losing
anyone's (docs/geopackage.md, "Styles").

Open (:func:`apply_saved_styles`): each layer takes its default row of the file's
``layer_styles`` (whoever wrote it: InnoAtlas or QGIS), read by
:func:`~app.core.formats.qgis.layer_styles.read_layer_styles`; what cannot be read
becomes a one-line note and the layer keeps the InnoAtlas style of its theme.

Save (:func:`write_saved_styles`): every row of the source file's ``layer_styles`` is
copied unchanged (ids too). Then, per layer of the project: when its style and opacity
are the ones it was opened with, its rows stay as they are (a default style changed in
QGIS is not overwritten); when the user changed them in InnoAtlas, or the layer has no
row yet, InnoAtlas's row (``styleName`` "<layer> (InnoAtlas)") is written or updated and
made the default; the layer's other rows are kept with ``useAsDefault`` 0.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from app.core.formats.gpkg import readonly_uri
from app.core.formats.qgis.layer_styles import (
    OWNER,
    STYLES_TABLE,
    create_layer_styles,
    put_default_style,
    read_layer_styles,
)
from app.core.project.origins import remember_look, style_changed
from app.core.project.site_tables import SITE_TABLES, table_layers
from layers.model import LayerStack


def apply_saved_styles(path: Path, stack: LayerStack) -> list[str]:
    """Give the stack's layers the default styles (and opacity) of ``path``'s
    ``layer_styles``; returns one note per layer whose style could not be read whole."""
    notes: list[str] = []
    styles = read_layer_styles(path, notes)
    sites_table = _foreign_sites_style(path)
    for layer in stack:
        name = sites_table if layer.name == "sites" and sites_table else layer.name
        style, opacity = styles.get(name, (None, layer.opacity))
        if style is not None:
            layer.set_style(style)
            layer.set_opacity(opacity)
        remember_look(layer)
    unread = {name for name, (style, _opacity) in styles.items() if style is None}
    result = []
    for note in notes:
        name = note.split("'", 2)[1] if note.startswith("layer '") else ""
        if name in stack:
            result.append(note + ("; drawn with the InnoAtlas style" if name in unread else ""))
    return result


def _foreign_sites_style(path: Path) -> str | None:
    """The sites table (``sites_points``, else ``sites_areas``) whose default style was
    written by another tool (QGIS): it then styles the whole sites layer in InnoAtlas.
    InnoAtlas's own rows for those tables are its sites style split by geometry type."""
    try:
        with sqlite3.connect(readonly_uri(path), uri=True) as con:
            rows = con.execute(
                f'SELECT "f_table_name", "owner" FROM "{STYLES_TABLE}" '
                'WHERE "useAsDefault" AND "f_table_name" IN (?, ?)',
                SITE_TABLES,
            ).fetchall()
        con.close()
    except sqlite3.Error:
        return None
    foreign = {str(table) for table, owner in rows if owner != OWNER}
    return next((table for table in SITE_TABLES if table in foreign), None)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_saved_styles(target: Path, stack: LayerStack, source: Path | None) -> None:
    """Write ``layer_styles`` into the new project file ``target`` (see the module
    docstring); ``source`` is the file the project was opened from (None: none)."""
    stamp = _stamp()
    with sqlite3.connect(target) as con:
        copied = False
        if source is not None:
            copied = _copy_rows(con, source)
        if not copied:
            create_layer_styles(con, stamp)
        geometry_columns = dict(
            con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall()
        )
        for layer in stack:
            changed = style_changed(layer)
            # the sites are stored as one table per geometry type, each with its style
            for table, stored in table_layers(layer):
                has_rows = con.execute(
                    f'SELECT 1 FROM "{STYLES_TABLE}" WHERE "f_table_name" = ? LIMIT 1', (table,)
                ).fetchone()
                if has_rows and not changed:
                    continue
                put_default_style(con, stored, geometry_columns.get(table, "geom"), stamp)
    con.close()


def _copy_rows(con: sqlite3.Connection, source: Path) -> bool:
    """Copy the source's ``layer_styles`` (its own table definition, every row) and its
    ``gpkg_contents`` row; False when the source has none."""
    with sqlite3.connect(readonly_uri(source), uri=True) as src:
        try:
            sql = src.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (STYLES_TABLE,)
            ).fetchone()
            if sql is None or not sql[0]:
                return False
            rows = src.execute(f'SELECT * FROM "{STYLES_TABLE}"').fetchall()
            contents = src.execute(
                "SELECT * FROM gpkg_contents WHERE table_name = ?", (STYLES_TABLE,)
            ).fetchone()
        except sqlite3.Error:
            return False
    src.close()
    con.execute(sql[0])
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        con.executemany(f'INSERT INTO "{STYLES_TABLE}" VALUES ({marks})', rows)
    if contents is not None:
        marks = ", ".join("?" for _ in contents)
        con.execute(f"INSERT OR IGNORE INTO gpkg_contents VALUES ({marks})", contents)
    else:
        create_layer_styles(con, _stamp())
    return True


__all__ = ["apply_saved_styles", "write_saved_styles"]
