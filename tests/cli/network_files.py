"""Files for the ``--network`` command-line tests (written into a temporary folder)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from layers.model import WORKING_CRS

# inside G-Valley (the embedded project's first district)
XMIN, YMIN, XMAX, YMAX = 188_800.0, 540_500.0, 191_500.0, 543_700.0


def network_files(folder):
    """Streets over G-Valley cut by a line that two streets in ten cross, two sites, a
    point layer and a network far from the districts, written into ``folder``."""
    xs = np.arange(XMIN, XMAX + 1, 100.0)
    ys = np.arange(YMIN, YMAX + 1, 100.0)
    lines = [shapely.LineString([(x, YMIN), (x, YMAX)]) for x in xs]
    lines += [shapely.LineString([(XMIN, y), (XMAX, y)]) for y in ys]
    # a railway-like cut: the horizontal streets stop short of x = 190 000 except two
    cut = []
    for line in lines[len(xs) :]:
        y = line.coords[0][1]
        if int(y) % 1000 == 500:
            cut.append(line)
        else:
            cut.append(shapely.LineString([(XMIN, y), (189_950, y)]))
            cut.append(shapely.LineString([(190_050, y), (XMAX, y)]))
    vertical = [ln for ln in lines[: len(xs)] if abs(ln.coords[0][0] - 190_000) > 1]
    grid = folder / "streets.gpkg"
    gpd.GeoDataFrame(geometry=vertical + cut, crs=WORKING_CRS).to_file(grid, layer="streets")
    sites = folder / "sites.gpkg"
    gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[shapely.Point(189_960, 542_020), shapely.Point(190_700, 541_300)],
        crs=WORKING_CRS,
    ).to_file(sites)
    points = folder / "points.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(190_000, 542_000)], crs=WORKING_CRS).to_file(points)
    far = folder / "far.gpkg"
    gpd.GeoDataFrame(
        geometry=[shapely.LineString([(x, 300_000), (x, 301_000)]) for x in (0, 50.0)]
        + [shapely.LineString([(0, 300_000), (50, 300_000)])],
        crs=WORKING_CRS,
    ).to_file(far)
    return {"grid": grid, "sites": sites, "points": points, "far": far, "dir": folder}
