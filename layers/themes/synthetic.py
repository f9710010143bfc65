"""Synthetic start-ups for the default project (no open point data of start-ups exists).

Every feature is invented and flagged ``synthetic=True``. The generator is seeded
and fully vectorised: candidate points are oversampled with numpy and kept with
``shapely.contains_xy``, so a million start-ups take a few seconds at most.

Most start-ups fall inside the three innovation districts, each with its own sector
mix (G-Valley ICT/SW, Magok Bio/Health and Electronics R&D, Yangjae AI/Data),
with sub-clusters around the stations and universities in and near them; a
minority is scattered over the study area around stations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from layers.model import WORKING_CRS
from layers.themes.startups import SECTORS

DEFAULT_SEED = 20261125
SECTOR_KEYS: tuple[str, ...] = tuple(SECTORS)
OUTSIDE_ID = ""
FOUNDED_MIN, FOUNDED_MAX = 2005, 2025
NAME_PREFIX = "합성기업 "

#: Stations / universities this close to a district (m) seed its sub-clusters.
ANCHOR_REACH_M = 400.0
STATION_SIGMA_M, EDUCATION_SIGMA_M = 300.0, 220.0
STATION_WEIGHT, EDUCATION_WEIGHT, HOTSPOT_WEIGHT = 3.0, 2.0, 2.0
#: Hotspots (e.g. clusters of 지식산업센터 towers) lie this far (sd, m) from an anchor.
HOTSPOT_SPREAD_M = 500.0
HOTSPOT_SIGMA_RANGE_M = (120.0, 260.0)
#: Start-ups outside the districts sit this far (sd, m) from a station.
OUTSIDE_SIGMA_M = 450.0
MAX_EMPLOYEES = 5000


@dataclass(frozen=True)
class DistrictProfile:
    """How the start-ups of one district are drawn.

    Parameters
    ----------
    share : float
        Relative share of all start-ups (normalised with the outside share).
    sectors : dict
        Sector key -> relative weight; missing sectors get weight 0.
    background : float
        Fraction spread uniformly over the district; the rest is clustered.
    hotspots : int
        Number of random sub-cluster centres near the district's anchors.
    founded_min : int
        Earliest founding year (Magok was only developed from 2008).
    """

    share: float
    sectors: dict[str, float]
    background: float
    hotspots: int
    founded_min: int = FOUNDED_MIN


PROFILES: dict[str, DistrictProfile] = {
    "gvalley": DistrictProfile(
        share=0.40,
        background=0.40,
        hotspots=10,
        sectors={
            "ICT/SW": 36,
            "AI/Data": 9,
            "Bio/Health": 3,
            "Electronics": 18,
            "Content/Media": 11,
            "Fintech": 5,
            "Mobility": 4,
            "Manufacturing": 14,
        },
    ),
    "magok": DistrictProfile(
        share=0.20,
        background=0.35,
        hotspots=7,
        founded_min=2010,
        sectors={
            "ICT/SW": 9,
            "AI/Data": 7,
            "Bio/Health": 31,
            "Electronics": 27,
            "Content/Media": 3,
            "Fintech": 2,
            "Mobility": 8,
            "Manufacturing": 13,
        },
    ),
    "yangjae": DistrictProfile(
        share=0.22,
        background=0.15,
        hotspots=7,
        sectors={
            "ICT/SW": 19,
            "AI/Data": 37,
            "Bio/Health": 6,
            "Electronics": 8,
            "Content/Media": 7,
            "Fintech": 9,
            "Mobility": 10,
            "Manufacturing": 4,
        },
    ),
}
#: Profile of a district id the generator does not know.
DEFAULT_PROFILE = DistrictProfile(
    share=0.10,
    background=0.4,
    hotspots=4,
    sectors={
        "ICT/SW": 28,
        "AI/Data": 14,
        "Bio/Health": 10,
        "Electronics": 8,
        "Content/Media": 16,
        "Fintech": 14,
        "Mobility": 6,
        "Manufacturing": 4,
    },
)
OUTSIDE_SHARE = 0.18
OUTSIDE_SECTORS = {
    "ICT/SW": 27,
    "AI/Data": 13,
    "Bio/Health": 10,
    "Electronics": 6,
    "Content/Media": 18,
    "Fintech": 16,
    "Mobility": 6,
    "Manufacturing": 4,
}

COLUMNS = ("name", "sector", "founded", "employees", "synthetic", "district_id")


def generate_startups(
    n: int,
    districts: gpd.GeoDataFrame,
    stations: gpd.GeoDataFrame,
    education: gpd.GeoDataFrame,
    *,
    seed: int = DEFAULT_SEED,
    extent: tuple[float, float, float, float] | BaseGeometry | None = None,
) -> gpd.GeoDataFrame:
    """Generate ``n`` synthetic start-ups clustered in and around the districts.

    Parameters
    ----------
    n : int
        Number of start-ups (0 allowed).
    districts : GeoDataFrame
        District polygons with a ``district_id`` column (any CRS; reprojected).
    stations, education : GeoDataFrame
        Station and university points; they seed the sub-clusters.
    seed : int, optional
        Random seed; the same ``n`` and ``seed`` give identical output.
    extent : tuple or shapely geometry, optional
        Where start-ups outside the districts may lie, in EPSG:5186: a
        ``(xmin, ymin, xmax, ymax)`` box or a polygon. Defaults to the bounding
        box of the districts and stations.

    Returns
    -------
    GeoDataFrame
        EPSG:5186 points with columns ``name``, ``sector`` (a key of
        ``layers.themes.startups.SECTORS``), ``founded`` (year), ``employees`` (>= 1),
        ``synthetic`` (always True), ``district_id`` (``""`` outside the districts).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = np.random.default_rng(seed)
    districts = _to_working_crs(districts)
    ids = [str(i) for i in districts["district_id"]]
    geoms = np.asarray(districts.geometry.values, dtype=object)
    shapely.prepare(geoms)
    profiles = [PROFILES.get(i, DEFAULT_PROFILE) for i in ids]
    anchor_pts = _anchor_points(stations, education)
    area = _extent_geometry(extent, districts, anchor_pts[0])

    shares = np.array([p.share for p in profiles] + [OUTSIDE_SHARE])
    counts = rng.multinomial(n, shares / shares.sum())

    parts = [
        _district_points(rng, int(k), geom, profile, anchor_pts)
        for k, geom, profile in zip(counts[:-1], geoms, profiles)
    ]
    parts.append(_outside_points(rng, int(counts[-1]), area, geoms, anchor_pts[0]))
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    group = np.repeat(np.arange(len(parts)), counts)

    sector = _draw_sectors(rng, counts, [p.sectors for p in profiles] + [OUTSIDE_SECTORS])
    founded_min = np.array([p.founded_min for p in profiles] + [FOUNDED_MIN])[group]
    founded = _draw_founded(rng, founded_min)
    employees = _draw_employees(rng, founded)

    # Interleave districts so that row order (and names) carry no location.
    order = rng.permutation(n)
    district_id = np.array(ids + [OUTSIDE_ID], dtype=object)[group]
    data = {
        "name": _names(n),
        "sector": np.array(SECTOR_KEYS, dtype=object)[sector[order]],
        "founded": founded[order],
        "employees": employees[order],
        "synthetic": np.ones(n, dtype=bool),
        "district_id": district_id[order],
    }
    points = shapely.points(x[order], y[order])
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(points, crs=WORKING_CRS), crs=WORKING_CRS)


def _to_working_crs(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is not None and frame.crs != WORKING_CRS:
        return frame.to_crs(WORKING_CRS)
    return frame


def _xy(frame: gpd.GeoDataFrame | None) -> np.ndarray:
    """(k, 2) coordinates of the non-empty points of ``frame``."""
    if frame is None or len(frame) == 0:
        return np.empty((0, 2))
    geoms = _to_working_crs(frame).geometry.values
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    xy = shapely.get_coordinates(shapely.centroid(geoms))
    return xy[np.isfinite(xy).all(axis=1)]


def _anchor_points(stations, education) -> tuple[np.ndarray, np.ndarray]:
    return _xy(stations), _xy(education)


def _extent_geometry(extent, districts: gpd.GeoDataFrame, stations_xy: np.ndarray):
    if isinstance(extent, BaseGeometry):
        geom = extent
    elif extent is not None:
        geom = shapely.box(*extent)
    else:
        bounds = shapely.total_bounds(
            np.append(districts.geometry.values, shapely.points(stations_xy))
        )
        geom = shapely.box(*bounds)
    shapely.prepare(geom)
    return geom


def _sample(
    rng: np.random.Generator,
    k: int,
    draw: Callable[[int], tuple[np.ndarray, np.ndarray]],
    keep: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Rejection sampling in vectorised batches: ``draw(m)`` candidates, ``keep`` a mask."""
    xs, ys, got, rate = [], [], 0, 0.5
    for _ in range(200):
        if got >= k:
            break
        m = int((k - got) / rate * 1.15) + 64
        x, y = draw(m)
        ok = keep(x, y)
        rate = max(float(ok.mean()), 0.002)
        xs.append(x[ok])
        ys.append(y[ok])
        got += int(ok.sum())
    else:
        raise RuntimeError("could not place the synthetic start-ups (empty area?)")
    if k == 0:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs)[:k], np.concatenate(ys)[:k]


def _uniform_in(rng: np.random.Generator, k: int, geom) -> tuple[np.ndarray, np.ndarray]:
    """``k`` points uniformly inside ``geom``."""
    xmin, ymin, xmax, ymax = geom.bounds

    def draw(m):
        return rng.uniform(xmin, xmax, m), rng.uniform(ymin, ymax, m)

    return _sample(rng, k, draw, lambda x, y: shapely.contains_xy(geom, x, y))


def _clustered(
    rng: np.random.Generator,
    k: int,
    centres: np.ndarray,
    sigmas: np.ndarray,
    weights: np.ndarray,
    keep,
) -> tuple[np.ndarray, np.ndarray]:
    """``k`` points from a mixture of isotropic Gaussians, kept where ``keep`` is True."""
    p = weights / weights.sum()

    def draw(m):
        idx = rng.choice(len(centres), size=m, p=p)
        offset = rng.standard_normal((m, 2)) * sigmas[idx, None]
        return centres[idx, 0] + offset[:, 0], centres[idx, 1] + offset[:, 1]

    return _sample(rng, k, draw, keep)


def _near(xy: np.ndarray, geom) -> np.ndarray:
    """The points of ``xy`` within ``ANCHOR_REACH_M`` of ``geom``."""
    if len(xy) == 0:
        return xy
    return xy[shapely.dwithin(geom, shapely.points(xy), ANCHOR_REACH_M)]


def _district_points(
    rng: np.random.Generator,
    k: int,
    geom,
    profile: DistrictProfile,
    anchor_pts: tuple[np.ndarray, np.ndarray],
):
    """Background points plus sub-clusters around stations, universities and hotspots."""
    stations, schools = (_near(xy, geom) for xy in anchor_pts)
    anchors = np.concatenate([stations, schools])
    if len(anchors):
        hx, hy = _clustered(
            rng,
            profile.hotspots,
            anchors,
            np.full(len(anchors), HOTSPOT_SPREAD_M),
            np.ones(len(anchors)),
            lambda x, y: shapely.contains_xy(geom, x, y),
        )
    else:
        hx, hy = _uniform_in(rng, profile.hotspots, geom)
    centres = np.concatenate([anchors, np.column_stack([hx, hy])])
    sigmas = np.concatenate(
        [
            np.full(len(stations), STATION_SIGMA_M),
            np.full(len(schools), EDUCATION_SIGMA_M),
            rng.uniform(*HOTSPOT_SIGMA_RANGE_M, len(hx)),
        ]
    )
    weights = np.concatenate(
        [
            np.full(len(stations), STATION_WEIGHT),
            np.full(len(schools), EDUCATION_WEIGHT),
            np.full(len(hx), HOTSPOT_WEIGHT),
        ]
    )
    k_bg = int(rng.binomial(k, profile.background)) if len(centres) else k
    bx, by = _uniform_in(rng, k_bg, geom)
    cx, cy = _clustered(
        rng, k - k_bg, centres, sigmas, weights, lambda x, y: shapely.contains_xy(geom, x, y)
    )
    return np.concatenate([bx, cx]), np.concatenate([by, cy])


def _outside_points(
    rng: np.random.Generator, k: int, area, district_geoms: np.ndarray, stations: np.ndarray
):
    """Points in ``area`` but outside every district, around the stations."""
    inside_any = shapely.union_all(district_geoms) if len(district_geoms) else None
    if inside_any is not None:
        shapely.prepare(inside_any)

    def keep(x, y):
        ok = shapely.contains_xy(area, x, y)
        if inside_any is not None:
            ok &= ~shapely.contains_xy(inside_any, x, y)
        return ok

    stations = (
        stations[shapely.contains_xy(area, stations[:, 0], stations[:, 1])]
        if len(stations)
        else stations
    )
    if len(stations) == 0:
        xmin, ymin, xmax, ymax = area.bounds
        return _sample(
            rng, k, lambda m: (rng.uniform(xmin, xmax, m), rng.uniform(ymin, ymax, m)), keep
        )
    return _clustered(
        rng, k, stations, np.full(len(stations), OUTSIDE_SIGMA_M), np.ones(len(stations)), keep
    )


def _sector_probabilities(weights: Mapping[str, float]) -> np.ndarray:
    p = np.array([float(weights.get(key, 0.0)) for key in SECTOR_KEYS])
    return p / p.sum()


def _draw_sectors(
    rng: np.random.Generator, counts: np.ndarray, mixes: Sequence[Mapping[str, float]]
) -> np.ndarray:
    """Sector index per point; points come grouped, ``counts[g]`` of group ``g``."""
    return np.concatenate(
        [
            rng.choice(len(SECTOR_KEYS), size=int(k), p=_sector_probabilities(mix))
            for k, mix in zip(counts, mixes)
        ]
        or [np.empty(0, dtype=np.int64)]
    ).astype(np.int64)


def _draw_founded(rng: np.random.Generator, founded_min: np.ndarray) -> np.ndarray:
    """Founding years skewed to recent years (young firms dominate start-up counts)."""
    age = np.floor(rng.exponential(6.0, len(founded_min))).astype(np.int64)
    span = FOUNDED_MAX - founded_min + 1
    # Ages beyond the allowed span wrap around instead of piling up on the first year.
    return (FOUNDED_MAX - age % span).astype(np.int64)


def _draw_employees(rng: np.random.Generator, founded: np.ndarray) -> np.ndarray:
    """Heavy-tailed head counts (lognormal), older firms larger on average."""
    age = FOUNDED_MAX - founded
    mu = np.log(3.0) + 0.09 * age
    size = 1 + np.floor(rng.lognormal(mu, 1.0))
    return np.minimum(size, MAX_EMPLOYEES).astype(np.int64)


def _names(n: int) -> np.ndarray:
    """Invented, obviously synthetic names: ``합성기업 00001`` ..."""
    if n == 0:
        return np.empty(0, dtype=str)
    width = max(5, len(str(n)))
    numbers = np.char.zfill(np.arange(1, n + 1).astype(str), width)
    return np.char.add(NAME_PREFIX, numbers)
