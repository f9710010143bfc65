"""The shortcuts for many point sites give exactly what the general queries give.

Nearest distances of point sites over a point layer come from a k-d tree, not from
the STRtree's ``query_nearest``: the distances must be bit for bit the same, ties and
lattice points included, and other sites (polygons, lines) keep the STRtree.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from app.core.indicators.catchment import IndexedLayer, nearest_distances


def strtree_nearest(sites: np.ndarray, layer: IndexedLayer) -> np.ndarray:
    want = np.full(len(sites), np.nan)
    (i, _), d = layer.tree.query_nearest(sites, return_distance=True, all_matches=False)
    want[i] = d
    return want


@pytest.mark.parametrize("seed", range(4))
def test_nearest_of_point_sites_equals_the_strtree(seed):
    rng = np.random.default_rng(seed)
    features = np.round(rng.normal(0, 500, (800, 2)) / 25.0) * 25.0  # a lattice: ties
    features = np.concatenate([features, rng.normal(0, 500, (800, 2)) + 0.1 * seed])
    layer = IndexedLayer.build(shapely.points(features))
    xy = np.concatenate(
        [
            np.round(rng.normal(0, 600, (3000, 2)) / 12.5) * 12.5,  # half-way between
            features[:200],  # on a feature: 0
            rng.normal(0, 5000, (300, 2)),  # far away
            rng.normal(200_000.0, 1.0, (100, 2)),  # large coordinates
        ]
    )
    sites = np.concatenate(
        [
            shapely.points(xy),
            shapely.buffer(shapely.points(xy[:50]), 30.0),  # polygon sites: the STRtree
            [shapely.LineString([(0, 0), (100, 40)])],
        ]
    )
    got = nearest_distances(sites, layer)
    assert layer.point_tree is not None
    np.testing.assert_array_equal(got, strtree_nearest(sites, layer))
    assert (got[3000:3200] == 0).all()


def test_nearest_over_a_layer_that_is_not_only_points_uses_the_strtree():
    layer = IndexedLayer.build(
        np.array([shapely.Point(0, 0), shapely.box(100, 100, 200, 200)], dtype=object)
    )
    sites = shapely.points([[150.0, 90.0], [3.0, 4.0], [150.0, 150.0]])
    assert layer.point_tree is None
    assert nearest_distances(sites, layer).tolist() == [10.0, 5.0, 0.0]


def test_nearest_over_an_empty_layer_is_unknown():
    layer = IndexedLayer.build(np.empty(0, dtype=object))
    assert np.isnan(nearest_distances(shapely.points([[0.0, 0.0]]), layer)).all()


@pytest.mark.parametrize("k", [0, 1, 5, 62, 63])
def test_distinct_rows_rebuild_every_row(k):
    """The restrictions' distinct overlay sets, from one integer per row (or the
    row-wise unique beyond 62 overlay types), give back every site's own set."""
    from app.core.indicators.site_zoning import _distinct_rows

    rng = np.random.default_rng(k)
    hits = rng.random((500, k)) < 0.3
    hits[:100] = hits[0]  # repeated sets
    rows, inverse = _distinct_rows(hits)
    np.testing.assert_array_equal(rows[inverse], hits)
    assert len(rows) == len(np.unique(hits, axis=0))


def test_zone_shares_of_sites_wholly_in_one_zone_read_as_the_general_text():
    """The text of a site wholly inside one zone (every point site) is the text the
    general path writes for that row; mixed rows and uncovered sites are unchanged."""
    import json

    from app.core.indicators.site_zoning import _shares_json

    types = ["일반상업지역", "제2종일반주거지역", "준공업지역"]
    shares = np.array(
        [[1.0, 0, 0], [0, 0, 1.0], [0.25, 0.75, 0], [0, 0, 0], [0, 0.4, 0], [0, 1.0, 0]]
    )
    covered = np.array([True, True, True, False, True, True])
    got = _shares_json(shares, types, covered)
    assert [None if t is None else json.loads(t) for t in got] == [
        {"일반상업지역": 1.0},
        {"준공업지역": 1.0},
        {"제2종일반주거지역": 0.75, "일반상업지역": 0.25},
        None,
        {"제2종일반주거지역": 0.4},
        {"제2종일반주거지역": 1.0},
    ]
    assert got[0] == json.dumps({"일반상업지역": 1.0}, ensure_ascii=False)


def test_keeping_freed_memory_changes_no_figure():
    """The allocator tweak for many sites (heap.py) is process-wide and runs once;
    the indicators of the same sites are the same before and after it."""
    import geopandas as gpd

    from app.core.indicators import heap
    from app.core.indicators.engine import IndicatorEngine

    rng = np.random.default_rng(3)
    startups = gpd.GeoDataFrame(
        {"sector": rng.choice(["AI", "핀테크"], 3000), "employees": rng.integers(1, 9, 3000)},
        geometry=shapely.points(rng.normal(0, 400, (3000, 2))),
        crs="EPSG:5186",
    )
    sites = gpd.GeoDataFrame(geometry=shapely.points(rng.normal(0, 400, (1200, 2))), crs=5186)
    engine = IndicatorEngine(startups, None, None, None)
    before = engine.compute(sites.iloc[:999], 300.0)  # below the size that raises it
    after = engine.compute(sites, 300.0)
    assert heap._raised
    heap.keep_freed_memory()  # once only: nothing more happens
    import pandas as pd

    pd.testing.assert_frame_equal(after.iloc[:999], before)
    assert (after["startups_n"] > 0).any()


def zoning_layer():
    """Zones with shared borders, a hole with an island zone in it, a multipolygon, and
    an overlay over a corner; coordinates on a 10 m lattice."""
    import geopandas as gpd

    outer = shapely.box(0, 0, 100, 100).difference(shapely.box(30, 30, 70, 70))  # a hole
    island = shapely.box(40, 40, 60, 60)  # in the hole, not touching it
    right = shapely.box(100, 0, 200, 100)  # shares the edge x = 100
    multi = shapely.MultiPolygon([shapely.box(0, 200, 50, 250), shapely.box(60, 200, 90, 230)])
    tilted = shapely.Polygon([(200, 0), (300, 50), (200, 100)])  # slanted edges
    overlay = shapely.box(80, 80, 130, 130)
    return gpd.GeoDataFrame(
        {
            "kind": ["zone"] * 5 + ["overlay"],
            "zone_type": [
                "일반상업지역",
                "준주거지역",
                "준공업지역",
                "자연녹지지역",
                "일반상업지역",
                "개발제한구역",
            ],  # fmt: skip
        },
        geometry=[outer, island, right, multi, tilted, overlay],
        crs="EPSG:5186",
    )


def test_point_sites_find_the_same_zones_as_the_strtree_predicate():
    """Point sites on edges, vertices, shared borders, in holes, on an island, on a
    slanted edge, between the parts of a multipolygon and outside every zone: the
    zones and overlays they intersect are exactly the STRtree predicate's."""
    from app.core.indicators.site_zoning import IndexedZoning, _intersecting
    from app.core.zoning.rules import ZoningRules

    zoning = IndexedZoning.from_frame(zoning_layer(), ZoningRules.default())
    assert zoning is not None
    grid = np.mgrid[-10:320:5, -10:260:5].reshape(2, -1).T.astype(float)
    slanted = np.column_stack([np.arange(200, 301, 2.0), 0.5 * np.arange(0, 101, 2.0)])
    xy = np.concatenate([grid, slanted, [[1e6, 1e6]]])
    sites = shapely.points(xy)
    mixed = np.concatenate([sites, [shapely.box(95, 95, 105, 105), shapely.Point(55, 215)]])
    for layer in (zoning.zones, zoning.overlays):
        for these in (sites, mixed):
            got = _intersecting(layer, these)
            want = layer.tree.query(these, predicate="intersects")
            assert {tuple(p) for p in got.T} == {tuple(p) for p in want.T}
            assert got.shape == want.shape
    on_border = _intersecting(zoning.zones, shapely.points([[100.0, 50.0], [50.0, 50.0]]))
    assert sorted(on_border[1].tolist()) == [0, 1, 2]  # the shared edge: both; the island


def test_zoning_columns_of_point_sites_match_the_general_path(monkeypatch):
    """The whole zoning of point sites (zone, shares, permitted use, restrictions,
    buildable area) is the same with the point-in-polygon shortcut and without it."""
    from app.core.indicators import site_zoning
    from app.core.zoning.rules import ZoningRules

    rules = ZoningRules.default()
    zoning = site_zoning.IndexedZoning.from_frame(zoning_layer(), rules)
    xy = np.mgrid[-10:320:5, -10:260:5].reshape(2, -1).T.astype(float)
    sites = shapely.points(xy)
    lot = np.where(np.arange(len(xy)) % 3 == 0, np.nan, 500.0)
    fast = site_zoning.site_zoning(sites, lot, zoning, rules)
    monkeypatch.setattr(
        site_zoning,
        "_intersecting",
        lambda layer, geoms: layer.tree.query(geoms, predicate="intersects"),
    )
    slow = site_zoning.site_zoning(sites, lot, zoning, rules)
    for name in ("zone_shares", "dominant_zone", "use_permitted", "restrictions"):
        assert getattr(fast, name).tolist() == getattr(slow, name).tolist(), name
    for name in ("zoning_coverage", "max_footprint_m2", "max_gfa_m2"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name))
    assert (fast.restrictions == "개발제한구역").any() and (fast.dominant_zone == None).any()  # noqa: E711


def test_an_empty_point_site_counts_nothing_beside_point_sites():
    """An empty point (``POINT EMPTY``) among point sites: the prefix-sum path counted
    the other sites and broke on the shapes (one coordinate pair fewer than sites)."""
    from app.core.indicators.disc_totals import DiscPrefix
    from app.core.indicators.point_grid import PointGrid
    from app.core.indicators.within import catchment_totals

    rng = np.random.default_rng(2)
    xy = np.round(rng.uniform(0, 3000, (5000, 2)))
    grid = PointGrid.build(xy[:, 0], xy[:, 1])
    values = grid.sorted_values(rng.integers(0, 9, 5000).astype(float))
    sites = np.array(
        [shapely.Point(1500, 1500), shapely.from_wkt("POINT EMPTY"), shapely.Point(10, 20)],
        dtype=object,
    )
    got = catchment_totals(sites, 400.0, grid, values=values, prefix=DiscPrefix.of(values, None, 0))
    points = shapely.points(grid.x, grid.y)
    want = [shapely.dwithin(points, site, 400.0) for site in sites]
    assert got.count.tolist() == [int(w.sum()) for w in want] and got.count[1] == 0
    assert got.sums.tolist() == [float(values[w].sum()) for w in want]


def test_an_empty_point_site_takes_no_other_sites_zones():
    """An empty point among point sites: no zone, and the sites after it keep their own
    zones (the point-in-polygon shortcut read the coordinates one row off, or broke)."""
    from app.core.indicators import site_zoning
    from app.core.zoning.rules import ZoningRules

    rules = ZoningRules.default()
    zoning = site_zoning.IndexedZoning.from_frame(zoning_layer(), rules)
    points = [shapely.Point(50, 50), shapely.Point(150, 50), shapely.Point(55, 215)]
    with_empty = np.array([points[0], shapely.from_wkt("POINT EMPTY"), *points[1:]], dtype=object)
    got = site_zoning.site_zoning(with_empty, np.full(4, np.nan), zoning, rules)
    alone = site_zoning.site_zoning(
        np.array(points, dtype=object), np.full(3, np.nan), zoning, rules
    )
    assert got.dominant_zone[[0, 2, 3]].tolist() == alone.dominant_zone.tolist()
    assert got.dominant_zone[1] is None and got.zoning_coverage[1] == 0
