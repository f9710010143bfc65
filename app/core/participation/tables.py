"""The ``participation_*`` tables of the project GeoPackage, and the CSV of every action.

- ``participation_votes`` (attributes): site_id, dots;
- ``participation_comments`` (attributes): site_id, text;
- ``participation_pins`` (POINT, EPSG:5186): category, text;
- ``participation_proposals`` (POINT, EPSG:5186): text;

each with action_id, time, participant, nickname and hidden.

``time`` is UTC ISO-8601; ``participant`` an anonymous random id; ``hidden`` 1 for what
the facilitator hid. Participant text is stored as plain text, never markup: whoever
reads the tables (QGIS, a script, a web page) must treat it as data.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from app.core.formats.csv_text import csv_text
from app.core.participation.actions import Action
from app.core.participation.results import Results

CRS = "EPSG:5186"
COMMON = ("action_id", "time", "participant", "nickname")
#: table → (action kind, its own columns, has a point geometry)
TABLES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "participation_votes": ("vote", ("site_id", "dots"), False),
    "participation_comments": ("comment", ("site_id", "text"), False),
    "participation_pins": ("pin", ("category", "text"), True),
    "participation_proposals": ("propose", ("text",), True),
}
_INTEGER = {"dots", "hidden"}


def _rows(results: Results, kind: str, columns: tuple[str, ...]) -> list[dict]:
    rows = []
    for action in results.of_kind(kind, visible_only=False):
        row: dict[str, object] = {
            "action_id": action.id,
            "time": action.time,
            "participant": action.participant,
            "nickname": action.nickname,
        }
        for column in columns:
            row[column] = getattr(action, column)
        row["hidden"] = int(action.id in results.hidden)
        rows.append(row)
    return rows


def write_tables(target: Path, results: Results) -> None:
    """Write the four tables into the GeoPackage ``target`` (which must not hold them).

    The attribute tables get an INTEGER primary key ``fid`` and a ``gpkg_contents`` row
    of data type ``attributes``; the point tables are written by GDAL (R-tree included).
    """
    for table, (kind, own, point) in TABLES.items():
        columns = (*COMMON, *own, "hidden")
        rows = _rows(results, kind, own)
        if point:
            actions = {a.id: a for a in results.of_kind(kind, visible_only=False)}
            geometry = shapely.points(
                [actions[r["action_id"]].x for r in rows], [actions[r["action_id"]].y for r in rows]
            )
            frame = gpd.GeoDataFrame(
                pd.DataFrame(rows, columns=list(columns)), geometry=geometry, crs=CRS
            )
            for column in _INTEGER & set(columns):
                frame[column] = frame[column].astype("int64")
            pyogrio.write_dataframe(
                frame, target, layer=table, driver="GPKG", geometry_type="Point", append=False
            )
            continue
        with sqlite3.connect(target) as con:
            column_sql = ", ".join(
                f'"{c}" {"INTEGER" if c in _INTEGER else "TEXT"}' for c in columns
            )
            con.execute(
                f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, {column_sql})'
            )
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (table, table),
            )
            con.executemany(
                f'INSERT INTO "{table}" ({", ".join(columns)}) '
                f"VALUES ({', '.join('?' for _ in columns)})",
                [[row[c] for c in columns] for row in rows],
            )
        con.close()


def read_tables(path: Path) -> Results:
    """The participation results stored in the GeoPackage ``path``, in the order they
    arrived (by ``time``); empty when it has none; a damaged row is skipped."""
    actions: list[Action] = []
    hidden: set[str] = set()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            names = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents").fetchall()}
        con.close()
    except sqlite3.Error:
        return Results()
    for table, (kind, _own, point) in TABLES.items():
        if table not in names:
            continue
        try:
            if point:
                frame = pyogrio.read_dataframe(path, layer=table)
                records = frame.drop(columns="geometry").to_dict("records")
                for record, geom in zip(records, frame.geometry):
                    if geom is not None and not geom.is_empty:
                        record["x"], record["y"] = geom.x, geom.y
            else:
                with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
                    con.row_factory = sqlite3.Row
                    records = [dict(r) for r in con.execute(f'SELECT * FROM "{table}"')]
                con.close()
        except (sqlite3.Error, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
            continue
        for record in records:
            record["id"], record["kind"] = record.get("action_id"), kind
            try:
                action = Action.from_dict(record)
            except (ValueError, TypeError):
                continue
            actions.append(action)
            if record.get("hidden"):
                hidden.add(action.id)
    actions.sort(key=lambda a: a.time)  # arrival order across the four tables
    return Results(actions, hidden)


def csv_of(results: Results, site_names: dict[str, str] | None = None) -> str:
    """Every action as CSV text (formulas neutralised; hidden ones marked)."""
    names = site_names or {}
    rows = [
        {
            "kind": a.kind,
            "time": a.time,
            "participant": a.participant,
            "nickname": a.nickname,
            "site_id": a.site_id,
            "site": names.get(a.site_id, ""),
            "dots": a.dots if a.kind == "vote" else "",
            "category": a.category,
            "text": a.text,
            "x": "" if a.kind not in ("pin", "propose") else round(a.x, 2),
            "y": "" if a.kind not in ("pin", "propose") else round(a.y, 2),
            "hidden": int(a.id in results.hidden),
        }
        for a in results.actions
    ]
    columns = [
        "kind", "time", "participant", "nickname", "site_id", "site", "dots",
        "category", "text", "x", "y", "hidden",
    ]  # fmt: skip
    return csv_text(pd.DataFrame(rows, columns=columns))


__all__ = ["TABLES", "csv_of", "read_tables", "write_tables"]
