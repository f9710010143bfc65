"""Indicators are computed in chunks of sites and of (site, start-up) pairs: the results
are the same as in one piece, and the memory a computation needs stays bounded (the
layers plus a fixed working set), however many pairs there are."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.core.indicators import engine as engine_module
from app.core.indicators import within
from app.core.indicators.engine import IndicatorEngine

ROOT = Path(__file__).resolve().parents[3]
CRS = "EPSG:5186"


def _layers(seed: int = 4):
    rng = np.random.default_rng(seed)
    centre = np.array([200_000.0, 550_000.0])
    startups = gpd.GeoDataFrame(
        {
            "sector": rng.choice(["AI", "바이오", "핀테크", None, " "], 6000),
            "employees": np.where(rng.random(6000) < 0.1, np.nan, rng.integers(1, 40, 6000)),
        },
        geometry=shapely.points(centre + rng.normal(0, 900, (6000, 2))),
        crs=CRS,
    )
    education = gpd.GeoDataFrame(
        {"name": ["a", "b", "c"]},
        geometry=shapely.points(centre + rng.normal(0, 1500, (3, 2))),
        crs=CRS,
    )
    points = shapely.points(centre + rng.normal(0, 1200, (70, 2)))
    polygons = shapely.buffer(shapely.points(centre + rng.normal(0, 1200, (30, 2))), 120.0)
    sites = gpd.GeoDataFrame(
        {"name": [f"s{i}" for i in range(100)], "radius_m": rng.choice([400.0, 800.0], 100)},
        geometry=np.concatenate([points, polygons]),
        crs=CRS,
    )
    return startups, education, sites


def test_chunks_give_the_same_indicators_as_one_piece(monkeypatch):
    startups, education, sites = _layers()
    whole = IndicatorEngine(startups, education, education, None).compute(sites, 800.0)
    monkeypatch.setattr(within, "PAIR_BUDGET", 500)  # a few sites per chunk
    monkeypatch.setattr(engine_module, "SITE_BLOCK", 7)  # blocks of 7 sites
    seen: list[float] = []
    chunked = IndicatorEngine(startups, education, education, None).compute(
        sites, 800.0, progress=lambda f, m: seen.append(f)
    )
    pd.testing.assert_frame_equal(chunked, whole)
    assert whole["startups_n"].sum() > 10_000  # many pairs: many chunks
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_catchment_totals_do_not_depend_on_the_budget():
    startups, _, sites = _layers(seed=9)
    index = engine_module.StartupIndex.build(startups)
    geoms = np.asarray(sites.geometry.values)
    one = within.catchment_totals(
        geoms, 600.0, index.layer, values=index.employees, codes=index.sector_codes,
        n_categories=len(index.sectors), pair_budget=10**12,
    )  # fmt: skip
    for budget in (1, 37, 5000):
        other = within.catchment_totals(
            geoms, 600.0, index.layer, values=index.employees, codes=index.sector_codes,
            n_categories=len(index.sectors), pair_budget=budget,
        )  # fmt: skip
        assert np.array_equal(other.count, one.count)
        assert np.array_equal(other.sums, one.sums)
        assert np.array_equal(other.categories, one.categories)
    assert one.categories.sum(axis=1).max() <= one.count.max()


#: 120 000 start-ups within 300 m and 80 sites (40 squares, 40 points) that each reach
#: all of them: 9.6 million (site, start-up) pairs. Materialised at once they need well
#: over 500 MB; in chunks (squares) and by prefix sums (points) the working set is a few
#: tens of MB above the layers.
_SCRIPT = textwrap.dedent(
    """
    import tracemalloc
    import geopandas as gpd, numpy as np, shapely
    from app.core.indicators.engine import IndicatorEngine

    rng = np.random.default_rng(1)
    centre = np.array([200_000.0, 550_000.0])
    startups = gpd.GeoDataFrame(
        {"sector": rng.choice(["AI", "바이오", "핀테크"], 120_000),
         "employees": rng.integers(1, 40, 120_000).astype(float)},
        geometry=shapely.points(centre + rng.normal(0, 100, (120_000, 2))), crs="EPSG:5186")
    points = shapely.points(centre + rng.normal(0, 20, (80, 2)))
    squares = shapely.buffer(points[:40], 15.0, cap_style="square")  # pairs, in chunks
    sites = gpd.GeoDataFrame(geometry=list(squares) + list(points[40:]), crs="EPSG:5186")
    engine = IndicatorEngine(startups, None, None, None)
    tracemalloc.start()
    frame = engine.compute(sites, 800.0)
    peak = tracemalloc.get_traced_memory()[1]
    print(int(frame["startups_n"].sum()), peak)
    """
)
CAP_BYTES = 250 * 2**20


def test_memory_stays_bounded_with_many_pairs():
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    pairs, peak = map(int, done.stdout.split())
    assert pairs > 9_000_000  # nearly every start-up is in every catchment
    assert peak < CAP_BYTES, f"peak {peak / 2**20:.0f} MiB for {pairs} pairs"


def test_start_up_coordinates_without_points_give_the_same_indicators(tmp_path):
    """A start-up file read without shapely points (``make_points=False``: the headless
    CLI) gives the indicators of the same file read with them, with a coverage area."""
    import pyogrio

    from app.core.formats.vector import ReadOptions, read_vector

    startups, education, sites = _layers(seed=11)
    path = tmp_path / "startups.gpkg"
    pyogrio.write_dataframe(startups.to_crs("EPSG:5179"), path)
    full = read_vector(path, "startups")
    bare = read_vector(path, "startups", options=ReadOptions(make_points=False))
    assert bare.frame.geometry.isna().all() and bare.xy is not None
    assert np.allclose(bare.xy, shapely.get_coordinates(full.frame.geometry.values))
    area = shapely.Point(200_000.0, 550_000.0).buffer(1500.0)
    coverage = {"startups": area}
    expected = IndicatorEngine(full.frame, education, None, None, coverage=coverage)
    engine = IndicatorEngine(
        bare.frame, education, None, None, coverage=coverage, startup_xy=bare.xy
    )
    pd.testing.assert_frame_equal(engine.compute(sites), expected.compute(sites))
    assert expected.compute(sites)["startups_n"].max() > 0


@pytest.mark.parametrize(
    ("seed", "cell", "cell_x"),
    [(seed, None, None) for seed in range(6)]
    + [(6, 25.0, 25.0), (7, 50.0, 3.125), (8, 12.5, 100.0), (9, 141.0, 8.0)],
)
def test_disc_totals_equal_the_pairs(seed, cell, cell_x):
    """Point sites summed from the cells wholly inside their discs (prefix sums) and the
    crossed cells (tested point by point) give exactly the pair-based figures: points
    on cell edges and on the circle, R = 0, tiny and huge radii, sites off the grid,
    square cells and rows split into narrow (or wide) columns."""
    from app.core.indicators.disc_totals import DiscPrefix
    from app.core.indicators.point_grid import PointGrid

    rng = np.random.default_rng(seed)
    n = 4000
    xy = np.round(rng.normal(0, 300, (n, 2)) / 25.0) * 25.0  # many on cell edges
    xy[: n // 2] += rng.normal(0, 40, (n // 2, 2))
    grid = PointGrid.build(xy[:, 0], xy[:, 1], cell=cell, cell_x=cell_x)
    employees = grid.sorted_values(np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 9, n)))
    codes = grid.sorted_values(rng.integers(-1, 4, n))
    sites = np.concatenate([xy[rng.integers(0, n, 40)], rng.normal(0, 500, (40, 2))])
    sites = np.concatenate([sites, [[5000.0, 5000.0], [xy[0, 0] + 100.0, xy[0, 1]]]])
    radii = rng.choice([0.0, 1e-9, 12.5, 100.0, 333.3, 800.0, 3000.0], len(sites))
    geoms = shapely.points(sites)
    kwargs = dict(values=employees, codes=codes, n_categories=4)
    pairs = within.catchment_totals(geoms, radii, grid, **kwargs)
    prefix = DiscPrefix.of(employees, codes, 4)
    disc = within.catchment_totals(geoms, radii, grid, prefix=prefix, **kwargs)
    assert np.array_equal(disc.count, pairs.count)
    assert np.array_equal(disc.sums, pairs.sums)
    assert np.array_equal(disc.categories, pairs.categories)
    assert pairs.count.max() > 1000 and (pairs.count == 0).any()
