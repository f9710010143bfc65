"""A site's identity: ``site_id`` (a UUID kept forever) and ``kind`` (from its geometry).

- :func:`new_site_id` gives a new random id (``uuid4``, canonical text) to a site drawn in
  InnoAtlas. Ids written by older versions (12 hex digits) are kept as they are.
- :func:`repair_identity` runs when a project is opened: sites that arrive without an id
  (drawn in QGIS) get a new one, and the second and later sites sharing an id get new ones;
  each repair is named in a note. ``kind`` is set from the geometry.
- :func:`derive_ids` is for a sites *file* given on the command line (``--sites``): a site
  without an id gets ``uuid5`` of its geometry (WKB on a 1 mm grid) and attributes, so the
  same file gives the same ids on every run; the file itself is never changed.

See docs/geopackage.md ("Sites: tables and identity").
"""

from __future__ import annotations

import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Namespace of the ids derived from a file's features (fixed: changing it changes every id).
DERIVED_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://innoatlas.invalid/site-id/1")
#: Coordinates are hashed on this grid (metres in EPSG:5186), so that a reprojection that
#: differs in the last digits between PROJ versions gives the same ids.
HASH_GRID_M = 0.001


def new_site_id() -> str:
    """A new random site id (``uuid4`` in canonical text form)."""
    return str(uuid.uuid4())


def kinds_of(geometries: gpd.GeoSeries) -> pd.Series:
    """``"point"`` for (multi)points, ``"polygon"`` for everything else, per feature."""
    is_point = geometries.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    return pd.Series(np.where(is_point, "point", "polygon"), index=geometries.index, dtype=object)


def _ids(frame: gpd.GeoDataFrame) -> pd.Series:
    ids = frame["site_id"] if "site_id" in frame else pd.Series("", index=frame.index)
    return ids.astype(object).where(ids.notna(), "").astype(str).str.strip()


def _names(frame: gpd.GeoDataFrame, rows: np.ndarray) -> str:
    names = frame["name"].astype(str).to_numpy()[rows] if "name" in frame else []
    shown = [f"'{n}'" for n in names[:5]] + (["…"] if len(rows) > 5 else [])
    return ", ".join(shown)


def repair_identity(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Give every site a unique ``site_id`` and the ``kind`` of its geometry.

    Parameters
    ----------
    frame : GeoDataFrame
        A sites table as read from a project (any columns).

    Returns
    -------
    GeoDataFrame, list of str
        A copy with empty ids filled with :func:`new_site_id`, the second and later
        sites of a duplicated id given new ids, and ``kind`` from the geometry; one
        note per kind of repair (nothing when nothing was repaired).
    """
    frame = frame.copy()
    ids = _ids(frame)
    missing = (ids == "").to_numpy()
    duplicated = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    notes = []
    if missing.any():
        rows = np.flatnonzero(missing)
        notes.append(
            f"{len(rows)} site(s) without a site_id got a new one ({_names(frame, rows)}; "
            "drawn in another tool?)"
        )
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        notes.append(
            f"{len(rows)} site(s) shared a site_id with an earlier site and got a new one "
            f"({_names(frame, rows)})"
        )
    fresh = missing | duplicated
    ids = ids.to_numpy(dtype=object)
    ids[fresh] = [new_site_id() for _ in range(int(fresh.sum()))]
    frame["site_id"] = pd.Series(ids, index=frame.index, dtype=object)
    frame["kind"] = kinds_of(frame.geometry)
    return frame, notes


def _feature_keys(frame: gpd.GeoDataFrame) -> list[bytes]:
    """Per feature: its geometry (WKB on the hash grid) and attributes, as bytes."""
    geometries = shapely.set_precision(frame.geometry.to_numpy(), HASH_GRID_M, mode="pointwise")
    wkb = shapely.to_wkb(geometries, hex=True, byte_order=1)
    columns = sorted(c for c in frame.columns if c != frame.geometry.name and c != "site_id")
    text = frame[columns].astype(object).where(frame[columns].notna(), None).astype(str)
    joined = text.apply(lambda row: "\x1f".join(f"{c}={v}" for c, v in zip(columns, row)), axis=1)
    return [f"{g}\x1e{a}".encode() for g, a in zip(wkb, joined.to_numpy())]


def derive_ids(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Fill missing and duplicated ``site_id`` of a sites file deterministically.

    Parameters
    ----------
    frame : GeoDataFrame
        The sites as read from a file (the file is not touched).

    Returns
    -------
    GeoDataFrame, list of str
        A copy whose sites without an id (or repeating an earlier site's id) have
        ``uuid5(DERIVED_NAMESPACE, geometry WKB + attributes [+ occurrence])``: the same
        file gives the same ids on every run. Identical features are told apart by
        their occurrence. ``kind`` is set from the geometry. One note per repair.
    """
    frame = frame.copy()
    ids = _ids(frame)
    duplicated = (ids.duplicated(keep="first") & (ids != "")).to_numpy()
    fresh = (ids == "").to_numpy() | duplicated
    notes = []
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        notes.append(
            f"{len(rows)} site(s) repeat an earlier site's site_id and got a derived one "
            f"({_names(frame, rows)})"
        )
    if fresh.any():
        keys = pd.Series(_feature_keys(frame), index=frame.index)
        keys = keys + ids.str.encode("utf-8")
        occurrence = keys.groupby(keys).cumcount().to_numpy()
        derived = [
            str(uuid.uuid5(DERIVED_NAMESPACE, key.hex() + f"#{n}"))
            for key, n in zip(keys.to_numpy()[fresh], occurrence[fresh])
        ]
        values = ids.to_numpy(dtype=object)
        values[fresh] = derived
        frame["site_id"] = pd.Series(values, index=frame.index, dtype=object)
    else:
        frame["site_id"] = ids
    frame["kind"] = kinds_of(frame.geometry)
    return frame, notes


__all__ = ["DERIVED_NAMESPACE", "derive_ids", "kinds_of", "new_site_id", "repair_identity"]
