"""Walking coverage pairs for the suggestion equal brute-force per-candidate walks."""

from __future__ import annotations

import numpy as np
import shapely

from app.core.network.coverage import walking_pairs
from app.core.network.join import join, site_starts
from app.core.network.paths import feature_pairs
from app.core.network.topology import build_network
from tests.core.network.synthetic import X0, Y0, grid


def test_pairs_equal_one_search_per_candidate():
    net = build_network(grid(8, 100.0))
    rng = np.random.default_rng(3)
    demand = shapely.points(X0 + rng.uniform(0, 700, 300), Y0 + rng.uniform(0, 700, 300))
    cands = shapely.points(X0 + rng.uniform(0, 700, 40), Y0 + rng.uniform(0, 700, 40))
    got = walking_pairs(net)(cands, demand, 250.0)
    feats = join(net, demand)
    expected = set()
    for i, c in enumerate(cands):  # the slow way, one search each
        starts = site_starts(net, np.array([c], dtype=object))
        _, f, _ = feature_pairs(net, starts, feats, np.array([250.0]))
        expected |= {(i, int(j)) for j in f}
    assert set(zip(got[0].tolist(), got[1].tolist())) == expected
    straight = shapely.STRtree(demand).query(cands, predicate="dwithin", distance=250.0)
    assert len(expected) < straight.shape[1]
    assert expected <= set(zip(straight[0].tolist(), straight[1].tolist()))
