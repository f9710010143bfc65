"""Walking distance for the indicator engine: the ``distances`` hook of IndicatorEngine.

:class:`WalkingDistances` wraps each indexed feature layer of the engine
(:class:`~app.core.indicators.catchment.IndexedLayer` or
:class:`~app.core.indicators.point_grid.PointGrid`) in a :class:`WalkingLayer` with the
same feature order and the two queries the engine makes: ``pairs_within(sites, radii)``
(the features within a walk of R) and ``nearest_distances(sites)`` (the walk to the
nearest feature). Column names stay; :func:`walking_indicators` adds ``reach_ratio``
(start-ups within the walking R ÷ start-ups within the R circle) and records the
catchment in ``frame.attrs["catchment"]``.

A feature inside a polygon site is at distance 0, as with straight lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.core.indicators import catchment as straight
from app.core.indicators.catchment import IndexedLayer, is_polygonal
from app.core.indicators.point_grid import PointGrid
from app.core.network.join import OFF_NETWORK_M, Joined, Starts, join, site_starts
from app.core.network.paths import (
    farthest_access,
    feature_pairs,
    nearest_distance,
    nearest_node_distances,
)
from app.core.network.topology import Network

#: frame.attrs key naming the catchment used ("circle" or "walking network: NAME").
CATCHMENT_ATTR = "catchment"
REACH_COLUMN = "reach_ratio"
#: The column that records the catchment in every export of a walking table.
CATCHMENT_COLUMN = "catchment"


def catchment_label(name: str | None) -> str:
    """The text exports record for the catchment used."""
    return "circle (straight line)" if name is None else f"walking network: {name}"


@dataclass
class WalkingDistances:
    """Walking distance over ``network`` for the indicator engine's layers.

    Parameters
    ----------
    network : Network
    name : str
        The network layer's name (recorded in exports).
    off_limit : float
        Features farther than this from every edge are off network (not counted).
    """

    network: Network
    name: str = "walking network"
    off_limit: float = OFF_NETWORK_M
    off_network: dict[str, int] = field(default_factory=dict)
    layers: dict[str, WalkingLayer] = field(default_factory=dict)
    _last: tuple | None = None

    def wrap(self, family: str, layer: IndexedLayer | PointGrid) -> WalkingLayer:
        """The layer with walking-distance queries (same feature order)."""
        if isinstance(layer, PointGrid):
            geoms = shapely.points(layer.x, layer.y)
        else:
            geoms = layer.geoms
        joined = join(self.network, geoms, self.off_limit)
        self.off_network[family] = int(joined.off.sum())
        wrapped = WalkingLayer(layer, self, joined)
        self.layers[family] = wrapped
        return wrapped

    def starts(self, sites: np.ndarray) -> Starts:
        """Where the sites' walks start (the last answer is kept for the next layer)."""
        key = hash(b"|".join(shapely.to_wkb(np.asarray(sites, dtype=object))))
        last = self._last  # one read: a worker thread may replace it meanwhile
        if last is not None and last[0] == key:
            return last[1]
        starts = site_starts(self.network, sites, self.off_limit)
        self._last = (key, starts)
        return starts

    def off_sites(self, sites: np.ndarray) -> np.ndarray:
        """True for each site farther than the off-network limit from every edge: its walking
        figures are unknown (the engine reads them as outside the layers' coverage)."""
        sites = np.asarray(sites, dtype=object)
        if len(sites) == 0:
            return np.zeros(0, dtype=bool)
        return np.asarray(self.starts(sites).off, dtype=bool)[: len(sites)]


class WalkingLayer:
    """An indexed layer queried by walking distance (see the module docstring)."""

    def __init__(self, base: IndexedLayer | PointGrid, owner: WalkingDistances, joined: Joined):
        self.base = base
        self.owner = owner
        self.joined = joined
        self.by_edge = joined.by_edge(owner.network.n_edges)
        self.farthest = farthest_access(joined, *self.by_edge)
        self._to_nearest: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.base)

    def pairs_within(self, sites: np.ndarray, radii: np.ndarray | float) -> np.ndarray:
        """``(site, feature)`` pairs with walking distance <= radius."""
        sites = np.asarray(sites, dtype=object)
        radii = np.broadcast_to(np.asarray(radii, float), (len(sites),))
        starts = self.owner.starts(sites)
        s, f, _ = feature_pairs(
            self.owner.network,
            starts,
            self.joined,
            radii,
            self.by_edge,
            with_distance=False,
            farthest=self.farthest,
        )
        polygonal = is_polygonal(sites)
        if polygonal.any():  # features inside a polygon site: distance 0
            poly = np.flatnonzero(polygonal)
            inside = straight.catchment_pairs(sites[poly], 0.0, self.base)
            s = np.concatenate([s, poly[inside[0]]])
            f = np.concatenate([f, inside[1]])
            pairs = np.unique(np.stack([s, f]), axis=1)
            return pairs
        return np.stack([s, f])

    def nearest_distances(self, sites: np.ndarray) -> np.ndarray:
        """Walking distance from each site to its nearest feature (NaN if none reachable)."""
        sites = np.asarray(sites, dtype=object)
        result = np.full(len(sites), np.nan)
        if len(self.base) == 0 or len(sites) == 0:
            return result
        if self._to_nearest is None:
            on = np.flatnonzero(~self.joined.off)
            feats = Starts(
                np.arange(len(on)),
                self.joined.edge[on],
                self.joined.t[on],
                self.joined.t[on],
                self.joined.access[on],
                len(on),
                np.zeros(len(on), bool),
            )
            self._to_nearest = nearest_node_distances(self.owner.network, feats)
        starts = self.owner.starts(sites)
        walk = nearest_distance(
            self.owner.network, starts, self._to_nearest, self.joined, self.by_edge
        )
        if is_polygonal(sites).any():  # a feature inside a polygon site: distance 0
            (site_idx, _), gap = self.base.tree.query_nearest(
                sites, return_distance=True, all_matches=False
            )
            walk[site_idx[gap == 0]] = 0.0
        result = np.where(np.isfinite(walk), walk, np.nan)
        return result


def circle_counts(sites: np.ndarray, radii: np.ndarray, layer: WalkingLayer) -> np.ndarray:
    """Features within the straight-line circle of each site (for the reach ratio)."""
    pairs = straight.catchment_pairs(sites, radii, layer.base)
    return straight.catchment_counts(pairs, len(sites))


def site_radii(sites: gpd.GeoDataFrame, radius: float, site_radius: bool) -> np.ndarray:
    """Per site, its R: its own finite ``radius_m`` >= 0 when ``site_radius``, else
    ``radius`` (as the indicator engine does)."""
    radii = np.full(len(sites), float(radius))
    if site_radius and "radius_m" in sites.columns:
        own = pd.to_numeric(sites["radius_m"], errors="coerce").to_numpy(float, na_value=np.nan)
        ok = np.isfinite(own) & (own >= 0)
        radii[ok] = own[ok]
    return radii


def add_reach_ratio(
    frame: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    distances: WalkingDistances,
    radius: float,
    site_radius: bool = True,
) -> pd.DataFrame:
    """Add ``reach_ratio`` (walking ``startups_n`` ÷ start-ups within the circle; NaN
    when the circle holds none) and ``catchment`` (``walking network: NAME``, also in
    ``frame.attrs``), so that every export of the table records the catchment."""
    layer = distances.layers.get("startups")
    frame = frame.copy()
    frame.attrs[CATCHMENT_ATTR] = catchment_label(distances.name)
    frame.attrs["off_network"] = dict(distances.off_network)
    ratio = np.full(len(frame), np.nan)
    if layer is not None and len(sites):
        from app.core.indicators.engine import to_working_crs

        sites = to_working_crs(sites)
        geoms = np.asarray(sites.geometry.values, dtype=object)
        usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        radii = site_radii(sites, radius, site_radius)
        circle = circle_counts(geoms[usable], radii[usable], layer).astype(float)
        walk = pd.to_numeric(frame["startups_n"], errors="coerce").to_numpy(float)[usable]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio[usable] = np.where(circle > 0, walk / circle, np.nan)
        frame.attrs["off_network"]["sites"] = int(distances.off_sites(geoms[usable]).sum())
    frame[REACH_COLUMN] = ratio
    frame[CATCHMENT_COLUMN] = frame.attrs[CATCHMENT_ATTR]  # every export records it
    return frame


def walking_indicators(
    sites: gpd.GeoDataFrame,
    startups: gpd.GeoDataFrame | None,
    education: gpd.GeoDataFrame | None,
    stations: gpd.GeoDataFrame | None,
    zoning: gpd.GeoDataFrame | None,
    *,
    network: Network,
    name: str = "walking network",
    radius: float = 800.0,
    site_radius: bool = True,
    **engine_options: Any,
) -> pd.DataFrame:
    """Every indicator of docs/indicators.md with a walking catchment, plus ``reach_ratio``.

    Parameters
    ----------
    sites, startups, education, stations, zoning : GeoDataFrame or None
        As for :func:`app.core.indicators.engine.compute_indicators`.
    network : Network
        The walking network.
    name : str
        Its name, recorded in ``frame.attrs["catchment"]``.
    radius : float
        The walking R (m).
    site_radius : bool
        Use each site's ``radius_m`` where set.
    **engine_options
        ``rules``, ``use_classes``, ``coverage``, ``startup_xy`` (engine) and ``weights``,
        ``references``, ``progress`` (compute).

    Returns
    -------
    DataFrame
        The engine's columns, then ``reach_ratio`` and ``catchment``.
    """
    from app.core.indicators.engine import IndicatorEngine

    build = {
        k: engine_options.pop(k)
        for k in ("rules", "use_classes", "coverage", "startup_xy")
        if k in engine_options
    }
    distances = WalkingDistances(network, name)
    engine = IndicatorEngine(startups, education, stations, zoning, distances=distances, **build)
    frame = engine.compute(sites, radius, site_radius=site_radius, **engine_options)
    return add_reach_ratio(frame, sites, distances, radius, site_radius)
