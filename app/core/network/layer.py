"""Isochrones as a table and as an ordinary map layer (one style model, every output).

:func:`isochrone_frame` gives one row per site and band (``site_id``, ``name``,
``band_m``, ``reached_m``, ``off_network``, ``catchment``); :func:`isochrone_layer` wraps
it in a :class:`~layers.model.Layer` styled by :data:`ISOCHRONE_SPEC`, so the canvas,
PNG/PDF and the web map draw it like any analysis layer. Its provenance inherits the
sites' status (synthetic sites give synthetic isochrones).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.network.catchment import catchment_label
from app.core.network.isochrone import ISOCHRONE_BUFFER_M, isochrones
from app.core.network.join import OFF_NETWORK_M, site_starts
from app.core.network.topology import Network
from layers.model import WORKING_CRS, Layer, LayerSpec
from layers.provenance import DataStatus, Provenance
from layers.style import LayerStyle, Symbol

ISOCHRONE_LAYER = "walking_isochrones"
ISOCHRONE_COLOUR = "#1b9e77"

ISOCHRONE_SPEC = LayerSpec(
    name=ISOCHRONE_LAYER,
    title_ko="도보 등시선",
    title_en="Walking isochrones",
    geometry_kind="polygon",
    columns={"site_id": "str", "band_m": "float", "reached_m": "float"},
    style=LayerStyle(
        symbol=Symbol(
            fill=ISOCHRONE_COLOUR, fill_alpha=0.25, stroke=ISOCHRONE_COLOUR, stroke_width=1.0
        )
    ),
    provenance=Provenance(DataStatus.APPROXIMATE, "", "", ""),
    description=(
        "Area reached within R along the walking network: the reached streets buffered by "
        f"{ISOCHRONE_BUFFER_M:.0f} m either side."
    ),
)


def isochrone_frame(
    sites: gpd.GeoDataFrame,
    network: Network,
    bands: Sequence[float],
    name: str = "walking network",
    buffer_m: float = ISOCHRONE_BUFFER_M,
) -> gpd.GeoDataFrame:
    """One row per site and band, the isochrone polygon as geometry (EPSG:5186).

    Parameters
    ----------
    sites : GeoDataFrame
        Points and/or polygons (any CRS; ``site_id`` and ``name`` kept when present).
    network : Network
    bands : sequence of float
        Walking radii (m).
    name : str
        The network's name (``catchment`` column).
    buffer_m : float
        Half-width of the band drawn around the reached streets (m).
    """
    if sites.crs is not None and not sites.crs.equals(WORKING_CRS):
        sites = sites.to_crs(WORKING_CRS)
    geoms = np.asarray(sites.geometry.values, dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rows = np.flatnonzero(usable)
    starts = site_starts(network, geoms[rows], OFF_NETWORK_M)
    iso = isochrones(network, geoms[rows], bands, buffer_m=buffer_m, starts=starts)
    index = rows[iso.site]
    data = {
        "site_id": _text(sites, "site_id", index),
        "name": _text(sites, "name", index),
        "band_m": iso.band,
        "reached_m": np.round(iso.reached_m, 1),
        "off_network": starts.off[iso.site],
        "catchment": catchment_label(name),
    }
    return gpd.GeoDataFrame(data, geometry=list(iso.geometry), crs=WORKING_CRS)


def _text(frame: pd.DataFrame, column: str, index: np.ndarray) -> list[str]:
    if column not in frame.columns:
        return [str(i + 1) for i in index] if column == "site_id" else [""] * len(index)
    values = frame[column].astype(object).to_numpy()[index]
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def isochrone_layer(
    sites: gpd.GeoDataFrame,
    network: Network,
    bands: Sequence[float],
    name: str = "walking network",
    status: DataStatus = DataStatus.APPROXIMATE,
) -> Layer:
    """The isochrones of ``sites`` as a map layer (see the module docstring)."""
    frame = isochrone_frame(sites, network, sorted(bands, reverse=True), name)
    provenance = Provenance(
        DataStatus.SYNTHETIC if status == DataStatus.SYNTHETIC else DataStatus.APPROXIMATE,
        f"Computed by InnoAtlas along the walking network '{name}'",
        "",
        "",
        f"Walking isochrones over {name}",
        f"Reached streets buffered by {ISOCHRONE_BUFFER_M:.0f} m; off-network distance "
        f"limit {OFF_NETWORK_M:.0f} m.",
    )
    return Layer.from_spec(ISOCHRONE_SPEC, frame, provenance)
