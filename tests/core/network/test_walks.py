"""Walking distances: known answers on synthetic networks, and networkx on random graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core.network.join import join, site_starts, starts_of_features
from app.core.network.paths import feature_pairs, nearest_distance, nearest_node_distances
from app.core.network.topology import build_network
from tests.core.network.synthetic import (
    X0,
    Y0,
    bridge_over_street,
    pt,
    railway_with_one_underpass,
    river_with_one_bridge,
)


def walk(lines, sep, site, feature, radius=10_000.0):
    """Walking distance from ``site`` to ``feature`` (inf when beyond radius)."""
    net = build_network(lines, sep)
    starts = site_starts(net, np.array([site], dtype=object))
    feats = join(net, np.array([feature], dtype=object))
    s, f, d = feature_pairs(net, starts, feats, np.array([radius]))
    return float(d[0]) if len(d) else np.inf


def test_start_up_across_the_river_is_outside_an_800_m_walk_but_inside_the_circle():
    lines, sep = river_with_one_bridge()
    site, startup = pt(0, -160), pt(0, 140)  # 300 m apart across the river
    assert site.distance(startup) == pytest.approx(300.0)
    assert walk(lines, sep, site, startup, 800.0) == np.inf
    # the only way: to the bridge at x = 1000, over it and back: 10 + 1000 + 300 + 1000 + 10
    assert walk(lines, sep, site, startup) == pytest.approx(2320.0)


def test_railway_is_crossed_only_at_the_underpass():
    lines, sep = railway_with_one_underpass()
    site, startup = pt(500, -110), pt(500, 110)
    assert walk(lines, sep, site, startup) == pytest.approx(10 + 500 + 200 + 500 + 10)


def test_bridge_over_a_street_is_not_a_shortcut_from_the_street():
    lines, sep = bridge_over_street()
    site, startup = pt(-5, 0), pt(0, 295)  # on the street, under the bridge / near its end
    # not up the bridge at x = 0: along the street to x = 1000, up the cross street, back
    assert walk(lines, sep, site, startup) == pytest.approx(5 + 1000 + 300 + 1000 + 5)
    # without the flag, the lines meet under the bridge
    assert walk(lines, None, site, startup) == pytest.approx(5 + 295)


def test_start_ups_on_the_same_edge_are_reached_along_it():
    lines, sep = railway_with_one_underpass()
    site, startup = pt(-300, -100), pt(-250, -120)
    assert walk(lines, sep, site, startup) == pytest.approx(50 + 20)


def test_islands_are_never_reached_nor_joined():
    lines, sep = railway_with_one_underpass()
    lines = np.append(lines, shapely.LineString([(X0 + 5000, Y0), (X0 + 5100, Y0)]))
    sep = np.append(sep, False)
    net = build_network(lines, sep)
    assert net.islands.count == 1
    # a start-up on the island joins the main network instead (4 km away: off network)
    feats = join(net, np.array([pt(5050, 5), pt(990, -95)], dtype=object))
    assert feats.off.tolist() == [True, False]
    assert walk(lines, sep, pt(0, -100), pt(5050, 5)) == np.inf
    assert walk(lines, sep, pt(0, -100), pt(990, -95)) == pytest.approx(990 + 5)


def test_off_network_features_are_flagged_and_never_reached():
    lines, sep = railway_with_one_underpass()
    net = build_network(lines, sep)
    feats = join(net, np.array([pt(0, 600), pt(0, 150)], dtype=object), limit=250.0)
    assert list(feats.off) == [True, False]
    starts = site_starts(net, np.array([pt(0, 100)], dtype=object))
    s, f, d = feature_pairs(net, starts, feats, np.array([5000.0]))
    assert list(f) == [1]


def test_polygon_site_starts_from_its_whole_boundary():
    lines, sep = railway_with_one_underpass()
    net = build_network(lines, sep)
    square = shapely.box(X0 + 300, Y0 - 150, X0 + 400, Y0 - 50)  # the street y=-100 crosses it
    starts = site_starts(net, np.array([square], dtype=object))
    feats = join(net, np.array([pt(600, -100), pt(350, -100), pt(100, -100)], dtype=object))
    s, f, d = feature_pairs(net, starts, feats, np.array([1000.0]))
    dist = dict(zip(f.tolist(), d.tolist()))
    assert dist[0] == pytest.approx(200.0)
    assert dist[1] == pytest.approx(0.0)
    assert dist[2] == pytest.approx(200.0)


def test_nearest_feature_by_walking():
    lines, sep = river_with_one_bridge()
    net = build_network(lines, sep)
    feats = join(net, np.array([pt(0, 160), pt(-700, -150)], dtype=object))
    to_nearest = nearest_node_distances(net, starts_of_features(feats))
    starts = site_starts(net, np.array([pt(0, -150)], dtype=object))
    assert nearest_distance(net, starts, to_nearest, feats)[0] == pytest.approx(700.0)


@st.composite
def random_graphs(draw):
    n = draw(st.integers(3, 12))
    xs = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    ys = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    pts = {(x * 50.0, y * 50.0) for x, y in zip(xs, ys)}
    pts = sorted(pts)
    k = len(pts)
    pairs = draw(
        st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=1, max_size=25)
    )
    edges = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
    source = draw(st.integers(0, k - 1))
    return pts, edges, source


@settings(max_examples=40, deadline=None)
@given(random_graphs())
def test_walks_match_networkx_on_random_graphs(graph):
    pts, edges, source = graph
    if not edges:
        return
    # every line bridges over the others: no junction except at shared end points
    lines = np.array([shapely.LineString([pts[a], pts[b]]) for a, b in edges], dtype=object)
    net = build_network(lines, np.ones(len(lines), bool), tolerance=0.01)
    g = nx.Graph()
    for a, b in edges:
        w = float(np.hypot(pts[a][0] - pts[b][0], pts[a][1] - pts[b][1]))
        g.add_edge(a, b, weight=w)
    if source not in g:
        source = edges[0][0]
    # no point lies on an edge it does not end (it would join that edge instead)
    for i, p in enumerate(pts):
        for a, b in edges:
            if i not in (a, b):
                assume(shapely.LineString([pts[a], pts[b]]).distance(shapely.Point(p)) > 1)
    expected = nx.single_source_dijkstra_path_length(g, source)
    # joins go to the largest connected part (by length): compare within it
    parts = list(nx.connected_components(g))
    main = max(parts, key=lambda c: g.subgraph(c).size(weight="weight"))
    assume(source in main and all(a in main for a, _ in edges))
    feats = join(net, shapely.points(pts))
    starts = site_starts(net, np.array([shapely.Point(pts[source])], dtype=object))
    s, f, d = feature_pairs(net, starts, feats, np.array([1e7]))
    got = dict(zip(f.tolist(), d.tolist()))
    for node, dist in expected.items():
        assert got[node] == pytest.approx(dist, abs=1e-4)
    for node in set(range(len(pts))) - set(g.nodes):
        assert node not in got or got[node] > 0  # a point off the graph walks to it


def test_pairs_without_distances_are_the_same_pairs():
    from tests.core.network.synthetic import grid

    net = build_network(grid(9, 80.0))
    rng = np.random.default_rng(1)
    pts = shapely.points(X0 + rng.uniform(-50, 700, 2000), Y0 + rng.uniform(-50, 700, 2000))
    feats = join(net, pts)
    sites = shapely.points(X0 + rng.uniform(0, 640, 12), Y0 + rng.uniform(0, 640, 12))
    starts = site_starts(net, sites)
    radii = rng.uniform(50, 600, 12)
    s1, f1, d1 = feature_pairs(net, starts, feats, radii)
    s2, f2, d2 = feature_pairs(net, starts, feats, radii, with_distance=False)
    assert set(zip(s1.tolist(), f1.tolist())) == set(zip(s2.tolist(), f2.tolist()))
    assert np.isnan(d2).any()  # some edges lay wholly within R
