"""Damaged project files (issue 13), written at test time: flipped geometry bytes, absurd
saved settings, a newer or absurd format version. Independent of pytest so that core,
CLI and GUI tests share them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import shapely

from app.core.paths import DEFAULT_PROJECT
from app.core.project.store import SETTINGS_TABLE, open_project, save_project
from app.core.sites import edits

#: Three point sites in G-Valley.
SITE_POINTS = [(190250.0, 545500.0), (190350.0, 545600.0), (190450.0, 545700.0)]

#: Saved settings that crashed the GUI or are plain absurd; each must open with a note.
ABSURD_SETTINGS = {
    "radius infinite": ({"radius_m": float("inf")}, "radius_m"),
    "radius 1e300": ({"radius_m": 1e300}, "radius_m"),
    "radius NaN": ({"radius_m": float("nan")}, "radius_m"),
    "radius negative": ({"radius_m": -5}, "radius_m"),
    "radius text": ({"radius_m": "wide"}, "radius_m"),
    "view zero resolution": ({"view": [190000.0, 545000.0, 0.0]}, "view"),
    "view negative resolution": ({"view": [190000.0, 545000.0, -3.0]}, "view"),
    "view NaN": ({"view": [float("nan"), 545000.0, 10.0]}, "view"),
    "view 1e300": ({"view": [1e300, 1e300, 1e300]}, "view"),
    "view infinite": ({"view": [float("inf"), 0.0, 10.0]}, "view"),
    "weights NaN": ({"weights": {"startups": float("nan")}}, "weights"),
    "weights negative": ({"weights": {"transit": -1}}, "weights"),
    "layers opacity NaN": ({"layers": [{"name": "dong", "opacity": float("nan")}]}, "layers"),
    "layers not a list": ({"layers": 7}, "layers"),
    "language": ({"language": ["ko"]}, "language"),
    "sketch infinite": ({"extra": {"pending_sketch": [[1e300, 0.0], [0.0, 1.0]]}}, "sketch"),
}


def _write(con: sqlite3.Connection) -> sqlite3.Connection:
    """GDAL's R-tree triggers call functions plain sqlite3 lacks: dummies for an edit."""
    con.create_function("ST_IsEmpty", 1, lambda _b: 1)
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        con.create_function(name, 1, lambda _b: None)
    return con


def project_with_sites(path: Path) -> Path:
    """Save the default project with three point sites "s0", "s1", "s2" to ``path``."""
    project = open_project(DEFAULT_PROJECT)
    layer = project.stack.get("sites")
    for number, point in enumerate(SITE_POINTS):
        edits.insert_site(layer, edits.make_site(shapely.Point(*point), f"s{number}"))
    save_project(path, project.stack, project.settings)
    return path


def flip_geometry(path: Path, table: str, where: str = "1") -> list[tuple]:
    """Flip four bytes of the WKB header of the geometry of the rows ``where`` (SQL) in
    ``table``; return those rows as stored afterwards (``SELECT *``, ordered by fid)."""
    with _write(sqlite3.connect(path)) as con:
        rows = con.execute(f'SELECT fid, geom FROM "{table}" WHERE {where}').fetchall()
        for fid, blob in rows:
            damaged = bytearray(blob)
            header = 8 + {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(damaged[3] >> 1) & 7]
            for k in range(header, header + 4):
                damaged[k] ^= 0xFF
            con.execute(f'UPDATE "{table}" SET geom = ? WHERE fid = ?', (bytes(damaged), fid))
        damaged_rows = con.execute(
            f'SELECT * FROM "{table}" WHERE fid IN ({",".join(str(r[0]) for r in rows)}) '
            "ORDER BY fid"
        ).fetchall()
    con.close()
    return damaged_rows


def set_project_value(path: Path, key: str, value: str) -> None:
    """Overwrite one ``innoatlas_project`` value (``settings``, ``format_version``)."""
    with sqlite3.connect(path) as con:
        con.execute(f'UPDATE "{SETTINGS_TABLE}" SET value = ? WHERE key = ?', (value, key))
    con.close()


def with_settings(path: Path, changes: dict) -> None:
    """Merge ``changes`` into the saved settings JSON (NaN/Infinity written as such)."""
    with sqlite3.connect(path) as con:
        (text,) = con.execute(
            f"SELECT value FROM \"{SETTINGS_TABLE}\" WHERE key = 'settings'"
        ).fetchone()
    con.close()
    settings = json.loads(text)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict):
            settings[key] = {**settings[key], **value}
        else:
            settings[key] = value
    set_project_value(path, "settings", json.dumps(settings))
