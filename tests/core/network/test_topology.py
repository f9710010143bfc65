"""The walking graph: junctions at grade, none at bridges, islands, lengths."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.network.topology import Network, build_network
from tests.core.network.synthetic import (
    bridge_over_street,
    grid,
    line,
    railway_with_one_underpass,
    river_with_one_bridge,
)


def test_crossing_streets_meet_at_a_junction():
    net = build_network(grid(3))  # 6 lines crossing at 9 points, no shared vertices
    assert net.n_nodes == 9
    assert net.n_edges == 12
    assert np.allclose(net.edge_length, 100.0)
    assert net.islands.count == 0


def test_a_bridge_crosses_a_street_without_a_junction():
    lines, sep = bridge_over_street()
    net = build_network(lines, sep)
    bridge = net.edges[net.edge_separated]
    assert len(bridge) == 1 and bridge[0].length == pytest.approx(600.0)
    # the street along y = 0 ends at x = 1000 where it meets the cross street
    assert np.isclose(net.edge_length, 2000.0).sum() == 1


def test_same_lines_without_the_bridge_flag_meet():
    lines, _ = bridge_over_street()
    net = build_network(lines)
    assert not np.isclose(net.edge_length, 2000.0).any()  # split at x = 0


def test_node_tolerance_joins_near_ends():
    lines = np.array([line((0, 0), (100, 0)), line((100.5, 0), (200, 0))], dtype=object)
    assert build_network(lines, tolerance=1.0).islands.count == 0
    assert build_network(lines, tolerance=0.1).islands.count == 1


def test_islands_are_counted_with_their_share_of_length():
    lines = np.array([line((0, 0), (300, 0)), line((1000, 0), (1100, 0))], dtype=object)
    islands = build_network(lines).islands
    assert islands.count == 1
    assert islands.share_outside_main == pytest.approx(0.25)


def test_river_and_railway_networks_are_connected():
    for lines, sep in (river_with_one_bridge(), railway_with_one_underpass()):
        assert build_network(lines, sep).islands.count == 0


def test_arrays_round_trip():
    net = build_network(grid(4))
    back = Network.from_arrays(net.to_arrays())
    assert back.n_edges == net.n_edges
    assert np.array_equal(back.edge_u, net.edge_u)
    assert [g.wkt for g in back.edges] == [g.wkt for g in net.edges]
