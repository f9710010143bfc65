"""Synthetic walking networks with known answers (EPSG:5186 metres)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from layers.model import WORKING_CRS

X0, Y0 = 200_000.0, 550_000.0  # inside Korea in EPSG:5186


def line(*xy: tuple[float, float]) -> shapely.LineString:
    return shapely.LineString([(X0 + x, Y0 + y) for x, y in xy])


def pt(x: float, y: float) -> shapely.Point:
    return shapely.Point(X0 + x, Y0 + y)


def points(*xy: tuple[float, float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[pt(x, y) for x, y in xy], crs=WORKING_CRS)


def river_with_one_bridge() -> tuple[np.ndarray, np.ndarray]:
    """Two banks (streets y = -150 and y = 150, x from -1500 to 1500) joined only by a
    bridge at x = 1000; cross streets every 500 m on each bank."""
    lines = [line((-1500, -150), (1500, -150)), line((-1500, 150), (1500, 150))]
    for x in range(-1500, 1501, 500):
        lines.append(line((x, -150), (x, -650)))
        lines.append(line((x, 150), (x, 650)))
    lines.append(line((1000, -150), (1000, 150)))  # the bridge joins both banks
    sep = np.zeros(len(lines), bool)
    sep[-1] = True
    return np.array(lines, dtype=object), sep


def railway_with_one_underpass() -> tuple[np.ndarray, np.ndarray]:
    """Streets on both sides of a railway (y = 0) that none crosses at grade, but one
    underpass (a tunnel) at x = 0 from y = -100 to y = 100."""
    lines = [line((-1000, -100), (1000, -100)), line((-1000, 100), (1000, 100))]
    lines.append(line((0, -100), (0, 100)))  # the underpass
    sep = np.array([False, False, True])
    return np.array(lines, dtype=object), sep


def bridge_over_street() -> tuple[np.ndarray, np.ndarray]:
    """A street along y = 0 and a bridge along x = 0 (y from -300 to 300) crossing it
    without a junction; the bridge lands on streets y = ±300 that meet the street y = 0
    only 1000 m away (x = 1000)."""
    lines = [
        line((-1000, 0), (1000, 0)),
        line((0, -300), (0, 0), (0, 300)),  # the bridge, a vertex right above the street
        line((0, 300), (1000, 300)),
        line((0, -300), (1000, -300)),
        line((1000, -300), (1000, 300)),
    ]
    sep = np.array([False, True, False, False, False])
    return np.array(lines, dtype=object), sep


def grid(n: int, spacing: float = 100.0) -> np.ndarray:
    """An n × n street grid (lines crossing at grade without shared vertices)."""
    size = (n - 1) * spacing
    lines = [line((0, i * spacing), (size, i * spacing)) for i in range(n)]
    lines += [line((i * spacing, 0), (i * spacing, size)) for i in range(n)]
    return np.array(lines, dtype=object)
