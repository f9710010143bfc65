"""GeoPackages that stress the Add layer listing: thousands of layers, system tables.

:func:`many_layers_gpkg` writes a real GeoPackage of ``n`` tiny point layers in about a
second: pyogrio writes the first layer (and the GeoPackage's own tables), then one
sqlite3 connection creates the other tables and their ``gpkg_contents``,
``gpkg_geometry_columns`` and ``gpkg_ogr_contents`` rows, as GDAL would.
:func:`gpkg_with_system_tables` writes one real layer next to a ``layer_styles`` table
(registered in ``gpkg_contents`` as QGIS does) and an ``innoatlas_project`` table.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

GASAN = (189_900.0, 542_300.0)  # EPSG:5186, inside G-Valley
#: A style InnoAtlas refuses to read (QGIS never declares XML entities).
REFUSED_QML = '<!DOCTYPE qgis [<!ENTITY x "y">]><qgis><renderer-v2 type="singleSymbol"/></qgis>'


def _point_frame(name: str = "p") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": [name]}, geometry=[shapely.Point(*GASAN)], crs="EPSG:5186")


def many_layers_gpkg(path: Path, n: int = 1500) -> Path:
    """A GeoPackage of ``n`` point layers ``layer_0000`` … of one feature each."""
    pyogrio.write_dataframe(_point_frame(), path, layer="layer_0000")
    point = shapely.to_wkb(shapely.Point(*GASAN))
    header = b"GP\x00\x01" + (5186).to_bytes(4, "little")  # GeoPackage blob, no envelope
    with closing(sqlite3.connect(path)) as con, con:
        for i in range(1, n):
            table = f"layer_{i:04d}"
            con.execute(
                f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
                "geom POINT, name TEXT)"
            )
            con.execute(f'INSERT INTO "{table}" (geom, name) VALUES (?, ?)', (header + point, "p"))
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES (?, 'features', ?, 5186)",
                (table, table),
            )
            con.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 5186, 0, 0)",
                (table,),
            )
            con.execute("INSERT INTO gpkg_ogr_contents VALUES (?, 1)", (table,))
    return path


def gpkg_with_system_tables(path: Path, qml: str = REFUSED_QML) -> Path:
    """One point layer ``centres`` with a ``layer_styles`` row holding ``qml``, and an
    ``innoatlas_project`` table; ``layer_styles`` comes first in ``gpkg_contents``."""
    styles = pd.DataFrame(
        {
            "f_table_catalog": [""],
            "f_table_schema": [""],
            "f_table_name": ["centres"],
            "f_geometry_column": ["geom"],
            "styleName": ["centres"],
            "styleQML": [qml],
            "styleSLD": [""],
            "useAsDefault": [1],
            "description": [""],
            "owner": [""],
            "ui": [""],
            "update_time": ["2026-01-01T00:00:00Z"],
        }
    )
    pyogrio.write_dataframe(styles, path, layer="layer_styles")
    pyogrio.write_dataframe(_point_frame("센터"), path, layer="centres")
    pyogrio.write_dataframe(
        pd.DataFrame({"key": ["format_version"], "value": ["1"]}), path, layer="innoatlas_project"
    )
    return path
