"""Read a walking network: any line layer, or the Seoul pedestrian network CSV (OA-21208).

Any line layer pyogrio reads (GeoPackage, Shapefile, GeoJSON: an OpenStreetMap export,
도로명주소 도로구간) goes through :func:`app.core.formats.vector.read_vector` (encoding, CRS,
EPSG:5186). Which lines are grade-separated comes from the first columns found of
:data:`SEPARATED_COLUMNS` (OSM ``bridge``/``tunnel``/``layer``, OA-21208 ``BRG``/``TNL``/
``OVRP``): any value other than empty, 0, "no" or "N" marks a bridge, tunnel or overpass.

The Seoul Open Data Plaza's pedestrian network (서울시 자치구별 도보 네트워크 공간정보,
OA-21208) is a CSV in CP949 with one row per node or link: ``NODE_TYPE`` is ``NODE`` or
``LINK``; links carry their geometry as WKT in WGS 84 in ``LNKG_WKT``, nodes in
``NODE_WKT``; ``LNKG_ID``, ``LNKG_LEN``, ``LNKG_TYPE_CD``, the flags ``BRG``, ``TNL``,
``OVRP``, ``CRSWK``, ``SBWY_NTW``, ``PARK``, ``BLDG`` and ``SGG_NM``/``EMD_NM``. Only
the LINK rows make the network (the nodes are the links' ends).

Every problem is an :class:`~app.core.formats.vector.InputError` with one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.formats.vector import InputError, ReadOptions, read_vector
from layers.model import WORKING_CRS

#: Columns that mark a grade-separated line (case-insensitive).
SEPARATED_COLUMNS = ("brg", "tnl", "ovrp", "bridge", "tunnel", "layer", "교량", "터널", "육교")
#: OA-21208's columns that say what a link is.
OA21208_COLUMNS = ("NODE_TYPE", "LNKG_WKT")
OA21208_FLAGS = ("BRG", "TNL", "OVRP", "CRSWK", "SBWY_NTW", "PARK", "BLDG")
_FALSE = {"", "0", "0.0", "no", "n", "false", "f", "nan", "none", "아니오"}


@dataclass
class NetworkLines:
    """The lines of a walking network in EPSG:5186 and which are grade-separated."""

    frame: gpd.GeoDataFrame
    separated: np.ndarray
    path: Path
    notes: list[str] = field(default_factory=list)


def is_oa21208(path: Path) -> bool:
    """True when ``path`` is a CSV with OA-21208's ``NODE_TYPE`` and ``LNKG_WKT`` columns."""
    if path.suffix.lower() not in (".csv", ".txt"):
        return False
    try:
        head = path.open("rb").readline()
    except OSError:
        return False
    for codec in ("utf-8-sig", "cp949"):
        try:
            text = head.decode(codec).upper()
        except UnicodeDecodeError:
            continue
        return all(c in text for c in OA21208_COLUMNS)
    return False


def read_network(
    path: Path | str, layer: str | None = None, options: ReadOptions | None = None
) -> NetworkLines:
    """Read a walking network's lines.

    Parameters
    ----------
    path : path-like
        A line layer (any format pyogrio reads) or an OA-21208 CSV.
    layer : str, optional
        Layer of a multi-layer file.
    options : ReadOptions, optional
        Encoding and assumed CRS (as for any layer).

    Returns
    -------
    NetworkLines

    Raises
    ------
    InputError
        The file cannot be read, has no CRS, or holds no lines.
    """
    path = Path(path)
    if is_oa21208(path):
        return read_oa21208(path)
    options = options or ReadOptions()
    if layer is not None:
        options = ReadOptions(
            layer=layer, encoding=options.encoding, assumed_crs=options.assumed_crs
        )
    read = read_vector(path, "walking network", preferred_layer=layer, options=options)
    frame = read.frame
    geoms = np.asarray(frame.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)
    linear = np.isin(types, (1, 2, 5))  # LineString, LinearRing, MultiLineString
    if not linear.any():
        raise InputError(f"walking network {path.name} has no lines: a network is a line layer")
    notes = list(read.notes)
    if not linear.all():
        notes.append(f"{int((~linear).sum())} features that are not lines left out")
        frame = frame[linear]
    return NetworkLines(frame, separated_flags(frame), path, notes)


def separated_flags(frame: pd.DataFrame) -> np.ndarray:
    """Per row: a bridge, tunnel or overpass, from :data:`SEPARATED_COLUMNS`."""
    flags = np.zeros(len(frame), bool)
    lower = {str(c).lower(): c for c in frame.columns}
    for name in SEPARATED_COLUMNS:
        column = lower.get(name)
        if column is None:
            continue
        text = frame[column].astype(str).str.strip().str.lower()
        flags |= ~text.isin(_FALSE).to_numpy()
    return flags


def read_oa21208(path: Path) -> NetworkLines:
    """Read the LINK rows of an OA-21208 CSV (CP949 or UTF-8) as lines in EPSG:5186."""
    table = None
    for codec in ("utf-8-sig", "cp949"):
        try:
            table = pd.read_csv(path, encoding=codec, dtype=str, keep_default_na=False)
            break
        except UnicodeDecodeError:
            continue
        except (OSError, pd.errors.ParserError) as err:
            raise InputError(f"cannot read walking network {path.name}: {err}") from None
    if table is None:
        raise InputError(f"cannot read walking network {path.name}: not CP949 or UTF-8 text")
    table.columns = [str(c).strip().upper() for c in table.columns]
    links = table[table["NODE_TYPE"].str.strip().str.upper() == "LINK"]
    if links.empty:
        raise InputError(f"walking network {path.name} has no LINK rows (OA-21208)")
    wkt = links["LNKG_WKT"].str.strip()
    try:
        geoms = shapely.from_wkt(
            wkt.where(wkt != "", None).to_numpy(dtype=object), on_invalid="ignore"
        )
    except shapely.errors.GEOSException as err:  # pragma: no cover - on_invalid ignores
        raise InputError(f"walking network {path.name}: bad LNKG_WKT ({err})") from None
    ok = ~shapely.is_missing(geoms)
    ok &= np.isin(shapely.get_type_id(geoms), (1, 5))
    notes = []
    if not ok.all():
        notes.append(f"{int((~ok).sum())} LINK rows without a line in LNKG_WKT left out")
    links, geoms = links[ok], geoms[ok]
    if len(links) == 0:
        raise InputError(f"walking network {path.name}: no LINK row has a line in LNKG_WKT")
    x, y = shapely.get_coordinates(geoms).T
    if not (np.all((x > 120) & (x < 135)) and np.all((y > 30) & (y < 45))):
        raise InputError(
            f"walking network {path.name}: LNKG_WKT is not longitude/latitude (WGS 84)"
        )
    frame = gpd.GeoDataFrame(links.reset_index(drop=True), geometry=geoms, crs="EPSG:4326")
    frame = frame.drop(columns=[c for c in ("NODE_WKT", "LNKG_WKT") if c in frame.columns])
    frame = frame.to_crs(WORKING_CRS)
    flags = np.zeros(len(frame), bool)
    for name in ("BRG", "TNL", "OVRP"):
        if name in frame.columns:
            flags |= ~frame[name].astype(str).str.strip().str.lower().isin(_FALSE).to_numpy()
    return NetworkLines(frame, flags, path, notes)
