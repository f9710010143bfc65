"""What the dataset readers share: the study area clip, the date a file carries, the
real-data provenance, the dong code crosswalk. Qt-free.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.datasets.registry import DATASETS
from app.core.paths import DATA_DIR
from layers.provenance import DataStatus, Provenance

DONG_CODES_CSV = DATA_DIR / "dong_codes.csv"


def study_area(districts: gpd.GeoDataFrame | None) -> shapely.Geometry | None:
    """The union of the innovation districts (EPSG:5186), prepared; None without them."""
    if districts is None or len(districts) == 0:
        return None
    area = shapely.union_all(shapely.make_valid(np.asarray(districts.geometry.values)))
    shapely.prepare(area)
    return area


def inside(frame: gpd.GeoDataFrame, area: shapely.Geometry | None) -> np.ndarray:
    """True for each feature in ``area`` (points: contained; polygons: intersecting)."""
    if area is None:
        return np.ones(len(frame), dtype=bool)
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if len(geoms) and bool((shapely.get_type_id(geoms) == 0).all()):
        return shapely.contains_xy(area, shapely.get_x(geoms), shapely.get_y(geoms))
    tree = shapely.STRtree(geoms)
    hits = tree.query(area, predicate="intersects")
    keep = np.zeros(len(geoms), dtype=bool)
    keep[hits] = True
    return keep


def date_in_name(path: Path) -> str | None:
    """A date in the file name: ``…_202403.csv`` → ``"2024-03"``, ``…_20240331`` →
    ``"2024-03-31"``; None when there is none."""
    match = re.search(
        r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])(?:[-_.]?(0[1-9]|[12]\d|3[01]))?(?!\d)", path.stem
    )
    if match is None:
        return None
    return "-".join(part for part in match.groups() if part)


def dbf_date(path: Path) -> str | None:
    """The last-update date a shapefile's .dbf header records (also inside a .zip)."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                member = next((n for n in archive.namelist() if n.lower().endswith(".dbf")), None)
                if member is None:
                    return None
                with archive.open(member) as handle:
                    head = handle.read(4)
        else:
            dbf = path.with_suffix(".dbf")
            if not dbf.exists():
                dbf = path.with_suffix(".DBF")
            head = dbf.read_bytes()[:4] if dbf.exists() else b""
    except (OSError, zipfile.BadZipFile):
        return None
    if len(head) < 4:
        return None
    try:
        return dt.date(1900 + head[1], head[2], head[3]).isoformat()
    except ValueError:
        return None


def file_date(path: Path) -> tuple[str, str]:
    """The date the data describe and where it came from (the name, else the file's
    modification date)."""
    named = date_in_name(path)
    if named:
        return named, "file name"
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date().isoformat()
    return stamp, "file modified"


def real_provenance(dataset: str, path: Path, vintage: str, where: str, notes: str) -> Provenance:
    """Real-data provenance of a layer made from ``dataset``."""
    spec = DATASETS[dataset]
    return Provenance(
        status=DataStatus.REAL,
        source=f"{spec.publisher}: {spec.name_ko} ({short_where(dataset)}), file {path.name}",
        licence=spec.licence,
        vintage=f"{vintage} ({where})",
        attribution=f"{spec.publisher.split(' (')[0]} {spec.name_ko}",
        notes=notes,
    )


def short_where(dataset: str) -> str:
    """Where ``dataset`` is published, in a few words ("data.go.kr dataset 15083033")."""
    return DATASETS[dataset].where.split(" (")[0].split(";")[0]


@functools.cache
def dong_codes() -> pd.DataFrame:
    """The admin dong crosswalk (``stat_code``, ``mois_code``, ``gu``, ``name``)."""
    return pd.read_csv(DONG_CODES_CSV, dtype=str)


def stat_codes(mois: pd.Series) -> pd.Series:
    """The project's dong codes (7-digit Statistics Korea) of 10-digit 행정동코드 values;
    None where the crosswalk does not know the code."""
    table = dong_codes()
    lookup = dict(zip(table["mois_code"], table["stat_code"], strict=True))
    text = code_text(mois)
    return text.map(lookup).astype(object)


def code_text(values: pd.Series) -> pd.Series:
    """Codes as text without a trailing ``.0`` (CSV readers may make them floats)."""
    if pd.api.types.is_float_dtype(values):
        values = values.astype("Int64")
    text = values.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    return text.astype(object).where(
        (text.notna() & (text != "")).to_numpy(dtype=bool, na_value=False), None
    )


__all__ = [
    "code_text",
    "date_in_name",
    "dbf_date",
    "dong_codes",
    "file_date",
    "inside",
    "real_provenance",
    "stat_codes",
    "study_area",
]
